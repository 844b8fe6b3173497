import {
  type DBCluster,
  type DBInstance,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandOutput,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { awsCall, hasErrorName, InvalidStateError, ResourceNotFoundError, rethrow } from '../shared/errors';
import type { DatabaseOf } from '../shared/resources';

/**
 * What the database step must reach for one `DATABASES` entry: `instanceCount` available instances
 * in this region's (headless) cluster `clusterId`.
 */
export type DatabaseTarget = DatabaseOf<'clusterId' | 'instanceCount'>;

/** How a message about the database `name` begins: every error and detail names its entry. */
export function databaseLabel(name: string): string {
  return `database ${name}`;
}

export interface DatabaseProgress {
  /** The entry's `name` in `DATABASES`. */
  readonly name: string;
  /** At least the wanted number of instances, all `available`. */
  readonly done: boolean;
  readonly clusterArn: string;
  /** The cluster's own `Status` (e.g. `modifying` while AWS refuses new instances). */
  readonly clusterStatus: string;
  readonly engine: string;
  /** Instances of the cluster that are not being deleted. */
  readonly instances: readonly { readonly id: string; readonly status: string }[];
  readonly available: number;
  /** Instances in a state they will not leave by themselves. */
  readonly failed: readonly string[];
  /** Deterministic identifiers to create to reach the wanted count. */
  readonly missing: readonly string[];
  /** One clause naming the entry, e.g. `orders: 1/2 instance(s) available (2 present in proj-dr-aurora-orders)`. */
  readonly detail: string;
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

async function listInstances(rds: RDSClient, clusterId: string, label: string): Promise<DBInstance[]> {
  const instances: DBInstance[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall(`${label}: DescribeDBInstances`, () =>
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

async function describeCluster(rds: RDSClient, clusterId: string, label: string): Promise<DBCluster> {
  let out: DescribeDBClustersCommandOutput;
  try {
    out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'DBClusterNotFoundFault')) {
      throw new ResourceNotFoundError(`${label}: DB cluster ${clusterId} does not exist`, { cause: err });
    }
    rethrow(err, `${label}: DescribeDBClusters`);
  }
  const cluster = out.DBClusters?.[0];
  if (cluster === undefined) {
    throw new ResourceNotFoundError(`${label}: DB cluster ${clusterId} does not exist`);
  }
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
 * Read-only: how far one database's cluster in this region is from having `instanceCount`
 * available instances. Shared by the step and by preflight, each calling it once per `DATABASES`
 * entry. Every error names the entry (`database orders: …`).
 *
 * @throws ResourceNotFoundError the cluster does not exist
 * @throws InvalidStateError DescribeDBClusters reports no engine or ARN
 * @throws TransientAwsError throttling, 5xx, network errors
 */
export async function readDatabaseProgress(
  rds: RDSClient,
  target: DatabaseTarget,
): Promise<DatabaseProgress> {
  const { name, clusterId, instanceCount: wanted } = target;
  const label = databaseLabel(name);
  const cluster = await describeCluster(rds, clusterId, label);
  if (cluster.Engine === undefined || cluster.DBClusterArn === undefined) {
    throw new InvalidStateError(
      `${label}: DB cluster ${clusterId}: DescribeDBClusters returned no Engine or ARN`,
    );
  }
  const all = (await listInstances(rds, clusterId, label)).map((i) => ({
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
    name,
    done,
    clusterArn: cluster.DBClusterArn,
    clusterStatus: cluster.Status ?? 'unknown',
    engine: cluster.Engine,
    instances,
    available,
    failed,
    missing,
    detail: `${name}: ${available}/${wanted} instance(s) available (${instances.length} present in ${clusterId})`,
  };
}
