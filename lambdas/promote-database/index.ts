import { Logger } from '@aws-lambda-powertools/logger';
import { RDSClient } from '@aws-sdk/client-rds';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { PromoteEvent, StepResult } from '../shared/contracts';
import { invoke } from '../shared/handler';
import { promoteDatabase, readPromoteDatabaseSettings } from './promote-database';

const logger = new Logger({ serviceName: 'pilot-light-promote-database' });

/**
 * Tasks `PromoteDatabase` / `CheckPromotion`: switch over (planned) or fail over (unplanned,
 * AllowDataLoss) the global database to this region's cluster; PENDING until it is the writer.
 * Env: GLOBAL_CLUSTER_ID, TARGET_CLUSTER_ID, TARGET_CLUSTER_ARN (+ region vars).
 * Throws the named errors of {@link promoteDatabase}; InvalidInputError for missing env.
 */
export async function handler(event: PromoteEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readPromoteDatabaseSettings(process.env);
    return promoteDatabase(event, settings, { rds: clientFor(RDSClient, settings.targetRegion) });
  });
}
