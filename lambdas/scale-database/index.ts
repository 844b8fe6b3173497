import { Logger } from '@aws-lambda-powertools/logger';
import { RDSClient } from '@aws-sdk/client-rds';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { StepEvent, StepResult } from '../shared/contracts';
import { invoke } from '../shared/handler';
import { readScaleDatabaseSettings, scaleDatabase } from './scale-database';

const logger = new Logger({ serviceName: 'pilot-light-scale-database' });

/**
 * Tasks `AddDatabaseInstances` / `CheckDatabaseInstances`: add instances to this region's headless
 * Aurora cluster and report PENDING until they are all available, then READY.
 * Env: TARGET_CLUSTER_ID, DB_INSTANCE_COUNT, DB_INSTANCE_CLASS (+ TARGET_ROLE/REGION, SOURCE_REGION).
 * Throws the named errors of {@link scaleDatabase}; InvalidInputError for missing env.
 */
export async function handler(event: StepEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readScaleDatabaseSettings(process.env);
    return scaleDatabase(event, settings, { rds: clientFor(RDSClient, settings.targetRegion) });
  });
}
