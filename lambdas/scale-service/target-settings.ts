import { parseIntVar } from '../shared/env';
import type { ServiceTarget } from './progress';
import type { SERVICE_TARGET_ENV } from './target-env';

/**
 * Build a {@link ServiceTarget} from values already checked present by `requireEnv`; throws
 * InvalidInputError naming a count that is not an integer >= 1.
 */
export function serviceTargetSettings(
  raw: Record<(typeof SERVICE_TARGET_ENV)[number], string>,
): ServiceTarget {
  return {
    asgName: raw.ASG_NAME,
    asgMinCapacity: parseIntVar('ASG_MIN_CAPACITY', raw.ASG_MIN_CAPACITY, 1),
    ecsCluster: raw.ECS_CLUSTER,
    ecsService: raw.ECS_SERVICE,
    serviceDesiredCount: parseIntVar('SERVICE_DESIRED_COUNT', raw.SERVICE_DESIRED_COUNT, 1),
  };
}
