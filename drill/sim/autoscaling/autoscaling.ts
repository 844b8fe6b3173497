import type { RegionRole } from '../../../infra/config/schema';
import type { ModelContext } from '../context';

/**
 * EC2 Auto Scaling groups: instances launch toward the desired capacity, go InService, then the
 * ECS agent registers them with the cluster (and only then can tasks be placed on them).
 */

export interface SimAsgInstance {
  readonly id: string;
  readonly az: string;
  readonly instanceType: string;
  state: 'Pending' | 'InService';
  /** When the ECS agent registered it with the cluster (undefined: not yet). */
  registeredAt?: number;
  readonly launchedAt: number;
}

/** One accepted UpdateAutoScalingGroup: kept for the never-scale-in check. */
export interface AsgUpdate {
  readonly at: number;
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  readonly previousMin: number;
  readonly previousDesired: number;
}

/** One region's Auto Scaling group (the ECS capacity provider's). */
export interface SimAsg {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly instanceType: string;
  readonly azs: readonly string[];
  min: number;
  max: number;
  desired: number;
  readonly instances: SimAsgInstance[];
  readonly updates: AsgUpdate[];
}

/** The simulated Auto Scaling state and its launch/registration timeline. */
export class AutoScalingModel {
  /** By group name. */
  readonly groups = new Map<string, SimAsg>();
  private readonly registeredListeners: ((asg: SimAsg) => void)[] = [];

  constructor(private readonly ctx: ModelContext) {}

  /** The group of `role`'s region. */
  ofRole(role: RegionRole): SimAsg | undefined {
    return [...this.groups.values()].find((g) => g.role === role);
  }

  /** Call `listener` whenever one of the group's instances registers with ECS. */
  onInstanceRegistered(listener: (asg: SimAsg) => void): void {
    this.registeredListeners.push(listener);
  }

  /** Apply an accepted UpdateAutoScalingGroup and launch or terminate toward the new desired count. */
  update(asg: SimAsg, next: { readonly min: number; readonly desired: number; readonly max: number }): void {
    asg.updates.push({
      at: this.ctx.clock.now(),
      ...next,
      previousMin: asg.min,
      previousDesired: asg.desired,
    });
    asg.min = next.min;
    asg.max = next.max;
    asg.desired = next.desired;
    this.reconcile(asg);
  }

  /** Launch or terminate instances toward `desired`. */
  private reconcile(asg: SimAsg): void {
    const { clock, timings: t, ids } = this.ctx;
    const now = clock.now();
    while (asg.instances.length < asg.desired) {
      const inst: SimAsgInstance = {
        id: ids.instanceId(),
        az: asg.azs[asg.instances.length % asg.azs.length] ?? `${asg.region}a`,
        instanceType: asg.instanceType,
        state: 'Pending',
        launchedAt: now,
      };
      asg.instances.push(inst);
      const inServiceAt = now + t.asgInstanceLaunchSeconds;
      clock.schedule(
        inServiceAt,
        () => {
          inst.state = 'InService';
          clock.schedule(
            inServiceAt + t.ecsInstanceRegistrationSeconds,
            () => {
              inst.registeredAt = inServiceAt + t.ecsInstanceRegistrationSeconds;
              for (const listener of this.registeredListeners) listener(asg);
            },
            `ECS container instance registration (${asg.name})`,
          );
        },
        `EC2 instance InService (${asg.name})`,
      );
    }
    while (asg.instances.length > asg.desired) asg.instances.pop();
  }
}
