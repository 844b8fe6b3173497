import type { RegionRole } from '../../../infra/config/schema';
import type { ModelContext } from '../context';

/**
 * The Aurora global database: one cluster per region, their instances, and the global cluster
 * whose writer moves by switchover (waits for replication, RPO 0) or failover (`AllowDataLoss`).
 */

export interface SimInstance {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly clusterId: string;
  readonly instanceClass: string;
  readonly engine: string;
  status: 'creating' | 'available' | 'deleting';
  readonly createdAt: number;
  availableAt?: number;
  /** Seeded from config (deployed by CloudFormation) rather than created during the drill. */
  readonly seeded: boolean;
}

/** The Aurora cluster of one region, a member of the global cluster. */
export interface SimCluster {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly engine: string;
  readonly engineVersion: string;
  readonly resourceId: string;
}

/** How the global cluster changes writer. */
export type GlobalOperation = 'switchover' | 'failover';

/** One switchover or failover: when it ran, what it lost. */
export interface GlobalOperationRecord {
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

/**
 * A fault over a switchover's or failover's duration: return the seconds it takes instead of
 * `seconds` (e.g. a promotion that outlasts the step's budget), or undefined to leave it.
 */
export type OperationDurationInterceptor = (
  kind: GlobalOperation,
  seconds: number,
  index: number,
) => number | undefined;

/** Every CreateDBInstance that reached the model: accepted or refused as a duplicate. */
export interface CreateAttempt {
  readonly id: string;
  readonly region: string;
  readonly at: number;
  readonly outcome: string;
  readonly execution?: string;
}

/** The simulated RDS / Aurora global database state and its timed behaviour. */
export class AuroraModel {
  /** By role. */
  readonly clusters = new Map<RegionRole, SimCluster>();
  /** Keyed by `region|identifier`. */
  readonly instances = new Map<string, SimInstance>();
  readonly operations: GlobalOperationRecord[] = [];
  readonly createAttempts: CreateAttempt[] = [];
  /** Faults over operation durations, asked in order. */
  readonly durationInterceptors: OperationDurationInterceptor[] = [];
  /** Writes are fenced (switchover/failover started) from this second until the op completes. */
  private writesFencedAt?: number;
  /**
   * Replication into the secondary stopped at this second (a fault: `replication-broken`): its
   * position stays there until a switchover or failover starts (see {@link startGlobalOperation}).
   */
  replicationStalledFrom?: number;

  constructor(
    private readonly ctx: ModelContext,
    readonly global: SimGlobalCluster,
  ) {}

  /** Instances of `role`'s cluster that are not being deleted. */
  clusterInstances(role: RegionRole): SimInstance[] {
    const c = this.clusters.get(role);
    if (c === undefined) return [];
    return [...this.instances.values()].filter(
      (i) => i.region === c.region && i.clusterId === c.id && i.status !== 'deleting',
    );
  }

  /** The cluster `idOrArn` names in `region` (identifiers resolve only in their own region). */
  findCluster(region: string, idOrArn: string): SimCluster | undefined {
    for (const c of this.clusters.values()) {
      if (idOrArn.startsWith('arn:') ? c.arn === idOrArn : c.id === idOrArn && c.region === region) return c;
    }
    return undefined;
  }

  /** Add a `creating` instance to `cluster`; it becomes available after the modeled create time. */
  createInstance(cluster: SimCluster, id: string, arn: string, instanceClass: string): SimInstance {
    const now = this.ctx.clock.now();
    const instance: SimInstance = {
      id,
      arn,
      region: cluster.region,
      clusterId: cluster.id,
      instanceClass,
      engine: cluster.engine,
      status: 'creating',
      createdAt: now,
      seeded: false,
    };
    this.instances.set(`${cluster.region}|${id}`, instance);
    const availableAt = now + this.ctx.timings.dbInstanceCreateSeconds;
    this.ctx.clock.schedule(
      availableAt,
      () => {
        instance.status = 'available';
        instance.availableAt = availableAt;
      },
      `RDS instance ${id} available`,
    );
    return instance;
  }

  /** Latest committed write of the current writer (writes stop when fenced or its region is down). */
  lastCommitAt(t: number): number {
    const down = this.writerOutageFrom(t);
    let last = t;
    if (this.writesFencedAt !== undefined) last = Math.min(last, this.writesFencedAt);
    if (down !== undefined) last = Math.min(last, down);
    return last;
  }

  /** Position (commit time) the other member has received by `t`. */
  replicaPositionAt(t: number): number {
    const lag = this.ctx.timings.replicationLagSeconds;
    const down = this.writerOutageFrom(t);
    let pos = Math.min(this.lastCommitAt(t), t - lag);
    if (down !== undefined) pos = Math.min(pos, down - lag);
    const stalled = this.replicationStalledFrom;
    if (stalled !== undefined && stalled <= t) pos = Math.min(pos, stalled - lag);
    return pos;
  }

  /** Start a switchover or failover of the global cluster to `toRole` (checks done by the caller). */
  startGlobalOperation(kind: GlobalOperation, toRole: RegionRole, execution?: string): GlobalOperationRecord {
    const { clock, timings } = this.ctx;
    const now = clock.now();
    const fromRole = this.global.writerRole;
    const lag = timings.replicationLagSeconds;
    // A switchover first lets the secondary catch up with every committed write.
    const modeled =
      kind === 'switchover' ? Math.max(timings.switchoverSeconds, lag) : timings.failoverSeconds;
    const duration = this.durationInterceptors.reduce(
      (seconds, intercept) => intercept(kind, seconds, this.operations.length) ?? seconds,
      modeled,
    );
    const op: GlobalOperationRecord = {
      kind,
      fromRole,
      toRole,
      startedAt: now,
      endsAt: now + duration,
      ...(execution === undefined ? {} : { execution }),
    };
    // Both operations fence writes on the old writer; a failover also stops waiting for replication.
    this.writesFencedAt = now;
    const positionAtStart = this.replicaPositionAt(now);
    // A stalled secondary: a failover promotes what it has (positionAtStart); a switchover first
    // synchronizes every secondary (SwitchoverGlobalCluster, API reference), which ends the stall.
    this.replicationStalledFrom = undefined;
    this.global.operation = op;
    this.operations.push(op);
    clock.schedule(
      op.endsAt,
      () => {
        const lastCommit = this.lastCommitAt(op.endsAt);
        const position = kind === 'switchover' ? this.replicaPositionAt(op.endsAt) : positionAtStart;
        op.completedAt = op.endsAt;
        op.lostWritesSeconds = Math.max(0, lastCommit - position);
        this.global.writerRole = toRole;
        this.global.pendingResync.delete(toRole);
        if (kind === 'failover') this.global.pendingResync.add(fromRole);
        this.global.operation = undefined;
        this.writesFencedAt = undefined;
      },
      `global cluster ${kind} to ${toRole} done`,
    );
    return op;
  }

  /** When the writer's region went down, if it is down at `t`. */
  private writerOutageFrom(t: number): number | undefined {
    const down = this.ctx.outages.regions.get(this.ctx.regionOf(this.global.writerRole));
    return down !== undefined && down.from <= t ? down.from : undefined;
  }
}
