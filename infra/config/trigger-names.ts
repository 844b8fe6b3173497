import { type RegionNames, servesHttps } from './names';
import { primaryHealthCheckPath } from './resources';
import type { ProjectConfig } from './schema';

/**
 * Deterministic names of the failover alarm path's notifying parts in one region. The alarms that
 * publish to the encrypted topic are named so the topic's key policy can name them without a
 * reference (a reference there would be a cycle); the CLI finds the dead-letter queue by name.
 */
export interface TriggerNames {
  /** "The probe is broken or blind": no heartbeat, or blind runs. Notifies; starts nothing. */
  readonly probeAlarmName: string;
  readonly probeAlarmArn: string;
  /** Where the alarm rule puts an event it could not deliver to the state machine. */
  readonly deadLetterQueueName: string;
  readonly deadLetterQueueArn: string;
  /** In ALARM while the dead-letter queue holds a message: the failover alarm fired, nothing started. */
  readonly deadLetterAlarmName: string;
  readonly deadLetterAlarmArn: string;
  /** CloudWatch dashboard names are global to the account: the region's role is in it. */
  readonly dashboardName: string;
}

/** The names in `own`'s region (`<project>-<role>-…`, like every name of the region). */
export function triggerNames(own: RegionNames): TriggerNames {
  const p = own.stateMachineName.replace(/-failover$/, '');
  return {
    probeAlarmName: `${p}-probe-broken`,
    probeAlarmArn: own.arn('cloudwatch', `alarm:${p}-probe-broken`),
    deadLetterQueueName: `${p}-failover-alarm-dlq`,
    deadLetterQueueArn: own.arn('sqs', `${p}-failover-alarm-dlq`),
    deadLetterAlarmName: `${p}-failover-not-started`,
    deadLetterAlarmArn: own.arn('cloudwatch', `alarm:${p}-failover-not-started`),
    dashboardName: `${p}-failover`,
  };
}

/**
 * What the alarm's probe requests (and an alarm-started run re-checks): `failover.alarm.probeUrl`,
 * else the protected region's ALB through its regional record (not the application's name, which
 * points at the promoted region after a failover) on the health check path of the service it routes to,
 * over HTTPS when the region serves it (pilot-light's listener, or the team's certificate is named),
 * as the application's users reach it.
 */
export function probeUrlOf(config: ProjectConfig, protectedRegion: RegionNames): string {
  return (
    config.failover.alarm.probeUrl ??
    `${servesHttps(protectedRegion) ? 'https' : 'http'}://${protectedRegion.regionalRecordName}${primaryHealthCheckPath(config)}`
  );
}
