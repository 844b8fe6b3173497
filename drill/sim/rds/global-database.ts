import type { RegionRole } from '../../../infra/config/schema';
import type { ModelContext } from '../context';
import type {
  GlobalOperation,
  GlobalOperationRecord,
  SimCluster,
  SimGlobalCluster,
  SimInstance,
} from './state';

/**
 * One Aurora global database (`databases[]`): its global cluster, one member cluster per region,
 * and the replication between them. Its writer moves by switchover (waits for replication, RPO 0)
 * or failover (`AllowDataLoss`), independently of every other global database.
 */

/** What a global database shares with the others of the account (the Aurora model's). */
export interface AuroraShared {
  /** Every instance of every cluster, keyed by `region|identifier`. */
  readonly instances: ReadonlyMap<string, SimInstance>;
  /** Every switchover and failover of every global database, in start order. */
  readonly operations: GlobalOperationRecord[];
  /** The seconds an operation takes, after the faults over durations (see `AuroraModel`). */
  operationSeconds(database: string, kind: GlobalOperation, modeled: number): number;
}

/** One global database and its members (see the module comment). */
export class GlobalDatabase {
  /** The member cluster of each region. */
  readonly clusters = new Map<RegionRole, SimCluster>();
  /**
   * Replication into the secondary stopped at this second (a fault: `replication-broken`): its
   * position stays there until a switchover or failover starts (see {@link startGlobalOperation}).
   */
  replicationStalledFrom?: number;
  /** Writes are fenced (switchover/failover started) from this second until the op completes. */
  private writesFencedAt?: number;

  constructor(
    /** The entry's `name` in `databases[]`. */
    readonly name: string,
    readonly global: SimGlobalCluster,
    private readonly ctx: ModelContext,
    private readonly shared: AuroraShared,
  ) {}

  /** Instances of `role`'s member cluster that are not being deleted. */
  clusterInstances(role: RegionRole): SimInstance[] {
    const c = this.clusters.get(role);
    if (c === undefined) return [];
    return [...this.shared.instances.values()].filter(
      (i) => i.region === c.region && i.clusterId === c.id && i.status !== 'deleting',
    );
  }

  /** This database's switchovers and failovers, in start order. */
  operations(): GlobalOperationRecord[] {
    return this.shared.operations.filter((o) => o.database === this.name);
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
    const duration = this.shared.operationSeconds(this.name, kind, modeled);
    const op: GlobalOperationRecord = {
      database: this.name,
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
    this.shared.operations.push(op);
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
      `global cluster ${this.global.id} ${kind} to ${toRole} done`,
    );
    return op;
  }

  /** When the writer's region went down, if it is down at `t`. */
  private writerOutageFrom(t: number): number | undefined {
    const down = this.ctx.outages.regions.get(this.ctx.regionOf(this.global.writerRole));
    return down !== undefined && down.from <= t ? down.from : undefined;
  }
}
