import { type Env, parseIntVar } from '../shared/env';
import { readServices } from '../shared/resources';
import type { ServiceTarget } from './progress';
import type { SERVICE_TARGET_ENV } from './target-env';

/**
 * Build a {@link ServiceTarget} from values already checked present by `requireEnv` (`raw`), the
 * services parsed from `env`'s `SERVICES` (by default `raw`'s own).
 *
 * @throws InvalidInputError naming `ASG_MIN_CAPACITY` when it is not an integer >= 1, or `SERVICES`
 * (and the entry and field) when it is not a list of services
 */
export function serviceTargetSettings(
  raw: Record<(typeof SERVICE_TARGET_ENV)[number], string>,
  env: Env = raw,
): ServiceTarget {
  return {
    asgName: raw.ASG_NAME,
    asgMinCapacity: parseIntVar('ASG_MIN_CAPACITY', raw.ASG_MIN_CAPACITY, 1),
    ecsCluster: raw.ECS_CLUSTER,
    services: readServices(env),
  };
}
