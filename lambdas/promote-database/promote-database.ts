import {
  FailoverGlobalClusterCommand,
  type RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import {
  FAILOVER_MODES,
  type FailoverMode,
  type PromoteEvent,
  type ResolvedMode,
  type StepResult,
} from '../shared/contracts';
import { type Env, REGION_ENV, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import {
  asError,
  hasErrorName,
  InvalidInputError,
  InvalidStateError,
  isThrottling,
  isTransient,
  ResourceNotFoundError,
  rethrow,
  SwitchoverRefusedError,
} from '../shared/errors';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';
import { type PromotionTarget, readPromotionProgress } from './progress';

export interface PromoteDatabaseSettings extends RegionSettings, PromotionTarget {
  readonly targetClusterId: string;
}

export interface PromoteDatabaseClients {
  /** RDS in the target region: the source region may be down. */
  readonly rds: RDSClient;
}

/** Read the promote-database settings; throws InvalidInputError naming missing variables. */
export function readPromoteDatabaseSettings(env: Env): PromoteDatabaseSettings {
  const raw = requireEnv(
    [...REGION_ENV, 'GLOBAL_CLUSTER_ID', 'TARGET_CLUSTER_ID', 'TARGET_CLUSTER_ARN'],
    env,
  );
  return {
    ...regionSettings(raw),
    globalClusterId: raw.GLOBAL_CLUSTER_ID,
    targetClusterId: raw.TARGET_CLUSTER_ID,
    targetClusterArn: raw.TARGET_CLUSTER_ARN,
  };
}

/** A planned switchover the service refused: the source is unhealthy, unreachable or out of sync. */
function isRefusal(err: unknown): boolean {
  if (hasErrorName(err, 'InvalidGlobalClusterStateFault', 'InvalidDBClusterStateFault')) return true;
  // Throttling is about our request rate, not the source region: retry it, never lose data over it.
  return isTransient(err) && !isThrottling(err);
}

async function failover(rds: RDSClient, settings: PromoteDatabaseSettings): Promise<void> {
  try {
    await rds.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: settings.globalClusterId,
        TargetDbClusterIdentifier: settings.targetClusterArn,
        AllowDataLoss: true,
      }),
    );
  } catch (err: unknown) {
    if (hasErrorName(err, 'GlobalClusterNotFoundFault', 'DBClusterNotFoundFault')) {
      throw new ResourceNotFoundError(`FailoverGlobalCluster: ${asError(err).message}`, { cause: err });
    }
    if (hasErrorName(err, 'InvalidGlobalClusterStateFault', 'InvalidDBClusterStateFault')) {
      throw new InvalidStateError(`FailoverGlobalCluster refused: ${asError(err).message}`, { cause: err });
    }
    rethrow(err, 'FailoverGlobalCluster');
  }
}

/** Start the promotion in `mode`; returns the mode actually used (auto may fall back to unplanned). */
async function startPromotion(
  rds: RDSClient,
  settings: PromoteDatabaseSettings,
  mode: ResolvedMode,
  requestedMode: FailoverMode,
): Promise<ResolvedMode> {
  if (mode === 'unplanned') {
    await failover(rds, settings);
    return 'unplanned';
  }
  try {
    await rds.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: settings.globalClusterId,
        TargetDbClusterIdentifier: settings.targetClusterArn,
      }),
    );
    return 'planned';
  } catch (err: unknown) {
    if (hasErrorName(err, 'GlobalClusterNotFoundFault', 'DBClusterNotFoundFault')) {
      throw new ResourceNotFoundError(`SwitchoverGlobalCluster: ${asError(err).message}`, { cause: err });
    }
    if (!isRefusal(err)) rethrow(err, 'SwitchoverGlobalCluster');
    if (requestedMode !== 'auto') {
      throw new SwitchoverRefusedError(
        `SwitchoverGlobalCluster refused (${asError(err).name}: ${asError(err).message}); ` +
          'mode planned never falls back to a failover with data loss — rerun with mode unplanned to accept it',
        { cause: err },
      );
    }
    await failover(rds, settings);
    return 'unplanned';
  }
}

function checkModes(event: PromoteEvent): void {
  if (event.mode !== 'planned' && event.mode !== 'unplanned') {
    throw new InvalidInputError(
      `promotion: mode: expected 'planned' or 'unplanned', got '${String(event.mode)}'`,
    );
  }
  if (!FAILOVER_MODES.includes(event.requestedMode)) {
    throw new InvalidInputError(
      `promotion: requestedMode: expected one of ${FAILOVER_MODES.join(', ')}, got '${String(event.requestedMode)}'`,
    );
  }
}

/**
 * Step `promotion`: make this region's cluster the writer of the global cluster. Reads first: done
 * → READY; a switchover/failover in progress → PENDING without a call; otherwise starts one —
 * planned: SwitchoverGlobalCluster; unplanned: FailoverGlobalCluster with AllowDataLoss. A refused
 * switchover falls back to the failover only when the requested mode was `auto`. `modeUsed` is
 * carried across calls in `previous`.
 *
 * @throws ResourceNotFoundError the global cluster does not exist
 * @throws InvalidStateError the target cluster is not a member, or the failover was refused
 * @throws SwitchoverRefusedError a planned switchover (requested `planned`) was refused
 * @throws WaitTimeoutError the check budget (`maxAttempts`) is spent
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
 */
export async function promoteDatabase(
  event: PromoteEvent,
  settings: PromoteDatabaseSettings,
  clients: PromoteDatabaseClients,
): Promise<StepResult> {
  const call = beginStep('promotion', event);
  checkModes(event);
  const modeUsed = event.previous?.modeUsed ?? event.mode;
  const progress = await readPromotionProgress(clients.rds, settings);
  if (progress.done) return ready(call, progress.detail, { modeUsed });
  if (progress.inProgress) return pending(call, progress.detail, { modeUsed });
  ensureBudget(call, progress.detail);
  const used = await startPromotion(clients.rds, settings, modeUsed, event.requestedMode);
  const started = used === 'planned' ? 'switchover started' : 'failover (data loss allowed) started';
  return pending(call, `${started}; ${progress.detail}`, { modeUsed: used });
}
