import { Logger } from '@aws-lambda-powertools/logger';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { StepEvent, StepResult } from '../shared/contracts';
import { invoke } from '../shared/handler';
import { flipDns, readFlipDnsSettings } from './flip-dns';

const logger = new Logger({ serviceName: 'pilot-light-flip-dns' });

/**
 * Tasks `FlipDns` / `CheckDns`: UPSERT the application's A record as an alias to this region's
 * record, then report PENDING until Route 53 reports the change INSYNC, then READY.
 * Env: HOSTED_ZONE_ID, RECORD_NAME, TARGET_RECORD_NAME (+ region vars).
 * Throws the named errors of {@link flipDns}; InvalidInputError for missing env.
 */
export async function handler(event: StepEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readFlipDnsSettings(process.env);
    // Route 53 is a global service; the SDK resolves its endpoint whatever the region.
    return flipDns(event, settings, { route53: clientFor(Route53Client, settings.targetRegion) });
  });
}
