import type { RegionRole } from '../../../infra/config/schema';
import type { ModelContext } from '../context';

/**
 * ELB: each region's one load balancer, its listener, and a target group per service behind it
 * (`services[]`: the first service's group is the listener's default, another's is forwarded to by
 * a host-header rule per hostname naming it; a service no hostname names has no group, as in the
 * service stack). An ECS task that becomes RUNNING registers as a target of its service's group (its
 * container instance and dynamic host port); it is `initial` until the group's health check has
 * passed (the timing model's `targetHealthySeconds`), then `healthy`. A stopped task deregisters.
 * Health is derived when read; the model schedules nothing.
 */

/** First dynamic host port ECS hands out on an instance (bridge mode, host port 0). */
const FIRST_DYNAMIC_PORT = 32768;

export type TargetState = 'initial' | 'healthy' | 'unhealthy';

export interface SimTarget {
  /** The container instance's EC2 id. */
  readonly id: string;
  readonly port: number;
  readonly taskId: string;
  readonly registeredAt: number;
}

export interface SimTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly role: RegionRole;
  /** The `services[]` entry whose tasks it holds. */
  readonly service: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly healthCheckPath: string;
  /** Registered now. */
  readonly targets: SimTarget[];
  /** Targets deregistered during the drill, with when: what the group held at any past instant. */
  readonly former: (SimTarget & { readonly deregisteredAt: number })[];
}

/** One region's listener: host-header rules in priority order, then the default group. */
export interface SimListener {
  readonly rules: readonly { readonly hosts: readonly string[]; readonly groupArn: string }[];
  readonly defaultGroupArn?: string;
}

/**
 * A fault over a target's health: return why the target fails the group's health check (it stays
 * `unhealthy`), or undefined to let it pass.
 */
export type TargetHealthInterceptor = (group: SimTargetGroup, target: SimTarget) => string | undefined;

/** A target's health as DescribeTargetHealth reports it. */
export interface TargetHealth {
  readonly state: TargetState;
  readonly reason?: string;
  readonly description?: string;
}

/** The simulated load balancers' listeners and target groups. */
export class ElbModel {
  /** By target group ARN. */
  readonly groups = new Map<string, SimTargetGroup>();
  /** Each region's listener. */
  readonly listeners = new Map<RegionRole, SimListener>();
  readonly healthInterceptors: TargetHealthInterceptor[] = [];
  private nextPort = FIRST_DYNAMIC_PORT;

  constructor(private readonly ctx: ModelContext) {}

  /** The group of `role`'s service of entry `service`, if the service has one. */
  groupOf(role: RegionRole, service: string): SimTargetGroup | undefined {
    return [...this.groups.values()].find((g) => g.role === role && g.service === service);
  }

  addGroup(group: Omit<SimTargetGroup, 'targets' | 'former'>): SimTargetGroup {
    const g: SimTargetGroup = { ...group, targets: [], former: [] };
    this.groups.set(g.arn, g);
    return g;
  }

  /** The group `role`'s load balancer forwards a request for `host` to (its rules, else the default). */
  route(role: RegionRole, host: string): SimTargetGroup | undefined {
    const listener = this.listeners.get(role);
    if (listener === undefined) return undefined;
    const h = host.toLowerCase().replace(/\.$/, '');
    const rule = listener.rules.find((r) => r.hosts.some((x) => x.toLowerCase() === h));
    const arn = rule?.groupArn ?? listener.defaultGroupArn;
    return arn === undefined ? undefined : this.groups.get(arn);
  }

  /** Register `taskId` (running on instance `instanceId`) in `group` at `at`. */
  register(group: SimTargetGroup, taskId: string, instanceId: string, at: number): void {
    if (group.targets.some((t) => t.taskId === taskId)) return;
    group.targets.push({ id: instanceId, port: this.nextPort, taskId, registeredAt: at });
    this.nextPort += 1;
  }

  /** Deregister `taskId` from `group` at `at` (the task stopped). */
  deregister(group: SimTargetGroup, taskId: string, at: number): void {
    const i = group.targets.findIndex((t) => t.taskId === taskId);
    const [gone] = i >= 0 ? group.targets.splice(i, 1) : [];
    if (gone !== undefined) group.former.push({ ...gone, deregisteredAt: at });
  }

  /** `target`'s health at `t`. */
  health(group: SimTargetGroup, target: SimTarget, t: number = this.ctx.clock.now()): TargetHealth {
    if (t < target.registeredAt + this.ctx.timings.targetHealthySeconds) {
      return {
        state: 'initial',
        reason: 'Elb.RegistrationInProgress',
        description: 'Target registration is in progress',
      };
    }
    const failure = this.healthInterceptors.map((f) => f(group, target)).find((f) => f !== undefined);
    if (failure !== undefined) {
      return { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: failure };
    }
    return { state: 'healthy' };
  }

  /** How many of `group`'s targets were registered and healthy at `t` (now by default). */
  healthyCount(group: SimTargetGroup, t: number = this.ctx.clock.now()): number {
    const registered = [...group.targets, ...group.former.filter((x) => x.deregisteredAt > t)].filter(
      (x) => x.registeredAt <= t,
    );
    return registered.filter((x) => this.health(group, x, t).state === 'healthy').length;
  }
}
