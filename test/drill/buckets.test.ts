import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  GetMetricStatisticsCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { GetBucketReplicationCommand, S3Client } from '@aws-sdk/client-s3';
import { applyFaults, parseFault } from '../../drill/faults/catalog';
import { formatReport } from '../../drill/report/console';
import type { DrillRun } from '../../drill/runner/run';
import { S3_WRITES_FROM } from '../../drill/sim/s3/s3';
import type { World } from '../../drill/sim/world';
import { drillOnce, type PreparedDrill } from '../../drill/sweep/sweep';
import { projectNames } from '../../infra/config/names';
import { otherRole, type RegionRole } from '../../infra/config/schema';
import { STEPS } from '../../lambdas/shared/steps';
import { THREE_BUCKETS, threeBucketsConfig } from '../fixtures/drill/three-buckets';
import { expectInvariantsHeld } from './faults-helpers';
import {
  DR,
  inSimulation,
  MAIN,
  makeWorld,
  prepareDrill,
  readinessDrillOf,
  rejectionOf,
  sleep,
} from './sim-helpers';

/**
 * An application with three replicated buckets (`buckets`: data, media, logs): each a pair of
 * buckets replicating both ways by its own rule, so the simulator keeps, meters and configures each
 * pair on its own, a backlog can sit in one bucket or in all, and the drill reports each.
 */

const config = threeBucketsConfig();
const names = projectNames(config);
/** Synthesis takes seconds: each describe synthesizes what it needs once. */
const SYNTH_TIMEOUT_MS = 180_000;
/** Writes every 15 s replicated 5 s later: none is pending at a minute's end (S3's reading). */
const QUIET_WRITES = { s3WriteIntervalSeconds: 15, s3ReplicationLagSeconds: 5 };

/** `role`'s bucket of entry `entry`. */
function bucketOf(role: RegionRole, entry: string) {
  const b = names.regions[role].buckets.find((x) => x.entry === entry);
  if (b === undefined) throw new Error(`no bucket ${entry} in ${role}`);
  return b;
}

/** The query `id` of `metric` over `entry`'s rule from `role`'s bucket to its pair. */
function s3Query(
  id: string,
  role: RegionRole,
  entry: string,
  metric = 'OperationsPendingReplication',
  destination: string = bucketOf(otherRole(role), entry).bucketName,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/S3',
        MetricName: metric,
        Dimensions: [
          { Name: 'SourceBucket', Value: bucketOf(role, entry).bucketName },
          { Name: 'DestinationBucket', Value: destination },
          { Name: 'RuleId', Value: names.regions[role].replicationRuleId },
        ],
      },
      Period: 60,
      Stat: 'Maximum',
    },
  };
}

/** A failback's world (DR serves, its buckets are the source) with quiet writes. */
function failbackWorld(): World {
  return makeWorld(QUIET_WRITES, 'main', config);
}

describe('three buckets in the simulator', () => {
  it('writes each object of the application into every bucket of the serving region', () => {
    // Prepare
    const world = makeWorld({ s3WriteIntervalSeconds: 10 }, 'dr', config);

    // Act
    world.s3.sync(600);

    // Assess
    expect(world.s3.entries).toEqual(THREE_BUCKETS);
    for (const entry of THREE_BUCKETS) {
      expect(world.s3.writtenIn('main', entry)).toHaveLength((600 - S3_WRITES_FROM) / 10);
      expect(world.s3.writtenIn('dr', entry)).toEqual([]);
    }
    expect(world.s3.writtenIn('main')).toHaveLength((3 * (600 - S3_WRITES_FROM)) / 10);
  });

  it("answers GetMetricData with three queries, each with its own bucket pair's backlog", async () => {
    // Prepare: 600 objects in DR's media at 2/s, 120 in DR's logs at 1/s, none in data.
    const world = failbackWorld();
    world.s3.seedBacklog('dr', 600, 2, 'media');
    world.s3.seedBacklog('dr', 120, 1, 'logs');
    const input: GetMetricDataCommandInput = {
      MetricDataQueries: [
        s3Query('data', 'dr', 'data'),
        s3Query('media', 'dr', 'media'),
        s3Query('logs', 'dr', 'logs'),
        s3Query('mediaLatency', 'dr', 'media', 'ReplicationLatency'),
        // media's source with logs' destination: no such rule.
        s3Query(
          'crossed',
          'dr',
          'media',
          'OperationsPendingReplication',
          bucketOf('main', 'logs').bucketName,
        ),
      ],
      StartTime: world.clock.dateAt(0),
      EndTime: world.clock.dateAt(210),
      ScanBy: 'TimestampAscending',
    };

    // Act: 3.5 minutes in, the readings of minutes 0, 1 and 2 (taken at 60, 120, 180 s).
    const [inDr, inMain] = await inSimulation(world, async () => {
      await sleep(210);
      return [
        await new CloudWatchClient({ region: DR }).send(new GetMetricDataCommand(input)),
        await new CloudWatchClient({ region: MAIN }).send(new GetMetricDataCommand(input)),
      ];
    });

    // Assess
    const values = (out: typeof inDr) =>
      Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r.Values]));
    expect(values(inDr)).toEqual({
      data: [0, 0, 0],
      media: [480, 360, 240],
      logs: [60, 0, 0],
      mediaLatency: [61, 121, 181],
      crossed: [],
    });
    expect(inDr.MetricDataResults?.[1]?.Timestamps).toEqual([0, 60, 120].map((t) => world.clock.dateAt(t)));
    // S3 publishes a rule's metrics in its source bucket's region only.
    expect(values(inMain)).toEqual({ data: [], media: [], logs: [], mediaLatency: [], crossed: [] });
  });

  it('answers GetMetricStatistics per bucket pair as GetMetricData does', async () => {
    // Prepare
    const world = failbackWorld();
    world.s3.seedBacklog('dr', 600, 2, 'media');

    // Act
    const read = (entry: string) =>
      new CloudWatchClient({ region: DR }).send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/S3',
          MetricName: 'OperationsPendingReplication',
          Dimensions: s3Query('q', 'dr', entry).MetricStat?.Metric?.Dimensions,
          StartTime: world.clock.dateAt(0),
          EndTime: world.clock.dateAt(210),
          Period: 60,
          Statistics: ['Maximum'],
        }),
      );
    const out = await inSimulation(world, async () => {
      await sleep(210);
      return Promise.all(THREE_BUCKETS.map(read));
    });

    // Assess
    const maxima = out.map((o) =>
      [...(o.Datapoints ?? [])]
        .sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0))
        .map((d) => d.Maximum),
    );
    expect(maxima).toEqual([
      [0, 0, 0],
      [480, 360, 240],
      [0, 0, 0],
    ]);
  });

  it("answers GetBucketReplication per bucket: one rule to its pair, the region's role, RTC as listed", async () => {
    // Prepare
    const world = makeWorld({}, 'dr', config);

    // Act
    const answers = await inSimulation(world, () =>
      Promise.all(
        (['main', 'dr'] as const).flatMap((role) =>
          THREE_BUCKETS.map(async (entry) => ({
            role,
            entry,
            out: await new S3Client({ region: names.regions[role].region }).send(
              new GetBucketReplicationCommand({ Bucket: bucketOf(role, entry).bucketName }),
            ),
          })),
        ),
      ),
    );

    // Assess
    expect(answers).toHaveLength(6);
    for (const { role, entry, out } of answers) {
      const replication = out.ReplicationConfiguration;
      expect(replication?.Role).toBe(names.regions[role].replicationRoleArn);
      expect(replication?.Rules).toHaveLength(1);
      const [rule] = replication?.Rules ?? [];
      expect(rule).toMatchObject({
        ID: names.regions[role].replicationRuleId,
        Status: 'Enabled',
        Destination: { Bucket: bucketOf(otherRole(role), entry).bucketArn },
      });
      // media asks for Replication Time Control; data and logs do not.
      expect(rule?.Destination?.ReplicationTime !== undefined).toBe(entry === 'media');
    }
  });

  it("refuses another region's bucket, and a bucket without its configuration, as S3 does", async () => {
    // Prepare
    const world = makeWorld({}, 'dr', config);
    const logs = world.deployed.buckets.buckets.get(bucketOf('dr', 'logs').bucketName);
    if (logs === undefined) throw new Error('no DR logs bucket in the simulator');
    logs.replication = undefined;
    const s3 = new S3Client({ region: DR });

    const ask = (role: RegionRole, entry: string) =>
      s3.send(new GetBucketReplicationCommand({ Bucket: bucketOf(role, entry).bucketName }));

    // Act
    const { redirect, none, media } = await inSimulation(world, async () => ({
      redirect: await rejectionOf(ask('main', 'media')),
      none: await rejectionOf(ask('dr', 'logs')),
      media: await ask('dr', 'media'),
    }));

    // Assess: only the logs pair lost its configuration.
    expect(redirect.name).toBe('PermanentRedirect');
    expect(none.name).toBe('ReplicationConfigurationNotFoundError');
    expect(media.ReplicationConfiguration?.Rules).toHaveLength(1);
  });
});

describe('replication-backlog with three buckets', () => {
  /** The backlog objects seeded in each of DR's buckets. */
  const seeded = (world: World) =>
    THREE_BUCKETS.map((e) => world.s3.writtenIn('dr', e).filter((o) => o.key.startsWith('backlog/')).length);

  it('puts the backlog in every bucket by default', () => {
    // Prepare
    const world = failbackWorld();

    // Act
    applyFaults(world, [parseFault('replication-backlog')]);

    // Assess
    expect(seeded(world)).toEqual([12_000, 12_000, 12_000]);
  });

  it.each([
    ['replication-backlog:600', [600, 600, 600]],
    ['replication-backlog:media', [0, 12_000, 0]],
    ['replication-backlog:logs:600', [0, 0, 600]],
  ])('%s seeds %j', (fault, expected) => {
    // Prepare
    const world = failbackWorld();

    // Act
    applyFaults(world, [parseFault(fault)]);

    // Assess
    expect(seeded(world)).toEqual(expected);
  });

  it('names the buckets when the one asked for is not among them', () => {
    // Prepare
    const world = failbackWorld();

    // Act + Assess
    expect(() => applyFaults(world, [parseFault('replication-backlog:videos:600')])).toThrow(
      "--fault replication-backlog:videos:600: no bucket 'videos' in buckets (data, media, logs)",
    );
  });

  it.each(['replication-backlog:600:media', 'replication-backlog:media:x', 'replication-backlog:a:1:2'])(
    'refuses %s before the drill',
    (fault) => {
      // Act + Assess
      expect(() => parseFault(fault)).toThrow(expect.objectContaining({ name: 'DrillUsageError' }));
    },
  );
});

/** When the replication step last left a state, in the run's first execution. */
function drainEndedAt(run: DrillRun): number | undefined {
  const exits = (run.executions[0]?.events ?? []).filter(
    (e) =>
      e.type === 'StateExited' &&
      (e.state === STEPS.replication.label || e.state === STEPS.replication.check),
  );
  return exits[exits.length - 1]?.at;
}

/** The source buckets the drain step asked CloudWatch about, in any read. */
function drainedBuckets(run: DrillRun): Set<string> {
  const asked = new Set<string>();
  for (const c of run.world.calls) {
    if (!(c.state ?? '').startsWith(STEPS.replication.label)) continue;
    const input = c.input as Partial<GetMetricDataCommandInput> & {
      Dimensions?: { Name?: string; Value?: string }[];
    };
    const dims = [
      ...(input.Dimensions ?? []),
      ...(input.MetricDataQueries ?? []).flatMap((q) => q.MetricStat?.Metric?.Dimensions ?? []),
    ];
    for (const d of dims) if (d.Name === 'SourceBucket' && d.Value !== undefined) asked.add(d.Value);
  }
  return asked;
}

describe('a failback of three buckets', () => {
  let prepared: PreparedDrill;
  beforeAll(async () => {
    prepared = await prepareDrill(config, 'main', 'base');
  }, SYNTH_TIMEOUT_MS);

  const failback = (fault: string) =>
    drillOnce({ ...prepared, plan: { ...prepared.plan, faults: [parseFault(fault)] } });

  it('with a backlog in media only waits until media drains, then promotes; the report shows each bucket', async () => {
    // Act: 6000 objects at 20/s take 300 s; data and logs have only the writes in flight.
    const { run, analysis, report } = await failback('replication-backlog:media:6000');

    // Assess
    expect(analysis.outcome).toBe('PROMOTED');
    expect(drainedBuckets(run)).toEqual(new Set(THREE_BUCKETS.map((e) => bucketOf('dr', e).bucketName)));
    expect(drainEndedAt(run)).toBeGreaterThanOrEqual(300);
    expect(analysis.trafficMovedSeconds).toBeGreaterThan(300);
    const s3 = report.s3Replication;
    expect(s3?.buckets?.map((b) => b.bucket)).toEqual(THREE_BUCKETS);
    const [data, media, logs] = s3?.buckets ?? [];
    expect(media?.pendingAtStart).toBeGreaterThanOrEqual(6000);
    expect(data?.pendingAtStart).toBeLessThan(10);
    expect(logs?.pendingAtStart).toBe(data?.pendingAtStart);
    expect(s3?.pendingAtStart).toBe(
      (data?.pendingAtStart ?? 0) + (media?.pendingAtStart ?? 0) + (logs?.pendingAtStart ?? 0),
    );
    expect(s3?.buckets?.map((b) => b.pendingAtEnd)).toEqual([0, 0, 0]);
    expect(s3?.pendingAtEnd).toBe(0);
    const summary = formatReport(report);
    for (const e of THREE_BUCKETS)
      expect(summary).toMatch(new RegExp(`bucket ${e} +\\d+ \\(0 still not at the end\\)`));
    const invariant = analysis.invariants.find((i) => i.name === "failback waited for DR's objects");
    expect(invariant?.held).toBe(true);
    expect(invariant?.detail).toMatch(/^all \d+ \(data \d+, media \d+, logs \d+\) object\(s\) written in dr/);
    expectInvariantsHeld(analysis);
  });

  it('with a backlog in every bucket (the default) drains all of them before it promotes', async () => {
    // Act
    const { run, analysis, report } = await failback('replication-backlog:6000');

    // Assess: the buckets drain side by side, 300 s each.
    expect(analysis.outcome).toBe('PROMOTED');
    expect(drainEndedAt(run)).toBeGreaterThanOrEqual(300);
    const buckets = report.s3Replication?.buckets ?? [];
    expect(buckets.map((b) => b.bucket)).toEqual(THREE_BUCKETS);
    for (const b of buckets) {
      expect(b.pendingAtStart).toBeGreaterThanOrEqual(6000);
      expect(b.pendingAtEnd).toBe(0);
    }
    for (const e of THREE_BUCKETS) expect(run.world.s3.pending('dr', run.endedAt, e)).toEqual([]);
    expectInvariantsHeld(analysis);
  });
});

describe('the readiness drill of three buckets', () => {
  it(
    "passes s3-replication: it reads every bucket's rule in both regions",
    async () => {
      // Act
      const { report, world } = await readinessDrillOf(config);

      // Assess
      const check = report.checks.find((c) => c.id === 's3-replication');
      expect(check?.status).toBe('PASS');
      const asked = world.calls
        .filter((c) => c.command === 'GetBucketReplication' && c.error === undefined)
        .map((c) => (c.input as { Bucket: string }).Bucket);
      const every = (['main', 'dr'] as const).flatMap((r) =>
        THREE_BUCKETS.map((e) => bucketOf(r, e).bucketName),
      );
      expect(new Set(asked)).toEqual(new Set(every));
      expect(report.ready).toBe(true);
    },
    SYNTH_TIMEOUT_MS,
  );
});
