import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient } from '@aws-sdk/client-rds';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { PromoteEvent, StepResult } from '../shared/contracts';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { lambdaRuntime, reconcileUntilReady } from '../shared/step-loop';
import { PROMOTE_DATABASE_ENV } from './env';
import {
  type PromoteDatabaseClients,
  type PromoteDatabaseEntry,
  readPromoteDatabaseSettings,
  reconcilePromotion,
  UNDERWAY_POLL_SECONDS,
} from './promote-database';

const logger = new Logger({ serviceName: 'pilot-light-promote-database' });

/**
 * The `promotion` step (act and check, `lambdas/shared/steps.ts`): switch over (planned) or fail
 * over (unplanned, AllowDataLoss) every global database (`DATABASES`) to this region's cluster;
 * PENDING until each is the writer. Env: {@link PROMOTE_DATABASE_ENV}, read per invocation.
 * Throws the named errors of {@link promoteDatabase}; InvalidInputError for missing or malformed env.
 */
export async function handler(event: PromoteEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readPromoteDatabaseSettings(requireEnv(PROMOTE_DATABASE_ENV));
    const clients: PromoteDatabaseClients = {
      rds: clientFor(RDSClient, settings.targetRegion),
      // The Aurora guide sends a switchover to the primary's region (a failover goes to this one).
      sourceRds: clientFor(RDSClient, settings.sourceRegion),
      autoScaling: clientFor(AutoScalingClient, settings.targetRegion),
      ecs: clientFor(ECSClient, settings.targetRegion),
      elbv2: clientFor(ElasticLoadBalancingV2Client, settings.targetRegion),
    };
    // While AWS runs every pending promotion, read more often: the claim follows the read that sees it done.
    let underway: readonly PromoteDatabaseEntry[] = [];
    const reconcile = async (e: PromoteEvent) => {
      const call = await reconcilePromotion(e, settings, clients, underway);
      underway = call.underway;
      return call.result;
    };
    const poll = () =>
      underway.length > 0 ? Math.min(event.wait.pollSeconds, UNDERWAY_POLL_SECONDS) : event.wait.pollSeconds;
    return reconcileUntilReady(event, reconcile, lambdaRuntime(context), poll);
  });
}
