import { ScalingActivityInProgressFault } from '@aws-sdk/client-auto-scaling';
import { type DBCluster, InvalidDBClusterStateFault } from '@aws-sdk/client-rds';
import { modeledError } from '../sim/aws-errors';
import type { ZoneCapacityInterceptor, ZoneRefusal } from '../sim/capacity';
import type { CallInterceptor, ResponseInterceptor } from '../sim/world';

/**
 * Faults over adding capacity in the promoted region: each an error its API reference documents
 * for the call the step makes (the group is busy scaling, the cluster is busy modifying), or a
 * zone short of an instance type or class (EC2's InsufficientInstanceCapacity, RDS's
 * InsufficientDBInstanceCapacity), which the models meet where AWS would: at the launch, at the
 * instance's placement.
 */

/** What a zone shortage covers: one service's types or classes, in some zones of one region. */
export interface ZoneShortage {
  readonly service: 'ec2' | 'rds';
  readonly region: string;
  readonly types: ReadonlySet<string>;
  readonly zones: ReadonlySet<string>;
  /** RDS only: the `databases[]` entry whose instances are refused (every one when absent). */
  readonly database?: string;
  /** @default 'InsufficientCapacity' */
  readonly refusal?: ZoneRefusal;
  /** Drill second from which the zones have the types again (a shortage that passes); absent: for good. */
  readonly until?: number;
}

/** The zones of `shortage` have none of its types (for its database, if it names one). */
export function zoneShortage(shortage: ZoneShortage): ZoneCapacityInterceptor {
  return (r) =>
    r.service === shortage.service &&
    r.region === shortage.region &&
    shortage.zones.has(r.zone) &&
    shortage.types.has(r.instanceType) &&
    (shortage.until === undefined || r.at < shortage.until) &&
    (shortage.database === undefined || r.database === shortage.database)
      ? (shortage.refusal ?? 'InsufficientCapacity')
      : undefined;
}

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
