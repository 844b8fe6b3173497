import type { RegionRole } from '../../infra/config/schema';
import { STEPS } from '../../lambdas/shared/steps';
import type { TargetHealthInterceptor } from '../sim/elbv2/elbv2';
import type { Outage } from '../sim/outages';
import type { World } from '../sim/world';
import { type FaultDefinition, optionalEntry } from './args';

/**
 * Faults over what moves traffic and what follows it: the promoted region's targets failing the
 * load balancer's health check, and the old region going dark once the database has moved.
 */

/** `role`'s targets (of every group, or `service`'s) fail the health check: they never become healthy. */
export function failTargetHealth(role: RegionRole, service?: string): TargetHealthInterceptor {
  return (group) =>
    group.role === role && (service === undefined || group.service === service)
      ? 'Health checks failed with these codes: [502]'
      : undefined;
}

/**
 * An outage of the source region from the moment the promotion completes: every global database's
 * first promotion to the target (the databases moved; the old region stops answering right after).
 * Until then it is not down.
 */
export function outageAfterPromotion(world: World): Outage {
  return {
    get from(): number {
      const done = world.rds.databases.map(
        (db) =>
          db.operations().find((o) => o.toRole === world.targetRole && o.completedAt !== undefined)
            ?.completedAt,
      );
      return done.every((t) => t !== undefined) ? Math.max(...done) : Number.POSITIVE_INFINITY;
    },
  };
}

export const TRAFFIC_FAULTS = {
  'targets-unhealthy': {
    summary: `the promoted region's tasks run but its load balancer's targets (of every service, or of the service named, e.g. :api) never pass the health check: ${STEPS.service.label} runs out of budget, traffic stays where it was, the failure is notified`,
    argument: { meaning: 'service', default: 'every service', kind: 'name', entry: 'service' },
    apply(world, _effects, argument) {
      const service = optionalEntry(world, 'targets-unhealthy', 'service', argument);
      world.elb.healthInterceptors.push(failTargetHealth(world.targetRole, service));
    },
  },
  'fence-unreachable': {
    summary: `the source region stops answering right after the promotion completes (every database's): traffic still moves (data plane), the run ends PROMOTED and ${STEPS.fence.label} reports PENDING with the commands that finish fencing`,
    apply(world) {
      // A source region already down (source-region-down) stays down from its own start.
      const region = world.regionOf(world.sourceRole);
      if (!world.outages.regions.has(region)) world.outages.regions.set(region, outageAfterPromotion(world));
    },
  },
} satisfies Record<string, FaultDefinition>;
