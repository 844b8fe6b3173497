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
import type { GlobalDatabase } from './aurora';
import { describeGlobal } from './describe';

/** The two promotion APIs of the simulated RDS: SwitchoverGlobalCluster and FailoverGlobalCluster. */

/** The global database `id` names (by identifier or ARN), else GlobalClusterNotFoundFault. */
export function globalOrThrow(world: World, id: string | undefined): GlobalDatabase {
  // The identifier is not case-sensitive (API reference); the ARN is matched as given.
  const db = world.rds.findGlobal(id);
  if (db === undefined) {
    throw modeledError(GlobalClusterNotFoundFault, `The global cluster ${String(id)} doesn't exist.`, 404);
  }
  return db;
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
 * The role `target` names among `db`'s members. The API reference asks for the cluster's ARN "so
 * that Aurora can locate the cluster in its Region": a bare identifier locates nothing, whichever
 * region is called; a cluster of another global database is not a member of this one.
 */
function targetRole(world: World, db: GlobalDatabase, region: string, target: string): RegionRole {
  const cluster = target.startsWith('arn:') ? world.rds.findCluster(region, target) : undefined;
  if (cluster !== undefined && cluster.database === db.name) return cluster.role;
  if (cluster !== undefined) {
    throw modeledError(
      DBClusterNotFoundFault,
      `DBCluster ${target} is not a member of global cluster ${db.global.id}.`,
      404,
    );
  }
  const hint = target.startsWith('arn:') ? '' : ': TargetDbClusterIdentifier must be the cluster ARN';
  throw modeledError(DBClusterNotFoundFault, `DBCluster ${target} not found in ${region}${hint}.`, 404);
}

/** Checks common to both promotion APIs; returns the global database and the role to promote. */
function promotionTarget(
  world: World,
  region: string,
  globalId: string | undefined,
  target: string | undefined,
): { readonly db: GlobalDatabase; readonly role: RegionRole } {
  if (globalId === undefined || globalId === '') throw missingParameter('GlobalClusterIdentifier');
  if (target === undefined || target === '') throw missingParameter('TargetDbClusterIdentifier');
  const db = globalOrThrow(world, globalId);
  const { global } = db;
  const role = targetRole(world, db, region, target);
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
  if (!db.clusterInstances(role).some((i) => i.status === 'available')) {
    throw modeledError(
      InvalidDBClusterStateFault,
      `DB cluster ${db.clusters.get(role)?.id ?? target} has no available DB instances: add an instance before promoting a headless secondary.`,
    );
  }
  return { db, role };
}

/** `db`'s current writer's region, when its endpoints do not answer. */
function unreachableSource(world: World, db: GlobalDatabase): string | undefined {
  const sourceRegion = world.regionOf(db.global.writerRole);
  return world.outages.regionDown(sourceRegion, world.clock.now()) ? sourceRegion : undefined;
}

/**
 * The region of the writer now of the global database `globalId` names: where the Aurora guide
 * sends a switchover (undefined: it names none, the call fails wherever it goes).
 */
function primaryRegion(world: World, globalId: string | undefined): string | undefined {
  const db = world.rds.findGlobal(globalId);
  return db === undefined ? undefined : world.regionOf(db.global.writerRole);
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
  SwitchoverGlobalCluster: (raw, world) =>
    primaryRegion(world, (raw as SwitchoverGlobalClusterCommandInput).GlobalClusterIdentifier),
  FailoverGlobalCluster: (raw, world) => {
    const input = raw as FailoverGlobalClusterCommandInput;
    return input.AllowDataLoss === true
      ? regionOfArn(input.TargetDbClusterIdentifier)
      : primaryRegion(world, input.GlobalClusterIdentifier);
  },
};

/** SwitchoverGlobalCluster and FailoverGlobalCluster, answered from the Aurora model. */
export const rdsPromotionApi: SimApi = {
  SwitchoverGlobalCluster: (raw, world, region, call) => {
    const input = raw as SwitchoverGlobalClusterCommandInput;
    const { db, role } = promotionTarget(
      world,
      region,
      input.GlobalClusterIdentifier,
      input.TargetDbClusterIdentifier,
    );
    const down = unreachableSource(world, db);
    if (down !== undefined) {
      throw modeledError(
        InvalidGlobalClusterStateFault,
        `Switchover requires the primary cluster in ${down} to be available and in sync; it is unreachable. Use FailoverGlobalCluster with AllowDataLoss to recover from an outage.`,
      );
    }
    db.startGlobalOperation('switchover', role, call.execution);
    return { GlobalCluster: describeGlobal(world, db) };
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
    const { db, role } = promotionTarget(
      world,
      region,
      input.GlobalClusterIdentifier,
      input.TargetDbClusterIdentifier,
    );
    if (input.AllowDataLoss === true) {
      db.startGlobalOperation('failover', role, call.execution);
      return { GlobalCluster: describeGlobal(world, db) };
    }
    // Without AllowDataLoss the operation is a switchover: it needs a healthy, reachable primary.
    const down = unreachableSource(world, db);
    if (down !== undefined) {
      throw modeledError(
        InvalidGlobalClusterStateFault,
        `The primary cluster in ${down} is unreachable: a failover without AllowDataLoss is a switchover and needs it.`,
      );
    }
    db.startGlobalOperation('switchover', role, call.execution);
    return { GlobalCluster: describeGlobal(world, db) };
  },
};
