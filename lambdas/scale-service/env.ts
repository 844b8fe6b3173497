import type { ServiceField } from '../shared/resources';
import { SERVICE_TARGET_ENV, SERVICE_TARGET_FIELDS } from './target-env';

/**
 * The capacity parameter of the shared ASG the service stack deploys from
 * (`infra/constructs/capacity-parameters.ts`), in this region: the step writes its target there
 * before it scales. Empty (set, but `''`) when the capacity (ECS cluster and ASG) is the team's:
 * there is no parameter, its own tool owns the ASG's size. Each service's own parameter is its
 * `desiredCountParameter` in `SERVICES` (absent for a service the team deployed).
 */
export const CAPACITY_RECORD_ENV = ['ASG_MIN_CAPACITY_PARAMETER'] as const;

/**
 * The instance types of the shared ASG in this region, in the order the group prefers them
 * (`capacity.instanceType`, then `capacity.fallbackInstanceTypes`), comma-separated, e.g.
 * `t3.small,t3a.small,t3.medium`. The first is the first choice: instances of another type are
 * reported as launched instead of it. Empty (set, but `''`) when not known (the team's capacity).
 */
export const INSTANCE_TYPES_ENV = ['INSTANCE_TYPES'] as const;

/**
 * The environment variables the scale-service handler reads: infra types the function's
 * environment against this list. It imports only other lists, so infra loads nothing of the handler with it.
 */
export const SCALE_SERVICE_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  ...SERVICE_TARGET_ENV,
  ...CAPACITY_RECORD_ENV,
  ...INSTANCE_TYPES_ENV,
] as const;

/**
 * The fields of each `SERVICES` entry (besides `name`) the step reads: the reader's, and the
 * parameter each service's deployed count is recorded in. Infra writes exactly these.
 */
export const SCALE_SERVICE_SERVICE_FIELDS = [
  ...SERVICE_TARGET_FIELDS,
  'desiredCountParameter',
] as const satisfies readonly ServiceField[];
