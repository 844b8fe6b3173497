import type { ServiceField } from '../shared/resources';

/**
 * The variables that name a region's service target: the Auto Scaling group and ECS cluster every
 * service shares (with the ASG's promotion size) and the services (`SERVICES`, a JSON list read by
 * `readServices`), read by every function that scales or waits for the services. Type-only
 * imports, so the `env.ts` lists that spread it stay free of handler code.
 */
export const SERVICE_TARGET_ENV = ['ASG_NAME', 'ASG_MIN_CAPACITY', 'ECS_CLUSTER', 'SERVICES'] as const;

/**
 * The fields of each `SERVICES` entry (besides `name`) the service reader (`readServiceProgress`)
 * reads: a function that only waits for the services needs no more of them in its environment.
 * `servingShare` is optional (absent: every task must serve).
 */
export const SERVICE_TARGET_FIELDS = [
  'ecsService',
  'desiredCount',
  'servingShare',
] as const satisfies readonly ServiceField[];

/** A field {@link SERVICE_TARGET_FIELDS} lists. */
export type ServiceTargetField = (typeof SERVICE_TARGET_FIELDS)[number];
