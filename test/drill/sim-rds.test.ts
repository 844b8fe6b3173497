import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import {
  APP,
  appDatabase,
  DR,
  inSimulation,
  MAIN,
  makeWorld,
  names,
  rejectionOf,
  sleep,
} from './sim-helpers';

const dr = appDatabase(names.regions.dr);
const main = appDatabase(names.regions.main);
const rdsDr = new RDSClient({ region: DR });
const rdsMain = new RDSClient({ region: MAIN });

async function addInstances(count: number) {
  for (let i = 0; i < count; i++) {
    await rdsDr.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: dr.dbInstanceIdentifier(i),
        DBClusterIdentifier: dr.dbClusterIdentifier,
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-postgresql',
      }),
    );
  }
}

async function globalCluster() {
  const out = await rdsDr.send(
    new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: main.globalClusterIdentifier }),
  );
  return out.GlobalClusters?.[0];
}

describe('simulated RDS', () => {
  it('seeds the main writer with its instances and a headless DR cluster', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const [mainInstances, drInstances, g] = await inSimulation(world, async () => [
      await rdsMain.send(
        new DescribeDBInstancesCommand({
          Filters: [{ Name: 'db-cluster-id', Values: [main.dbClusterIdentifier] }],
        }),
      ),
      await rdsDr.send(
        new DescribeDBInstancesCommand({
          Filters: [{ Name: 'db-cluster-id', Values: [dr.dbClusterIdentifier] }],
        }),
      ),
      await globalCluster(),
    ]);

    // Assess
    expect((mainInstances as { DBInstances?: unknown[] }).DBInstances).toHaveLength(3);
    expect((drInstances as { DBInstances?: unknown[] }).DBInstances).toHaveLength(0);
    expect(g).toMatchObject({ Status: 'available' });
  });

  it('takes instances from creating to available after the modeled duration, each API call taking its latency', async () => {
    // Prepare
    const world = makeWorld({ dbInstanceCreateSeconds: 600, apiLatencySeconds: 0.05 });

    // Act
    const statuses = await inSimulation(world, async () => {
      await addInstances(1);
      const seen: string[] = [];
      for (const wait of [0, 599, 2]) {
        await sleep(wait);
        const out = await rdsDr.send(
          new DescribeDBInstancesCommand({ DBInstanceIdentifier: dr.dbInstanceIdentifier(0) }),
        );
        seen.push(`${world.clock.now().toFixed(2)}:${out.DBInstances?.[0]?.DBInstanceStatus}`);
      }
      return seen;
    });

    // Assess
    expect(statuses).toEqual(['0.10:creating', '599.15:creating', '601.20:available']);
    expect(world.calls.map((c) => c.command)).toEqual([
      'CreateDBInstance',
      'DescribeDBInstances',
      'DescribeDBInstances',
      'DescribeDBInstances',
    ]);
  });

  it('refuses a second instance with the same id (DBInstanceAlreadyExistsFault, 400)', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const err = await inSimulation(world, async () => {
      await addInstances(1);
      return rejectionOf(addInstances(1));
    });

    // Assess
    expect(err.name).toBe('DBInstanceAlreadyExistsFault');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(world.rds.createAttempts.map((a) => a.outcome)).toEqual([
      'created',
      'DBInstanceAlreadyExistsFault',
    ]);
  });

  it('names missing clusters and global clusters with their real fault names', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const [cluster, global] = await inSimulation(world, async () => [
      await rejectionOf(rdsDr.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nope' }))),
      await rejectionOf(rdsDr.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'nope' }))),
    ]);

    // Assess
    expect([cluster.name, cluster.$metadata?.httpStatusCode]).toEqual(['DBClusterNotFoundFault', 404]);
    expect([global.name, global.$metadata?.httpStatusCode]).toEqual(['GlobalClusterNotFoundFault', 404]);
  });

  it('refuses to promote a headless cluster (InvalidDBClusterStateFault)', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const err = await inSimulation(world, () =>
      rejectionOf(
        rdsDr.send(
          new SwitchoverGlobalClusterCommand({
            GlobalClusterIdentifier: main.globalClusterIdentifier,
            TargetDbClusterIdentifier: dr.dbClusterArn,
          }),
        ),
      ),
    );

    // Assess
    expect(err.name).toBe('InvalidDBClusterStateFault');
  });

  it('switches over: FailoverState switching-over during the operation, then the writer flips with no data lost', async () => {
    // Prepare
    const world = makeWorld({
      dbInstanceCreateSeconds: 10,
      switchoverSeconds: 120,
      replicationLagSeconds: 1,
    });

    // Act
    const [during, after] = await inSimulation(world, async () => {
      await addInstances(1);
      await sleep(11);
      await rdsDr.send(
        new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: main.globalClusterIdentifier,
          TargetDbClusterIdentifier: dr.dbClusterArn,
        }),
      );
      await sleep(60);
      const d = await globalCluster();
      await sleep(61);
      return [d, await globalCluster()];
    });

    // Assess
    expect(during?.Status).toBe('switching-over');
    expect(during?.FailoverState).toEqual({
      Status: 'switching-over',
      FromDbClusterArn: main.dbClusterArn,
      ToDbClusterArn: dr.dbClusterArn,
      IsDataLossAllowed: false,
    });
    expect(during?.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn).toBe(main.dbClusterArn);
    expect(after?.Status).toBe('available');
    expect(after?.FailoverState).toBeUndefined();
    expect(after?.GlobalClusterMembers?.filter((m) => m.IsWriter).map((m) => m.DBClusterArn)).toEqual([
      dr.dbClusterArn,
    ]);
    expect(world.rds.operations[0]?.lostWritesSeconds).toBe(0);
  });

  it('refuses a switchover while the source region is down; a failover with AllowDataLoss loses the replication lag', async () => {
    // Prepare
    const world = makeWorld({ dbInstanceCreateSeconds: 10, replicationLagSeconds: 2, failoverSeconds: 60 });
    world.outages.regions.set(MAIN, { from: 0 });

    // Act
    const refused = await inSimulation(world, async () => {
      await addInstances(1);
      await sleep(11);
      const input = {
        GlobalClusterIdentifier: main.globalClusterIdentifier,
        TargetDbClusterIdentifier: dr.dbClusterArn,
      };
      const err = await rejectionOf(rdsDr.send(new SwitchoverGlobalClusterCommand(input)));
      const legacy = await rejectionOf(rdsDr.send(new FailoverGlobalClusterCommand(input)));
      const failing = await rdsDr.send(new FailoverGlobalClusterCommand({ ...input, AllowDataLoss: true }));
      await sleep(61);
      world.clock.sync();
      return { err, legacy, failing };
    });

    // Assess
    expect(refused.err.name).toBe('InvalidGlobalClusterStateFault');
    expect(refused.legacy.name).toBe('InvalidGlobalClusterStateFault');
    expect(refused.failing.GlobalCluster?.FailoverState?.IsDataLossAllowed).toBe(true);
    expect(world.rds.database(APP).global.writerRole).toBe('dr');
    expect(world.rds.operations[0]).toMatchObject({ kind: 'failover', lostWritesSeconds: 2 });
  });

  it('rejects AllowDataLoss combined with Switchover', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const err = await inSimulation(world, () =>
      rejectionOf(
        rdsDr.send(
          new FailoverGlobalClusterCommand({
            GlobalClusterIdentifier: main.globalClusterIdentifier,
            TargetDbClusterIdentifier: dr.dbClusterArn,
            AllowDataLoss: true,
            Switchover: true,
          }),
        ),
      ),
    );

    // Assess
    expect(err.name).toBe('InvalidParameterCombination');
  });

  it("times out calls to a region that is down, after the modeled connect timeout (or the caller's abort)", async () => {
    // Prepare
    const world = makeWorld({ unreachableTimeoutSeconds: 10 });
    world.outages.regions.set(MAIN, { from: 0 });

    // Act
    const [timedOut, aborted] = await inSimulation(world, async () => {
      const t0 = world.clock.now();
      const e1 = await rejectionOf(rdsMain.send(new DescribeDBClustersCommand({})));
      const t1 = world.clock.now();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 3000);
      const e2 = await rejectionOf(
        rdsMain.send(new DescribeDBClustersCommand({}), { abortSignal: controller.signal }),
      );
      return [
        { e: e1, took: t1 - t0 },
        { e: e2, took: world.clock.now() - t1 },
      ];
    });

    // Assess
    expect(timedOut.e.code).toBe('ETIMEDOUT');
    expect(timedOut.took).toBeCloseTo(10, 5);
    expect(aborted.e.name).toBe('AbortError');
    expect(aborted.took).toBeCloseTo(3, 5);
  });
});
