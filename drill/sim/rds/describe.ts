import type { DBCluster, DBInstance, GlobalCluster } from '@aws-sdk/client-rds';
import type { World } from '../world';
import type { GlobalDatabase, SimCluster, SimInstance } from './aurora';

/** The RDS API's view of the Aurora model: what the Describe* calls return. */

/** An instance as DescribeDBInstances shows it. */
export function describeInstance(world: World, i: SimInstance): DBInstance {
  const cluster = world.rds.clusters().find((c) => c.id === i.clusterId && c.region === i.region);
  return {
    DBInstanceIdentifier: i.id,
    DBInstanceArn: i.arn,
    DBInstanceClass: i.instanceClass,
    Engine: i.engine,
    EngineVersion: cluster?.engineVersion,
    DBInstanceStatus: i.status,
    DBClusterIdentifier: i.clusterId,
    InstanceCreateTime: i.status === 'creating' ? undefined : world.clock.dateAt(i.createdAt),
    AvailabilityZone: i.status === 'creating' ? undefined : i.availabilityZone,
    PubliclyAccessible: false,
    StorageEncrypted: true,
  };
}

/** The instance that serves writes when `c` is its global database's writer: the oldest available one. */
function writerInstance(world: World, c: SimCluster): SimInstance | undefined {
  return world.rds
    .clusterInstances(c)
    .filter((i) => i.status === 'available')
    .sort((a, b) => a.createdAt - b.createdAt)[0];
}

/** Days of automated backups the database stacks keep (`backup.retention`): the point-in-time window. */
export const BACKUP_RETENTION_DAYS = 7;
/**
 * How far behind now Aurora's LatestRestorableTime usually is (an assumption: AWS documents it as
 * typically within the last five minutes).
 */
const LATEST_RESTORABLE_LAG_SECONDS = 300;

/**
 * A cluster as DescribeDBClusters shows it. The writer's cluster reports its point-in-time window
 * (back to the retention, up to a few minutes ago); a secondary reports none, as AWS shows a
 * secondary of a global database.
 */
export function describeCluster(world: World, c: SimCluster): DBCluster {
  const isWriter = world.rds.databaseOf(c).global.writerRole === c.role;
  const writer = isWriter ? writerInstance(world, c) : undefined;
  const members = world.rds.clusterInstances(c);
  const now = world.clock.now();
  const date = (t: number) => new Date(world.clock.epochMs + t * 1000);
  return {
    ...(isWriter
      ? {
          BackupRetentionPeriod: BACKUP_RETENTION_DAYS,
          EarliestRestorableTime: date(now - BACKUP_RETENTION_DAYS * 86_400),
          LatestRestorableTime: date(now - LATEST_RESTORABLE_LAG_SECONDS),
        }
      : {}),
    DBClusterIdentifier: c.id,
    DBClusterArn: c.arn,
    DbClusterResourceId: c.resourceId,
    Status: 'available',
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    EngineMode: 'provisioned',
    MultiAZ: members.length > 1,
    StorageEncrypted: true,
    Endpoint: `${c.id}.cluster-abc123.${c.region}.rds.amazonaws.com`,
    ReaderEndpoint: `${c.id}.cluster-ro-abc123.${c.region}.rds.amazonaws.com`,
    DBClusterMembers: members.map((i) => ({
      DBInstanceIdentifier: i.id,
      IsClusterWriter: writer?.id === i.id,
      PromotionTier: 1,
    })),
  };
}

/** The first global cluster keeps the id it always had; the others get their own. */
function globalResourceId(world: World, db: GlobalDatabase): string {
  const index = world.rds.databases.indexOf(db);
  return index <= 0 ? 'cluster-GLOBAL0123456789' : `cluster-GLOBAL${String(index).padStart(10, '0')}`;
}

type FailoverStatus = NonNullable<GlobalCluster['FailoverState']>['Status'];

/** `db`'s global cluster as DescribeGlobalClusters shows it, with FailoverState while an operation runs. */
export function describeGlobal(world: World, db: GlobalDatabase): GlobalCluster {
  const { global: g, clusters } = db;
  const op = g.operation;
  const now = world.clock.now();
  // A short `pending` phase first, then switching-over / failing-over.
  const opStatus =
    op === undefined
      ? undefined
      : now < op.startedAt + Math.min(2, (op.endsAt - op.startedAt) / 10)
        ? 'pending'
        : op.kind === 'switchover'
          ? 'switching-over'
          : 'failing-over';
  // A member per region whose cluster exists (one deleted outside pilot-light is no member).
  const members = (['main', 'dr'] as const).flatMap((role) => {
    const c = clusters.get(role);
    if (c === undefined) return [];
    const other = clusters.get(role === 'main' ? 'dr' : 'main');
    const isWriter = g.writerRole === role;
    return {
      DBClusterArn: c.arn,
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
    GlobalClusterResourceId: globalResourceId(world, db),
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
            Status: opStatus as FailoverStatus,
            FromDbClusterArn: clusters.get(op.fromRole)?.arn,
            ToDbClusterArn: clusters.get(op.toRole)?.arn,
            IsDataLossAllowed: op.kind === 'failover',
          },
        }),
  };
}
