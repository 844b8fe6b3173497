import { ScalingActivityInProgressFault } from '@aws-sdk/client-auto-scaling';
import { type DBCluster, InvalidDBClusterStateFault } from '@aws-sdk/client-rds';
import { modeledError } from '../sim/aws-errors';
import type { CallInterceptor, ResponseInterceptor } from '../sim/world';

/**
 * Faults over adding capacity in the promoted region, each an error its API reference documents
 * for the call the step makes: the group is busy scaling, the cluster is busy modifying.
 */

/**
 * The first `count` UpdateAutoScalingGroup calls in `region` fail with ScalingActivityInProgress
 * (HTTP 400): the ECS capacity provider scales the same group.
 */
export function refuseAsgUpdatesWhileScaling(region: string, count: number): CallInterceptor {
  let left = count;
  return (call) => {
    if (call.service !== 'autoscaling' || call.command !== 'UpdateAutoScalingGroup' || call.region !== region)
      return undefined;
    if (left === 0) return undefined;
    left -= 1;
    const name = (call.input as { AutoScalingGroupName?: string }).AutoScalingGroupName ?? '';
    return modeledError(
      ScalingActivityInProgressFault,
      `Scaling activities are in progress for ${name}: the ECS capacity provider is changing its capacity.`,
    );
  };
}

/**
 * Each of the promoted region's clusters `clusterIds` is `modifying` until `count` CreateDBInstance
 * calls into it have been refused with InvalidDBClusterStateFault (HTTP 400); DescribeDBClusters
 * shows it meanwhile.
 */
export function clusterModifying(
  region: string,
  clusterIds: readonly string[],
  count: number,
): { readonly refuse: CallInterceptor; readonly describe: ResponseInterceptor } {
  const left = new Map(clusterIds.map((id) => [id, count]));
  const modifying = (id: string | undefined) => (left.get(id ?? '') ?? 0) > 0;
  const refuse: CallInterceptor = (call) => {
    if (call.service !== 'rds' || call.command !== 'CreateDBInstance' || call.region !== region)
      return undefined;
    const clusterId = (call.input as { DBClusterIdentifier?: string }).DBClusterIdentifier ?? '';
    if (!modifying(clusterId)) return undefined;
    left.set(clusterId, (left.get(clusterId) ?? 1) - 1);
    return modeledError(
      InvalidDBClusterStateFault,
      `DB cluster ${clusterId} is in modifying state; it must be available to add a DB instance.`,
    );
  };
  const describe: ResponseInterceptor = (call, _world, output) => {
    if (call.service !== 'rds' || call.command !== 'DescribeDBClusters' || call.region !== region)
      return undefined;
    const clusters = (output.DBClusters ?? []) as DBCluster[];
    if (!clusters.some((c) => modifying(c.DBClusterIdentifier))) return undefined;
    return {
      output: {
        ...output,
        DBClusters: clusters.map((c) =>
          modifying(c.DBClusterIdentifier) ? { ...c, Status: 'modifying' } : c,
        ),
      },
    };
  };
  return { refuse, describe };
}
