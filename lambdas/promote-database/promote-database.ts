import {
  FailoverGlobalClusterCommand,
  type RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { databaseLabel } from '../scale-database/progress';
import {
  readServiceProgress,
  type ServiceProgress,
  type ServiceReadClients,
  type ServiceTarget,
} from '../scale-service/progress';
import {
  FAILOVER_MODES,
  type FailoverMode,
  type PromoteEvent,
  type ResolvedMode,
  type StepResult,
} from '../shared/contracts';
import { type Env, parseIntVar, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import {
  asError,
  hasErrorName,
  InvalidInputError,
  InvalidStateError,
  isTransient,
  ResourceNotFoundError,
  rethrow,
  SwitchoverRefusedError,
  TransientAwsError,
} from '../shared/errors';
import { nameList } from '../shared/name-list';
import { type DatabaseOf, type ResourceProgress, readDatabases, readServices } from '../shared/resources';
import { settleAll } from '../shared/settle';
import { beginStep, ensureBudget, pending, ready, type StepCall } from '../shared/step-result';
import {
  PROMOTE_DATABASE_DATABASE_FIELDS,
  PROMOTE_DATABASE_ENV,
  PROMOTE_DATABASE_SERVICE_FIELDS,
} from './env';
import { operationRunning, type PromotionProgress, readPromotionProgress } from './progress';

/** A `DATABASES` entry as this step reads it. */
export type PromoteDatabaseEntry = DatabaseOf<(typeof PROMOTE_DATABASE_DATABASE_FIELDS)[number]>;

/** This region's databases to promote, and the services a planned switchover waits for. */
export interface PromoteDatabaseSettings extends RegionSettings, ServiceTarget {
  /** Every database of `DATABASES`, in config order: each is promoted. */
  readonly databases: readonly PromoteDatabaseEntry[];
}

/**
 * Each operation goes where the Aurora guide sends it: the switchover to the current primary's
 * region, the failover to the selected secondary's (this) region. Every read is made in this region.
 */
export interface PromoteDatabaseClients extends ServiceReadClients {
  /** RDS in this (target) region: every read, and FailoverGlobalCluster. */
  readonly rds: RDSClient;
  /** RDS in the source region (the current primary's): SwitchoverGlobalCluster only. */
  readonly sourceRds: RDSClient;
}

/**
 * Read the promote-database settings ({@link PROMOTE_DATABASE_ENV}, the lists with the fields
 * {@link PROMOTE_DATABASE_DATABASE_FIELDS} and {@link PROMOTE_DATABASE_SERVICE_FIELDS}); throws InvalidInputError naming
 * every missing variable, a count that is not an integer >= 1, or the `DATABASES` / `SERVICES` entry
 * and field that is malformed.
 */
export function readPromoteDatabaseSettings(env: Env): PromoteDatabaseSettings {
  const raw = requireEnv(PROMOTE_DATABASE_ENV, env);
  return {
    ...regionSettings(raw),
    databases: readDatabases(raw, PROMOTE_DATABASE_DATABASE_FIELDS),
    asgName: raw.ASG_NAME,
    asgMinCapacity: parseIntVar('ASG_MIN_CAPACITY', raw.ASG_MIN_CAPACITY, 1),
    ecsCluster: raw.ECS_CLUSTER,
    services: readServices(raw, PROMOTE_DATABASE_SERVICE_FIELDS),
  };
}

/** What a planned promotion reports while this region cannot serve yet. */
export const WAITING_FOR_SERVICES =
  'waiting for every service before switching over (a switchover before this region can serve would cut writes in the old one)';

/** Said when the budget runs out while AWS still runs an operation: the operator must not start another. */
const STILL_RUNNING =
  'AWS is still running the operation; a rerun resumes waiting for it (it will not start a second one)';

interface Started {
  readonly modeUsed: ResolvedMode;
  readonly detail: string;
}

/** One database in this call: where it stands and the mode used (or to use) against its global cluster. */
interface DatabaseState {
  readonly db: PromoteDatabaseEntry;
  readonly progress: PromotionProgress;
  readonly modeUsed: ResolvedMode;
}

/**
 * Route an error of `action`: a missing cluster is permanent; a documented refusal (400) returns so
 * the caller decides; anything transient (throttling, 5xx, timeouts, network) is retried, since a
 * server error or a timeout says nothing of the source and the request may even have been accepted.
 */
function throwUnlessRefusal(err: unknown, action: string): void {
  if (hasErrorName(err, 'GlobalClusterNotFoundFault', 'DBClusterNotFoundFault')) {
    throw new ResourceNotFoundError(`${action}: ${asError(err).message}`, { cause: err });
  }
  if (hasErrorName(err, 'InvalidGlobalClusterStateFault', 'InvalidDBClusterStateFault')) return;
  const e = asError(err);
  if (isTransient(e)) {
    throw new TransientAwsError(
      `${action}: ${e.name}: ${e.message} (not a refusal: retried; the retry reads the state first, as the request may have been accepted)`,
      { cause: e },
    );
  }
  rethrow(err, action);
}

/** The mode of a running operation aimed at this cluster, when AWS says which it is. */
function modeOfOperation(progress: PromotionProgress, clusterArn: string): ResolvedMode | undefined {
  const op = progress.operation;
  if (op?.toClusterArn !== clusterArn || op.dataLossAllowed === undefined) return undefined;
  return op.dataLossAllowed ? 'unplanned' : 'planned';
}

/**
 * The mode an earlier call used against database `name`: its entry in `previous.resources`. A
 * result without `resources` comes from before several databases, so its one mode was that database's.
 */
function previousModeOf(previous: StepResult | undefined, name: string): ResolvedMode | undefined {
  if (previous?.resources === undefined) return previous?.modeUsed;
  return previous.resources.find((r) => r.kind === 'database' && r.name === name)?.modeUsed;
}

/**
 * After a refusal, read again: an operation already underway (our own earlier request, accepted
 * although its answer was lost) is waited for, never answered with a second one.
 */
async function underwayAfterRefusal(
  clients: PromoteDatabaseClients,
  db: PromoteDatabaseEntry,
  tried: ResolvedMode,
  action: string,
): Promise<Started | undefined> {
  const now = await readPromotionProgress(clients.rds, db);
  if (!now.done && !now.inProgress) return undefined;
  return {
    modeUsed: modeOfOperation(now, db.clusterArn) ?? tried,
    detail: `${action} refused while a promotion is already underway: waiting for it`,
  };
}

async function failOver(
  clients: PromoteDatabaseClients,
  settings: PromoteDatabaseSettings,
  db: PromoteDatabaseEntry,
): Promise<Started> {
  const action = `${databaseLabel(db.name)}: FailoverGlobalCluster (${settings.targetRegion})`;
  try {
    await clients.rds.send(
      new FailoverGlobalClusterCommand({
        GlobalClusterIdentifier: db.globalClusterId,
        TargetDbClusterIdentifier: db.clusterArn,
        AllowDataLoss: true,
      }),
    );
    return { modeUsed: 'unplanned', detail: 'failover (data loss allowed) started' };
  } catch (err: unknown) {
    throwUnlessRefusal(err, action);
    const underway = await underwayAfterRefusal(clients, db, 'unplanned', action);
    if (underway !== undefined) return underway;
    throw new InvalidStateError(`${action} refused: ${asError(err).message}`, { cause: err });
  }
}

/**
 * Start the promotion of `db` in `mode`; `auto` falls back to the failover (of this database only)
 * on a documented refusal. `others`: the databases whose requests go out in the same call, named by
 * a refusal of mode planned.
 */
async function startPromotion(
  clients: PromoteDatabaseClients,
  settings: PromoteDatabaseSettings,
  db: PromoteDatabaseEntry,
  mode: ResolvedMode,
  requestedMode: FailoverMode,
  others: readonly string[],
): Promise<Started> {
  if (mode === 'unplanned') return failOver(clients, settings, db);
  const label = databaseLabel(db.name);
  const action = `${label}: SwitchoverGlobalCluster (${settings.sourceRegion})`;
  try {
    await clients.sourceRds.send(
      new SwitchoverGlobalClusterCommand({
        GlobalClusterIdentifier: db.globalClusterId,
        TargetDbClusterIdentifier: db.clusterArn,
      }),
    );
    return { modeUsed: 'planned', detail: `switchover started (sent to ${settings.sourceRegion})` };
  } catch (err: unknown) {
    throwUnlessRefusal(err, action);
    const underway = await underwayAfterRefusal(clients, db, 'planned', action);
    if (underway !== undefined) return underway;
    if (requestedMode !== 'auto') {
      const e = asError(err);
      const alongside =
        others.length === 0
          ? ''
          : ` (the promotion of ${nameList(others)} was requested too: that rerun waits for it)`;
      throw new SwitchoverRefusedError(
        `${label}: SwitchoverGlobalCluster refused (${e.name}: ${e.message}); ` +
          `mode planned never falls back to a failover with data loss — rerun with mode unplanned to accept it${alongside}`,
        { cause: err },
      );
    }
    return failOver(clients, settings, db);
  }
}

function checkModes(event: PromoteEvent): void {
  if (event.mode !== 'planned' && event.mode !== 'unplanned') {
    throw new InvalidInputError(
      `promotion: mode: expected 'planned' or 'unplanned', got '${String(event.mode)}'`,
    );
  }
  if (!FAILOVER_MODES.includes(event.requestedMode)) {
    throw new InvalidInputError(
      `promotion: requestedMode: expected one of ${FAILOVER_MODES.join(', ')}, got '${String(event.requestedMode)}'`,
    );
  }
}

/** Where the databases stand: one entry per database, and the step's detail summing them up. */
interface Report {
  readonly resources: ResourceProgress[];
  readonly detail: string;
}

/** `details`: a database's clause when it says more than its progress (what this call did). */
function report(
  states: readonly DatabaseState[],
  details: ReadonlyMap<string, string>,
  prefix: string,
): Report {
  const resources: ResourceProgress[] = states.map(({ db, progress, modeUsed }) => ({
    kind: 'database',
    name: db.name,
    done: progress.done,
    detail: details.get(db.name) ?? progress.detail,
    modeUsed,
  }));
  const promoted = resources.filter((r) => r.done).length;
  return {
    resources,
    detail: `${prefix}${promoted}/${resources.length} database(s) promoted: ${resources.map((r) => r.detail).join('; ')}`,
  };
}

/**
 * How often to read while AWS runs every promotion still pending: each second between "AWS is
 * done" and the read that sees it is a chance in sixty that the traffic claim waits a whole alarm
 * period more (issue 24). Those reads are one `DescribeGlobalClusters` per database (about 35 a
 * minute for one; RDS allows ~12 a second, design.md §4). Measured over 40-seed sweeps: 1 s keeps
 * no more claims in their minute but passes 60 RDS requests a minute; 1.5 s keeps the most.
 */
export const UNDERWAY_POLL_SECONDS = 1.5;

/** A service read started early: its progress, or the error it threw (thrown only if the read is used). */
type EarlyRead = Promise<{ readonly progress: ServiceProgress } | { readonly error: unknown }>;

/** Where the services stand: the early read when there is one, else a read now. */
async function serviceProgress(
  clients: PromoteDatabaseClients,
  settings: PromoteDatabaseSettings,
  early: EarlyRead | undefined,
): Promise<ServiceProgress> {
  if (early === undefined) return readServiceProgress(clients, settings);
  const read = await early;
  if ('error' in read) throw read.error;
  return read.progress;
}

/** The databases AWS is promoting, when that is every database not yet done (nothing left to start or wait for here). */
function underwayOf(states: readonly DatabaseState[]): readonly PromoteDatabaseEntry[] {
  const pending = states.filter((s) => !s.progress.done);
  return pending.length > 0 && pending.every((s) => s.progress.inProgress) ? pending.map((s) => s.db) : [];
}

/** READY when every database is done, else PENDING; `modeUsed` is unplanned when any database's is. */
function result(call: StepCall, states: readonly DatabaseState[], { resources, detail }: Report): StepResult {
  const modeUsed: ResolvedMode = states.some((s) => s.modeUsed === 'unplanned') ? 'unplanned' : 'planned';
  const done = resources.every((r) => r.done);
  return { ...(done ? ready(call, detail, { modeUsed }) : pending(call, detail, { modeUsed })), resources };
}

/**
 * Step `promotion`: make this region's cluster of every database (`DATABASES`) the writer of its
 * global cluster. Reads first, in this region, every database in parallel: a database done (its
 * cluster is the writer and `available`) is left alone; one with an operation running, or whose
 * new writer is not available yet, is waited for without a call; each other one is started —
 * planned: SwitchoverGlobalCluster, sent to the source region, but only once EVERY service
 * (`SERVICES`, read once per call) serves, by the service step's rule (at its `servingShare` of
 * its desired count, `readServiceProgress`; PENDING until then); unplanned: FailoverGlobalCluster
 * with AllowDataLoss, sent to this region, without waiting. The requests of one call go out in
 * parallel. READY when every database is done.
 *
 * Only a documented refusal of a switchover (InvalidGlobalClusterStateFault,
 * InvalidDBClusterStateFault) falls back to the failover, of that database only, and only when
 * the requested mode was `auto`; the other databases keep their switchover. A refusal while an
 * operation is already underway waits for it. With mode `planned` requested, a refusal fails the
 * step with SwitchoverRefusedError after the other databases' requests went out: that partial
 * planned promotion is then finished by a rerun in mode unplanned (it waits for the switchovers
 * underway, leaves the promoted databases alone and fails over the refused one).
 *
 * Each database's mode is reported in `resources[i].modeUsed` and carried across calls through
 * `event.previous.resources`; the step's `modeUsed` is `unplanned` when any database's is.
 *
 * @throws ResourceNotFoundError a global cluster or this region's cluster does not exist (naming the database)
 * @throws InvalidStateError a cluster is not a member, a failover was refused, or a service's deployment failed
 * @throws SwitchoverRefusedError a planned switchover (requested `planned`) was refused (naming the database)
 * @throws WaitTimeoutError the step's time budget is spent (saying so when AWS still runs an operation)
 * @throws TransientAwsError throttling, 5xx, timeouts, network errors (retried by the state machine)
 */
export async function promoteDatabase(
  event: PromoteEvent,
  settings: PromoteDatabaseSettings,
  clients: PromoteDatabaseClients,
): Promise<StepResult> {
  return (await reconcilePromotion(event, settings, clients)).result;
}

/** One call of the step: its result, and the databases whose promotion only AWS has left to finish. */
export interface PromotionCall {
  readonly result: StepResult;
  /**
   * Every database not yet done, when AWS runs the promotion of each (else empty): the handler
   * then reads every {@link UNDERWAY_POLL_SECONDS}, passing them back as `underway`.
   */
  readonly underway: readonly PromoteDatabaseEntry[];
}

/**
 * {@link promoteDatabase}, saying also which promotions only AWS has left to finish. With
 * `underway` (from the previous call) and `event.previous`, it first reads only their global
 * clusters: while AWS still runs each operation it returns the previous result again (PENDING,
 * within the budget) without reading more; once one has ended it reads everything as usual.
 */
export async function reconcilePromotion(
  event: PromoteEvent,
  settings: PromoteDatabaseSettings,
  clients: PromoteDatabaseClients,
  underway: readonly PromoteDatabaseEntry[] = [],
): Promise<PromotionCall> {
  const call = beginStep('promotion', event);
  const previous = event.previous;
  if (underway.length > 0 && previous?.status === 'PENDING') {
    const running = await settleAll(underway.map((db) => operationRunning(clients.rds, db)));
    if (running.every(Boolean)) {
      const detail = `${previous.detail}: ${STILL_RUNNING}`;
      const modeUsed = previous.modeUsed ?? event.mode;
      return {
        result: {
          ...pending(call, detail, { modeUsed }),
          detail: previous.detail,
          ...(previous.resources === undefined ? {} : { resources: previous.resources }),
        },
        underway,
      };
    }
  }
  checkModes(event);
  // The first call of a planned promotion reads the services alongside the databases: the switchover
  // it is about to send waits for both, and each read's latency delays it (issue 24).
  const early =
    event.previous === undefined && event.mode === 'planned'
      ? readServiceProgress(clients, settings).then(
          (progress) => ({ progress }),
          (error: unknown) => ({ error }),
        )
      : undefined;
  const states: DatabaseState[] = await settleAll(
    settings.databases.map(async (db) => {
      const progress = await readPromotionProgress(clients.rds, db);
      const modeUsed =
        modeOfOperation(progress, db.clusterArn) ?? previousModeOf(event.previous, db.name) ?? event.mode;
      return { db, progress, modeUsed };
    }),
  );
  const idle = states.filter((s) => !s.progress.done && !s.progress.inProgress);
  const switchovers = idle.filter((s) => s.modeUsed === 'planned');
  const service = switchovers.length > 0 ? await serviceProgress(clients, settings, early) : undefined;
  const waiting = service !== undefined && !service.done;
  const details = new Map(
    waiting
      ? switchovers.map((s) => [s.db.name, `${s.progress.detail}, switchover waits for every service`])
      : [],
  );
  const prefix = waiting ? `${WAITING_FOR_SERVICES}: ${service.detail}; ` : '';
  const toStart = waiting ? idle.filter((s) => s.modeUsed === 'unplanned') : idle;
  const now = report(states, details, prefix);
  if (toStart.length === 0) {
    if (states.some((s) => s.progress.operation !== undefined)) {
      ensureBudget(call, `${now.detail}: ${STILL_RUNNING}`);
    }
    return { result: result(call, states, now), underway: underwayOf(states) };
  }
  ensureBudget(call, now.detail);
  const started = await settleAll(
    toStart.map((s) =>
      startPromotion(
        clients,
        settings,
        s.db,
        s.modeUsed,
        event.requestedMode,
        toStart.filter((o) => o !== s).map((o) => o.db.name),
      ),
    ),
  );
  const after = states.map((s) => {
    const start = started[toStart.indexOf(s)];
    if (start === undefined) return s;
    details.set(s.db.name, `${s.progress.detail}, ${start.detail}`);
    return { ...s, modeUsed: start.modeUsed };
  });
  // Every request went out (a refusal throws): what was idle is now AWS's to finish.
  const pendingStates = states.filter((s) => !s.progress.done);
  const allStarted = pendingStates.every((s) => s.progress.inProgress || toStart.includes(s));
  return {
    result: result(call, after, report(after, details, prefix)),
    underway: allStarted ? pendingStates.map((s) => s.db) : [],
  };
}
