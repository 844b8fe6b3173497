import type { RegionNames } from '../../../infra/config/names';
import { type ProjectConfig, type RegionRole, reservationSpread } from '../../../infra/config/schema';
import { CAPACITY_RESERVATION_TAG } from '../../../lambdas/shared/readiness-contract';
import { stableId } from '../stable-id';

/**
 * EC2 On-Demand Capacity Reservations as the service stack deploys them
 * (`regions.<role>.capacity.reservation`): one per zone holding part of the instances, of the
 * group's first instance type, targeted (only launches that name them, through the launch
 * template's reservation group, use them). A launch of that type in that zone uses one with room
 * before EC2's open capacity, so a shortage there does not touch it.
 */

/** The tag the service stack puts on each reservation: the Auto Scaling group it is for. */
export const CAPACITY_FOR_TAG = CAPACITY_RESERVATION_TAG;

/** A reservation's state (EC2 API reference, CapacityReservation.State). */
export type CapacityReservationState = 'active' | 'expired' | 'cancelled' | 'pending' | 'failed';

/** One On-Demand Capacity Reservation. */
export interface SimCapacityReservation {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly zone: string;
  readonly instanceType: string;
  readonly total: number;
  /** Instances running in it, by id. */
  readonly instances: string[];
  state: CapacityReservationState;
  readonly tags: Readonly<Record<string, string>>;
  /** Simulated seconds. */
  readonly createdAt: number;
}

/** Seconds before the drill the stacks were deployed (as seed.ts). */
const DEPLOYED_AT = -86_400;

/** Every capacity reservation of the account, in both regions. */
export class CapacityReservationModel {
  readonly reservations: SimCapacityReservation[] = [];

  /** Those of `region`, in creation order. */
  inRegion(region: string): SimCapacityReservation[] {
    return this.reservations.filter((r) => r.region === region);
  }

  /**
   * Take one instance's room in an active reservation of `instanceType` in `zone` of `region` for
   * `instanceId`; undefined when none has room.
   */
  claim(
    region: string,
    zone: string,
    instanceType: string,
    instanceId: string,
  ): SimCapacityReservation | undefined {
    const r = this.reservations.find(
      (x) =>
        x.region === region &&
        x.zone === zone &&
        x.instanceType === instanceType &&
        x.state === 'active' &&
        x.instances.length < x.total,
    );
    r?.instances.push(instanceId);
    return r;
  }

  /** Give back the room `instanceId` held (the instance terminated). */
  release(instanceId: string): void {
    for (const r of this.reservations) {
      const i = r.instances.indexOf(instanceId);
      if (i >= 0) r.instances.splice(i, 1);
    }
  }
}

/**
 * Seed `role`'s reservations from `regions.<role>.capacity.reservation` (none without one, and none
 * for the team's group: the schema refuses a reservation with `capacity.existing`).
 */
export function seedReservations(
  model: CapacityReservationModel,
  config: ProjectConfig,
  n: RegionNames,
  role: RegionRole,
): void {
  const capacity = config.regions[role].capacity;
  const wanted = capacity.reservation?.instances;
  if (wanted === undefined || capacity.existing !== undefined) return;
  for (const [zone, total] of reservationSpread(wanted, config.regions[role].availabilityZones)) {
    const id = `cr-0${stableId(`${n.region}|${zone}|${n.asgName}|cr`, 16)}`;
    model.reservations.push({
      id,
      arn: n.arn('ec2', `capacity-reservation/${id}`),
      region: n.region,
      role,
      zone,
      instanceType: capacity.instanceType,
      total,
      instances: [],
      state: 'active',
      tags: { [CAPACITY_FOR_TAG]: n.asgName },
      createdAt: DEPLOYED_AT,
    });
  }
}
