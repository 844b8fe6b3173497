import { CreateDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { StepEvent, StepResult } from '../shared/contracts';
import {
  type Env,
  parseIntVar,
  REGION_ENV,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import {
  asError,
  hasErrorName,
  InstanceCreationFailedError,
  rethrow,
  TransientAwsError,
} from '../shared/errors';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';
import { type DatabaseTarget, readDatabaseProgress } from './progress';

export interface ScaleDatabaseSettings extends RegionSettings, DatabaseTarget {
  readonly dbInstanceClass: string;
}

export interface ScaleDatabaseClients {
  /** RDS in the target region. */
  readonly rds: RDSClient;
}

/** Read the scale-database settings; throws InvalidInputError naming missing or malformed variables. */
export function readScaleDatabaseSettings(env: Env): ScaleDatabaseSettings {
  const raw = requireEnv([...REGION_ENV, 'TARGET_CLUSTER_ID', 'DB_INSTANCE_COUNT', 'DB_INSTANCE_CLASS'], env);
  return {
    ...regionSettings(raw),
    targetClusterId: raw.TARGET_CLUSTER_ID,
    dbInstanceCount: parseIntVar('DB_INSTANCE_COUNT', raw.DB_INSTANCE_COUNT, 1),
    dbInstanceClass: raw.DB_INSTANCE_CLASS,
  };
}

async function createInstance(
  rds: RDSClient,
  id: string,
  clusterId: string,
  engine: string,
  cls: string,
  clusterStatus: string,
) {
  try {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBClusterIdentifier: clusterId,
        Engine: engine,
        DBInstanceClass: cls,
      }),
    );
  } catch (err: unknown) {
    // A concurrent call (or a retried one whose response was lost) created it first: that is the goal.
    if (hasErrorName(err, 'DBInstanceAlreadyExistsFault', 'DBInstanceAlreadyExists')) return;
    if (hasErrorName(err, 'InsufficientDBInstanceCapacityFault', 'InsufficientDBInstanceCapacity')) {
      throw new InstanceCreationFailedError(`CreateDBInstance ${id} (${cls}): insufficient capacity`, {
        cause: err,
      });
    }
    if (hasErrorName(err, 'InvalidDBClusterStateFault')) {
      const e = asError(err);
      throw new TransientAwsError(
        `CreateDBInstance ${id}: ${e.name}: ${e.message} (cluster ${clusterId} ${clusterStatus}; retried: AWS ` +
          'refuses new instances while the cluster is being modified; the retry reads first, so nothing is created twice)',
        { cause: e },
      );
    }
    rethrow(err, 'CreateDBInstance');
  }
}

/**
 * Step `database`: make the target cluster have `dbInstanceCount` instances, all `available`.
 * Every call reads first; a call that finds too few creates the missing ones with deterministic
 * identifiers (so a rerun creates nothing twice), then reports PENDING until all are available.
 *
 * @throws ResourceNotFoundError the cluster does not exist
 * @throws InstanceCreationFailedError no capacity for the class, or an instance in a failed state
 * @throws WaitTimeoutError the step's time budget is spent
 * @throws TransientAwsError throttling, 5xx, network errors, or the cluster being modified
 * (InvalidDBClusterStateFault; retried by the state machine)
 */
export async function scaleDatabase(
  event: StepEvent,
  settings: ScaleDatabaseSettings,
  clients: ScaleDatabaseClients,
): Promise<StepResult> {
  const call = beginStep('database', event);
  const progress = await readDatabaseProgress(clients.rds, settings);
  if (progress.failed.length > 0) {
    throw new InstanceCreationFailedError(
      `${settings.targetClusterId}: instance(s) in a failed state: ${progress.failed.join(', ')}`,
    );
  }
  if (progress.done) return ready(call, progress.detail);
  if (progress.missing.length === 0) return pending(call, progress.detail);
  ensureBudget(call, progress.detail);
  for (const id of progress.missing) {
    await createInstance(
      clients.rds,
      id,
      settings.targetClusterId,
      progress.engine,
      settings.dbInstanceClass,
      progress.clusterStatus,
    );
  }
  return pending(call, `${progress.detail}; creating ${progress.missing.join(', ')}`);
}
