import { type Env, parseIntVar } from '../shared/env';
import { readServices, SERVICE_FIELDS, type ServiceField, type ServiceOf } from '../shared/resources';
import type { ServiceTarget } from './progress';
import { type SERVICE_TARGET_ENV, SERVICE_TARGET_FIELDS, type ServiceTargetField } from './target-env';

/**
 * Build a {@link ServiceTarget} from values already checked present by `requireEnv` (`raw`), the
 * services parsed from `env`'s `SERVICES` (by default `raw`'s own) with exactly `fields` (default:
 * every field) and {@link SERVICE_TARGET_FIELDS}, which the reader needs.
 *
 * @throws InvalidInputError naming `ASG_MIN_CAPACITY` when it is not an integer >= 1, or `SERVICES`
 * (and the entry and field) when it is not a list of services with those fields
 */
export function serviceTargetSettings<F extends ServiceField = ServiceField>(
  raw: Record<(typeof SERVICE_TARGET_ENV)[number], string>,
  env: Env = raw,
  fields: readonly F[] = SERVICE_FIELDS as readonly ServiceField[] as readonly F[],
): ServiceTarget & { readonly services: readonly ServiceOf<F | ServiceTargetField>[] } {
  return {
    asgName: raw.ASG_NAME,
    asgMinCapacity: parseIntVar('ASG_MIN_CAPACITY', raw.ASG_MIN_CAPACITY, 1),
    ecsCluster: raw.ECS_CLUSTER,
    services: readServices(env, [...new Set<F | ServiceTargetField>([...SERVICE_TARGET_FIELDS, ...fields])]),
  };
}
