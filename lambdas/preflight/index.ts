import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient } from '@aws-sdk/client-rds';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { PreflightEvent, PreflightResult } from '../shared/contracts';
import { authoritativeAnswers } from '../shared/dns-answers';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { PREFLIGHT_ENV } from './env';
import { preflight } from './preflight';
import { readPreflightSettings } from './settings';

const logger = new Logger({ serviceName: 'pilot-light-preflight' });

/**
 * The `preflight` step (`lambdas/shared/steps.ts`): validate the execution input, enforce single
 * flight and the cool-down, read what is already done, resolve `auto`, and return the status the
 * state machine branches on. Changes nothing. Env: {@link PREFLIGHT_ENV}, read per invocation.
 * Throws the named errors of {@link preflight}.
 */
export async function handler(event: PreflightEvent, context?: Context): Promise<PreflightResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readPreflightSettings(requireEnv(PREFLIGHT_ENV));
    const region = settings.targetRegion;
    return preflight(event, settings, {
      sfn: clientFor(SFNClient, region),
      rds: clientFor(RDSClient, region),
      sourceRds: clientFor(RDSClient, settings.sourceRegion),
      autoScaling: clientFor(AutoScalingClient, region),
      ecs: clientFor(ECSClient, region),
      elbv2: clientFor(ElasticLoadBalancingV2Client, region),
      dns: authoritativeAnswers(settings.zoneName),
    });
  });
}
