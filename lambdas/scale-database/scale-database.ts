import { CreateDBInstanceCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { StepEvent, StepResult } from '../shared/contracts';
import { type Env, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import {
  asError,
  hasErrorName,
  InstanceCreationFailedError,
  rethrow,
  TransientAwsError,
} from '../shared/errors';
import { type DatabaseOf, type ResourceProgress, readDatabases } from '../shared/resources';
import { settleAll } from '../shared/settle';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';
import { SCALE_DATABASE_DATABASE_FIELDS, SCALE_DATABASE_ENV } from './env';
import { type DatabaseProgress, databaseLabel, readDatabaseProgress } from './progress';

/** A `DATABASES` entry as this step reads it. */
export type ScaleDatabaseEntry = DatabaseOf<(typeof SCALE_DATABASE_DATABASE_FIELDS)[number]>;

export interface ScaleDatabaseSettings extends RegionSettings {
  /** Every database of `DATABASES`, in config order: each cluster gets its instances. */
  readonly databases: readonly ScaleDatabaseEntry[];
}

export interface ScaleDatabaseClients {
  /** RDS in the target region. */
  readonly rds: RDSClient;
}

/**
 * Read the scale-database settings ({@link SCALE_DATABASE_ENV}, each database with
 * {@link SCALE_DATABASE_DATABASE_FIELDS}); throws InvalidInputError naming every missing variable,
 * or the `DATABASES` entry and field that is malformed.
 */
export function readScaleDatabaseSettings(env: Env): ScaleDatabaseSettings {
  const raw = requireEnv(SCALE_DATABASE_ENV, env);
  return { ...regionSettings(raw), databases: readDatabases(raw, SCALE_DATABASE_DATABASE_FIELDS) };
}

/** How RDS refuses an instance class it has no capacity for in the region (the SDK's name, then the API code). */
const NO_CAPACITY = ['InsufficientDBInstanceCapacityFault', 'InsufficientDBInstanceCapacity'] as const;

/** The class one instance was created with, when RDS refused the ones before it for capacity. */
interface Fallback {
  readonly id: string;
  readonly used: string;
  readonly refused: readonly string[];
}

/** Send CreateDBInstance for `id` with `cls`; `false` when RDS has no capacity for that class. */
async function tryCreate(
  rds: RDSClient,
  id: string,
  cls: string,
  database: ScaleDatabaseEntry,
  progress: DatabaseProgress,
): Promise<boolean> {
  const label = databaseLabel(database.name);
  const { clusterId } = database;
  try {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBClusterIdentifier: clusterId,
        Engine: progress.engine,
        DBInstanceClass: cls,
      }),
    );
    return true;
  } catch (err: unknown) {
    // A concurrent call (or a retried one whose response was lost) created it first: that is the goal.
    if (hasErrorName(err, 'DBInstanceAlreadyExistsFault', 'DBInstanceAlreadyExists')) return true;
    if (hasErrorName(err, ...NO_CAPACITY)) return false;
    if (hasErrorName(err, 'InvalidDBClusterStateFault')) {
      const e = asError(err);
      throw new TransientAwsError(
        `${label}: CreateDBInstance ${id}: ${e.name}: ${e.message} (cluster ${clusterId} ${progress.clusterStatus}; retried: AWS ` +
          'refuses new instances while the cluster is being modified; the retry reads first, so nothing is created twice)',
        { cause: e },
      );
    }
    rethrow(err, `${label}: CreateDBInstance`);
  }
}

/**
 * Create instance `id` with the entry's `instanceClass`, then, only while RDS refuses for capacity,
 * with each of its `fallbackInstanceClasses` in order (decided in advance, so a crowded region does
 * not need an operator). Returns the fallback class used (undefined when the first was accepted); every other error ends the attempt as before.
 */
async function createInstance(
  rds: RDSClient,
  id: string,
  database: ScaleDatabaseEntry,
  progress: DatabaseProgress,
): Promise<Fallback | undefined> {
  const classes = [database.instanceClass, ...(database.fallbackInstanceClasses ?? [])];
  const refused: string[] = [];
  for (const cls of classes) {
    if (await tryCreate(rds, id, cls, database, progress)) {
      return refused.length === 0 ? undefined : { id, used: cls, refused };
    }
    refused.push(cls);
  }
  throw new InstanceCreationFailedError(
    `${databaseLabel(database.name)}: no capacity for ${id}: ${refused.join(', ')} refused (${NO_CAPACITY[1]})`,
  );
}

/**
 * Create one database's missing instances, one after the other (as one cluster's modifications go),
 * and say of each how it was created (`proj-dr-aurora-1 as db.r7g.large (db.r6g.large: no capacity)`).
 */
async function createMissing(
  rds: RDSClient,
  database: ScaleDatabaseEntry,
  progress: DatabaseProgress,
): Promise<string[]> {
  const notes: string[] = [];
  for (const id of progress.missing) {
    const fallback = await createInstance(rds, id, database, progress);
    notes.push(
      fallback === undefined ? id : `${id} as ${fallback.used} (${fallback.refused.join(', ')}: no capacity)`,
    );
  }
  return notes;
}

function resourceOf(progress: DatabaseProgress, detail = progress.detail): ResourceProgress {
  return { kind: 'database', name: progress.name, done: progress.done, detail };
}

function summary(progress: readonly DatabaseProgress[], details: readonly string[]): string {
  const done = progress.filter((p) => p.done).length;
  return `${done}/${progress.length} database(s) ready: ${details.join('; ')}`;
}

/**
 * Step `database`: make every database's cluster in this region (`DATABASES`) have its
 * `instanceCount` instances, all `available`. Every call reads each cluster first (in parallel); a
 * call that finds too few creates the missing ones with deterministic identifiers (so a rerun
 * creates nothing twice), the clusters in parallel, then reports PENDING until every database is
 * done. `resources` has one entry per database, in config order; every error names the database
 * (`database orders: …`).
 *
 * An instance RDS refuses for capacity (InsufficientDBInstanceCapacity) is created, in the same
 * call and with the same identifier, with the entry's next `fallbackInstanceClasses` class; the
 * details say which class was used instead of `instanceClass`.
 *
 * @throws ResourceNotFoundError a cluster does not exist
 * @throws InstanceCreationFailedError RDS had capacity for none of the classes (naming each refused), or
 * an instance in a failed state (naming each database with one)
 * @throws WaitTimeoutError the step's time budget is spent
 * @throws TransientAwsError throttling, 5xx, network errors, or a cluster being modified
 * (InvalidDBClusterStateFault; retried by the state machine)
 */
export async function scaleDatabase(
  event: StepEvent,
  settings: ScaleDatabaseSettings,
  clients: ScaleDatabaseClients,
): Promise<StepResult> {
  const call = beginStep('database', event);
  const { databases } = settings;
  const progress = await settleAll(databases.map((db) => readDatabaseProgress(clients.rds, db)));
  const failed = progress.filter((p) => p.failed.length > 0);
  if (failed.length > 0) {
    throw new InstanceCreationFailedError(
      failed
        .map((p) => `${databaseLabel(p.name)}: instance(s) in a failed state: ${p.failed.join(', ')}`)
        .join('; '),
    );
  }
  const detail = summary(
    progress,
    progress.map((p) => p.detail),
  );
  const resources = progress.map((p) => resourceOf(p));
  if (progress.every((p) => p.done)) return { ...ready(call, detail), resources };
  if (progress.every((p) => p.missing.length === 0)) return { ...pending(call, detail), resources };
  ensureBudget(call, detail);
  const notes = await settleAll(
    databases.map((db, i) => {
      const p = progress[i];
      return p === undefined || p.missing.length === 0
        ? Promise.resolve([])
        : createMissing(clients.rds, db, p);
    }),
  );
  const created = progress.map((p, i) => {
    const made = notes[i] ?? [];
    return made.length === 0 ? p.detail : `${p.detail}, creating ${made.join(', ')}`;
  });
  return {
    ...pending(call, summary(progress, created)),
    resources: progress.map((p, i) => resourceOf(p, created[i])),
  };
}
