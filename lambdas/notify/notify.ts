import type { RDSClient } from '@aws-sdk/client-rds';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type Env, REGION_ENV, regionSettings, requireEnv } from '../shared/env';
import { InvalidInputError, rethrow } from '../shared/errors';
import { type DatabaseOf, readDatabases } from '../shared/resources';
import { NOTIFY_DATABASE_FIELDS, NOTIFY_ENV } from './env';
import { readWriterRegions } from './live-state';
import { composeNotice } from './notice';
import { NOTICE_KINDS, type NotifyEvent, runFacts } from './run-record';
import type { NoticeSettings } from './settings';

export interface NotifySettings extends NoticeSettings {
  readonly topicArn: string;
  /** Every database: where each global cluster's writer is, read live. */
  readonly databases: readonly DatabaseOf<'globalClusterId'>[];
}

export interface NotifyClients {
  /** RDS in this region: where each writer is, read live. */
  readonly rds: RDSClient;
  readonly sns: SNSClient;
}

export interface NotifyResult {
  readonly messageId: string;
  readonly subject: string;
}

const KINDS: readonly NotifyEvent['kind'][] = NOTICE_KINDS;

/**
 * Read the notify settings.
 *
 * @throws InvalidInputError naming missing variables, or `DATABASES` (and the entry and field) when malformed
 */
export function readNotifySettings(env: Env): NotifySettings {
  const raw = requireEnv(NOTIFY_ENV, env);
  return {
    ...regionSettings(requireEnv(REGION_ENV, env)),
    project: raw.PROJECT,
    configName: raw.CONFIG_NAME,
    stateMachineArn: raw.STATE_MACHINE_ARN,
    topicArn: raw.TOPIC_ARN,
    databases: readDatabases(env, NOTIFY_DATABASE_FIELDS),
  };
}

/**
 * Publish a notification a person can act on at 3 a.m.: a subject naming the project, the region
 * and the outcome; a readable body (what happened, where each database's writer and the traffic are
 * now, the one command that finishes a half-done failover, per-step results with a line per
 * resource); the outcome again as message attributes. The writers are read live (bounded; the
 * notice goes out without them).
 *
 * @throws InvalidInputError the event's `kind` is unknown
 * @throws TransientAwsError SNS throttled or failed (the state machine retries, then publishes the raw state)
 */
export async function notify(
  event: NotifyEvent,
  settings: NotifySettings,
  clients: NotifyClients,
): Promise<NotifyResult> {
  if (!KINDS.includes(event.kind)) {
    throw new InvalidInputError(
      `notify: kind: expected one of ${KINDS.join(', ')}, got '${String(event.kind)}'`,
    );
  }
  const facts = runFacts(event);
  const writers = await readWriterRegions(clients.rds, settings.databases);
  const notice = composeNotice(event, settings, facts, writers);
  try {
    const out = await clients.sns.send(
      new PublishCommand({
        TopicArn: settings.topicArn,
        Subject: notice.subject,
        Message: notice.message,
        MessageAttributes: Object.fromEntries(
          Object.entries(notice.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
        ),
      }),
    );
    return { messageId: out.MessageId ?? '', subject: notice.subject };
  } catch (err: unknown) {
    rethrow(err, 'Publish');
  }
}
