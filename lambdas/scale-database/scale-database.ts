import {
  CreateDBInstanceCommand,
  type DBCluster,
  type DBInstance,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandOutput,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
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
  awsCall,
  hasErrorName,
  InstanceCreationFailedError,
  InvalidStateError,
  ResourceNotFoundError,
  rethrow,
} from '../shared/errors';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';

export interface ScaleDatabaseSettings extends RegionSettings {
  /** The headless cluster in this region. */
  readonly targetClusterId: string;
  /** Instances the cluster must have, all `available`. */
  readonly dbInstanceCount: number;
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

/** Statuses an instance does not come back from without an operator. */
function isFailedStatus(status: string): boolean {
  return (
    status === 'failed' ||
    status === 'storage-full' ||
    status.startsWith('incompatible-') ||
    status.startsWith('inaccessible-encryption-credentials')
  );
}

export interface DatabaseProgress {
  /** At least the wanted number of instances, all `available`. */
  readonly done: boolean;
  readonly clusterArn: string;
  readonly engine: string;
  /** Instances of the cluster that are not being deleted. */
  readonly instances: readonly { readonly id: string; readonly status: string }[];
  readonly available: number;
  /** Instances in a state they will not leave by themselves. */
  readonly failed: readonly string[];
  /** Deterministic identifiers to create to reach the wanted count. */
  readonly missing: readonly string[];
  readonly detail: string;
}

async function listInstances(rds: RDSClient, clusterId: string): Promise<DBInstance[]> {
  const instances: DBInstance[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall('DescribeDBInstances', () =>
      rds.send(
        new DescribeDBInstancesCommand({
          Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }],
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
      ),
    );
    instances.push(...(page.DBInstances ?? []));
    marker = page.Marker;
  } while (marker !== undefined);
  return instances;
}

async function describeCluster(rds: RDSClient, clusterId: string): Promise<DBCluster> {
  let out: DescribeDBClustersCommandOutput;
  try {
    out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'DBClusterNotFoundFault')) {
      throw new ResourceNotFoundError(`DB cluster ${clusterId} does not exist`, { cause: err });
    }
    rethrow(err, 'DescribeDBClusters');
  }
  const cluster = out.DBClusters?.[0];
  if (cluster === undefined) throw new ResourceNotFoundError(`DB cluster ${clusterId} does not exist`);
  return cluster;
}

/** Deterministic identifiers `${clusterId}-${n}`, n = 1, 2, …, skipping those already taken. */
function missingIdentifiers(clusterId: string, taken: ReadonlySet<string>, count: number): string[] {
  const ids: string[] = [];
  for (let n = 1; ids.length < count; n++) {
    const id = `${clusterId}-${n}`;
    if (!taken.has(id)) ids.push(id);
  }
  return ids;
}

/**
 * Read-only: how far the target cluster is from having `dbInstanceCount` available instances.
 * Shared by the step and by preflight. Throws ResourceNotFoundError when the cluster is missing
 * and InvalidStateError when it reports no engine.
 */
export async function readDatabaseProgress(
  rds: RDSClient,
  settings: Pick<ScaleDatabaseSettings, 'targetClusterId' | 'dbInstanceCount'>,
): Promise<DatabaseProgress> {
  const { targetClusterId: clusterId, dbInstanceCount: wanted } = settings;
  const cluster = await describeCluster(rds, clusterId);
  if (cluster.Engine === undefined || cluster.DBClusterArn === undefined) {
    throw new InvalidStateError(`DB cluster ${clusterId}: DescribeDBClusters returned no Engine or ARN`);
  }
  const all = (await listInstances(rds, clusterId)).map((i) => ({
    id: i.DBInstanceIdentifier ?? '',
    status: i.DBInstanceStatus ?? 'unknown',
  }));
  // A deleting instance still holds its identifier but will not serve: replace it, don't count it.
  const instances = all.filter((i) => i.status !== 'deleting');
  const available = instances.filter((i) => i.status === 'available').length;
  const failed = instances.filter((i) => isFailedStatus(i.status)).map((i) => `${i.id} (${i.status})`);
  const missing = missingIdentifiers(
    clusterId,
    new Set(all.map((i) => i.id)),
    Math.max(0, wanted - instances.length),
  );
  const done = instances.length >= wanted && available === instances.length;
  return {
    done,
    clusterArn: cluster.DBClusterArn,
    engine: cluster.Engine,
    instances,
    available,
    failed,
    missing,
    detail: `${clusterId}: ${available}/${wanted} instance(s) available (${instances.length} present)`,
  };
}

async function createInstance(rds: RDSClient, id: string, clusterId: string, engine: string, cls: string) {
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
 * @throws WaitTimeoutError the check budget (`maxAttempts`) is spent
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
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
    );
  }
  return pending(call, `${progress.detail}; creating ${progress.missing.join(', ')}`);
}
