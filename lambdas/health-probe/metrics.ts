/**
 * The metrics the health probe publishes, all in one namespace under the alarm metric's name so the
 * probe's one `cloudwatch:namespace` condition covers them. Infra (alarms, dashboard), the drill and
 * the handler derive the names here; no imports, so infra loads nothing of the handler with it.
 */

/** Average of the failover alarm's metric at or below which a period breaches: half the requests failed. */
export const UNHEALTHY_SHARE = 0.5;

/**
 * 1 per failed request of a run, by `Reason` (dns, timeout, tls, connection, status): why main
 * failed, beside the share the alarm watches.
 */
export function failureMetricName(metricName: string): string {
  return `${metricName}Failure`;
}

/**
 * 1 when a run could not tell (main failed and every control failed too: this region cannot reach
 * the outside), 0 otherwise. A blind run publishes no share, so it can never start a failover.
 */
export function blindMetricName(metricName: string): string {
  return `${metricName}Blind`;
}

/** 1 on every run that published: its absence says the probe itself is broken. */
export function heartbeatMetricName(metricName: string): string {
  return `${metricName}Heartbeat`;
}
