/**
 * The traffic claim: how a region's state machine moves traffic through Route 53's data plane.
 *
 * Each region's state machine publishes one standard-resolution metric in its own region,
 * `PilotLight/TrafficClaim` with dimensions `Project` and `Role`: 1 = "this region takes traffic",
 * 0 = released. One alarm per region reads it (period 60 s, 1 of 1, `treatMissingData: ignore`, so
 * the last value holds), and one Route 53 health check per alarm reads the alarm. Each application
 * hostname is a failover pair on the same health checks, so all move together: PRIMARY → main (its
 * health check is calculated: healthy while the DR alarm says "DR does not claim" OR the main alarm
 * says "main claims"), SECONDARY → DR (no health check). So:
 *
 * - failover: DR publishes 1 in DR → PRIMARY unhealthy → every hostname answers DR; no call to main
 *   or to us-east-1 (Route 53's control plane);
 * - failback: main publishes 1 in main → PRIMARY healthy → every hostname answers main; then, best
 *   effort, DR's claim is released and main's reset to 0 (the resting state);
 * - an unhealthy ALB moves nothing: the aliases do not evaluate target health.
 *
 * Names live in `infra/config/names.ts` (`trafficClaimAlarmName`); this module holds the metric and
 * the alarm semantics both the Lambdas and infra build from.
 */

/** The two region roles (as in the config; repeated here so Lambdas load no infra code). */
export type ClaimRole = 'main' | 'dr';

export const TRAFFIC_CLAIM_NAMESPACE = 'PilotLight';
export const TRAFFIC_CLAIM_METRIC = 'TrafficClaim';
/** Standard resolution: Route 53 health checks support no high-resolution alarm. */
export const TRAFFIC_CLAIM_PERIOD_SECONDS = 60;

/** The metric's dimensions for `project`'s `role`. */
export function trafficClaimDimensions(project: string, role: ClaimRole): { Name: string; Value: string }[] {
  return [
    { Name: 'Project', Value: project },
    { Name: 'Role', Value: role },
  ];
}

/**
 * How each region's alarm reads the claim. A Route 53 health check on an alarm is healthy while the
 * alarm is OK, so each alarm is in ALARM exactly when its child health check must be unhealthy:
 *
 * - main: ALARM while main does *not* claim (< 1). Child "main claims". No data (never published, or
 *   main's CloudWatch unreachable in a main outage) → Unhealthy: main does not hold traffic.
 * - dr: ALARM while DR claims (≥ 1). Child "DR stands by". No data → last known status (healthy
 *   when new): DR does not take traffic because its CloudWatch went quiet.
 */
export const CLAIM_ALARM = {
  main: {
    comparisonOperator: 'LessThanThreshold',
    insufficientDataHealthStatus: 'Unhealthy',
    healthyMeans: 'main claims traffic',
  },
  dr: {
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    insufficientDataHealthStatus: 'LastKnownStatus',
    healthyMeans: 'DR stands by',
  },
} as const satisfies Record<
  ClaimRole,
  {
    comparisonOperator: 'LessThanThreshold' | 'GreaterThanOrEqualToThreshold';
    insufficientDataHealthStatus: 'Unhealthy' | 'LastKnownStatus';
    healthyMeans: string;
  }
>;

/** The alarm's threshold: a claim is 1, a release 0. */
export const TRAFFIC_CLAIM_THRESHOLD = 1;

/**
 * Whether `role`'s alarm state says the region claims traffic (OK/ALARM as CloudWatch reports it;
 * undefined while the alarm has no data).
 */
export function claimOfAlarmState(role: ClaimRole, state: string | undefined): boolean | undefined {
  if (state !== 'OK' && state !== 'ALARM') return undefined;
  return role === 'main' ? state === 'OK' : state === 'ALARM';
}

/** The role on the other side of a failover. */
export function otherRole(role: ClaimRole): ClaimRole {
  return role === 'main' ? 'dr' : 'main';
}

/**
 * The AWS CLI command that publishes `value` as `project`'s `role` claim in `region`: what an
 * operator runs when a step could not reach the region itself.
 */
export function claimCommand(region: string, project: string, role: ClaimRole, value: 0 | 1): string {
  const dimensions = trafficClaimDimensions(project, role)
    .map((d) => `${d.Name}=${d.Value}`)
    .join(',');
  return (
    `aws cloudwatch put-metric-data --region ${region} --namespace ${TRAFFIC_CLAIM_NAMESPACE} ` +
    `--metric-name ${TRAFFIC_CLAIM_METRIC} --dimensions ${dimensions} --value ${value} --unit Count`
  );
}
