import {
  type CreateDBInstanceCommandInput,
  type DBCluster,
  DBClusterNotFoundFault,
  type DBInstance,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  type DescribeDBClustersCommandInput,
  type DescribeDBInstancesCommandInput,
  type DescribeGlobalClustersCommandInput,
  type FailoverGlobalClusterCommandInput,
  type Filter,
  type GlobalCluster,
  GlobalClusterNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidGlobalClusterStateFault,
  RDSServiceException,
  type SwitchoverGlobalClusterCommandInput,
} from '@aws-sdk/client-rds';
import type { RegionRole } from '../../infra/config/schema';
import { modeledError, serviceError } from './aws-errors';
import type { SimCall, SimCluster, SimInstance, World } from './world';

/** One simulated API: input in, output out (or a thrown SDK-shaped error). */
export type SimHandler = (input: unknown, world: World, region: string, call: SimCall) => unknown;

function filterValues(filters: Filter[] | undefined, name: string): string[] | undefined {
  const f = filters?.find((x) => x.Name === name);
  return f?.Values;
}

/** The cluster `idOrArn` names in `region` (identifiers resolve only in their own region). */
function findCluster(world: World, region: string, idOrArn: string): SimCluster | undefined {
  for (const c of world.clusters.values()) {
    if (idOrArn.startsWith('arn:') ? c.arn === idOrArn : c.id === idOrArn && c.region === region) return c;
  }
  return undefined;
}

function memberRole(world: World, idOrArn: string, region: string): RegionRole | undefined {
  const c = findCluster(world, region, idOrArn);
  return c?.role;
}

function describeInstance(world: World, i: SimInstance): DBInstance {
  const cluster = [...world.clusters.values()].find((c) => c.id === i.clusterId && c.region === i.region);
  return {
    DBInstanceIdentifier: i.id,
    DBInstanceArn: i.arn,
    DBInstanceClass: i.instanceClass,
    Engine: i.engine,
    EngineVersion: cluster?.engineVersion,
    DBInstanceStatus: i.status,
    DBClusterIdentifier: i.clusterId,
    InstanceCreateTime: i.status === 'creating' ? undefined : world.dateAt(i.createdAt),
    AvailabilityZone: i.status === 'creating' ? undefined : `${i.region}a`,
    PubliclyAccessible: false,
    StorageEncrypted: true,
  };
}

/** The instance that serves writes when `role`'s cluster is the writer: the oldest available one. */
function writerInstance(world: World, role: RegionRole): SimInstance | undefined {
  return world
    .clusterInstances(role)
    .filter((i) => i.status === 'available')
    .sort((a, b) => a.createdAt - b.createdAt)[0];
}

function describeCluster(world: World, c: SimCluster): DBCluster {
  const isWriter = world.global.writerRole === c.role;
  const writer = isWriter ? writerInstance(world, c.role) : undefined;
  return {
    DBClusterIdentifier: c.id,
    DBClusterArn: c.arn,
    DbClusterResourceId: c.resourceId,
    Status: 'available',
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    EngineMode: 'provisioned',
    MultiAZ: world.clusterInstances(c.role).length > 1,
    StorageEncrypted: true,
    Endpoint: `${c.id}.cluster-abc123.${c.region}.rds.amazonaws.com`,
    ReaderEndpoint: `${c.id}.cluster-ro-abc123.${c.region}.rds.amazonaws.com`,
    DBClusterMembers: world.clusterInstances(c.role).map((i) => ({
      DBInstanceIdentifier: i.id,
      IsClusterWriter: writer?.id === i.id,
      PromotionTier: 1,
    })),
  };
}

function describeGlobal(world: World): GlobalCluster {
  const g = world.global;
  const op = g.operation;
  const now = world.now();
  // Status and FailoverState while a switchover/failover runs; a short `pending` phase first.
  const opStatus =
    op === undefined
      ? undefined
      : now < op.startedAt + Math.min(2, (op.endsAt - op.startedAt) / 10)
        ? 'pending'
        : op.kind === 'switchover'
          ? 'switching-over'
          : 'failing-over';
  const members = (['main', 'dr'] as const).map((role) => {
    const c = world.clusters.get(role);
    const other = world.clusters.get(role === 'main' ? 'dr' : 'main');
    const isWriter = g.writerRole === role;
    return {
      DBClusterArn: c?.arn,
      IsWriter: isWriter,
      Readers: isWriter && other !== undefined ? [other.arn] : [],
      GlobalWriteForwardingStatus: 'disabled' as const,
      ...(isWriter
        ? {}
        : { SynchronizationStatus: g.pendingResync.has(role) ? 'pending-resync' : 'connected' }),
    };
  });
  return {
    GlobalClusterIdentifier: g.id,
    GlobalClusterArn: g.arn,
    GlobalClusterResourceId: 'cluster-GLOBAL0123456789',
    Status: op === undefined ? 'available' : op.kind === 'switchover' ? 'switching-over' : 'failing-over',
    Engine: g.engine,
    EngineVersion: g.engineVersion,
    StorageEncrypted: true,
    DeletionProtection: false,
    GlobalClusterMembers: members as GlobalCluster['GlobalClusterMembers'],
    ...(op === undefined || opStatus === undefined
      ? {}
      : {
          FailoverState: {
            Status: opStatus as NonNullable<GlobalCluster['FailoverState']>['Status'],
            FromDbClusterArn: world.clusters.get(op.fromRole)?.arn,
            ToDbClusterArn: world.clusters.get(op.toRole)?.arn,
            IsDataLossAllowed: op.kind === 'failover',
          },
        }),
  };
}

function globalOrThrow(world: World, id: string | undefined): void {
  if (id !== world.global.id && id !== world.global.arn) {
    throw modeledError(GlobalClusterNotFoundFault, `The global cluster ${String(id)} doesn't exist.`, 404);
  }
}

/** Checks common to both promotion APIs; returns the role to promote. */
function promotionTarget(
  world: World,
  region: string,
  globalId: string | undefined,
  target: string | undefined,
) {
  globalOrThrow(world, globalId);
  if (target === undefined) {
    throw serviceError(
      RDSServiceException,
      'InvalidParameterValue',
      'TargetDbClusterIdentifier is required.',
    );
  }
  const role = memberRole(world, target, region);
  if (role === undefined) {
    throw modeledError(DBClusterNotFoundFault, `DBCluster ${target} not found.`, 404);
  }
  if (world.global.operation !== undefined) {
    throw modeledError(
      InvalidGlobalClusterStateFault,
      `Global cluster ${world.global.id} is ${world.global.operation.kind === 'switchover' ? 'switching over' : 'failing over'}; wait until it is available.`,
    );
  }
  if (world.global.writerRole === role) {
    throw serviceError(
      RDSServiceException,
      'InvalidParameterValue',
      `${target} is already the primary cluster of global cluster ${world.global.id}.`,
    );
  }
  if (!world.clusterInstances(role).some((i) => i.status === 'available')) {
    throw modeledError(
      InvalidDBClusterStateFault,
      `DB cluster ${world.clusters.get(role)?.id ?? target} has no available DB instances: add an instance before promoting a headless secondary.`,
    );
  }
  if (world.promotionRefusal !== undefined) {
    throw modeledError(InvalidGlobalClusterStateFault, world.promotionRefusal);
  }
  return role;
}

/** The simulated RDS API (both regions; the global cluster is visible from either). */
export const rdsHandlers: Readonly<Record<string, SimHandler>> = {
  DescribeGlobalClusters: (raw, world) => {
    const input = raw as DescribeGlobalClustersCommandInput;
    if (input.GlobalClusterIdentifier !== undefined) globalOrThrow(world, input.GlobalClusterIdentifier);
    return { GlobalClusters: [describeGlobal(world)] };
  },

  DescribeDBClusters: (raw, world, region) => {
    const input = raw as DescribeDBClustersCommandInput;
    const inRegion = [...world.clusters.values()].filter((c) => c.region === region);
    if (input.DBClusterIdentifier !== undefined) {
      const c = findCluster(world, region, input.DBClusterIdentifier);
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
    const inRegion = [...world.instances.values()].filter((i) => i.region === region);
    if (input.DBInstanceIdentifier !== undefined) {
      const id = input.DBInstanceIdentifier;
      const i = inRegion.find((x) => x.id === id || x.arn === id);
      if (i === undefined) throw modeledError(DBInstanceNotFoundFault, `DBInstance ${id} not found.`, 404);
      return { DBInstances: [describeInstance(world, i)] };
    }
    const clusterIds = filterValues(input.Filters, 'db-cluster-id');
    const instanceIds = filterValues(input.Filters, 'db-instance-id');
    const selected = inRegion.filter((i) => {
      const cluster = [...world.clusters.values()].find((c) => c.id === i.clusterId && c.region === region);
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
    const key = `${region}|${id.toLowerCase()}`;
    const existing = [...world.instances.keys()].find((k) => k.toLowerCase() === key);
    if (existing !== undefined) {
      world.createAttempts.push({
        id,
        region,
        at: world.now(),
        outcome: 'DBInstanceAlreadyExistsFault',
        ...(call.execution === undefined ? {} : { execution: call.execution }),
      });
      throw modeledError(DBInstanceAlreadyExistsFault, `DB instance already exists`);
    }
    const cluster =
      input.DBClusterIdentifier === undefined
        ? undefined
        : findCluster(world, region, input.DBClusterIdentifier);
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
    const now = world.now();
    const instance: SimInstance = {
      id,
      arn: `arn:aws:rds:${region}:${world.names.regions[cluster.role].account}:db:${id}`,
      region,
      clusterId: cluster.id,
      instanceClass: input.DBInstanceClass,
      engine: cluster.engine,
      status: 'creating',
      createdAt: now,
      seeded: false,
    };
    world.instances.set(`${region}|${id}`, instance);
    world.createAttempts.push({
      id,
      region,
      at: now,
      outcome: 'created',
      ...(call.execution === undefined ? {} : { execution: call.execution }),
    });
    const availableAt = now + world.timings.dbInstanceCreateSeconds;
    world.schedule(availableAt, () => {
      instance.status = 'available';
      instance.availableAt = availableAt;
    });
    return { DBInstance: describeInstance(world, instance) };
  },

  SwitchoverGlobalCluster: (raw, world, region, call) => {
    const input = raw as SwitchoverGlobalClusterCommandInput;
    const role = promotionTarget(
      world,
      region,
      input.GlobalClusterIdentifier,
      input.TargetDbClusterIdentifier,
    );
    const sourceRegion = world.regionOf(world.global.writerRole);
    if (world.regionDown(sourceRegion)) {
      throw modeledError(
        InvalidGlobalClusterStateFault,
        `Switchover requires the primary cluster in ${sourceRegion} to be available and in sync; it is unreachable. Use FailoverGlobalCluster with AllowDataLoss to recover from an outage.`,
      );
    }
    if (world.switchoverRefusal !== undefined) {
      throw modeledError(InvalidGlobalClusterStateFault, world.switchoverRefusal);
    }
    world.startGlobalOperation('switchover', role, call.execution);
    return { GlobalCluster: describeGlobal(world) };
  },

  FailoverGlobalCluster: (raw, world, region, call) => {
    const input = raw as FailoverGlobalClusterCommandInput;
    if (input.AllowDataLoss === true && input.Switchover === true) {
      throw serviceError(
        RDSServiceException,
        'InvalidParameterCombination',
        'AllowDataLoss and Switchover cannot both be specified.',
      );
    }
    const role = promotionTarget(
      world,
      region,
      input.GlobalClusterIdentifier,
      input.TargetDbClusterIdentifier,
    );
    if (input.AllowDataLoss !== true) {
      // Without AllowDataLoss the operation is a switchover: it needs a healthy, reachable primary.
      const sourceRegion = world.regionOf(world.global.writerRole);
      if (world.regionDown(sourceRegion) || world.switchoverRefusal !== undefined) {
        throw modeledError(
          InvalidGlobalClusterStateFault,
          world.switchoverRefusal ??
            `The primary cluster in ${sourceRegion} is unreachable: a failover without AllowDataLoss is a switchover and needs it.`,
        );
      }
      world.startGlobalOperation('switchover', role, call.execution);
    } else {
      world.startGlobalOperation('failover', role, call.execution);
    }
    return { GlobalCluster: describeGlobal(world) };
  },
};
