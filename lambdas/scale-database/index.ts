import { Logger } from '@aws-lambda-powertools/logger';
import { RDSClient } from '@aws-sdk/client-rds';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { StepEvent, StepResult } from '../shared/contracts';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { lambdaRuntime, reconcileUntilReady } from '../shared/step-loop';
import { SCALE_DATABASE_ENV } from './env';
import { readScaleDatabaseSettings, scaleDatabase } from './scale-database';

const logger = new Logger({ serviceName: 'pilot-light-scale-database' });

/**
 * The `database` step (act and check, `lambdas/shared/steps.ts`): add instances to each of this
 * region's headless Aurora clusters (`DATABASES`) and report PENDING until every database's are all
 * available, then READY.
 * Env: {@link SCALE_DATABASE_ENV}, read per invocation.
 * Throws the named errors of {@link scaleDatabase}; InvalidInputError for missing or malformed env.
 */
export async function handler(event: StepEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readScaleDatabaseSettings(requireEnv(SCALE_DATABASE_ENV));
    const clients = { rds: clientFor(RDSClient, settings.targetRegion) };
    return reconcileUntilReady(event, (e) => scaleDatabase(e, settings, clients), lambdaRuntime(context));
  });
}
