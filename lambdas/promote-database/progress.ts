import {
  DescribeGlobalClustersCommand,
  type DescribeGlobalClustersCommandOutput,
  type GlobalCluster,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { hasErrorName, InvalidStateError, ResourceNotFoundError, rethrow } from '../shared/errors';

/** What the promotion step must reach: this member is the writer of the global cluster. */
export interface PromotionTarget {
  readonly globalClusterId: string;
  /** ARN of this region's cluster: the member that must become the writer. */
  readonly targetClusterArn: string;
}

export interface PromotionProgress {
  /** Global cluster `available`, nothing in progress, and the target member is the writer. */
  readonly done: boolean;
  /** A switchover/failover runs, or the global cluster is not `available`: wait, don't act. */
  readonly inProgress: boolean;
  /** Global cluster `available` and no operation in progress. */
  readonly healthy: boolean;
  readonly isWriter: boolean;
  readonly globalStatus: string;
  readonly failoverStatus?: string;
  readonly detail: string;
}

/** `FailoverState.Status` values while a switchover or failover runs. */
const ACTIVE_FAILOVER_STATES: ReadonlySet<string> = new Set([
  'pending',
  'failing-over',
  'cancelling',
  'switching-over',
]);

async function describeGlobalCluster(rds: RDSClient, id: string): Promise<GlobalCluster> {
  let out: DescribeGlobalClustersCommandOutput;
  try {
    out = await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'GlobalClusterNotFoundFault')) {
      throw new ResourceNotFoundError(`global cluster ${id} does not exist`, { cause: err });
    }
    rethrow(err, 'DescribeGlobalClusters');
  }
  const global = out.GlobalClusters?.[0];
  if (global === undefined) throw new ResourceNotFoundError(`global cluster ${id} does not exist`);
  return global;
}

/**
 * Read-only: whether the target cluster is the writer of a settled global cluster. Shared by the
 * step and by preflight. Throws ResourceNotFoundError when the global cluster is missing and
 * InvalidStateError when the target cluster is not one of its members.
 */
export async function readPromotionProgress(
  rds: RDSClient,
  target: PromotionTarget,
): Promise<PromotionProgress> {
  const { globalClusterId, targetClusterArn } = target;
  const global = await describeGlobalCluster(rds, globalClusterId);
  const member = (global.GlobalClusterMembers ?? []).find((m) => m.DBClusterArn === targetClusterArn);
  if (member === undefined) {
    throw new InvalidStateError(`${targetClusterArn} is not a member of global cluster ${globalClusterId}`);
  }
  const globalStatus = global.Status ?? 'unknown';
  const failoverStatus = global.FailoverState?.Status;
  const operationRunning = failoverStatus !== undefined && ACTIVE_FAILOVER_STATES.has(failoverStatus);
  const healthy = globalStatus === 'available' && !operationRunning;
  const isWriter = member.IsWriter === true;
  const operation = failoverStatus === undefined ? '' : `, failover state ${failoverStatus}`;
  return {
    done: healthy && isWriter,
    inProgress: !healthy,
    healthy,
    isWriter,
    globalStatus,
    ...(failoverStatus === undefined ? {} : { failoverStatus }),
    detail: `global cluster ${globalClusterId} ${globalStatus}${operation}; ${targetClusterArn} is ${isWriter ? 'the writer' : 'not the writer'}`,
  };
}
