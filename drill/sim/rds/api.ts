import {
  type CreateDBInstanceCommandInput,
  DBClusterNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  type DescribeDBClustersCommandInput,
  type DescribeDBInstancesCommandInput,
  type DescribeGlobalClustersCommandInput,
  type Filter,
  InsufficientDBInstanceCapacityFault,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import type { SimApi } from '../api';
import { modeledError, serviceError } from '../aws-errors';
import { executionOf } from '../calls';
import type { World } from '../world';
import { describeCluster, describeGlobal, describeInstance } from './describe';
import { globalOrThrow, missingParameter, rdsPromotionApi } from './promotion';
import type { SimCluster } from './state';

/** CreateDBInstance's identifier rule (1 to 63 letters, digits or hyphens; a letter first; no `--`). */
const DB_IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/;
/** `db.<family>.<size>`. */
const DB_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

function invalidValue(message: string): Error {
  return serviceError(RDSServiceException, 'InvalidParameterValue', message);
}

/** What CreateDBInstance refuses before it looks at any resource: missing or malformed parameters. */
function checkCreateInput(input: CreateDBInstanceCommandInput): {
  readonly id: string;
  readonly instanceClass: string;
  readonly engine: string;
  readonly clusterId: string;
} {
  const { DBInstanceIdentifier: id, DBInstanceClass: instanceClass, Engine: engine } = input;
  if (id === undefined || id === '') throw missingParameter('DBInstanceIdentifier');
  if (instanceClass === undefined || instanceClass === '') throw missingParameter('DBInstanceClass');
  if (engine === undefined || engine === '') throw missingParameter('Engine');
  if (!DB_IDENTIFIER.test(id) || id.endsWith('-')) {
    throw invalidValue(
      `DBInstanceIdentifier ${id} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  if (!DB_INSTANCE_CLASS.test(instanceClass))
    throw invalidValue(`Invalid DB Instance class: ${instanceClass}`);
  const clusterId = input.DBClusterIdentifier;
  // An Aurora instance belongs to a cluster; its storage and engine settings are the cluster's.
  if (engine.startsWith('aurora') && (clusterId === undefined || clusterId === '')) {
    throw missingParameter('DBClusterIdentifier');
  }
  return { id, instanceClass, engine, clusterId: clusterId ?? '' };
}

/**
 * The zone RDS creates an instance of `instanceClass` in: the one asked for, else a zone of the
 * region that has the class (RDS picks one when the request names none, so a class out in some
 * zones only narrows its choice). Throws InsufficientDBInstanceCapacity when none has it.
 */
function placeInstance(world: World, cluster: SimCluster, instanceClass: string, asked?: string): string {
  const { region, database } = cluster;
  const configured = world.config.regions[cluster.role].availabilityZones;
  const inZone = (z: string) =>
    world.rds.clusterInstances(cluster).filter((i) => i.availabilityZone === z).length;
  // Spread over the zones: the one with the fewest of the cluster's instances first.
  const zones =
    asked === undefined || asked === ''
      ? configured
          .map((z, i) => ({ z, i }))
          .sort((a, b) => inZone(a.z) - inZone(b.z) || a.i - b.i)
          .map(({ z }) => z)
      : [asked];
  const at = world.clock.now();
  const zone = zones.find(
    (z) =>
      world.capacity.refusal({
        service: 'rds',
        region,
        zone: z,
        instanceType: instanceClass,
        at,
        database,
      }) === undefined,
  );
  if (zone !== undefined) return zone;
  throw modeledError(
    InsufficientDBInstanceCapacityFault,
    `Cannot create a database instance because there is not enough capacity in the Availability Zone for the requested instance class ${instanceClass} in ${region}. Try a different instance class, or try again later.`,
  );
}

function recordAttempt(
  world: World,
  attempt: { readonly id: string; readonly clusterId: string },
  region: string,
  outcome: string,
  execution: object,
): void {
  const { id, clusterId } = attempt;
  world.rds.createAttempts.push({
    id,
    region,
    ...(clusterId === '' ? {} : { clusterId }),
    at: world.clock.now(),
    outcome,
    ...execution,
  });
}

function filterValues(filters: Filter[] | undefined, name: string): string[] | undefined {
  return filters?.find((x) => x.Name === name)?.Values;
}

/** The simulated RDS API (both regions; the global clusters are visible from either). */
export const rdsApi: SimApi = {
  DescribeGlobalClusters: (raw, world) => {
    const input = raw as DescribeGlobalClustersCommandInput;
    const selected =
      input.GlobalClusterIdentifier === undefined
        ? world.rds.databases
        : [globalOrThrow(world, input.GlobalClusterIdentifier)];
    return { GlobalClusters: selected.map((db) => describeGlobal(world, db)) };
  },

  DescribeDBClusters: (raw, world, region) => {
    const input = raw as DescribeDBClustersCommandInput;
    const inRegion = world.rds.clusters().filter((c) => c.region === region);
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
    const inRegionClusters = world.rds.clusters().filter((c) => c.region === region);
    if (input.DBInstanceIdentifier !== undefined) {
      const id = input.DBInstanceIdentifier;
      const i = inRegion.find((x) => x.id === id || x.arn === id);
      if (i === undefined) throw modeledError(DBInstanceNotFoundFault, `DBInstance ${id} not found.`, 404);
      return { DBInstances: [describeInstance(world, i)] };
    }
    const clusterIds = filterValues(input.Filters, 'db-cluster-id');
    const instanceIds = filterValues(input.Filters, 'db-instance-id');
    const selected = inRegion.filter((i) => {
      const cluster = inRegionClusters.find((c) => c.id === i.clusterId);
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
    const input = checkCreateInput(raw as CreateDBInstanceCommandInput);
    const { id } = input;
    const key = `${region}|${id.toLowerCase()}`;
    if ([...world.rds.instances.keys()].some((k) => k.toLowerCase() === key)) {
      recordAttempt(world, input, region, 'DBInstanceAlreadyExistsFault', executionOf(call));
      throw modeledError(DBInstanceAlreadyExistsFault, `DB instance already exists`);
    }
    const cluster = world.rds.findCluster(region, input.clusterId);
    if (cluster === undefined || cluster.region !== region) {
      throw modeledError(DBClusterNotFoundFault, `DBCluster ${input.clusterId} not found.`, 404);
    }
    if (input.engine !== cluster.engine) {
      throw serviceError(
        RDSServiceException,
        'InvalidParameterCombination',
        `The engine name requested for your DB instance (${input.engine}) doesn't match the engine name of your DB cluster (${cluster.engine}).`,
      );
    }
    const zone = placeInstance(
      world,
      cluster,
      input.instanceClass,
      (raw as CreateDBInstanceCommandInput).AvailabilityZone,
    );
    const arn = world.names.regions[cluster.role].arn('rds', `db:${id}`);
    const instance = world.rds.createInstance(cluster, id, arn, input.instanceClass, zone);
    recordAttempt(world, input, region, 'created', executionOf(call));
    return { DBInstance: describeInstance(world, instance) };
  },

  ...rdsPromotionApi,
};
