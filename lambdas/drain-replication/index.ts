import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import type { StepEvent, StepResult } from '../shared/contracts';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { lambdaRuntime, reconcileUntilReady } from '../shared/step-loop';
import {
  type DrainReplicationClients,
  drainReplication,
  nextReadSeconds,
  readDrainReplicationSettings,
} from './drain-replication';
import { DRAIN_REPLICATION_ENV } from './env';

const logger = new Logger({ serviceName: 'pilot-light-drain-replication' });

/**
 * The `replication` step (act and check, `lambdas/shared/steps.ts`): on a failback, READY once every
 * DR bucket's S3 replication backlog to its main pair is 0 (PENDING until then, WaitTimeoutError past
 * the budget); on a failover, READY at once with main's backlogs reported. Env:
 * {@link DRAIN_REPLICATION_ENV}, read per invocation. Throws InvalidInputError (bad env or event),
 * WaitTimeoutError, TransientAwsError, MetricQueryError (CloudWatch refused a query).
 */
export async function handler(event: StepEvent, context?: Context): Promise<StepResult> {
  return invoke(logger, context, event.executionArn, () => {
    const settings = readDrainReplicationSettings(requireEnv(DRAIN_REPLICATION_ENV));
    const clients: DrainReplicationClients = {
      sourceCloudwatch: clientFor(CloudWatchClient, settings.sourceRegion),
    };
    const runtime = lambdaRuntime(context);
    // The next read comes right after the next metric minute ends, when that is sooner than a poll.
    const poll = () => nextReadSeconds(runtime.now(), event.wait.pollSeconds);
    return reconcileUntilReady(event, (e) => drainReplication(e, settings, clients), runtime, poll);
  });
}
