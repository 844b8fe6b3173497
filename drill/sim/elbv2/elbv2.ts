import type { RegionRole } from '../../../infra/config/schema';
import type { ModelContext } from '../context';

/**
 * ELB target groups: one per region, behind its ALB. An ECS task that becomes RUNNING registers as
 * a target (its container instance and dynamic host port); it is `initial` until the group's health
 * check has passed (the timing model's `targetHealthySeconds`), then `healthy`. A stopped task
 * deregisters. Health is derived when read; the model schedules nothing.
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
  readonly containerName: string;
  readonly containerPort: number;
  readonly targets: SimTarget[];
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

/** The simulated target groups. */
export class ElbModel {
  /** By target group ARN. */
  readonly groups = new Map<string, SimTargetGroup>();
  readonly healthInterceptors: TargetHealthInterceptor[] = [];
  private nextPort = FIRST_DYNAMIC_PORT;

  constructor(private readonly ctx: ModelContext) {}

  ofRole(role: RegionRole): SimTargetGroup | undefined {
    return [...this.groups.values()].find((g) => g.role === role);
  }

  addGroup(group: Omit<SimTargetGroup, 'targets'>): SimTargetGroup {
    const g: SimTargetGroup = { ...group, targets: [] };
    this.groups.set(g.arn, g);
    return g;
  }

  /** Register `taskId` (running on instance `instanceId`) in `role`'s group at `at`. */
  register(role: RegionRole, taskId: string, instanceId: string, at: number): void {
    const g = this.ofRole(role);
    if (g === undefined || g.targets.some((t) => t.taskId === taskId)) return;
    g.targets.push({ id: instanceId, port: this.nextPort, taskId, registeredAt: at });
    this.nextPort += 1;
  }

  /** Deregister `taskId` from `role`'s group (the task stopped). */
  deregister(role: RegionRole, taskId: string): void {
    const g = this.ofRole(role);
    const i = g?.targets.findIndex((t) => t.taskId === taskId) ?? -1;
    if (g !== undefined && i >= 0) g.targets.splice(i, 1);
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

  /** How many of `role`'s targets are healthy at `t`. */
  healthyCount(role: RegionRole, t: number = this.ctx.clock.now()): number {
    const g = this.ofRole(role);
    return g === undefined ? 0 : g.targets.filter((x) => this.health(g, x, t).state === 'healthy').length;
  }
}
