import type { RegionRole } from '../../infra/config/schema';
import type { SimAsg } from './autoscaling/autoscaling';
import type { SimService } from './ecs/ecs';
import { recordKey, type SimRecord } from './route53/route53';
import type { World } from './world';

/**
 * The two regions as deployed before the drill: the source region is the writer, runs its
 * promoted capacity and serves the application record; the region being promoted runs what its
 * stacks deploy (for DR: a headless cluster and no capacity).
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

function seedDatabase(world: World, role: RegionRole): void {
  const { config, names, timings } = world;
  const n = names.regions[role];
  world.rds.clusters.set(role, {
    id: n.dbClusterIdentifier,
    arn: n.dbClusterArn,
    region: n.region,
    role,
    engine: ENGINE,
    engineVersion: config.database.engineVersion,
    resourceId: `cluster-${role.toUpperCase()}${world.ids.next(20)}`,
  });
  // The writer region runs what it was promoted with (its deployed count, at least its promotion count).
  const deployed = config.regions[role].database.instances;
  const count =
    role === world.sourceRole ? Math.max(deployed, config.regions[role].promotion.dbInstances) : deployed;
  for (let i = 0; i < count; i++) {
    const id = n.dbInstanceIdentifier(i);
    world.rds.instances.set(`${n.region}|${id}`, {
      id,
      arn: n.arn('rds', `db:${id}`),
      region: n.region,
      clusterId: n.dbClusterIdentifier,
      instanceClass: config.database.instanceClass,
      engine: ENGINE,
      status: 'available',
      createdAt: DEPLOYED_AT,
      availableAt: DEPLOYED_AT + timings.dbInstanceCreateSeconds,
      seeded: true,
    });
  }
}

function seedAsg(world: World, role: RegionRole): void {
  const { config, names, ids } = world;
  const n = names.regions[role];
  const svc = config.regions[role].service;
  const promo = config.regions[role].promotion;
  const size = role === world.sourceRole ? Math.max(svc.minCapacity, promo.asgMinCapacity) : svc.minCapacity;
  const asg: SimAsg = {
    name: n.asgName,
    arn: n.arn('autoscaling', `autoScalingGroup:${ids.uuid()}:autoScalingGroupName/${n.asgName}`),
    region: n.region,
    role,
    instanceType: svc.instanceType,
    azs: config.regions[role].availabilityZones,
    min: size,
    max: Math.max(svc.maxCapacity, size),
    desired: size,
    instances: [],
    updates: [],
  };
  for (let i = 0; i < size; i++) {
    asg.instances.push({
      id: ids.instanceId(),
      az: asg.azs[i % asg.azs.length] ?? `${n.region}a`,
      instanceType: svc.instanceType,
      state: 'InService',
      registeredAt: DEPLOYED_AT,
      launchedAt: DEPLOYED_AT,
    });
  }
  world.autoscaling.groups.set(asg.name, asg);
}

function seedService(world: World, role: RegionRole): void {
  const { config, names, ids } = world;
  const n = names.regions[role];
  const svc = config.regions[role].service;
  const promo = config.regions[role].promotion;
  const desired =
    role === world.sourceRole ? Math.max(svc.desiredCount, promo.serviceDesiredCount) : svc.desiredCount;
  const service: SimService = {
    cluster: n.ecsClusterName,
    clusterArn: n.arn('ecs', `cluster/${n.ecsClusterName}`),
    name: n.ecsServiceName,
    arn: n.ecsServiceArn,
    region: n.region,
    role,
    asgName: n.asgName,
    desired,
    tasks: [],
    failedTasks: 0,
    deploymentId: `ecs-svc/${ids.next(19, '0123456789')}`,
    deploymentCreatedAt: DEPLOYED_AT,
    updatedAt: DEPLOYED_AT,
    events: [],
    stableSince: DEPLOYED_AT,
    updates: [],
  };
  for (let i = 0; i < desired; i++) {
    service.tasks.push({ id: ids.hex(), state: 'RUNNING', startedAt: DEPLOYED_AT });
  }
  world.ecs.services.set(service.arn, service);
}

/**
 * NS and SOA, a regional record per region (alias to its ALB, named after the first hostname). Each
 * application hostname is a failover pair answered by health checks (seed-traffic.ts), not a record here.
 */
function seedZone(world: World): void {
  const { config, names } = world;
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
    const n = names.regions[role];
    put({
      name: `${n.regionalRecordName}.`,
      type: 'A',
      alias: {
        hostedZoneId: ELB_ZONE[n.region] ?? 'ZELBPLACEHOLDER',
        dnsName: `dualstack.${config.project}-${role}-alb-${world.ids.next(10, '0123456789')}.${n.region}.elb.amazonaws.com.`,
        evaluateTargetHealth: true,
      },
    });
  }
}

/** Fill `world`'s empty models with the deployed state (ids drawn in a fixed order: reproducible). */
export function seedWorld(world: World): void {
  for (const role of ['main', 'dr'] as const) {
    seedDatabase(world, role);
    seedAsg(world, role);
    seedService(world, role);
    world.sfn.stateMachines.add(world.names.regions[role].stateMachineArn);
  }
  seedZone(world);
}
