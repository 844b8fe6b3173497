import type { CapacityReservation, DescribeCapacityReservationsCommandInput } from '@aws-sdk/client-ec2';
import type { SimApi } from '../api';
import type { World } from '../world';
import { ec2Error, page, paged } from './api';
import type { SimCapacityReservation } from './reservations';

/**
 * DescribeCapacityReservations: the region's On-Demand Capacity Reservations, by id or filtered by
 * tag, state, instance type or zone (what the readiness check `capacity-reservations` asks).
 */

const CR_ID = /^cr-[0-9a-f]{8,17}$/;

/** The filters answered here; EC2 refuses a name it does not know. */
const FILTERS: Readonly<Record<string, (r: SimCapacityReservation) => string | undefined>> = {
  state: (r) => r.state,
  'instance-type': (r) => r.instanceType,
  'availability-zone': (r) => r.zone,
  'instance-platform': () => 'Linux/UNIX',
  tenancy: () => 'default',
  'instance-match-criteria': () => 'targeted',
  'end-date-type': () => 'unlimited',
};

function matches(r: SimCapacityReservation, name: string, values: readonly string[]): boolean {
  if (name.startsWith('tag:')) {
    const value = r.tags[name.slice('tag:'.length)];
    return value !== undefined && values.includes(value);
  }
  if (name === 'tag-key') return Object.keys(r.tags).some((k) => values.includes(k));
  const field = FILTERS[name];
  if (field === undefined) throw ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`);
  return values.includes(field(r) ?? '');
}

function describeReservation(world: World, r: SimCapacityReservation): CapacityReservation {
  return {
    CapacityReservationId: r.id,
    CapacityReservationArn: r.arn,
    OwnerId: world.config.regions[r.role].account,
    InstanceType: r.instanceType,
    InstancePlatform: 'Linux/UNIX',
    AvailabilityZone: r.zone,
    Tenancy: 'default',
    TotalInstanceCount: r.total,
    AvailableInstanceCount: r.state === 'active' ? r.total - r.instances.length : 0,
    EbsOptimized: false,
    EphemeralStorage: false,
    State: r.state,
    EndDateType: 'unlimited',
    InstanceMatchCriteria: 'targeted',
    CreateDate: world.clock.dateAt(r.createdAt),
    Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
  };
}

export const ec2ReservationsApi: SimApi = {
  DescribeCapacityReservations: (raw, world, region) => {
    const input = raw as DescribeCapacityReservationsCommandInput;
    const p = page(input.NextToken, input.MaxResults, { min: 1, max: 1000, default: 1000 });
    const ids = input.CapacityReservationIds;
    for (const id of ids ?? []) {
      if (!CR_ID.test(id)) {
        throw ec2Error('InvalidCapacityReservationId.Malformed', `Invalid id: "${id}" (expecting "cr-...")`);
      }
    }
    const inRegion = world.reservations.inRegion(region);
    const missing = (ids ?? []).filter((id) => !inRegion.some((r) => r.id === id));
    if (missing.length > 0) {
      throw ec2Error(
        'InvalidCapacityReservationId.NotFound',
        `The capacity reservation ID '${missing.join(', ')}' does not exist`,
      );
    }
    const selected = inRegion.filter(
      (r) =>
        (ids === undefined || ids.length === 0 || ids.includes(r.id)) &&
        (input.Filters ?? []).every((f) => matches(r, f.Name ?? '', f.Values ?? [])),
    );
    const { slice, ...next } = paged(selected, p);
    return { CapacityReservations: slice.map((r) => describeReservation(world, r)), ...next };
  },
};
