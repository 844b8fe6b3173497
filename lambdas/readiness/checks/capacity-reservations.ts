import { type CapacityReservation, DescribeCapacityReservationsCommand } from '@aws-sdk/client-ec2';
import { CAPACITY_RESERVATION_TAG } from '../../shared/readiness-contract';
import type { RegionCheckSpec } from '../check-spec';
import { outcomeOf, part, pass, read } from '../outcome';
import type { ReadinessReads } from '../reads';
import type { ReadinessSettings } from '../settings';

/** Pages read at most (DescribeCapacityReservations returns up to 1000 each). */
const MAX_PAGES = 10;

async function reservationsOf(s: ReadinessSettings, reads: ReadinessReads): Promise<CapacityReservation[]> {
  const found: CapacityReservation[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await read('ec2:DescribeCapacityReservations', () =>
      reads.clients.ec2.send(
        new DescribeCapacityReservationsCommand({
          Filters: [{ Name: `tag:${CAPACITY_RESERVATION_TAG}`, Values: [s.asgName] }],
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
    found.push(...(out.CapacityReservations ?? []));
    token = out.NextToken;
    if (token === undefined || token === '') break;
  }
  return found;
}

const label = (r: CapacityReservation): string =>
  `${r.CapacityReservationId ?? '?'} (${r.TotalInstanceCount ?? 0} × ${r.InstanceType ?? '?'} in ${r.AvailabilityZone ?? '?'})`;

/**
 * `capacity-reservations`: the On-Demand Capacity Reservations kept for the promotion
 * (`regions.<role>.capacity.reservation`) exist, are `active`, and hold the configured number of
 * instances. A reservation that expired, was cancelled or failed holds nothing: the promotion then
 * launches on whatever EC2 has, as a headless region does. PASS with nothing to read when none is
 * configured (the headless default).
 */
export const capacityReservationsCheck: RegionCheckSpec = {
  id: 'capacity-reservations',
  scope: 'region',
  what: (s) =>
    s.promotion.reservedInstances === 0
      ? `no capacity reservation configured (regions.${s.targetRole}.capacity.reservation): a promotion launches on whatever EC2 has`
      : `${s.promotion.reservedInstances} instance(s) reserved for ASG ${s.asgName}, every reservation active`,
  run: async (s, reads) => {
    const what = capacityReservationsCheck.what(s);
    const want = s.promotion.reservedInstances;
    if (want === 0) return pass('capacity-reservations', what);
    const fix =
      `deploy this region's service stack (it creates the reservations of regions.${s.targetRole}.capacity.reservation); ` +
      `aws ec2 describe-capacity-reservations --filters Name=tag:${CAPACITY_RESERVATION_TAG},Values=${s.asgName} --region ${s.targetRegion}`;
    const p = await part(async () => {
      const all = await reservationsOf(s, reads);
      const inactive = all.filter((r) => r.State !== 'active');
      const held = all
        .filter((r) => r.State === 'active')
        .reduce((sum, r) => sum + (r.TotalInstanceCount ?? 0), 0);
      const why = [
        ...inactive.map((r) => `${label(r)} is ${r.State ?? 'in an unknown state'}`),
        ...(held < want ? [`${held} of ${want} instance(s) held by active reservations`] : []),
      ];
      return why.length === 0
        ? { status: 'PASS' as const }
        : { status: 'FAIL' as const, why: why.join('; '), fix };
    });
    return outcomeOf('capacity-reservations', what, p);
  },
};
