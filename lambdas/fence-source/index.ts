import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { FenceEvent, StepResult } from '../shared/contracts';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { lambdaRuntime, reconcileUntilReady } from '../shared/step-loop';
import { FENCE_SOURCE_ENV } from './env';
import { type FenceSourceClients, fenceSource, readFenceSourceSettings } from './fence-source';

const logger = new Logger({ serviceName: 'pilot-light-fence-source' });

/**
 * The `fence` step (act and check, `lambdas/shared/steps.ts`): after traffic moved, release the old
 * region's traffic claim, record 0 as each service's deployed count there and stop it (unplanned),
 * reset main's claim (failback); READY with a `fence` report and one `resources` entry per service,
 * PENDING and the commands to finish when the old region did not answer in time.
 * Env: {@link FENCE_SOURCE_ENV}, read per invocation. Throws only InvalidInputError (bad env or event).
 */
export async function handler(event: FenceEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readFenceSourceSettings(requireEnv(FENCE_SOURCE_ENV));
    const clients: FenceSourceClients = {
      sourceCloudwatch: clientFor(CloudWatchClient, settings.sourceRegion),
      sourceEcs: clientFor(ECSClient, settings.sourceRegion),
      sourceSsm: clientFor(SSMClient, settings.sourceRegion),
      targetCloudwatch: clientFor(CloudWatchClient, settings.targetRegion),
    };
    return reconcileUntilReady(event, (e) => fenceSource(e, settings, clients), lambdaRuntime(context));
  });
}
