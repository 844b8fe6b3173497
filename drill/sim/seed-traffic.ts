import { trafficClaimDimensions } from '../../lambdas/shared/traffic-claim';
import type { AlarmState } from './cloudwatch/cloudwatch';
import type { SimService } from './ecs/ecs';
import { SIM_APP_CONTAINER_NAME } from './ecs/task-definitions';
import { TrafficDataPlane } from './route53/health-checks';
import type { World } from './world';

/**
 * What moves traffic, as deployed before the drill: each region's traffic-claim alarm, the three
 * health checks and one failover pair per application hostname (`dns.records`, all on the same
 * checks), and each region's target group with the running tasks registered (healthy).
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

function seedTargetGroup(world: World, svc: SimService): void {
  const n = world.names.regions[svc.role];
  const name = `${world.config.project}-${svc.role}-app`.slice(0, 32);
  world.elb.addGroup({
    arn: n.arn('elasticloadbalancing', `targetgroup/${name}/${world.ids.next(16, '0123456789abcdef')}`),
    name,
    region: n.region,
    role: svc.role,
    containerName: SIM_APP_CONTAINER_NAME,
    containerPort: world.config.app.containerPort,
  });
  for (const task of svc.tasks) {
    if (task.state === 'RUNNING') world.elb.register(svc.role, task.id, instanceFor(world, svc), DEPLOYED_AT);
  }
}

/** The container instance a task runs on: the service's registered instances, in turn. */
function instanceFor(world: World, svc: SimService): string {
  const registered =
    world.autoscaling.groups.get(svc.asgName)?.instances.filter((i) => i.registeredAt !== undefined) ?? [];
  const g = world.elb.ofRole(svc.role);
  const i = registered[(g?.targets.length ?? 0) % Math.max(1, registered.length)];
  return i?.id ?? 'i-0000000000000000';
}

/** Seed alarms, health checks, the hostnames' failover pairs and the target groups; wire tasks to targets. */
export function seedTraffic(world: World): TrafficDataPlane {
  seedAlarms(world);
  const traffic = new TrafficDataPlane(world, world.cloudwatch, {
    main: world.ids.uuid(),
    dr: world.ids.uuid(),
    calculated: world.ids.uuid(),
  });
  // Every hostname hangs on the same health checks: one claim moves them all.
  for (const name of world.names.hostnames) {
    world.route53.addFailoverPair({ name, answer: () => traffic.answer() });
  }
  for (const role of ['main', 'dr'] as const) {
    const svc = world.ecs.ofRole(role);
    if (svc !== undefined) seedTargetGroup(world, svc);
  }
  world.ecs.taskListeners.push((svc, task, running, at) => {
    if (running) world.elb.register(svc.role, task.id, instanceFor(world, svc), at);
    else world.elb.deregister(svc.role, task.id);
  });
  return traffic;
}
