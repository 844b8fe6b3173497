import {
  DBClusterNotFoundFault,
  type FailoverGlobalClusterCommandInput,
  GlobalClusterNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidGlobalClusterStateFault,
  RDSServiceException,
  type SwitchoverGlobalClusterCommandInput,
} from '@aws-sdk/client-rds';
import type { RegionRole } from '../../../infra/config/schema';
import type { DocumentedRegion, SimApi } from '../api';
import { modeledError, serviceError } from '../aws-errors';
import type { World } from '../world';
import { describeGlobal } from './describe';

/** The two promotion APIs of the simulated RDS: SwitchoverGlobalCluster and FailoverGlobalCluster. */

/** Throws GlobalClusterNotFoundFault unless `id` names the global cluster (by identifier or ARN). */
export function globalOrThrow(world: World, id: string | undefined): void {
  const g = world.rds.global;
  // The identifier is not case-sensitive (API reference); the ARN is matched as given.
  if (id?.toLowerCase() !== g.id.toLowerCase() && id !== g.arn) {
    throw modeledError(GlobalClusterNotFoundFault, `The global cluster ${String(id)} doesn't exist.`, 404);
  }
}

/** RDS's answer to a request without a required parameter (Common Errors: MissingParameter, 400). */
export function missingParameter(name: string): Error {
  return serviceError(
    RDSServiceException,
    'MissingParameter',
    `The request must contain the parameter ${name}.`,
  );
}

/**
 * The role `target` names. The API reference asks for the cluster's ARN "so that Aurora can locate
 * the cluster in its Region": a bare identifier locates nothing, whichever region is called.
 */
function targetRole(world: World, region: string, target: string): RegionRole {
  const role = target.startsWith('arn:') ? world.rds.findCluster(region, target)?.role : undefined;
  if (role !== undefined) return role;
  const hint = target.startsWith('arn:') ? '' : ': TargetDbClusterIdentifier must be the cluster ARN';
  throw modeledError(DBClusterNotFoundFault, `DBCluster ${target} not found in ${region}${hint}.`, 404);
}

/** Checks common to both promotion APIs; returns the role to promote. */
function promotionTarget(
  world: World,
  region: string,
  globalId: string | undefined,
  target: string | undefined,
): RegionRole {
  if (globalId === undefined || globalId === '') throw missingParameter('GlobalClusterIdentifier');
  if (target === undefined || target === '') throw missingParameter('TargetDbClusterIdentifier');
  globalOrThrow(world, globalId);
  const { global } = world.rds;
  const role = targetRole(world, region, target);
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

/** The region of the writer now: where the Aurora guide sends a switchover. */
function primaryRegion(world: World): string {
  return world.regionOf(world.rds.global.writerRole);
}

/** The region in a cluster ARN (`arn:<partition>:rds:<region>:<account>:cluster:<id>`). */
function regionOfArn(arn: string | undefined): string | undefined {
  return arn?.startsWith('arn:') === true ? arn.split(':')[3] : undefined;
}

/**
 * Where the Aurora guide sends each promotion: a switchover (and FailoverGlobalCluster without
 * AllowDataLoss, which is one) to the primary's region, a failover to the selected secondary's.
 */
export const PROMOTION_REGIONS: Readonly<Record<string, DocumentedRegion>> = {
  SwitchoverGlobalCluster: (_input, world) => primaryRegion(world),
  FailoverGlobalCluster: (raw, world) => {
    const input = raw as FailoverGlobalClusterCommandInput;
    return input.AllowDataLoss === true ? regionOfArn(input.TargetDbClusterIdentifier) : primaryRegion(world);
  },
};

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
