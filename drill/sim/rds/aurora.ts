import type { RegionRole } from '../../../infra/config/schema';
import type { ModelContext } from '../context';
import { GlobalDatabase } from './global-database';
import type {
  GlobalOperation,
  GlobalOperationRecord,
  SimCluster,
  SimGlobalCluster,
  SimInstance,
} from './state';

/**
 * The account's Aurora: every global database of the application (`databases[]`, each in
 * `global-database.ts`: a global cluster with a member cluster per region), their instances, and the
 * switchovers and failovers that move their writers. The instances, the operations and the
 * CreateDBInstance attempts are the account's, kept here across every database.
 */

export { GlobalDatabase } from './global-database';
export type {
  GlobalOperation,
  GlobalOperationRecord,
  SimCluster,
  SimGlobalCluster,
  SimInstance,
} from './state';

/**
 * A fault over a switchover's or failover's duration: return the seconds it takes instead of
 * `seconds` (e.g. a promotion that outlasts the step's budget), or undefined to leave it. `index`
 * counts the earlier operations of the same database.
 */
export type OperationDurationInterceptor = (
  kind: GlobalOperation,
  seconds: number,
  index: number,
  database: string,
) => number | undefined;

/** Every CreateDBInstance that reached the model: accepted or refused as a duplicate. */
export interface CreateAttempt {
  readonly id: string;
  readonly region: string;
  /** The cluster it asked for (as given), when it named one. */
  readonly clusterId?: string;
  readonly at: number;
  readonly outcome: string;
  readonly execution?: string;
}

/** The simulated RDS / Aurora state of the account and its timed behaviour. */
export class AuroraModel {
  /** Every global database, in `databases[]` order. */
  readonly databases: GlobalDatabase[] = [];
  /** Keyed by `region|identifier`. */
  readonly instances = new Map<string, SimInstance>();
  /** Every switchover and failover, of every database, in start order. */
  readonly operations: GlobalOperationRecord[] = [];
  readonly createAttempts: CreateAttempt[] = [];
  /** Faults over operation durations, asked in order. */
  readonly durationInterceptors: OperationDurationInterceptor[] = [];

  constructor(private readonly ctx: ModelContext) {}

  /** Add global database `name` (seed.ts adds one per `databases[]` entry, then its clusters). */
  addDatabase(name: string, global: SimGlobalCluster): GlobalDatabase {
    const db = new GlobalDatabase(name, global, this.ctx, {
      instances: this.instances,
      operations: this.operations,
      operationSeconds: (database, kind, modeled) => {
        const index = this.operations.filter((o) => o.database === database).length;
        return this.durationInterceptors.reduce(
          (seconds, intercept) => intercept(kind, seconds, index, database) ?? seconds,
          modeled,
        );
      },
    });
    this.databases.push(db);
    return db;
  }

  /** The global database of `databases[]` entry `name`. */
  database(name: string): GlobalDatabase {
    const db = this.databases.find((d) => d.name === name);
    if (db === undefined) {
      throw new Error(
        `no global database '${name}' in the simulator (${this.databases.map((d) => d.name).join(', ')})`,
      );
    }
    return db;
  }

  /** The global database `idOrArn` names (the identifier is not case-sensitive; an ARN as given). */
  findGlobal(idOrArn: string | undefined): GlobalDatabase | undefined {
    if (idOrArn === undefined) return undefined;
    return this.databases.find(
      (d) => d.global.id.toLowerCase() === idOrArn.toLowerCase() || d.global.arn === idOrArn,
    );
  }

  /** Every member cluster of every global database. */
  clusters(): SimCluster[] {
    return this.databases.flatMap((d) => [...d.clusters.values()]);
  }

  /** The global database `cluster` is a member of. */
  databaseOf(cluster: SimCluster): GlobalDatabase {
    return this.database(cluster.database);
  }

  /** The cluster `idOrArn` names in `region` (identifiers resolve only in their own region). */
  findCluster(region: string, idOrArn: string): SimCluster | undefined {
    return this.clusters().find((c) =>
      idOrArn.startsWith('arn:') ? c.arn === idOrArn : c.id === idOrArn && c.region === region,
    );
  }

  /**
   * Remove `role`'s member cluster of global database `name` and its instances, as if deleted
   * outside pilot-light (a fault: `missing-resource`); returns the cluster removed, if there was one.
   */
  removeCluster(name: string, role: RegionRole): SimCluster | undefined {
    const db = this.database(name);
    const cluster = db.clusters.get(role);
    if (cluster === undefined) return undefined;
    for (const [key, i] of this.instances) {
      if (i.region === cluster.region && i.clusterId === cluster.id) this.instances.delete(key);
    }
    db.clusters.delete(role);
    return cluster;
  }

  /** Instances of `cluster` that are not being deleted. */
  clusterInstances(cluster: SimCluster): SimInstance[] {
    return this.databaseOf(cluster).clusterInstances(cluster.role);
  }

  /** Add a `creating` instance to `cluster`; it becomes available after the modeled create time. */
  createInstance(
    cluster: SimCluster,
    id: string,
    arn: string,
    instanceClass: string,
    zone = `${cluster.region}a`,
  ): SimInstance {
    const now = this.ctx.clock.now();
    const instance: SimInstance = {
      id,
      arn,
      region: cluster.region,
      clusterId: cluster.id,
      instanceClass,
      availabilityZone: zone,
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
}
