import {
  type DBCluster,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandOutput,
  DescribeGlobalClustersCommand,
  type DescribeGlobalClustersCommandOutput,
  type GlobalCluster,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { databaseLabel } from '../scale-database/progress';
import { hasErrorName, InvalidStateError, ResourceNotFoundError, rethrow } from '../shared/errors';
import type { DatabaseOf } from '../shared/resources';

/**
 * What the promotion step must reach for one `DATABASES` entry: this region's cluster (`clusterId`,
 * `clusterArn`: the member that must become the writer) is the writer of `globalClusterId` and
 * available.
 */
export type PromotionTarget = DatabaseOf<'globalClusterId' | 'clusterId' | 'clusterArn'>;

/** A switchover or failover AWS reports as scheduled or running (`FailoverState`). */
export interface RunningOperation {
  /** `pending`, `failing-over`, `cancelling` or `switching-over`. */
  readonly status: string;
  readonly fromClusterArn?: string;
  readonly toClusterArn?: string;
  /** True for a failover (data loss allowed), false for a switchover, absent when AWS does not say. */
  readonly dataLossAllowed?: boolean;
}

export interface PromotionProgress {
  /** The entry's `name` in `DATABASES`. */
  readonly name: string;
  /**
   * This cluster is the writer, its own status is `available` and no operation runs. Read in this
   * region only: it never depends on the region being left.
   */
  readonly done: boolean;
  /** Not done, but AWS is getting there (an operation runs, or the new writer is not available yet): wait, don't act. */
  readonly inProgress: boolean;
  /** Global cluster `available` and no operation running: a switchover can be asked for. */
  readonly healthy: boolean;
  readonly isWriter: boolean;
  /** This cluster's own `Status`. */
  readonly clusterStatus: string;
  readonly globalStatus: string;
  /** The operation AWS is running, when there is one. */
  readonly operation?: RunningOperation;
  /**
   * One clause naming the entry, e.g. `orders: proj-dr-aurora-orders is not the writer and available,
   * global cluster proj-global-orders available`.
   */
  readonly detail: string;
}

/** `FailoverState.Status` values while a switchover or failover is scheduled or runs. */
const ACTIVE_FAILOVER_STATES: ReadonlySet<string> = new Set([
  'pending',
  'failing-over',
  'cancelling',
  'switching-over',
]);

async function describeGlobalCluster(rds: RDSClient, id: string, label: string): Promise<GlobalCluster> {
  let out: DescribeGlobalClustersCommandOutput;
  try {
    out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'GlobalClusterNotFoundFault')) {
      throw new ResourceNotFoundError(`${label}: global cluster ${id} does not exist`, { cause: err });
    }
    rethrow(err, `${label}: DescribeGlobalClusters`);
  }
  const global = out.GlobalClusters?.[0];
  if (global === undefined) throw new ResourceNotFoundError(`${label}: global cluster ${id} does not exist`);
  return global;
}

async function describeCluster(rds: RDSClient, id: string, label: string): Promise<DBCluster> {
  let out: DescribeDBClustersCommandOutput;
  try {
    out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'DBClusterNotFoundFault')) {
      throw new ResourceNotFoundError(`${label}: DB cluster ${id} does not exist`, { cause: err });
    }
    rethrow(err, `${label}: DescribeDBClusters`);
  }
  const cluster = out.DBClusters?.[0];
  if (cluster === undefined) throw new ResourceNotFoundError(`${label}: DB cluster ${id} does not exist`);
  return cluster;
}

function runningOperation(global: GlobalCluster): RunningOperation | undefined {
  const state = global.FailoverState;
  if (state?.Status === undefined || !ACTIVE_FAILOVER_STATES.has(state.Status)) return undefined;
  return {
    status: state.Status,
    ...(state.FromDbClusterArn === undefined ? {} : { fromClusterArn: state.FromDbClusterArn }),
    ...(state.ToDbClusterArn === undefined ? {} : { toClusterArn: state.ToDbClusterArn }),
    ...(state.IsDataLossAllowed === undefined ? {} : { dataLossAllowed: state.IsDataLossAllowed }),
  };
}

function describeOperation(op: RunningOperation, targetClusterArn: string): string {
  const kind =
    op.dataLossAllowed === undefined ? 'operation' : op.dataLossAllowed ? 'failover' : 'switchover';
  const to =
    op.toClusterArn === undefined
      ? ''
      : op.toClusterArn === targetClusterArn
        ? ' to this cluster'
        : ` to ${op.toClusterArn}`;
  return `${kind}${to} ${op.status}`;
}

/**
 * Read-only, in this region only: whether one database's cluster in this region is the writer of
 * its global cluster (`IsWriter` on its member) and available (its own `Status`). The global
 * cluster's `Status` is reported but does not decide "done": after a failover AWS documents no
 * return to `available` while the old primary's region is down. Shared by the step and by
 * preflight, each calling it once per `DATABASES` entry. Every error names the entry.
 *
 * @throws ResourceNotFoundError the global cluster or this region's cluster does not exist
 * @throws InvalidStateError this region's cluster is not a member of the global cluster
 * @throws TransientAwsError throttling, 5xx, network errors
 */
export async function readPromotionProgress(
  rds: RDSClient,
  target: PromotionTarget,
): Promise<PromotionProgress> {
  const { name, globalClusterId, clusterId, clusterArn } = target;
  const label = databaseLabel(name);
  const [global, cluster] = await Promise.all([
    describeGlobalCluster(rds, globalClusterId, label),
    describeCluster(rds, clusterId, label),
  ]);
  const member = (global.GlobalClusterMembers ?? []).find((m) => m.DBClusterArn === clusterArn);
  if (member === undefined) {
    throw new InvalidStateError(
      `${label}: ${clusterArn} is not a member of global cluster ${globalClusterId}`,
    );
  }
  const globalStatus = global.Status ?? 'unknown';
  const clusterStatus = cluster.Status ?? 'unknown';
  const operation = runningOperation(global);
  const isWriter = member.IsWriter === true;
  const done = isWriter && clusterStatus === 'available' && operation === undefined;
  const running = operation === undefined ? '' : `, ${describeOperation(operation, clusterArn)}`;
  return {
    name,
    done,
    // A writer that is not available yet is still being promoted: acting again would not help.
    inProgress: !done && (operation !== undefined || isWriter),
    healthy: globalStatus === 'available' && operation === undefined,
    isWriter,
    clusterStatus,
    globalStatus,
    ...(operation === undefined ? {} : { operation }),
    detail:
      `${name}: ${clusterId} is ${isWriter ? 'the writer' : 'not the writer'} and ${clusterStatus}, ` +
      `global cluster ${globalClusterId} ${globalStatus}${running}`,
  };
}

/**
 * One request, in this region: whether AWS still runs a switchover or failover on `target`'s
 * global cluster (`FailoverState`). Between full reads while every pending promotion is AWS's to
 * finish, so a faster poll costs one request per database instead of two.
 *
 * @throws ResourceNotFoundError the global cluster does not exist
 * @throws TransientAwsError throttling, 5xx, network errors
 */
export async function operationRunning(rds: RDSClient, target: PromotionTarget): Promise<boolean> {
  const global = await describeGlobalCluster(rds, target.globalClusterId, databaseLabel(target.name));
  return runningOperation(global) !== undefined;
}
