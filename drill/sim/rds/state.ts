import type { RegionRole } from '../../../infra/config/schema';

/** The state of the simulated Aurora: instances, clusters, global clusters and their operations. */

export interface SimInstance {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly clusterId: string;
  readonly instanceClass: string;
  /** The zone RDS placed it in: one that had its class when it was created. */
  readonly availabilityZone: string;
  readonly engine: string;
  status: 'creating' | 'available' | 'deleting';
  readonly createdAt: number;
  availableAt?: number;
  /** Seeded from config (deployed by CloudFormation) rather than created during the drill. */
  readonly seeded: boolean;
}

/** The Aurora cluster of one region, a member of one global database. */
export interface SimCluster {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  /** The `databases[]` entry whose global cluster it is a member of. */
  readonly database: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly resourceId: string;
}

/** How a global cluster changes writer. */
export type GlobalOperation = 'switchover' | 'failover';

/** One switchover or failover of one global database: when it ran, what it lost. */
export interface GlobalOperationRecord {
  /** The `databases[]` entry it moved. */
  readonly database: string;
  readonly kind: GlobalOperation;
  readonly fromRole: RegionRole;
  readonly toRole: RegionRole;
  readonly startedAt: number;
  readonly endsAt: number;
  completedAt?: number;
  /** Seconds of committed writes the new writer does not have. */
  lostWritesSeconds?: number;
  readonly execution?: string;
}

/** The global cluster: which member writes, and the operation moving it. */
export interface SimGlobalCluster {
  readonly id: string;
  readonly arn: string;
  readonly engine: string;
  readonly engineVersion: string;
  writerRole: RegionRole;
  /** Members that must resync after an unplanned failover left them behind. */
  readonly pendingResync: Set<RegionRole>;
  operation?: GlobalOperationRecord;
}
