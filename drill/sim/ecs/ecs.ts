import { instanceResources } from '../../../infra/config/instance-types';
import type { RegionRole } from '../../../infra/config/schema';
import type { AutoScalingModel, SimAsgInstance } from '../autoscaling/autoscaling';
import type { ModelContext } from '../context';

/**
 * ECS services on Auto Scaling capacity: every service of a region (`services[]`) places its tasks
 * on the one group's registered container instances, each task on an instance with the CPU and
 * memory it reserves still free (so the services share, and compete for, the instances), spread
 * across zones. A task starts after the modeled task start time; a service is stable when every
 * desired task runs.
 */

export interface SimTask {
  readonly id: string;
  state: 'PENDING' | 'RUNNING';
  readonly startedAt: number;
  /** The container instance (EC2 id) it was placed on. */
  readonly instanceId: string;
}

/**
 * One region's ECS cluster (the service stack's, or the team's: `capacity.existing.ecsCluster`) and
 * its one capacity provider, on the region's Auto Scaling group: what every service's strategy names.
 */
export interface SimEcsCluster {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly capacityProvider: {
    readonly name: string;
    readonly arn: string;
    /** The group it scales and places on. */
    readonly asgName: string;
  };
}

/**
 * A task ECS created but could not place yet: PROVISIONING, waiting for the capacity provider's
 * instances (ECS task lifecycle: "neither the task nor the containers exist" while ECS finds
 * capacity). It is placed when an instance with room registers.
 */
export interface SimProvisioningTask {
  readonly id: string;
  /** Simulated seconds: when ECS created it. */
  readonly since: number;
}

/** One region's ECS service of one `services[]` entry, and its tasks. */
export interface SimService {
  /** The entry's `name` in `services[]`. */
  readonly entry: string;
  readonly cluster: string;
  readonly clusterArn: string;
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly asgName: string;
  /** CPU units and memory each task reserves (its task definition's). */
  readonly cpu: number;
  readonly memoryMiB: number;
  desired: number;
  /** Tasks placed on an instance (PENDING, then RUNNING). */
  readonly tasks: SimTask[];
  /** Tasks waiting in PROVISIONING for an instance to place them on, oldest first. */
  readonly provisioning: SimProvisioningTask[];
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

/** What an instance type this model does not know offers tasks: 2 vCPUs, 90 % of 4 GiB. */
const UNKNOWN_TYPE = { cpu: 2048, memoryMiB: 3686 } as const;
/** DescribeServices keeps a bounded event list. */
const MAX_SERVICE_EVENTS = 100;

/** The simulated ECS state and its placement/start timeline. */
export class EcsModel {
  /** By cluster ARN: one per region. */
  readonly clusters = new Map<string, SimEcsCluster>();
  /** By service ARN, in the order they were added (config order within a region). */
  readonly services = new Map<string, SimService>();
  readonly taskStartInterceptors: TaskStartInterceptor[] = [];
  readonly taskListeners: TaskListener[] = [];

  constructor(
    private readonly ctx: ModelContext,
    private readonly autoscaling: AutoScalingModel,
  ) {
    autoscaling.onInstanceRegistered((asg) => {
      for (const svc of this.services.values()) if (svc.asgName === asg.name) this.reconcile(svc);
    });
  }

  /** The cluster `nameOrArn` names in `region` (ECS's `default` when none is named). */
  cluster(region: string, nameOrArn: string | undefined): SimEcsCluster | undefined {
    const c = nameOrArn ?? 'default';
    return [...this.clusters.values()].find((k) => k.region === region && (k.name === c || k.arn === c));
  }

  /** The services of `role`'s region, in config order. */
  inRegion(role: RegionRole): SimService[] {
    return [...this.services.values()].filter((s) => s.role === role);
  }

  /** `role`'s service of `services[]` entry `entry`. */
  service(role: RegionRole, entry: string): SimService | undefined {
    return this.inRegion(role).find((s) => s.entry === entry);
  }

  /**
   * Remove `role`'s service of entry `entry` and its tasks, as if deleted outside pilot-light (a
   * fault: `missing-resource`); returns the service removed, if there was one.
   */
  remove(role: RegionRole, entry: string): SimService | undefined {
    const svc = this.service(role, entry);
    if (svc === undefined) return undefined;
    this.services.delete(svc.arn);
    const now = this.ctx.clock.now();
    for (const task of svc.tasks.splice(0))
      for (const tell of this.taskListeners) tell(svc, task, false, now);
    return svc;
  }

  /** What an instance of `instanceType` offers tasks (the schema's table: infra/config/instance-types.ts). */
  static capacityOf(instanceType: string): { readonly cpu: number; readonly memoryMiB: number } {
    return instanceResources(instanceType) ?? UNKNOWN_TYPE;
  }

  /**
   * The registered instance of `svc`'s group a new task of `svc` goes on: one with its CPU and
   * memory free, in the zone with the fewest of the service's tasks (the service stack's
   * spread-across-zones strategy), then the instance with the fewest; undefined when none has room.
   */
  placement(svc: SimService): SimAsgInstance | undefined {
    const registered =
      this.autoscaling.groups.get(svc.asgName)?.instances.filter((i) => i.registeredAt !== undefined) ?? [];
    const onInstance = this.tasksByInstance(svc.asgName);
    const fits = registered.filter((i) => {
      const free = EcsModel.capacityOf(i.instanceType);
      const used = (onInstance.get(i.id) ?? []).reduce(
        (sum, { service }) => ({ cpu: sum.cpu + service.cpu, memoryMiB: sum.memoryMiB + service.memoryMiB }),
        { cpu: 0, memoryMiB: 0 },
      );
      return used.cpu + svc.cpu <= free.cpu && used.memoryMiB + svc.memoryMiB <= free.memoryMiB;
    });
    const own = (i: SimAsgInstance) => (onInstance.get(i.id) ?? []).filter((t) => t.service === svc).length;
    const inZone = (az: string) => registered.filter((i) => i.az === az).reduce((sum, i) => sum + own(i), 0);
    return [...fits].sort((a, b) => inZone(a.az) - inZone(b.az) || own(a) - own(b))[0];
  }

  /** Apply an accepted desired-count change and place or stop tasks toward it. */
  setDesired(svc: SimService, desired: number): void {
    const now = this.ctx.clock.now();
    svc.updates.push({ at: now, previousDesired: svc.desired, desired });
    svc.desired = desired;
    svc.updatedAt = now;
    this.reconcile(svc);
  }

  /** Every task on the group's instances, by instance, with its service. */
  private tasksByInstance(asgName: string): Map<string, { readonly service: SimService }[]> {
    const out = new Map<string, { readonly service: SimService }[]>();
    for (const service of this.services.values()) {
      if (service.asgName !== asgName) continue;
      for (const t of service.tasks) out.set(t.instanceId, [...(out.get(t.instanceId) ?? []), { service }]);
    }
    return out;
  }

  /**
   * Place or stop tasks toward the service's desired count, within the instances' free room: a task
   * that finds no room waits in PROVISIONING (the oldest is placed first once an instance registers).
   */
  private reconcile(svc: SimService): void {
    const { clock, timings, ids } = this.ctx;
    const now = clock.now();
    // Scaling in drops waiting tasks before running ones.
    while (svc.tasks.length + svc.provisioning.length > svc.desired && svc.provisioning.length > 0) {
      svc.provisioning.pop();
    }
    while (svc.tasks.length > svc.desired) {
      const stopped = svc.tasks.pop();
      if (stopped !== undefined) for (const tell of this.taskListeners) tell(svc, stopped, false, now);
    }
    let placed = false;
    while (svc.tasks.length < svc.desired) {
      const instance = this.placement(svc);
      if (instance === undefined) break;
      const id = svc.provisioning.shift()?.id ?? ids.hex();
      const task: SimTask = { id, state: 'PENDING', startedAt: now, instanceId: instance.id };
      svc.tasks.push(task);
      placed = true;
      const at = now + timings.taskStartSeconds;
      clock.schedule(at, () => this.start(svc, task, at), `ECS task start (${svc.name})`);
    }
    while (svc.tasks.length + svc.provisioning.length < svc.desired) {
      svc.provisioning.push({ id: ids.hex(), since: now });
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
