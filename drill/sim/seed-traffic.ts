import type { RegionRole } from '../../infra/config/schema';
import { trafficClaimDimensions } from '../../lambdas/shared/traffic-claim';
import type { AlarmState } from './cloudwatch/cloudwatch';
import type { SimService } from './ecs/ecs';
import { SIM_APP_CONTAINER_NAME } from './ecs/task-definitions';
import type { SimTargetGroup } from './elbv2/elbv2';
import { TrafficDataPlane } from './route53/health-checks';
import type { FailoverMembers } from './route53/route53';
import type { World } from './world';

/**
 * What moves traffic, as deployed before the drill: each region's traffic-claim alarm, the three
 * health checks and one failover pair per application hostname (`dns.records`, all on the same
 * checks; an `attach` hostname's pair is the team's, carrying the same check), and each region's load balancer: its listener's rules and a target group per routed
 * service with the running tasks registered (healthy).
 */

/** Seconds before the drill at which the deployed resources were created (as seed.ts). */
const DEPLOYED_AT = -86_400;

/**
 * The alarms' states before the drill. A fresh deployment has published no claim: both alarms lack
 * data (main's check Unhealthy, DR's healthy) and every hostname answers main. After a failover DR
 * claims (its alarm in ALARM) and main's claim was released (ALARM): every hostname answers DR.
 */
function initialAlarmState(world: World): AlarmState {
  return world.sourceRole === 'main' ? 'INSUFFICIENT_DATA' : 'ALARM';
}

function seedAlarms(world: World): void {
  for (const role of ['main', 'dr'] as const) {
    const n = world.names.regions[role];
    world.cloudwatch.addClaimAlarm(
      role,
      {
        name: n.trafficClaimAlarmName,
        arn: n.trafficClaimAlarmArn,
        region: n.region,
        dimensions: trafficClaimDimensions(world.config.project, role),
      },
      { state: initialAlarmState(world), at: DEPLOYED_AT },
    );
  }
}

/**
 * `svc`'s target group when its region's load balancer routes to it (the first service: the
 * listener's default; another: a hostname names it), its running tasks registered (healthy).
 */
function seedTargetGroup(world: World, svc: SimService, isDefault: boolean): SimTargetGroup | undefined {
  const entry = world.config.services.find((s) => s.name === svc.entry);
  const named = world.config.dns.records.some((r) => r.service === svc.entry);
  if (entry === undefined || (!isDefault && !named)) return undefined;
  const n = world.names.regions[svc.role];
  const name = svc.name.slice(0, 32);
  const group = world.elb.addGroup({
    arn: n.arn('elasticloadbalancing', `targetgroup/${name}/${world.ids.next(16, '0123456789abcdef')}`),
    name,
    region: n.region,
    role: svc.role,
    service: svc.entry,
    containerName: SIM_APP_CONTAINER_NAME,
    containerPort: entry.containerPort,
    healthCheckPath: entry.healthCheckPath,
  });
  for (const task of svc.tasks) {
    if (task.state === 'RUNNING') world.elb.register(group, task.id, task.instanceId, DEPLOYED_AT);
  }
  return group;
}

/**
 * `role`'s load balancer: a target group per routed service, and its listener (service-stack.ts):
 * a host-header rule per hostname naming a service other than the first, in `dns.records` order;
 * the first service's group takes every other request (the regional record's too).
 */
function seedLoadBalancer(world: World, role: RegionRole): void {
  const services = world.ecs.inRegion(role);
  const groups = services.map((svc, i) => seedTargetGroup(world, svc, i === 0));
  const first = services[0];
  const rules = world.config.dns.records.flatMap((record) => {
    const i = services.findIndex((s) => s.entry === record.service);
    const group = groups[i];
    return i > 0 && group !== undefined ? [{ hosts: [record.recordName], groupArn: group.arn }] : [];
  });
  const defaultGroup = first === undefined ? undefined : groups[0];
  world.elb.listeners.set(role, {
    rules,
    ...(defaultGroup === undefined ? {} : { defaultGroupArn: defaultGroup.arn }),
  });
}

/**
 * The team's own failover pair of an `attach` hostname (`dns.records[].existing`): set identifiers
 * of its choosing, each member aliasing its region's load balancer (the team's, when the services
 * are existing; else the regional record pilot-light keeps for it), pilot-light's traffic health
 * check on PRIMARY (readiness-api.ts lists it).
 */
function teamMembers(world: World, recordName: string): FailoverMembers {
  const label = recordName.split('.')[0] ?? recordName;
  const member = (role: RegionRole) => {
    const n = world.names.regions[role];
    const team = world.config.regions[role].capacity.existing?.loadBalancer;
    return {
      setIdentifier: `${label}-${n.region}`,
      aliasDnsName: team?.dnsName ?? n.regionalRecordName,
      aliasZoneId: team?.canonicalHostedZoneId ?? world.config.dns.hostedZoneId,
    };
  };
  return { main: member('main'), dr: member('dr') };
}

/** Seed alarms, health checks, the hostnames' failover pairs and the target groups; wire tasks to targets. */
export function seedTraffic(world: World): TrafficDataPlane {
  seedAlarms(world);
  const traffic = new TrafficDataPlane(world, world.cloudwatch, {
    main: world.ids.uuid(),
    dr: world.ids.uuid(),
    calculated: world.ids.uuid(),
  });
  // Every hostname hangs on the same health checks: one claim moves them all (the team's pairs too).
  for (const record of world.config.dns.records) {
    world.route53.addFailoverPair({
      name: record.recordName,
      answer: () => traffic.answer(),
      ...(record.existing === undefined ? {} : { members: teamMembers(world, record.recordName) }),
    });
  }
  for (const role of ['main', 'dr'] as const) seedLoadBalancer(world, role);
  world.ecs.taskListeners.push((svc, task, running, at) => {
    const group = world.elb.groupOf(svc.role, svc.entry);
    if (group === undefined) return;
    if (running) world.elb.register(group, task.id, task.instanceId, at);
    else world.elb.deregister(group, task.id, at);
  });
  return traffic;
}
