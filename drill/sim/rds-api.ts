import {
  type CreateDBInstanceCommandInput,
  DBClusterNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  type DescribeDBClustersCommandInput,
  type DescribeDBInstancesCommandInput,
  type DescribeGlobalClustersCommandInput,
  type Filter,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { modeledError, serviceError } from './aws-errors';
import { executionOf, type SimApi } from './calls';
import { describeCluster, describeGlobal, describeInstance } from './rds-describe';
import { globalOrThrow, rdsPromotionApi } from './rds-promotion';

function filterValues(filters: Filter[] | undefined, name: string): string[] | undefined {
  return filters?.find((x) => x.Name === name)?.Values;
}

/** The simulated RDS API (both regions; the global cluster is visible from either). */
export const rdsApi: SimApi = {
  DescribeGlobalClusters: (raw, world) => {
    const input = raw as DescribeGlobalClustersCommandInput;
    if (input.GlobalClusterIdentifier !== undefined) globalOrThrow(world, input.GlobalClusterIdentifier);
    return { GlobalClusters: [describeGlobal(world)] };
  },

  DescribeDBClusters: (raw, world, region) => {
    const input = raw as DescribeDBClustersCommandInput;
    const inRegion = [...world.rds.clusters.values()].filter((c) => c.region === region);
    if (input.DBClusterIdentifier !== undefined) {
      const c = world.rds.findCluster(region, input.DBClusterIdentifier);
      if (c === undefined || c.region !== region) {
        throw modeledError(DBClusterNotFoundFault, `DBCluster ${input.DBClusterIdentifier} not found.`, 404);
      }
      return { DBClusters: [describeCluster(world, c)] };
    }
    const ids = filterValues(input.Filters, 'db-cluster-id');
    const selected = inRegion.filter((c) => ids === undefined || ids.includes(c.id) || ids.includes(c.arn));
    return { DBClusters: selected.map((c) => describeCluster(world, c)) };
  },

  DescribeDBInstances: (raw, world, region) => {
    const input = raw as DescribeDBInstancesCommandInput;
    const inRegion = [...world.rds.instances.values()].filter((i) => i.region === region);
    if (input.DBInstanceIdentifier !== undefined) {
      const id = input.DBInstanceIdentifier;
      const i = inRegion.find((x) => x.id === id || x.arn === id);
      if (i === undefined) throw modeledError(DBInstanceNotFoundFault, `DBInstance ${id} not found.`, 404);
      return { DBInstances: [describeInstance(world, i)] };
    }
    const clusterIds = filterValues(input.Filters, 'db-cluster-id');
    const instanceIds = filterValues(input.Filters, 'db-instance-id');
    const selected = inRegion.filter((i) => {
      const cluster = [...world.rds.clusters.values()].find(
        (c) => c.id === i.clusterId && c.region === region,
      );
      const clusterOk =
        clusterIds === undefined ||
        clusterIds.includes(i.clusterId) ||
        clusterIds.includes(cluster?.arn ?? '');
      const idOk = instanceIds === undefined || instanceIds.includes(i.id) || instanceIds.includes(i.arn);
      return clusterOk && idOk;
    });
    return { DBInstances: selected.map((i) => describeInstance(world, i)) };
  },

  CreateDBInstance: (raw, world, region, call) => {
    const input = raw as CreateDBInstanceCommandInput;
    const id = input.DBInstanceIdentifier;
    if (id === undefined || input.DBInstanceClass === undefined || input.Engine === undefined) {
      throw serviceError(
        RDSServiceException,
        'InvalidParameterValue',
        'DBInstanceIdentifier, DBInstanceClass and Engine are required.',
      );
    }
    const at = world.clock.now();
    const key = `${region}|${id.toLowerCase()}`;
    if ([...world.rds.instances.keys()].some((k) => k.toLowerCase() === key)) {
      world.rds.createAttempts.push({
        id,
        region,
        at,
        outcome: 'DBInstanceAlreadyExistsFault',
        ...executionOf(call),
      });
      throw modeledError(DBInstanceAlreadyExistsFault, `DB instance already exists`);
    }
    const cluster =
      input.DBClusterIdentifier === undefined
        ? undefined
        : world.rds.findCluster(region, input.DBClusterIdentifier);
    if (cluster === undefined || cluster.region !== region) {
      throw modeledError(
        DBClusterNotFoundFault,
        `DBCluster ${String(input.DBClusterIdentifier)} not found.`,
        404,
      );
    }
    if (input.Engine !== cluster.engine) {
      throw serviceError(
        RDSServiceException,
        'InvalidParameterCombination',
        `The engine name requested for your DB instance (${input.Engine}) doesn't match the engine name of your DB cluster (${cluster.engine}).`,
      );
    }
    const arn = world.names.regions[cluster.role].arn('rds', `db:${id}`);
    const instance = world.rds.createInstance(cluster, id, arn, input.DBInstanceClass);
    world.rds.createAttempts.push({ id, region, at, outcome: 'created', ...executionOf(call) });
    return { DBInstance: describeInstance(world, instance) };
  },

  ...rdsPromotionApi,
};
