import { Logger } from '@aws-lambda-powertools/logger';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { StepEvent, StepResult } from '../shared/contracts';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { lambdaRuntime, reconcileUntilReady } from '../shared/step-loop';
import { FLIP_DNS_ENV } from './env';
import { flipDns, readFlipDnsSettings } from './flip-dns';

const logger = new Logger({ serviceName: 'pilot-light-flip-dns' });

/**
 * The `dns` step (act and check, `lambdas/shared/steps.ts`): UPSERT the application's A record as
 * an alias to this region's record, then report PENDING until Route 53 reports the change INSYNC,
 * then READY. Env: {@link FLIP_DNS_ENV}, read per invocation.
 * Throws the named errors of {@link flipDns}; InvalidInputError for missing env.
 */
export async function handler(event: StepEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readFlipDnsSettings(requireEnv(FLIP_DNS_ENV));
    // Route 53 is a global service; the SDK resolves its endpoint whatever the region.
    const clients = { route53: clientFor(Route53Client, settings.targetRegion) };
    return reconcileUntilReady(event, (e) => flipDns(e, settings, clients), lambdaRuntime(context));
  });
}
