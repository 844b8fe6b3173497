import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { RunRecordLink } from '../shared/contracts';
import { type Env, REGION_ENV, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import { RECORD_RUN_ENV } from './env';
import { readHistory } from './history';
import { recordMarkdown } from './markdown';
import { buildRecord, checkEvent } from './record';
import { writeRecord } from './store';

/** What the recorder runs with. */
export interface RecordRunSettings extends RegionSettings {
  /** The region's run-record bucket. */
  readonly bucket: string;
}

/** Read {@link RECORD_RUN_ENV}; throws InvalidInputError naming what is missing or wrong. */
export function readRecordRunSettings(env: Env = process.env): RecordRunSettings {
  const raw = requireEnv(RECORD_RUN_ENV, env);
  return { ...regionSettings(requireEnv(REGION_ENV, env)), bucket: raw.RUN_RECORD_BUCKET };
}

export interface RecordRunClients {
  readonly sfn: SFNClient;
  readonly s3: S3Client;
}

/**
 * Write the record of the run `event` ends: read the execution's history, build the record,
 * write its JSON and Markdown to the run-record bucket, return where they are (`$.runRecord`).
 * Idempotent: a retry writes the same two keys again. Throws InvalidInputError for an event that
 * names no execution, TransientAwsError for throttling and 5xx, and AWS's own named errors
 * (AccessDenied, ExecutionDoesNotExist, NoSuchBucket) for the rest; the definition catches them
 * all and the run ends as it would have, without a link.
 */
export async function recordRun(
  rawEvent: unknown,
  settings: RecordRunSettings,
  clients: RecordRunClients,
  now: () => Date = () => new Date(),
): Promise<RunRecordLink> {
  const event = checkEvent(rawEvent);
  const history = await readHistory(clients.sfn, event.executionArn);
  const record = buildRecord(event, history, settings.targetRegion, now());
  return writeRecord(clients.s3, {
    bucket: settings.bucket,
    region: settings.targetRegion,
    executionArn: event.executionArn,
    startedAt: new Date(record.execution.startedAt),
    executionName: record.execution.name,
    json: `${JSON.stringify(record, null, 2)}\n`,
    markdown: recordMarkdown(record),
  });
}
