import {
  FailoverGlobalClusterCommand,
  type RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { readServiceProgress, type ServiceReadClients, type ServiceTarget } from '../scale-service/progress';
import { serviceTargetSettings } from '../scale-service/target-settings';
import {
  FAILOVER_MODES,
  type FailoverMode,
  type PromoteEvent,
  type ResolvedMode,
  type StepResult,
} from '../shared/contracts';
import { type Env, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import {
  asError,
  hasErrorName,
  InvalidInputError,
  InvalidStateError,
  isTransient,
  ResourceNotFoundError,
  rethrow,
  SwitchoverRefusedError,
  TransientAwsError,
} from '../shared/errors';
import { beginStep, ensureBudget, pending, ready, type StepCall } from '../shared/step-result';
import { PROMOTE_DATABASE_ENV } from './env';
import { type PromotionProgress, type PromotionTarget, readPromotionProgress } from './progress';

/** This region's cluster to promote, and the service a planned switchover waits for. */
export interface PromoteDatabaseSettings extends RegionSettings, PromotionTarget, ServiceTarget {}

/**
 * Each operation goes where the Aurora guide sends it: the switchover to the current primary's
 * region, the failover to the selected secondary's (this) region. Every read is made in this region.
 */
export interface PromoteDatabaseClients extends ServiceReadClients {
  /** RDS in this (target) region: every read, and FailoverGlobalCluster. */
  readonly rds: RDSClient;
  /** RDS in the source region (the current primary's): SwitchoverGlobalCluster only. */
  readonly sourceRds: RDSClient;
}

/** Read the promote-database settings ({@link PROMOTE_DATABASE_ENV}); throws InvalidInputError naming missing or malformed variables. */
export function readPromoteDatabaseSettings(env: Env): PromoteDatabaseSettings {
  const raw = requireEnv(PROMOTE_DATABASE_ENV, env);
  return {
    ...regionSettings(raw),
    globalClusterId: raw.GLOBAL_CLUSTER_ID,
    targetClusterId: raw.TARGET_CLUSTER_ID,
    targetClusterArn: raw.TARGET_CLUSTER_ARN,
    ...serviceTargetSettings(raw),
  };
}

/** What a planned promotion reports while this region cannot serve yet. */
export const WAITING_FOR_SERVICE =
  'waiting for the service before switching over (a switchover before this region can serve would cut writes in the old one)';

/** Said when the budget runs out while AWS still runs the operation: the operator must not start another. */
const STILL_RUNNING =
  'AWS is still running the operation; a rerun resumes waiting for it (it will not start a second one)';

interface Started {
  readonly modeUsed: ResolvedMode;
  readonly detail: string;
}

/**
 * Route an error of `action`: a missing cluster is permanent; a documented refusal (400) returns so
 * the caller decides; anything transient (throttling, 5xx, timeouts, network) is retried, since a
 * server error or a timeout says nothing of the source and the request may even have been accepted.
 */
function throwUnlessRefusal(err: unknown, action: string): void {
  if (hasErrorName(err, 'GlobalClusterNotFoundFault', 'DBClusterNotFoundFault')) {
    throw new ResourceNotFoundError(`${action}: ${asError(err).message}`, { cause: err });
  }
  if (hasErrorName(err, 'InvalidGlobalClusterStateFault', 'InvalidDBClusterStateFault')) return;
  const e = asError(err);
  if (isTransient(e)) {
    throw new TransientAwsError(
      `${action}: ${e.name}: ${e.message} (not a refusal: retried; the retry reads the state first, as the request may have been accepted)`,
      { cause: e },
    );
  }
  rethrow(err, action);
}

/** The mode of a running operation aimed at this cluster, when AWS says which it is. */
function modeOfOperation(progress: PromotionProgress, targetClusterArn: string): ResolvedMode | undefined {
  const op = progress.operation;
  if (op?.toClusterArn !== targetClusterArn || op.dataLossAllowed === undefined) return undefined;
  return op.dataLossAllowed ? 'unplanned' : 'planned';
}

/**
 * After a refusal, read again: an operation already underway (our own earlier request, accepted
 * although its answer was lost) is waited for, never answered with a second one.
 */
async function underwayAfterRefusal(
  clients: PromoteDatabaseClients,
  settings: PromoteDatabaseSettings,
  tried: ResolvedMode,
  action: string,
): Promise<Started | undefined> {
  const now = await readPromotionProgress(clients.rds, settings);
  if (!now.done && !now.inProgress) return undefined;
  return {
    modeUsed: modeOfOperation(now, settings.targetClusterArn) ?? tried,
    detail: `${action} refused while a promotion is already underway: waiting for it`,
  };
}

async function failOver(
  clients: PromoteDatabaseClients,
  settings: PromoteDatabaseSettings,
): Promise<Started> {
  const action = `FailoverGlobalCluster (${settings.targetRegion})`;
  try {
    await clients.rds.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: settings.globalClusterId,
        TargetDbClusterIdentifier: settings.targetClusterArn,
        AllowDataLoss: true,
      }),
    );
    return { modeUsed: 'unplanned', detail: 'failover (data loss allowed) started' };
  } catch (err: unknown) {
    throwUnlessRefusal(err, action);
    const underway = await underwayAfterRefusal(clients, settings, 'unplanned', action);
    if (underway !== undefined) return underway;
    throw new InvalidStateError(`${action} refused: ${asError(err).message}`, { cause: err });
  }
}

/** Start the promotion in `mode`; `auto` falls back to the failover only on a documented refusal. */
async function startPromotion(
  clients: PromoteDatabaseClients,
  settings: PromoteDatabaseSettings,
  mode: ResolvedMode,
  requestedMode: FailoverMode,
): Promise<Started> {
  if (mode === 'unplanned') return failOver(clients, settings);
  const action = `SwitchoverGlobalCluster (${settings.sourceRegion})`;
  try {
    await clients.sourceRds.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: settings.globalClusterId,
        TargetDbClusterIdentifier: settings.targetClusterArn,
      }),
    );
    return { modeUsed: 'planned', detail: `switchover started (sent to ${settings.sourceRegion})` };
  } catch (err: unknown) {
    throwUnlessRefusal(err, action);
    const underway = await underwayAfterRefusal(clients, settings, 'planned', action);
    if (underway !== undefined) return underway;
    if (requestedMode !== 'auto') {
      const e = asError(err);
      throw new SwitchoverRefusedError(
        `SwitchoverGlobalCluster refused (${e.name}: ${e.message}); ` +
          'mode planned never falls back to a failover with data loss — rerun with mode unplanned to accept it',
        { cause: err },
      );
    }
    return failOver(clients, settings);
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

/** PENDING while AWS gets there; out of budget, the error says whether AWS is still at it. */
function waitForAws(call: StepCall, progress: PromotionProgress, modeUsed: ResolvedMode): StepResult {
  if (progress.operation !== undefined) ensureBudget(call, `${progress.detail}: ${STILL_RUNNING}`);
  return pending(call, progress.detail, { modeUsed });
}

/**
 * Step `promotion`: make this region's cluster the writer of the global cluster. Reads first, in
 * this region: done (this cluster is the writer and `available`) → READY; an operation running, or
 * the new writer not available yet → PENDING without a call; otherwise starts one — planned:
 * SwitchoverGlobalCluster, sent to the source region, once this region's service is ready (PENDING
 * until then); unplanned: FailoverGlobalCluster with AllowDataLoss, sent to this region. Only a
 * documented refusal of the switchover (InvalidGlobalClusterStateFault, InvalidDBClusterStateFault)
 * falls back to the failover, and only when the requested mode was `auto`; a refusal while an
 * operation is already underway waits for it. `modeUsed` is carried across calls in `previous`.
 *
 * @throws ResourceNotFoundError the global cluster or this region's cluster does not exist
 * @throws InvalidStateError this cluster is not a member, the failover was refused, or the service's deployment failed
 * @throws SwitchoverRefusedError a planned switchover (requested `planned`) was refused
 * @throws WaitTimeoutError the step's time budget is spent (saying so when AWS still runs the operation)
 * @throws TransientAwsError throttling, 5xx, timeouts, network errors (retried by the state machine)
 */
export async function promoteDatabase(
  event: PromoteEvent,
  settings: PromoteDatabaseSettings,
  clients: PromoteDatabaseClients,
): Promise<StepResult> {
  const call = beginStep('promotion', event);
  checkModes(event);
  const progress = await readPromotionProgress(clients.rds, settings);
  const modeUsed =
    modeOfOperation(progress, settings.targetClusterArn) ?? event.previous?.modeUsed ?? event.mode;
  if (progress.done) return ready(call, progress.detail, { modeUsed });
  if (progress.inProgress) return waitForAws(call, progress, modeUsed);
  if (modeUsed === 'planned') {
    const service = await readServiceProgress(clients, settings);
    if (!service.done) return pending(call, `${WAITING_FOR_SERVICE}: ${service.detail}`, { modeUsed });
  }
  ensureBudget(call, progress.detail);
  const started = await startPromotion(clients, settings, modeUsed, event.requestedMode);
  return pending(call, `${started.detail}; ${progress.detail}`, { modeUsed: started.modeUsed });
}
