import { capacityInstanceTypes, type DatabaseConfig, type RegionRole } from '../../infra/config/schema';
import type { SimAsg } from './autoscaling/autoscaling';
import { seedReservations } from './ec2/reservations';
import type { SimService } from './ecs/ecs';
import type { GlobalDatabase } from './rds/aurora';
import { normalizeName, recordKey, type SimRecord } from './route53/route53';
import type { World } from './world';

/**
 * The two regions as deployed before the drill: the source region writes every global database,
 * runs its promoted capacity and serves the application's hostnames; the region being promoted runs
 * what its stacks deploy (for DR: headless clusters and no capacity).
 */

/** Seconds before the drill at which the deployed resources were created. */
const DEPLOYED_AT = -86_400;
const ENGINE = 'aurora-postgresql';

/** ELB's canonical hosted zone ids, for realistic alias targets. Unknown regions get a placeholder. */
const ELB_ZONE: Readonly<Record<string, string>> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
};

/** Each global database (`databases[]`), written in the source region; its members come per region. */
function seedGlobalDatabases(world: World): void {
  const { config, names } = world;
  for (const [i, db] of config.databases.entries()) {
    const main = names.regions.main.databases[i];
    if (main === undefined) throw new Error(`databases[${i}]: no names derived`);
    world.rds.addDatabase(db.name, {
      id: main.globalClusterIdentifier,
      arn: main.globalClusterArn,
      engine: ENGINE,
      engineVersion: db.engineVersion,
      writerRole: world.sourceRole,
      pendingResync: new Set(),
    });
  }
}

/** `role`'s member cluster of each global database, with the instances it runs. */
function seedClusters(world: World, role: RegionRole): void {
  for (const [i, db] of world.config.databases.entries())
    seedCluster(world, world.rds.database(db.name), db, role, i);
}

function seedCluster(
  world: World,
  global: GlobalDatabase,
  db: DatabaseConfig,
  role: RegionRole,
  index: number,
): void {
  const { names, timings } = world;
  const n = names.regions[role];
  const d = n.databases[index];
  if (d === undefined) throw new Error(`databases[${index}]: no names derived for ${role}`);
  global.clusters.set(role, {
    id: d.dbClusterIdentifier,
    arn: d.dbClusterArn,
    region: n.region,
    role,
    database: db.name,
    engine: ENGINE,
    engineVersion: db.engineVersion,
    resourceId: `cluster-${role.toUpperCase()}${world.ids.next(20)}`,
  });
  // The writer region runs what it was promoted with (its deployed count, at least its promotion count).
  const deployed = db.regions[role].instances;
  const count =
    role === world.sourceRole ? Math.max(deployed, db.regions[role].promotion.instances) : deployed;
  const zones = world.config.regions[role].availabilityZones;
  for (let i = 0; i < count; i++) {
    // The team named its own instances (an existing database): not pilot-light's `<cluster>-<n>`.
    const id = d.existing ? `${d.dbClusterIdentifier}-instance-${i + 1}` : d.dbInstanceIdentifier(i);
    world.rds.instances.set(`${n.region}|${id}`, {
      id,
      arn: n.arn('rds', `db:${id}`),
      region: n.region,
      clusterId: d.dbClusterIdentifier,
      instanceClass: db.instanceClass,
      availabilityZone: zones[i % zones.length] ?? `${n.region}a`,
      engine: ENGINE,
      status: 'available',
      createdAt: DEPLOYED_AT,
      availableAt: DEPLOYED_AT + timings.dbInstanceCreateSeconds,
      seeded: true,
    });
  }
}

/**
 * `role`'s group with its instances spread over the zones, and the reservations the service stack
 * keeps for it: a seeded instance of the reserved type runs in its zone's reservation, as the
 * launch template targets them.
 */
function seedAsg(world: World, role: RegionRole): void {
  const { config, names, ids } = world;
  const n = names.regions[role];
  const capacity = config.regions[role].capacity;
  seedReservations(world.reservations, config, n, role);
  const size =
    role === world.sourceRole
      ? Math.max(capacity.minCapacity, capacity.promotion.minCapacity)
      : capacity.minCapacity;
  const asg: SimAsg = {
    name: n.asgName,
    arn: n.arn('autoscaling', `autoScalingGroup:${ids.uuid()}:autoScalingGroupName/${n.asgName}`),
    region: n.region,
    role,
    instanceType: capacity.instanceType,
    instanceTypes: capacityInstanceTypes(capacity),
    azs: config.regions[role].availabilityZones,
    min: size,
    max: Math.max(capacity.maxCapacity, size),
    desired: size,
    instances: [],
    updates: [],
    activities: [],
    refusedZones: new Set(),
  };
  for (let i = 0; i < size; i++) {
    const id = ids.instanceId();
    const az = asg.azs[i % asg.azs.length] ?? `${n.region}a`;
    const reserved = world.reservations.claim(n.region, az, capacity.instanceType, id);
    asg.instances.push({
      id,
      az,
      instanceType: capacity.instanceType,
      state: 'InService',
      registeredAt: DEPLOYED_AT,
      launchedAt: DEPLOYED_AT,
      ...(reserved === undefined ? {} : { reservationId: reserved.id }),
    });
  }
  world.autoscaling.groups.set(asg.name, asg);
}

/**
 * `role`'s ECS cluster and its capacity provider on the region's group (named after the region's
 * first service, as ecs/api.ts has always reported it).
 */
function seedEcsCluster(world: World, role: RegionRole): void {
  const n = world.names.regions[role];
  const provider = `${n.services[0]?.ecsServiceName ?? n.ecsClusterName}-cp`;
  const cluster = {
    name: n.ecsClusterName,
    arn: n.arn('ecs', `cluster/${n.ecsClusterName}`),
    region: n.region,
    role,
    capacityProvider: {
      name: provider,
      arn: n.arn('ecs', `capacity-provider/${provider}`),
      asgName: n.asgName,
    },
  };
  world.ecs.clusters.set(cluster.arn, cluster);
}

/** Each service (`services[]`) of `role`'s region, its running tasks placed on the group's instances. */
function seedServices(world: World, role: RegionRole): void {
  const { config, names, ids } = world;
  const n = names.regions[role];
  seedEcsCluster(world, role);
  for (const [i, entry] of config.services.entries()) {
    const s = n.services[i];
    if (s === undefined) throw new Error(`services[${i}]: no names derived for ${role}`);
    const counts = entry.regions[role];
    const desired =
      role === world.sourceRole
        ? Math.max(counts.desiredCount, counts.promotion.desiredCount)
        : counts.desiredCount;
    const service: SimService = {
      entry: entry.name,
      cluster: n.ecsClusterName,
      clusterArn: n.arn('ecs', `cluster/${n.ecsClusterName}`),
      name: s.ecsServiceName,
      arn: s.ecsServiceArn,
      region: n.region,
      role,
      asgName: n.asgName,
      cpu: entry.cpu,
      memoryMiB: entry.memoryMiB,
      desired,
      tasks: [],
      provisioning: [],
      failedTasks: 0,
      deploymentId: `ecs-svc/${ids.next(19, '0123456789')}`,
      deploymentCreatedAt: DEPLOYED_AT,
      updatedAt: DEPLOYED_AT,
      events: [],
      stableSince: DEPLOYED_AT,
      updates: [],
    };
    world.ecs.services.set(service.arn, service);
    for (let t = 0; t < desired; t++) {
      // Deployed long ago: the capacity provider had scaled the group to fit every task.
      const instance = world.ecs.placement(service)?.id ?? leastLoaded(world, service);
      service.tasks.push({ id: ids.hex(), state: 'RUNNING', startedAt: DEPLOYED_AT, instanceId: instance });
    }
  }
}

/** The group's instance with the fewest tasks (a seeded task that finds no free room). */
function leastLoaded(world: World, svc: SimService): string {
  const instances = world.autoscaling.groups.get(svc.asgName)?.instances ?? [];
  const load = (id: string) =>
    world.ecs
      .inRegion(svc.role)
      .reduce((sum, s) => sum + s.tasks.filter((t) => t.instanceId === id).length, 0);
  return [...instances].sort((a, b) => load(a.id) - load(b.id))[0]?.id ?? 'i-0000000000000000';
}

/**
 * The alias target of `role`'s regional record: the team's load balancer when the services are
 * existing (`regions.<role>.capacity.existing.loadBalancer`: the DNS stack's record, target health
 * not evaluated), else the service stack's ALB (a DNS name ELB would give it).
 */
export function regionalAliasTarget(world: World, role: RegionRole): NonNullable<SimRecord['alias']> {
  const { config, names } = world;
  const n = names.regions[role];
  const team = config.regions[role].capacity.existing?.loadBalancer;
  if (team !== undefined) {
    return {
      hostedZoneId: team.canonicalHostedZoneId,
      dnsName: `${normalizeName(team.dnsName)}.`,
      evaluateTargetHealth: false,
    };
  }
  return {
    hostedZoneId: ELB_ZONE[n.region] ?? 'ZELBPLACEHOLDER',
    dnsName: `dualstack.${config.project}-${role}-alb-${world.ids.next(10, '0123456789')}.${n.region}.elb.amazonaws.com.`,
    evaluateTargetHealth: true,
  };
}

/**
 * NS and SOA, a regional record per region (alias to its load balancer, named after the first
 * hostname). Each application hostname is a failover pair answered by health checks
 * (seed-traffic.ts), not a record here.
 */
function seedZone(world: World): void {
  const zone = world.route53.zone;
  const put = (r: SimRecord) => zone.records.set(recordKey(r.name, r.type), r);
  put({
    name: zone.name,
    type: 'NS',
    ttl: 172800,
    values: ['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.co.uk.', 'ns-3.awsdns-03.net.', 'ns-4.awsdns-04.com.'],
  });
  put({
    name: zone.name,
    type: 'SOA',
    ttl: 900,
    values: ['ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'],
  });
  for (const role of ['main', 'dr'] as const) {
    put({
      name: `${world.names.regions[role].regionalRecordName}.`,
      type: 'A',
      alias: regionalAliasTarget(world, role),
    });
  }
}

/** Fill `world`'s empty models with the deployed state (ids drawn in a fixed order: reproducible). */
export function seedWorld(world: World): void {
  seedGlobalDatabases(world);
  for (const role of ['main', 'dr'] as const) {
    seedClusters(world, role);
    seedAsg(world, role);
    seedServices(world, role);
    world.sfn.stateMachines.add(world.names.regions[role].stateMachineArn);
  }
  seedZone(world);
}
