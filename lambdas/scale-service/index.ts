import { Logger } from '@aws-lambda-powertools/logger';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { ScaleServiceEvent, StepResult } from '../shared/contracts';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { lambdaRuntime, reconcileUntilReady } from '../shared/step-loop';
import { CAPACITY_RECORD_ENV, INSTANCE_TYPES_ENV, SCALE_SERVICE_ENV } from './env';
import { scaleService } from './scale-service';
import { readScaleServiceSettings } from './settings';

const logger = new Logger({ serviceName: 'pilot-light-scale-service' });

/**
 * The `service` step (act and check, `lambdas/shared/steps.ts`): record the configured capacity in
 * this region's capacity parameters (the shared ASG's and each service's, where pilot-light
 * deploys them), then raise the ASG and every ECS service of `SERVICES` to it (never scaling in)
 * and report PENDING until every service serves (at its `servingShare`), then READY, with one
 * `resources` entry per service and the ASG's capacity shortfall (`capacity`). With `goal: 'full'`
 * (after traffic moved, when the result was `partial`) it waits for every service's whole target
 * count instead, and ends READY when the budget ends.
 * Env: {@link SCALE_SERVICE_ENV}, read per invocation. Throws the named errors of
 * {@link scaleService}; InvalidInputError for missing or malformed env.
 */
export async function handler(event: ScaleServiceEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    // Empty capacity parameter or instance types: the capacity is the team's, nothing to record or compare.
    const settings = readScaleServiceSettings(
      requireEnv(SCALE_SERVICE_ENV, process.env, [...CAPACITY_RECORD_ENV, ...INSTANCE_TYPES_ENV]),
    );
    const region = settings.targetRegion;
    const clients = {
      autoScaling: clientFor(AutoScalingClient, region),
      ecs: clientFor(ECSClient, region),
      elbv2: clientFor(ElasticLoadBalancingV2Client, region),
      ssm: clientFor(SSMClient, region),
    };
    return reconcileUntilReady(event, (e) => scaleService(e, settings, clients), lambdaRuntime(context));
  });
}
