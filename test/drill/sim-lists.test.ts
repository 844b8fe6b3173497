import { AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { applyFaults, parseFault } from '../../drill/faults/catalog';
import { AppHealth, installProbeFetch } from '../../drill/sim/probe-http';
import type { World } from '../../drill/sim/world';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { capacityParameters } from '../infra/app-fixture';
import { inSimulation, makeWorld, rejectionOf, sleep } from './sim-helpers';

/**
 * The simulator built from a config with several databases and services (project-config/shop.yml):
 * a global database per `databases[]` entry, a service per `services[]` entry sharing the region's
 * one Auto Scaling group, a target group per routed service behind the listener's host rules.
 */

const shop = loadConfig('shop');
const names = projectNames(shop);
const MAIN = names.regions.main.region;
const DR = names.regions.dr.region;
const opts = { maxAttempts: 1 };
const rdsMain = new RDSClient({ region: MAIN, ...opts });
const rdsDr = new RDSClient({ region: DR, ...opts });
const ecs = new ECSClient({ region: DR, ...opts });

/** A fresh world of the shop promoting DR (timings overridable). */
function shopWorld(overrides: Parameters<typeof makeWorld>[0] = {}): World {
  return makeWorld(overrides, 'dr', shop);
}

/** `role`'s names of database entry `entry`. */
function db(role: 'main' | 'dr', entry: string) {
  const d = names.regions[role].databases.find((x) => x.entry === entry);
  if (d === undefined) throw new Error(`no database ${entry}`);
  return d;
}

/** `role`'s names of service entry `entry`. */
function svc(role: 'main' | 'dr', entry: string) {
  const s = names.regions[role].services.find((x) => x.entry === entry);
  if (s === undefined) throw new Error(`no service ${entry}`);
  return s;
}

describe('simulated Aurora with several global databases', () => {
  it('seeds a global cluster per database, each with its own members and instances', async () => {
    // Act
    const out = await inSimulation(shopWorld(), async () => ({
      globals: await rdsDr.send(new DescribeGlobalClustersCommand({})),
      orders: await rdsMain.send(
        new DescribeDBInstancesCommand({
          Filters: [{ Name: 'db-cluster-id', Values: [db('main', 'orders').dbClusterIdentifier] }],
        }),
      ),
      app: await rdsMain.send(
        new DescribeDBInstancesCommand({
          Filters: [{ Name: 'db-cluster-id', Values: [db('main', 'app').dbClusterIdentifier] }],
        }),
      ),
    }));

    // Assess
    const globals = out.globals.GlobalClusters ?? [];
    expect(globals.map((g) => g.GlobalClusterIdentifier)).toEqual(['shop-global', 'shop-global-orders']);
    expect(globals[1]?.GlobalClusterMembers?.map((m) => [m.DBClusterArn, m.IsWriter])).toEqual([
      [db('main', 'orders').dbClusterArn, true],
      [db('dr', 'orders').dbClusterArn, false],
    ]);
    expect(out.orders.DBInstances).toHaveLength(3);
    expect(out.app.DBInstances).toHaveLength(2);
  });

  it("moves one database's writer on its own, and refuses another database's cluster as its target", async () => {
    // Prepare
    const world = shopWorld({ switchoverSeconds: 60 });
    const orders = world.rds.database('orders');
    const cluster = orders.clusters.get('dr');
    if (cluster === undefined) throw new Error('no DR cluster of orders');

    // Act
    const out = await inSimulation(world, async () => {
      world.rds.createInstance(cluster, 'shop-dr-aurora-orders-1', `${cluster.arn}-1`, 'db.r6g.xlarge');
      await sleep(world.timings.dbInstanceCreateSeconds + 1);
      const wrong = await rejectionOf(
        rdsMain.send(
          new SwitchoverGlobalClusterCommand({
            GlobalClusterIdentifier: db('main', 'orders').globalClusterIdentifier,
            TargetDbClusterIdentifier: db('dr', 'app').dbClusterArn,
          }),
        ),
      );
      await rdsMain.send(
        new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: db('main', 'orders').globalClusterIdentifier,
          TargetDbClusterIdentifier: db('dr', 'orders').dbClusterArn,
        }),
      );
      await sleep(61);
      // A call brings the simulated AWS up to now.
      return { wrong, globals: await rdsDr.send(new DescribeGlobalClustersCommand({})) };
    });

    // Assess
    expect(
      out.globals.GlobalClusters?.map((g) => [
        g.GlobalClusterIdentifier,
        g.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn,
      ]),
    ).toEqual([
      ['shop-global', db('main', 'app').dbClusterArn],
      ['shop-global-orders', db('dr', 'orders').dbClusterArn],
    ]);
    expect(out.wrong.name).toBe('DBClusterNotFoundFault');
    expect(out.wrong.message).toMatch(/not a member of global cluster shop-global-orders/);
    expect(world.rds.databases.map((d) => [d.name, d.global.writerRole])).toEqual([
      ['app', 'main'],
      ['orders', 'dr'],
    ]);
    expect(world.rds.operations.map((o) => o.database)).toEqual(['orders']);
  });

  it("replication-broken:orders stalls only orders' secondary: its lag grows, app's stays at the lag", async () => {
    // Prepare
    const world = shopWorld({ replicationLagSeconds: 1 });
    applyFaults(world, [parseFault('replication-broken:orders:10')]);
    const lag = (clusterId: string) =>
      new CloudWatchClient({ region: DR, ...opts }).send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - 120_000),
          EndTime: new Date(Date.now()),
          MetricDataQueries: [
            {
              Id: 'lag',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/RDS',
                  MetricName: 'AuroraGlobalDBReplicationLag',
                  Dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterId }],
                },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );

    // Act
    const out = await inSimulation(world, async () => ({
      app: await lag(db('dr', 'app').dbClusterIdentifier),
      orders: await lag(db('dr', 'orders').dbClusterIdentifier),
    }));

    // Assess
    // Mid-minute of -1 min: stalled 600 s before second 0, plus the 1 s lag.
    expect(out.app.MetricDataResults?.[0]?.Values?.[0]).toBe(1000);
    expect(out.orders.MetricDataResults?.[0]?.Values?.[0]).toBe(571_000);
  });
});

describe('simulated ECS and ELB with several services', () => {
  it("places every service's tasks on the shared instances by CPU and memory: what does not fit waits", async () => {
    // Prepare: one t3.medium offers 2048 CPU units and 3686 MiB; web 3 × 256/512 and api 2 × 512/1024
    // fill 1792 units and 3584 MiB, so admin's 256/512 waits for a second instance.
    const world = shopWorld({
      asgInstanceLaunchSeconds: 10,
      ecsInstanceRegistrationSeconds: 5,
      taskStartSeconds: 10,
    });
    const cluster = names.regions.dr.ecsClusterName;

    // Act
    const out = await inSimulation(world, async () => {
      await new AutoScalingClient({ region: DR, ...opts }).send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: names.regions.dr.asgName,
          MinSize: 1,
          DesiredCapacity: 1,
        }),
      );
      for (const [entry, count] of [
        ['web', 3],
        ['api', 2],
        ['admin', 1],
      ] as const) {
        await ecs.send(
          new UpdateServiceCommand({
            cluster,
            service: svc('dr', entry).ecsServiceName,
            desiredCount: count,
          }),
        );
      }
      await sleep(60);
      return ecs.send(
        new DescribeServicesCommand({
          cluster,
          services: ['web', 'api', 'admin'].map((e) => svc('dr', e).ecsServiceName),
        }),
      );
    });

    // Assess
    expect(out.services?.map((s) => [s.serviceName, s.runningCount])).toEqual([
      ['shop-dr-app', 3],
      ['shop-dr-app-api', 2],
      ['shop-dr-app-admin', 0],
    ]);
    expect(out.services?.[2]?.events?.[0]?.message).toMatch(/unable to place a task/);
    const groups = out.services?.map((s) => s.loadBalancers?.[0]?.targetGroupArn);
    expect(new Set(groups).size).toBe(3);
    const [instance] = world.autoscaling.ofRole('dr')?.instances ?? [];
    for (const s of world.ecs.inRegion('dr'))
      for (const t of s.tasks) expect(t.instanceId).toBe(instance?.id);
  });

  it("routes each hostname to its service's target group; the rest (the regional record too) to the first service's", () => {
    // Prepare
    const world = shopWorld();

    // Act
    const routed = [
      'www.shop.example.com',
      'api.shop.example.com',
      'ADMIN.shop.example.com.',
      names.regions.main.regionalRecordName,
      'other.shop.example.com',
    ].map((host) => world.elb.route('main', host)?.service);

    // Assess
    expect(routed).toEqual(['web', 'api', 'admin', 'web', 'web']);
    expect(world.serviceOfHostname('api.shop.example.com')).toBe('api');
  });

  it('answers the probe 503 when the service its host routes to has no healthy target', async () => {
    // Prepare: admin's targets in main fail their health check.
    const world = shopWorld();
    world.elb.healthInterceptors.push((g) => (g.service === 'admin' ? 'failing' : undefined));
    const restore = installProbeFetch(world, new AppHealth({ down: [] }), {
      protectedRegion: MAIN,
      probingRegion: MAIN,
      mainUrl: 'https://admin.shop.example.com/',
    });

    // Act
    const statuses = await inSimulation(world, async () => {
      try {
        const admin = await fetch('https://admin.shop.example.com/');
        const www = await fetch(`https://${names.regions.main.regionalRecordName}/`);
        return [admin.status, www.status];
      } finally {
        restore();
      }
    });

    // Assess
    expect(statuses).toEqual([503, 200]);
  });

  it("seeds each service's desired-count parameter with what its stack deployed", async () => {
    // Act
    const values = await inSimulation(shopWorld(), () =>
      Promise.all(
        capacityParameters(names.regions.main).names.serviceDesiredCounts.map(async (name) => {
          const out = await new SSMClient({ region: MAIN, ...opts }).send(
            new GetParameterCommand({ Name: name }),
          );
          return out.Parameter?.Value;
        }),
      ),
    );

    // Assess
    expect(values).toEqual(shop.services.map((s) => String(s.regions.main.desiredCount)));
  });
});
