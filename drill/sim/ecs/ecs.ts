import type { ProjectConfig, RegionRole } from '../../../infra/config/schema';
import type { AutoScalingModel } from '../autoscaling/autoscaling';
import type { ModelContext } from '../context';

/**
 * ECS services on Auto Scaling capacity: tasks are placed only on registered instances with room
 * for them, start after the modeled task start time, and the service is stable when every
 * desired task runs.
 */

export interface SimTask {
  readonly id: string;
  state: 'PENDING' | 'RUNNING';
  readonly startedAt: number;
}

/** One region's ECS service and its tasks. */
export interface SimService {
  readonly cluster: string;
  readonly clusterArn: string;
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly asgName: string;
  desired: number;
  readonly tasks: SimTask[];
  failedTasks: number;
  readonly deploymentId: string;
  readonly deploymentCreatedAt: number;
  updatedAt: number;
  /** Newest first, like DescribeServices. */
  readonly events: { id: string; at: number; message: string }[];
  /** When running == desired was last reached (undefined while not stable). */
  stableSince?: number;
  /** Every desired-count change: for the never-scale-in check. */
  readonly updates: { at: number; previousDesired: number; desired: number }[];
}

/**
 * A fault over a task's start: return why the task fails its container health checks (it is
 * stopped and replaced), or undefined to let it run.
 */
export type TaskStartInterceptor = (service: SimService, task: SimTask) => string | undefined;

/** Told when a task starts running (`running`) or is stopped (not): the load balancer listens. */
export type TaskListener = (svc: SimService, task: SimTask, running: boolean, at: number) => void;

/** vCPU and MiB of memory of common ECS instance types; others count as 2 vCPU / 4 GiB. */
const INSTANCE_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  't3.micro': [2, 1024],
  't3.small': [2, 2048],
  't3.medium': [2, 4096],
  't3.large': [2, 8192],
  't3.xlarge': [4, 16384],
  'm5.large': [2, 8192],
  'm5.xlarge': [4, 16384],
  'm6g.large': [2, 8192],
  'c5.large': [2, 4096],
};

/** Memory the ECS agent and OS keep back from what an instance registers. */
const RESERVED_MEMORY_MIB = 256;
/** DescribeServices keeps a bounded event list. */
const MAX_SERVICE_EVENTS = 100;

/** The simulated ECS state and its placement/start timeline. */
export class EcsModel {
  /** By service ARN. */
  readonly services = new Map<string, SimService>();
  readonly taskStartInterceptors: TaskStartInterceptor[] = [];
  readonly taskListeners: TaskListener[] = [];

  constructor(
    private readonly ctx: ModelContext,
    private readonly app: ProjectConfig['app'],
    private readonly autoscaling: AutoScalingModel,
  ) {
    autoscaling.onInstanceRegistered((asg) => {
      for (const svc of this.services.values()) if (svc.asgName === asg.name) this.reconcile(svc);
    });
  }

  /** The service of `role`'s region. */
  ofRole(role: RegionRole): SimService | undefined {
    return [...this.services.values()].find((s) => s.role === role);
  }

  /** Tasks one registered container instance of `instanceType` can hold for this app. */
  slotsPerInstance(instanceType: string): number {
    const [vcpu, mem] = INSTANCE_SIZES[instanceType] ?? [2, 4096];
    const byCpu = Math.floor((vcpu * 1024) / this.app.cpu);
    const byMemory = Math.floor((mem - RESERVED_MEMORY_MIB) / this.app.memoryMiB);
    return Math.max(0, Math.min(byCpu, byMemory));
  }

  /** Apply an accepted desired-count change and place or stop tasks toward it. */
  setDesired(svc: SimService, desired: number): void {
    const now = this.ctx.clock.now();
    svc.updates.push({ at: now, previousDesired: svc.desired, desired });
    svc.desired = desired;
    svc.updatedAt = now;
    this.reconcile(svc);
  }

  /** Place or stop tasks toward the service's desired count, within registered capacity. */
  private reconcile(svc: SimService): void {
    const { clock, timings, ids } = this.ctx;
    const now = clock.now();
    const registered = this.autoscaling.groups
      .get(svc.asgName)
      ?.instances.filter((i) => i.registeredAt !== undefined);
    const capacity = (registered ?? []).reduce((sum, i) => sum + this.slotsPerInstance(i.instanceType), 0);
    while (svc.tasks.length > svc.desired) {
      const stopped = svc.tasks.pop();
      if (stopped !== undefined) for (const tell of this.taskListeners) tell(svc, stopped, false, now);
    }
    let placed = false;
    while (svc.tasks.length < Math.min(svc.desired, capacity)) {
      const task: SimTask = { id: ids.hex(), state: 'PENDING', startedAt: now };
      svc.tasks.push(task);
      placed = true;
      const at = now + timings.taskStartSeconds;
      clock.schedule(at, () => this.start(svc, task, at), `ECS task start (${svc.name})`);
    }
    if (svc.tasks.length < svc.desired && !placed) {
      this.event(
        svc,
        now,
        `(service ${svc.name}) was unable to place a task because no container instance met all of its requirements.`,
      );
    }
    this.updateStable(svc, now);
  }

  private start(svc: SimService, task: SimTask, at: number): void {
    if (!svc.tasks.includes(task)) return;
    const failure = this.taskStartInterceptors
      .map((intercept) => intercept(svc, task))
      .find((f) => f !== undefined);
    if (failure !== undefined) {
      // It starts, fails its health checks and is stopped; the scheduler places a replacement.
      svc.tasks.splice(svc.tasks.indexOf(task), 1);
      svc.failedTasks += 1;
      this.event(svc, at, `(service ${svc.name}) (task ${task.id}) ${failure}.`);
      this.reconcile(svc);
      return;
    }
    task.state = 'RUNNING';
    for (const tell of this.taskListeners) tell(svc, task, true, at);
    this.updateStable(svc, at);
  }

  private updateStable(svc: SimService, at: number): void {
    const running = svc.tasks.filter((t) => t.state === 'RUNNING').length;
    const stable = running === svc.desired && svc.tasks.length === svc.desired;
    if (stable && svc.stableSince === undefined) {
      svc.stableSince = at;
      this.event(svc, at, `(service ${svc.name}) has reached a steady state.`);
    } else if (!stable) {
      svc.stableSince = undefined;
    }
  }

  private event(svc: SimService, at: number, message: string): void {
    if (svc.events[0]?.message === message) return;
    svc.events.unshift({ id: this.ctx.ids.uuid(), at, message });
    if (svc.events.length > MAX_SERVICE_EVENTS) svc.events.pop();
  }
}
