/**
 * The variables that name a region's service target: the Auto Scaling group and ECS cluster every
 * service shares (with the ASG's promotion size) and the services (`SERVICES`, a JSON list read by
 * `readServices`), read by every function that scales or waits for the services. No imports, so
 * the `env.ts` lists that spread it stay free of handler code.
 */
export const SERVICE_TARGET_ENV = ['ASG_NAME', 'ASG_MIN_CAPACITY', 'ECS_CLUSTER', 'SERVICES'] as const;
