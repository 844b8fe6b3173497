import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetBucketReplicationCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { applyFaults, checkFaultEntries, describeFaults, parseFault } from '../../drill/faults/catalog';
import { MISSING_RESOURCE_CHECKS } from '../../drill/faults/missing';
import type { World } from '../../drill/sim/world';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import type { RegionRole } from '../../infra/config/schema';
import { inSimulation, makeWorld, rejectionOf } from './sim-helpers';

/**
 * project-config/existing-app.yml in the simulator: an application pilot-light did not deploy. The
 * world holds what the team runs, by the team's identifiers and at the sizes the config says run
 * now: its clusters, services, group, load balancer, bucket pair with its own rule ids, and its own
 * failover pair for the `attach` hostname on pilot-light's traffic health check. No SSM capacity
 * parameter exists. `missing-resource` removes one entry's resource in the promoted region.
 */

const existing = loadConfig('existing-app');
const names = projectNames(existing);
const MAIN = names.regions.main.region;
const DR = names.regions.dr.region;
const opts = { maxAttempts: 1 };

/** A fresh world of existing-app promoting `role`. */
function world(role: RegionRole = 'dr'): World {
  return makeWorld({}, role, existing);
}

/** existing-app's `capacity.existing` of `role`. */
function team(role: RegionRole) {
  const e = existing.regions[role].capacity.existing;
  if (e === undefined) throw new Error(`existing-app: ${role} names no existing capacity`);
  return e;
}

describe('the world of existing-app: what the team runs, by its identifiers', () => {
  it("seeds the team's clusters, services and groups, at the sizes the config says run now", () => {
    // Act
    const w = world();

    // Assess
    expect([...w.ecs.services.values()].map((s) => [s.role, s.cluster, s.name, s.desired])).toEqual([
      ['main', 'ledger-prod-use1', 'ledger-web', 4],
      ['main', 'ledger-prod-use1', 'ledger-api', 3],
      ['dr', 'ledger-prod-usw2', 'ledger-web', 0],
      ['dr', 'ledger-prod-usw2', 'ledger-api', 0],
    ]);
    expect([...w.autoscaling.groups.values()].map((g) => [g.name, g.min, g.instances.length])).toEqual([
      ['ledger-prod-use1-ecs', 4, 4],
      ['ledger-prod-usw2-ecs', 0, 0],
    ]);
    // audit's DR cluster already runs one instance (named by the team); ledger's runs none.
    const instances = (cluster: string) =>
      [...w.rds.instances.values()].filter((i) => i.clusterId === cluster).map((i) => i.id);
    expect(instances('ledger-use1')).toHaveLength(3);
    expect(instances('ledger-usw2')).toEqual([]);
    expect(instances('ledger-audit-use1')).toHaveLength(2);
    expect(instances('ledger-audit-usw2')).toEqual(['ledger-audit-usw2-instance-1']);
  });

  it("answers the team's global clusters, cluster ids and capacity provider on the named group", async () => {
    // Act
    const out = await inSimulation(world(), async () => {
      const ecs = new ECSClient({ region: DR, ...opts });
      const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ['ledger-prod-usw2'] }));
      const provider = clusters.clusters?.[0]?.capacityProviders?.[0] ?? '';
      return {
        globals: await new RDSClient({ region: DR, ...opts }).send(new DescribeGlobalClustersCommand({})),
        cluster: await new RDSClient({ region: DR, ...opts }).send(
          new DescribeDBClustersCommand({ DBClusterIdentifier: 'ledger-usw2' }),
        ),
        services: await ecs.send(
          new DescribeServicesCommand({
            cluster: 'ledger-prod-usw2',
            services: ['ledger-web', 'ledger-api'],
          }),
        ),
        providers: await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [provider] })),
        asg: await new AutoScalingClient({ region: DR, ...opts }).send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['ledger-prod-usw2-ecs'] }),
        ),
        provider,
      };
    });

    // Assess
    expect(out.globals.GlobalClusters?.map((g) => g.GlobalClusterIdentifier)).toEqual([
      'ledger-global',
      'ledger-audit-global',
    ]);
    expect(out.cluster.DBClusters?.[0]?.DBClusterArn).toBe(names.regions.dr.databases[0]?.dbClusterArn);
    expect(out.services.failures).toEqual([]);
    expect(out.services.services?.map((s) => s.capacityProviderStrategy?.[0]?.capacityProvider)).toEqual([
      out.provider,
      out.provider,
    ]);
    const asgArn = out.asg.AutoScalingGroups?.[0]?.AutoScalingGroupARN;
    expect(asgArn).toMatch(/autoScalingGroupName\/ledger-prod-usw2-ecs$/);
    expect(
      out.providers.capacityProviders?.map((p) => p.autoScalingGroupProvider?.autoScalingGroupArn),
    ).toEqual([asgArn]);
  });

  it("points each regional alias at the team's load balancer, and every hostname answers main", () => {
    // Act
    const w = world();

    // Assess
    for (const role of ['main', 'dr'] as const) {
      const alias = w.route53.zone.records.get(`${names.regions[role].regionalRecordName}|A`)?.alias;
      expect(alias).toEqual({
        hostedZoneId: team(role).loadBalancer.canonicalHostedZoneId,
        dnsName: `${team(role).loadBalancer.dnsName}.`,
        evaluateTargetHealth: false,
      });
    }
    expect(w.dnsAnswers().map((a) => [a.recordName, a.role])).toEqual([
      ['app.ledger.example.com', 'main'],
      ['api.ledger.example.com', 'main'],
    ]);
  });

  it("lists the team's own pair for the attach hostname, its PRIMARY on pilot-light's traffic health check", async () => {
    // Act
    const w = world();
    const out = await inSimulation(w, () =>
      new Route53Client({ region: MAIN, ...opts }).send(
        new ListResourceRecordSetsCommand({ HostedZoneId: existing.dns.hostedZoneId }),
      ),
    );

    // Assess
    const failover = (out.ResourceRecordSets ?? []).filter((r) => r.Failover !== undefined);
    const of = (name: string) =>
      failover
        .filter((r) => r.Name === `${name}.`)
        .map((r) => [r.Failover, r.SetIdentifier, r.HealthCheckId, r.AliasTarget?.DNSName])
        .sort(([a], [b]) => String(a).localeCompare(String(b)));
    const check = w.traffic.checks.calculated.id;
    // pilot-light's pair (app): main/dr, each aliasing its regional record.
    expect(of('app.ledger.example.com')).toEqual([
      ['PRIMARY', 'main', check, 'main.app.ledger.example.com.'],
      ['SECONDARY', 'dr', undefined, 'dr.app.ledger.example.com.'],
    ]);
    // The team's pair (api): its own set identifiers and targets, the same check on PRIMARY.
    expect(of('api.ledger.example.com')).toEqual([
      ['PRIMARY', `api-${MAIN}`, check, `${team('main').loadBalancer.dnsName}.`],
      ['SECONDARY', `api-${DR}`, undefined, `${team('dr').loadBalancer.dnsName}.`],
    ]);
  });

  it('has no SSM capacity parameter: the team’s tool owns the capacity', async () => {
    // Act
    const w = world();
    const err = await inSimulation(w, () =>
      rejectionOf(
        new SSMClient({ region: DR, ...opts }).send(
          new GetParameterCommand({ Name: '/ledger/dr/capacity/asg-min-capacity' }),
        ),
      ),
    );

    // Assess
    expect(names.regions.dr.capacityParameters).toBeUndefined();
    expect(w.ssm.parameters.size).toBe(0);
    expect(err.name).toBe('ParameterNotFound');
  });

  it("replicates the team's bucket pair by each bucket's own rule id", async () => {
    // Act
    const out = await inSimulation(world(), () =>
      Promise.all(
        (['main', 'dr'] as const).map((role) =>
          new S3Client({ region: names.regions[role].region, ...opts }).send(
            new GetBucketReplicationCommand({ Bucket: names.regions[role].buckets[0]?.bucketName }),
          ),
        ),
      ),
    );

    // Assess
    expect(
      out.map((o) => o.ReplicationConfiguration?.Rules?.map((r) => [r.ID, r.Destination?.Bucket])),
    ).toEqual([
      [['to-usw2', 'arn:aws:s3:::ledger-statements-usw2']],
      [['to-use1', 'arn:aws:s3:::ledger-statements-use1']],
    ]);
  });
});

describe('missing-resource', () => {
  it.each([
    ['database:ledger', 'ledger-usw2'],
    ['database:audit', 'ledger-audit-usw2'],
  ])(
    '%s: the promoted region’s cluster is gone with its instances, the global cluster lists one member',
    async (arg, clusterId) => {
      // Prepare
      const w = world();

      // Act
      applyFaults(w, [parseFault(`missing-resource:${arg}`)]);
      const out = await inSimulation(w, async () => {
        const rds = new RDSClient({ region: DR, ...opts });
        return {
          err: await rejectionOf(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))),
          globals: await rds.send(new DescribeGlobalClustersCommand({})),
        };
      });

      // Assess
      expect(out.err.name).toBe('DBClusterNotFoundFault');
      expect([...w.rds.instances.values()].filter((i) => i.clusterId === clusterId)).toEqual([]);
      const members = (out.globals.GlobalClusters ?? []).map((g) => g.GlobalClusterMembers?.length);
      expect(members).toEqual(arg === 'database:ledger' ? [1, 2] : [2, 1]);
    },
  );

  it('service:api: DescribeServices reports it MISSING and UpdateService refuses it; the cluster and web remain', async () => {
    // Prepare
    const w = world();

    // Act
    applyFaults(w, [parseFault('missing-resource:service:api')]);
    const out = await inSimulation(w, async () => {
      const ecs = new ECSClient({ region: DR, ...opts });
      return {
        described: await ecs.send(
          new DescribeServicesCommand({
            cluster: 'ledger-prod-usw2',
            services: ['ledger-web', 'ledger-api'],
          }),
        ),
        update: await rejectionOf(
          ecs.send(
            new UpdateServiceCommand({ cluster: 'ledger-prod-usw2', service: 'ledger-api', desiredCount: 3 }),
          ),
        ),
      };
    });

    // Assess
    expect(out.described.services?.map((s) => s.serviceName)).toEqual(['ledger-web']);
    expect(out.described.failures).toEqual([{ arn: 'ledger-api', reason: 'MISSING' }]);
    expect(out.update.name).toBe('ServiceNotFoundException');
    // main's api still runs: only the promoted region's is gone.
    expect(w.ecs.service('main', 'api')?.tasks).toHaveLength(3);
  });

  it('bucket:statements: the promoted region’s bucket answers NoSuchBucket, main’s remains', async () => {
    // Prepare
    const w = world();

    // Act
    applyFaults(w, [parseFault('missing-resource:bucket:statements')]);
    const err = await inSimulation(w, () =>
      rejectionOf(
        new S3Client({ region: DR, ...opts }).send(
          new GetBucketReplicationCommand({ Bucket: 'ledger-statements-usw2' }),
        ),
      ),
    );

    // Assess
    expect(err.name).toBe('NoSuchBucket');
    expect(w.deployed.buckets.buckets.has('ledger-statements-use1')).toBe(true);
  });

  it('in a failback, removes main’s resource (the promoted region)', () => {
    // Prepare
    const w = world('main');

    // Act
    applyFaults(w, [parseFault('missing-resource:service:web')]);

    // Assess
    expect(w.ecs.service('main', 'web')).toBeUndefined();
    expect(w.ecs.service('dr', 'web')).toBeDefined();
  });

  it('without an argument, removes the first database’s cluster', () => {
    // Prepare
    const w = world();

    // Act
    applyFaults(w, [parseFault('missing-resource')]);

    // Assess
    expect(w.rds.database('ledger').clusters.has('dr')).toBe(false);
    expect(w.rds.database('audit').clusters.has('dr')).toBe(true);
  });

  it.each([
    [
      'missing-resource:queue:jobs',
      "--fault missing-resource:queue:jobs: unknown kind 'queue' (valid: database, service, bucket)",
    ],
    ['missing-resource:database', "--fault missing-resource:database: expected database:<name> after ':'"],
    [
      'missing-resource:service:api:2',
      "--fault missing-resource:service:api:2: expected service:<name> after ':'",
    ],
  ])('refuses %s when parsed', (raw, message) => {
    // Act / Assess
    expect(() => parseFault(raw)).toThrow(message);
  });

  it.each([
    [
      'database:orders',
      "--fault missing-resource:database:orders: no database 'orders' in databases (ledger, audit)",
    ],
    ['service:admin', "--fault missing-resource:service:admin: no service 'admin' in services (web, api)"],
    ['bucket:media', "--fault missing-resource:bucket:media: no bucket 'media' in buckets (statements)"],
  ])('refuses %s before synthesis, listing the valid entries', (arg, message) => {
    // Act / Assess
    expect(() => checkFaultEntries(existing, [parseFault(`missing-resource:${arg}`)])).toThrow(message);
  });

  it('is in the usage text with its syntax and the check each kind turns red', () => {
    // Act
    const line = describeFaults().find((l) => l.startsWith('missing-resource'));

    // Assess
    expect(line).toMatch(/^missing-resource\[:<database\|service\|bucket>:<name>\]: /);
    for (const check of Object.values(MISSING_RESOURCE_CHECKS)) expect(line).toContain(check);
    expect(line).toContain('(default database:<the first database>)');
  });
});
