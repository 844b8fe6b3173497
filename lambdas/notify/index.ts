import { Logger } from '@aws-lambda-powertools/logger';
import { RDSClient } from '@aws-sdk/client-rds';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { NOTIFY_ENV } from './env';
import { type NotifyResult, notify, readNotifySettings } from './notify';
import type { NotifyEvent } from './run-record';

const logger = new Logger({ serviceName: 'pilot-light-notify' });

/**
 * Publish the run's start, success, failure or no-action notification as readable text.
 * Env: {@link NOTIFY_ENV}, read per invocation. Throws the named errors of {@link notify}.
 */
export async function handler(event: NotifyEvent, context?: Context): Promise<NotifyResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readNotifySettings(requireEnv(NOTIFY_ENV));
    return notify(event, settings, {
      rds: clientFor(RDSClient, settings.targetRegion),
      sns: clientFor(SNSClient, settings.targetRegion),
    });
  });
}
