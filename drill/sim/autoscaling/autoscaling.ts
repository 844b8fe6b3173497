import type { RegionRole } from '../../../infra/config/schema';
import type { ZoneRefusal } from '../capacity';
import type { ModelContext } from '../context';
import type { CapacityReservationModel, SimCapacityReservation } from '../ec2/reservations';

/**
 * EC2 Auto Scaling groups: instances launch toward the desired capacity, go InService, then the
 * ECS agent registers them with the cluster (and only then can tasks be placed on them).
 *
 * A launch goes to the zone with the fewest instances (the balanced distribution). In that zone it
 * takes a capacity reservation with room for one of the group's types first, else the first type,
 * in priority order, EC2 has capacity for (the mixed-instances policy's `prioritized` On-Demand
 * allocation). When EC2 refuses every type there, the scaling activity fails and, as
 * `balanced-best-effort` does, the group retries after a delay in the other zones; once every zone
 * refused, it starts over, and keeps retrying until it has its desired capacity.
 */

export interface SimAsgInstance {
  readonly id: string;
  readonly az: string;
  readonly instanceType: string;
  state: 'Pending' | 'InService';
  /** When the ECS agent registered it with the cluster (undefined: not yet). */
  registeredAt?: number;
  readonly launchedAt: number;
  /** When it went InService (undefined: not yet, or seeded InService before the drill). */
  inServiceAt?: number;
  /** The capacity reservation it runs in, if it launched into one. */
  readonly reservationId?: string;
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

/** What started a scaling activity, for its `Cause` (the API words it as AWS does). */
export interface ActivityCause {
  /** The UpdateAutoScalingGroup that changed the desired capacity, if a user request did. */
  readonly update?: AsgUpdate;
  /** The group's capacity before and after this launch. */
  readonly capacityFrom: number;
  readonly capacityTo: number;
}

/** One scaling activity: one instance launch, successful or not (DescribeScalingActivities). */
export interface SimScalingActivity {
  readonly id: string;
  readonly at: number;
  endedAt?: number;
  status: 'InProgress' | 'Successful' | 'Failed';
  readonly zone: string;
  /** The instance launched (a successful or in-progress launch). */
  readonly instanceId?: string;
  /** Why EC2 refused (a failed launch): the type it last tried, and how it refused. */
  readonly refused?: { readonly instanceType: string; readonly refusal: ZoneRefusal };
  readonly cause: ActivityCause;
}

/** One region's Auto Scaling group (the ECS capacity provider's). */
export interface SimAsg {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  /** The first choice (the launch template's instance type). */
  readonly instanceType: string;
  /**
   * Every type it launches, in priority order: `capacityInstanceTypes` of the config. More than one
   * is a mixed-instances policy (its launch template overrides).
   */
  readonly instanceTypes: readonly string[];
  readonly azs: readonly string[];
  min: number;
  max: number;
  desired: number;
  readonly instances: SimAsgInstance[];
  readonly updates: AsgUpdate[];
  /** Every scaling activity, oldest first. */
  readonly activities: SimScalingActivity[];
  /** Zones where a launch failed since the group last had its desired capacity or started over. */
  readonly refusedZones: Set<string>;
  /** When the next launch attempt after a failure is due (undefined: none pending). */
  retryAt?: number;
}

/** The simulated Auto Scaling state and its launch/registration timeline. */
export class AutoScalingModel {
  /** By group name. */
  readonly groups = new Map<string, SimAsg>();
  private readonly registeredListeners: ((asg: SimAsg) => void)[] = [];

  constructor(
    private readonly ctx: ModelContext,
    private readonly reservations: CapacityReservationModel,
  ) {}

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
    const update: AsgUpdate = {
      at: this.ctx.clock.now(),
      ...next,
      previousMin: asg.min,
      previousDesired: asg.desired,
    };
    asg.updates.push(update);
    asg.min = next.min;
    asg.max = next.max;
    asg.desired = next.desired;
    while (asg.instances.length > asg.desired) {
      const gone = asg.instances.pop();
      if (gone !== undefined) this.reservations.release(gone.id);
    }
    this.launch(asg, update);
  }

  /** The zones a launch may go to now, the one with the fewest instances first (config order breaks ties). */
  private zonesToTry(asg: SimAsg): string[] {
    if (asg.azs.every((z) => asg.refusedZones.has(z))) asg.refusedZones.clear();
    const count = (z: string) => asg.instances.filter((i) => i.az === z).length;
    return asg.azs
      .filter((z) => !asg.refusedZones.has(z))
      .map((z, i) => ({ z, i }))
      .sort((a, b) => count(a.z) - count(b.z) || a.i - b.i)
      .map(({ z }) => z);
  }

  /**
   * Launch toward `desired`, one instance (one activity) at a time. A zone that refuses every type
   * fails its activity and the launch moves on to the other zones at once (balanced-best-effort:
   * "if launches fail in an Availability Zone, Auto Scaling attempts to launch in other healthy
   * zones"); only when every zone has refused does the group wait and retry.
   */
  private launch(asg: SimAsg, update?: AsgUpdate): void {
    if (asg.retryAt !== undefined) return;
    while (asg.instances.length < asg.desired) {
      const zone = this.zonesToTry(asg)[0];
      if (zone === undefined) return;
      const cause: ActivityCause = {
        ...(update === undefined ? {} : { update }),
        capacityFrom: asg.instances.length,
        capacityTo: asg.instances.length + 1,
      };
      if (!this.launchIn(asg, zone, cause)) {
        asg.refusedZones.add(zone);
        if (asg.azs.every((z) => asg.refusedZones.has(z))) {
          this.scheduleRetry(asg);
          return;
        }
      }
    }
    asg.refusedZones.clear();
  }

  private scheduleRetry(asg: SimAsg): void {
    const { clock, timings } = this.ctx;
    const at = clock.now() + timings.asgLaunchRetrySeconds;
    asg.retryAt = at;
    clock.schedule(
      at,
      () => {
        asg.retryAt = undefined;
        this.launch(asg);
      },
      `Auto Scaling launch retry (${asg.name})`,
    );
  }

  /**
   * One launch in `zone`: into a reservation with room, else the first type EC2 has capacity for.
   * Records the activity; false when EC2 refused every type.
   */
  private launchIn(asg: SimAsg, zone: string, cause: ActivityCause): boolean {
    const { clock, ids, capacity } = this.ctx;
    const now = clock.now();
    const id = ids.instanceId();
    let reserved: SimCapacityReservation | undefined;
    for (const candidate of asg.instanceTypes) {
      reserved ??= this.reservations.claim(asg.region, zone, candidate, id);
    }
    let type = reserved?.instanceType;
    let refused: SimScalingActivity['refused'];
    for (const candidate of asg.instanceTypes) {
      if (type !== undefined) break;
      const refusal = capacity.refusal({
        service: 'ec2',
        region: asg.region,
        zone,
        instanceType: candidate,
        at: now,
      });
      if (refusal === undefined) type = candidate;
      else refused = { instanceType: candidate, refusal };
    }
    if (type === undefined) {
      asg.activities.push({
        id: ids.uuid(),
        at: now,
        endedAt: now,
        status: 'Failed',
        zone,
        ...(refused === undefined ? {} : { refused }),
        cause,
      });
      return false;
    }
    const inst: SimAsgInstance = {
      id,
      az: zone,
      instanceType: type,
      state: 'Pending',
      launchedAt: now,
      ...(reserved === undefined ? {} : { reservationId: reserved.id }),
    };
    asg.instances.push(inst);
    const activity: SimScalingActivity = {
      id: ids.uuid(),
      at: now,
      status: 'InProgress',
      zone,
      instanceId: id,
      cause,
    };
    asg.activities.push(activity);
    this.bringUp(asg, inst, activity);
    return true;
  }

  /** Pending → InService (the activity succeeds) → registered with the ECS cluster. */
  private bringUp(asg: SimAsg, inst: SimAsgInstance, activity: SimScalingActivity): void {
    const { clock, timings: t } = this.ctx;
    const inServiceAt = inst.launchedAt + t.asgInstanceLaunchSeconds;
    const registeredAt = inServiceAt + t.ecsInstanceRegistrationSeconds;
    clock.schedule(
      inServiceAt,
      () => {
        if (!asg.instances.includes(inst)) return;
        inst.state = 'InService';
        inst.inServiceAt = inServiceAt;
        activity.status = 'Successful';
        activity.endedAt = inServiceAt;
        clock.schedule(
          registeredAt,
          () => {
            if (!asg.instances.includes(inst)) return;
            inst.registeredAt = registeredAt;
            for (const listener of this.registeredListeners) listener(asg);
          },
          `ECS container instance registration (${asg.name})`,
        );
      },
      `EC2 instance InService (${asg.name})`,
    );
  }
}
