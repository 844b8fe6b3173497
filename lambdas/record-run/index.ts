import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { RunRecordLink } from '../shared/contracts';
import { invoke } from '../shared/handler';
import type { RecordRunEvent } from './record';
import { readRecordRunSettings, recordRun } from './record-run';

const logger = new Logger({ serviceName: 'pilot-light-record-run' });

/**
 * Write the run record of the execution that is ending (JSON and Markdown, in the region's
 * run-record bucket) and return its link for the final notice. Env: `RECORD_RUN_ENV`, read per
 * invocation. Throws the named errors of {@link recordRun}.
 */
export async function handler(event: RecordRunEvent, context?: Context): Promise<RunRecordLink> {
  return invoke(logger, context, (event as Partial<RecordRunEvent> | null)?.executionArn, () => {
    const settings = readRecordRunSettings();
    return recordRun(event, settings, {
      sfn: clientFor(SFNClient, settings.targetRegion),
      s3: clientFor(S3Client, settings.targetRegion),
    });
  });
}
