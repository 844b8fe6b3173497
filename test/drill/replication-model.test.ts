import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { S3_WRITES_FROM } from '../../drill/sim/s3/s3';
import { DR, dataBucket, inSimulation, MAIN, makeWorld, names, sleep } from './sim-helpers';

/** The per-minute backlog readings the simulated CloudWatch gives for `role`'s rule, in `region`. */
async function readings(
  role: 'main' | 'dr',
  region: string,
  minutes: number,
): Promise<(number | undefined)[]> {
  const other = role === 'main' ? 'dr' : 'main';
  const cw = new CloudWatchClient({ region });
  const now = new Date();
  const out = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/S3',
      MetricName: 'OperationsPendingReplication',
      Dimensions: [
        { Name: 'SourceBucket', Value: dataBucket(names.regions[role]).bucketName },
        { Name: 'DestinationBucket', Value: dataBucket(names.regions[other]).bucketName },
        { Name: 'RuleId', Value: names.regions[role].replicationRuleId },
      ],
      StartTime: new Date(now.getTime() - minutes * 60_000),
      EndTime: now,
      Period: 60,
      Statistics: ['Maximum'],
    }),
  );
  return (out.Datapoints ?? [])
    .sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0))
    .map((d) => d.Maximum);
}

describe('drill S3 model', () => {
  it('writes into the region the name answers, one object per write interval', () => {
    // Prepare
    const world = makeWorld({ s3WriteIntervalSeconds: 10, s3ReplicationLagSeconds: 5 });
    // Act
    world.s3.sync(600);
    // Assess: main serves before a failover; writes started before the drill.
    expect(world.s3.writtenIn('dr')).toEqual([]);
    expect(world.s3.writtenIn('main')).toHaveLength((600 - S3_WRITES_FROM) / 10);
  });

  it('replicates each object one lag after its write', () => {
    // Prepare
    const world = makeWorld({ s3WriteIntervalSeconds: 10, s3ReplicationLagSeconds: 5 });
    world.s3.sync(100);
    // Act + Assess: writes at …, 95 (lag 5 → 100): the write at 95 is in flight at 99, not at 100.
    expect(world.s3.pending('main', 99).map((o) => o.writtenAt)).toEqual([95]);
    expect(world.s3.pending('main', 100)).toEqual([]);
  });

  it('stops replication while the source region is down and resumes when it is back', () => {
    // Prepare
    const world = makeWorld({ s3WriteIntervalSeconds: 10, s3ReplicationLagSeconds: 5 });
    world.outages.regions.set(MAIN, { from: 97, until: 400 });
    world.s3.sync(120);
    const inFlight = world.s3.writtenIn('main').find((o) => o.writtenAt === 95);
    if (inFlight === undefined) throw new Error('no write at 95 s');
    // Act + Assess
    expect(world.s3.replicatedAt(inFlight)).toBe(405);
    // Main is down: nothing is written there while the name still answers main.
    expect(world.s3.writtenIn('main').filter((o) => o.writtenAt > 97 && o.writtenAt < 120)).toEqual([]);
  });

  it('never replicates an object whose region stays down', () => {
    // Prepare
    const world = makeWorld({ s3WriteIntervalSeconds: 10, s3ReplicationLagSeconds: 5 });
    world.outages.regions.set(MAIN, { from: 97 });
    world.s3.sync(100);
    // Act + Assess
    expect(world.s3.pending('main', 10_000).map((o) => o.writtenAt)).toEqual([95]);
  });

  it('works through a seeded backlog at its rate', () => {
    // Prepare
    const world = makeWorld({}, 'main');
    // Act
    world.s3.seedBacklog('dr', 1000, 10);
    // Assess
    expect(world.s3.pending('dr', 0).length).toBeGreaterThanOrEqual(1000);
    expect(world.s3.pending('dr', 50).filter((o) => o.key.startsWith('backlog/'))).toHaveLength(500);
    expect(world.s3.pending('dr', 100).filter((o) => o.key.startsWith('backlog/'))).toEqual([]);
  });

  it("serves OperationsPendingReplication per complete minute in the source bucket's region", async () => {
    // Prepare
    const world = makeWorld({}, 'main');
    world.s3.seedBacklog('dr', 600, 2);
    // Act: 3.5 minutes in, the readings of minutes 1, 2 and 3 (snapshots at 60, 120, 180 s).
    const [inDr, inMain] = await inSimulation(world, async () => {
      await sleep(210);
      return [await readings('dr', DR, 3), await readings('dr', MAIN, 3)];
    });
    // Assess
    expect(inDr?.slice(-2)).toEqual([360, 240]);
    expect(inMain).toEqual([]);
  });
});
