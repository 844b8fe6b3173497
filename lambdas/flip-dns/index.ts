import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { FlipDnsEvent, StepResult } from '../shared/contracts';
import { authoritativeAnswers } from '../shared/dns-answers';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { lambdaRuntime, reconcileUntilReady } from '../shared/step-loop';
import { FLIP_DNS_ENV } from './env';
import { type FlipDnsClients, flipDns, readFlipDnsSettings } from './flip-dns';

const logger = new Logger({ serviceName: 'pilot-light-flip-dns' });

/**
 * The `dns` step (act and check, `lambdas/shared/steps.ts`): publish this region's traffic claim in
 * this region, then report PENDING until the zone's name servers answer every application hostname
 * with this region's record, then READY. Env: {@link FLIP_DNS_ENV}, read per invocation.
 * Throws the named errors of {@link flipDns}; InvalidInputError for missing or malformed env.
 */
export async function handler(event: FlipDnsEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readFlipDnsSettings(requireEnv(FLIP_DNS_ENV));
    const clients: FlipDnsClients = {
      cloudwatch: clientFor(CloudWatchClient, settings.targetRegion),
      dns: authoritativeAnswers(settings.zoneName),
    };
    return reconcileUntilReady(event, (e) => flipDns(e, settings, clients), lambdaRuntime(context));
  });
}
