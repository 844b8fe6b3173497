import {
  DBClusterNotFoundFault,
  type FailoverGlobalClusterCommandInput,
  GlobalClusterNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidGlobalClusterStateFault,
  RDSServiceException,
  type SwitchoverGlobalClusterCommandInput,
} from '@aws-sdk/client-rds';
import type { RegionRole } from '../../infra/config/schema';
import { modeledError, serviceError } from './aws-errors';
import type { SimApi } from './calls';
import { describeGlobal } from './rds-describe';
import type { World } from './world';

/** The two promotion APIs of the simulated RDS: SwitchoverGlobalCluster and FailoverGlobalCluster. */

/** Throws GlobalClusterNotFoundFault unless `id` names the global cluster (by identifier or ARN). */
export function globalOrThrow(world: World, id: string | undefined): void {
  const g = world.rds.global;
  if (id !== g.id && id !== g.arn) {
    throw modeledError(GlobalClusterNotFoundFault, `The global cluster ${String(id)} doesn't exist.`, 404);
  }
}

/** Checks common to both promotion APIs; returns the role to promote. */
function promotionTarget(
  world: World,
  region: string,
  globalId: string | undefined,
  target: string | undefined,
): RegionRole {
  globalOrThrow(world, globalId);
  const { global } = world.rds;
  if (target === undefined) {
    throw serviceError(
      RDSServiceException,
      'InvalidParameterValue',
      'TargetDbClusterIdentifier is required.',
    );
  }
  const role = world.rds.findCluster(region, target)?.role;
  if (role === undefined) throw modeledError(DBClusterNotFoundFault, `DBCluster ${target} not found.`, 404);
  if (global.operation !== undefined) {
    throw modeledError(
      InvalidGlobalClusterStateFault,
      `Global cluster ${global.id} is ${global.operation.kind === 'switchover' ? 'switching over' : 'failing over'}; wait until it is available.`,
    );
  }
  if (global.writerRole === role) {
    throw serviceError(
      RDSServiceException,
      'InvalidParameterValue',
      `${target} is already the primary cluster of global cluster ${global.id}.`,
    );
  }
  if (!world.rds.clusterInstances(role).some((i) => i.status === 'available')) {
    throw modeledError(
      InvalidDBClusterStateFault,
      `DB cluster ${world.rds.clusters.get(role)?.id ?? target} has no available DB instances: add an instance before promoting a headless secondary.`,
    );
  }
  return role;
}

/** The current writer's region, when its endpoints do not answer. */
function unreachableSource(world: World): string | undefined {
  const sourceRegion = world.regionOf(world.rds.global.writerRole);
  return world.outages.regionDown(sourceRegion, world.clock.now()) ? sourceRegion : undefined;
}

/** SwitchoverGlobalCluster and FailoverGlobalCluster, answered from the Aurora model. */
export const rdsPromotionApi: SimApi = {
  SwitchoverGlobalCluster: (raw, world, region, call) => {
    const input = raw as SwitchoverGlobalClusterCommandInput;
    const role = promotionTarget(
      world,
      region,
      input.GlobalClusterIdentifier,
      input.TargetDbClusterIdentifier,
    );
    const down = unreachableSource(world);
    if (down !== undefined) {
      throw modeledError(
        InvalidGlobalClusterStateFault,
        `Switchover requires the primary cluster in ${down} to be available and in sync; it is unreachable. Use FailoverGlobalCluster with AllowDataLoss to recover from an outage.`,
      );
    }
    world.rds.startGlobalOperation('switchover', role, call.execution);
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
    if (input.AllowDataLoss === true) {
      world.rds.startGlobalOperation('failover', role, call.execution);
      return { GlobalCluster: describeGlobal(world) };
    }
    // Without AllowDataLoss the operation is a switchover: it needs a healthy, reachable primary.
    const down = unreachableSource(world);
    if (down !== undefined) {
      throw modeledError(
        InvalidGlobalClusterStateFault,
        `The primary cluster in ${down} is unreachable: a failover without AllowDataLoss is a switchover and needs it.`,
      );
    }
    world.rds.startGlobalOperation('switchover', role, call.execution);
    return { GlobalCluster: describeGlobal(world) };
  },
};
