import { type ProjectConfig, promotionInstanceClass, type RegionRole } from '../../infra/config/schema';
import { STEPS } from '../../lambdas/shared/steps';
import { RETRY } from '../../statemachines/build/retry';
import { DrillUsageError } from '../errors';
import type { World } from '../sim/world';
import {
  databaseAndClasses,
  ENTRY_KINDS,
  entryOf,
  type FaultDefinition,
  instanceTypeArgument,
  kindAndName,
  nameAndCount,
  nameArgument,
  optionalEntry,
  positiveInt,
  positiveNumber,
  type Rerun,
  type ScenarioEffects,
  typesAndZones,
} from './args';
import { clusterModifying, refuseAsgUpdatesWhileScaling } from './capacity';
import {
  denyRdsIn,
  failHealthChecks,
  refuseInstanceCreation,
  refusePromotion,
  throttleRdsInBursts,
} from './interceptors';
import { MISSING_FAULTS } from './missing';
import {
  failSwitchovers,
  loseFirstSwitchoverResponse,
  overrunFirstPromotion,
  stickGlobalStatus,
  takeSourceRegionDown,
} from './promotion';
import { READINESS_FAULTS } from './readiness';
import { REPLICATION_FAULTS } from './replication';
import { TRAFFIC_FAULTS } from './traffic';
import { TRIGGER_FAULT_NAMES, TRIGGER_FAULTS } from './trigger';
import { ZONE_CAPACITY_FAULTS } from './zone-capacity';

/**
 * Fault injection. Each fault intercepts the simulated world's calls (a refusal, a burst of
 * errors), its task starts, or its network (an outage), or shapes the scenario (a second trigger,
 * a rerun), so one drill rehearses one failure mode. The service models carry no fault flags.
 */

export type { Rerun, ScenarioEffects } from './args';

/** Ask for `rerun`; with one already asked for, apply both fixes and wait the longer delay. */
function addRerun(effects: ScenarioEffects, rerun: Rerun): void {
  const before = effects.rerun;
  effects.rerun =
    before === undefined
      ? rerun
      : {
          fix: () => {
            before.fix();
            rerun.fix();
          },
          delaySeconds: Math.max(before.delaySeconds, rerun.delaySeconds),
          reason: [before.reason ?? 'fault fixed', rerun.reason ?? 'fault fixed'].join('; '),
        };
}

/**
 * The largest throttling burst a state survives: each throttled attempt of a state whose attempts
 * start with an RDS call spends one of its TransientAwsError retries.
 */
const RDS_THROTTLING_LIMIT = RETRY.transientAws.MaxAttempts;

/** Seconds a rerun waits after a promotion outlasted its budget: an operator reading the notice. */
const OVERRUN_RERUN_DELAY_SECONDS = 60;

/**
 * A `[database:]count` argument: the database (checked against the project's `databases[]`) and the
 * count, either absent when not given.
 */
function databaseAndCount(
  world: World,
  fault: string,
  argument: string | undefined,
  whole: boolean,
): { readonly database?: string; readonly count?: number } {
  if (argument === undefined) return {};
  const { name, count } = nameAndCount(fault, argument, whole);
  return {
    ...(name === undefined ? {} : { database: entryOf(world, fault, argument, 'database', name) }),
    ...(count === undefined ? {} : { count }),
  };
}

/** A parsed `--fault name[:argument]`. */
export interface FaultSpec {
  readonly name: FaultName;
  readonly argument?: string;
}

const FAULTS = {
  'rds-throttling': {
    summary: `RDS answers Throttling (HTTP 400) to the first N RDS calls of every Task state in every execution; each throttled attempt spends one of the state's ${RDS_THROTTLING_LIMIT} TransientAwsError retries (${RETRY.transientAws.IntervalSeconds} s, x${RETRY.transientAws.BackoffRate}, max ${RETRY.transientAws.MaxDelaySeconds} s): N <= ${RDS_THROTTLING_LIMIT} promotes, N = ${RDS_THROTTLING_LIMIT + 1} fails at ${STEPS.database.label}`,
    argument: { meaning: 'calls per burst', default: '3', kind: 'int' },
    apply(world, _effects, argument) {
      world.interceptors.push(throttleRdsInBursts(positiveInt('rds-throttling', argument ?? '3')));
    },
  },
  'lambda-service-exception': {
    summary:
      "a Task state's Lambda invocation fails once with Lambda.ServiceException (retried by the state machine)",
    argument: { meaning: 'Task state name', default: STEPS.promotion.label, kind: 'name' },
    apply(_world, effects, argument) {
      effects.lambdaServiceExceptions.set(argument ?? STEPS.promotion.label, 1);
    },
  },
  'instance-capacity': {
    summary:
      "CreateDBInstance in the promoted region fails with InsufficientDBInstanceCapacityFault for the database's promotion class (every database's, or only the one named, e.g. :orders): a database with fallbackInstanceClasses promotes on the next (the seed lists them), one without fails at the database step; db-capacity chooses the classes and zones",
    argument: { meaning: 'database', default: 'every database', kind: 'name', entry: 'database' },
    apply(world, _effects, argument) {
      const database = optionalEntry(world, 'instance-capacity', 'database', argument);
      const region = world.regionOf(world.targetRole);
      for (const db of world.config.databases.filter((d) => database === undefined || d.name === database)) {
        const first = promotionInstanceClass(db, world.targetRole);
        world.interceptors.push(refuseInstanceCreation(region, db.name, new Set([first])));
      }
    },
  },
  'db-capacity': ZONE_CAPACITY_FAULTS['db-capacity'],
  'ec2-capacity': ZONE_CAPACITY_FAULTS['ec2-capacity'],
  stampede: ZONE_CAPACITY_FAULTS.stampede,
  'source-down-switchover': {
    summary:
      "the source region's RDS API answers (preflight picks planned) but the switchover is refused, of every database or of the one named: the primary is unhealthy",
    argument: { meaning: 'database', default: 'every database', kind: 'name', entry: 'database' },
    apply(world, _effects, argument) {
      const database = optionalEntry(world, 'source-down-switchover', 'database', argument);
      const region = world.regionOf(world.sourceRole);
      const primary = (globalId: string) =>
        world.rds.findGlobal(globalId)?.clusters.get(world.sourceRole)?.id ?? globalId;
      const message = (globalId: string) =>
        `The primary cluster ${primary(globalId)} in ${region} is not healthy enough to switch over.`;
      world.interceptors.push(
        refusePromotion(message, { allowDataLoss: false, ...(database === undefined ? {} : { database }) }),
      );
    },
  },
  'source-region-down': {
    summary:
      "the source region is unreachable since 3 minutes before the trigger: every call to its endpoints times out (Route 53's control plane is a separate fault)",
    apply(world) {
      world.outages.regions.set(world.regionOf(world.sourceRole), { from: -180 });
    },
  },
  'ecs-unhealthy': {
    summary:
      "the promoted region's tasks (of every service, or of the service named, e.g. :api) start but never pass health checks: the service never becomes stable",
    argument: { meaning: 'service', default: 'every service', kind: 'name', entry: 'service' },
    apply(world, _effects, argument) {
      const service = optionalEntry(world, 'ecs-unhealthy', 'service', argument);
      world.ecs.taskStartInterceptors.push(failHealthChecks(world.targetRole, service));
    },
  },
  'route53-control-plane-down': {
    summary:
      "the Route 53 control plane (us-east-1) is unreachable for the first N minutes of the drill (the outage began with the failover): no step needs it, traffic moves through Route 53's data plane and the run ends PROMOTED",
    argument: { meaning: 'minutes', default: '15', kind: 'number' },
    apply(world, _effects, argument) {
      const minutes = positiveNumber('route53-control-plane-down', argument ?? '15');
      world.outages.route53 = { from: -180, until: minutes * 60 };
    },
  },
  'second-trigger': {
    summary: 'a second execution starts while the first runs: it must end IN_FLIGHT without acting',
    argument: { meaning: 'seconds after the first', default: '60', kind: 'number' },
    apply(_world, effects, argument) {
      effects.secondTriggerAfterSeconds = positiveNumber('second-trigger', argument ?? '60');
    },
  },
  'rerun-after-failure': {
    summary:
      'the first run fails at the promotion (the global clusters refuse it: every one, or the database named, e.g. :orders or :orders:300, while the others promote); the fault is then fixed and a rerun resumes without creating anything twice',
    argument: {
      meaning: '[database:]seconds between the failure and the rerun',
      default: '120',
      kind: 'name-number',
      entry: 'database',
    },
    apply(world, effects, argument) {
      const { database, count } = databaseAndCount(world, 'rerun-after-failure', argument, false);
      const message = (globalId: string) =>
        `Global cluster ${globalId} is in an invalid state for this operation (injected).`;
      const refusal = refusePromotion(message, {
        allowDataLoss: true,
        ...(database === undefined ? {} : { database }),
      });
      world.interceptors.push(refusal);
      addRerun(effects, {
        fix: () => {
          world.interceptors.splice(world.interceptors.indexOf(refusal), 1);
        },
        delaySeconds: count ?? 120,
      });
    },
  },
  'switchover-server-error': {
    summary:
      'SwitchoverGlobalCluster (of every database, or of the one named, e.g. :orders:3) fails N times with InternalFailure (500) / ServiceUnavailable (503), alternately: a server error, not a refusal; nothing starts',
    argument: { meaning: '[database:]errors', default: '2', kind: 'name-int', entry: 'database' },
    apply(world, _effects, argument) {
      const { database, count } = databaseAndCount(world, 'switchover-server-error', argument, true);
      world.interceptors.push(failSwitchovers(count ?? 2, database));
    },
  },
  'switchover-timeout-accepted': {
    summary:
      "the first switchover AWS accepts (of any database, or of the one named) loses its response: the operation runs, the caller sees the SDK's TimeoutError after the unreachable-endpoint timeout",
    argument: { meaning: 'database', default: 'any database', kind: 'name', entry: 'database' },
    apply(world, _effects, argument) {
      const database = optionalEntry(world, 'switchover-timeout-accepted', 'database', argument);
      world.responseInterceptors.push(
        loseFirstSwitchoverResponse(world.timings.unreachableTimeoutSeconds, database),
      );
    },
  },
  'source-probe-access-denied': {
    summary:
      'every RDS call to the source region is denied (AccessDeniedException, HTTP 400): the region answers, so it is a misconfiguration, not an outage',
    apply(world) {
      world.interceptors.push(denyRdsIn(world.regionOf(world.sourceRole)));
    },
  },
  'global-status-stuck': {
    summary:
      "the source region is down (as source-region-down) and after the failover DescribeGlobalClusters keeps Status 'failing-over' (of every global cluster, or of the database named) while it stays down (AWS re-adds the old primary only once its region is back)",
    argument: { meaning: 'database', default: 'every database', kind: 'name', entry: 'database' },
    apply(world, _effects, argument) {
      const database = optionalEntry(world, 'global-status-stuck', 'database', argument);
      takeSourceRegionDown(world);
      world.responseInterceptors.push(stickGlobalStatus(database));
    },
  },
  'asg-scaling-in-progress': {
    summary:
      'UpdateAutoScalingGroup in the promoted region fails N times with ScalingActivityInProgress (HTTP 400): the ECS capacity provider scales the same group',
    argument: { meaning: 'refusals', default: '2', kind: 'int' },
    apply(world, _effects, argument) {
      const count = positiveInt('asg-scaling-in-progress', argument ?? '2');
      world.interceptors.push(refuseAsgUpdatesWhileScaling(world.regionOf(world.targetRole), count));
    },
  },
  'create-instance-cluster-modifying': {
    summary:
      "the promoted region's cluster (every database's, or the one named, e.g. :orders or :orders:3) is 'modifying' until CreateDBInstance into it has been refused N times with InvalidDBClusterStateFault (HTTP 400)",
    argument: { meaning: '[database:]refusals', default: '2', kind: 'name-int', entry: 'database' },
    apply(world, _effects, argument) {
      const { database, count } = databaseAndCount(
        world,
        'create-instance-cluster-modifying',
        argument,
        true,
      );
      const clusters = world.rds.databases
        .filter((db) => database === undefined || db.name === database)
        .map((db) => db.clusters.get(world.targetRole)?.id ?? '');
      const fault = clusterModifying(world.regionOf(world.targetRole), clusters, count ?? 2);
      world.interceptors.push(fault.refuse);
      world.responseInterceptors.push(fault.describe);
    },
  },
  'promotion-overrun': {
    summary:
      "the first switchover/failover (of every database, or of the one named, e.g. :orders or :orders:25) outlasts the promotion step's budget: the run fails at PromoteDatabase while AWS still runs it; a rerun a minute later waits for it and starts no second operation",
    argument: {
      meaning: '[database:]minutes it takes',
      default: 'the promotion budget + 5',
      kind: 'name-number',
      entry: 'database',
    },
    apply(world, effects, argument) {
      const { database, count } = databaseAndCount(world, 'promotion-overrun', argument, false);
      const minutes = count ?? world.config.failover.promotion.budgetMinutes + 5;
      world.rds.durationInterceptors.push(overrunFirstPromotion(minutes * 60, database));
      addRerun(effects, {
        fix: () => undefined,
        delaySeconds: OVERRUN_RERUN_DELAY_SECONDS,
        reason: 'AWS still runs the promotion',
      });
    },
  },
  ...TRAFFIC_FAULTS,
  ...REPLICATION_FAULTS,
  ...READINESS_FAULTS,
  ...MISSING_FAULTS,
  ...TRIGGER_FAULTS,
} satisfies Record<string, FaultDefinition>;

/** Valid fault names. */
export type FaultName = keyof typeof FAULTS;
/** Every fault `--fault` accepts, in usage order (the alarm path's last). */
const ALL_FAULT_NAMES = Object.keys(FAULTS) as FaultName[];
/**
 * Every fault of a direct start, in usage order. The alarm path's faults (TRIGGER_FAULT_NAMES) need
 * `--trigger alarm` and change nothing in a direct start, so the fault sweeps leave them out.
 */
export const FAULT_NAMES = ALL_FAULT_NAMES.filter((n) => !TRIGGER_FAULT_NAMES.includes(n));

/** The usage line of fault `name`: its syntax, what it does, its argument's default. */
export function faultHelp(name: FaultName): string {
  const f: FaultDefinition = FAULTS[name];
  const arg =
    f.argument === undefined
      ? ''
      : f.argument.kind === 'name' && f.argument.entry !== undefined
        ? `[:<${f.argument.meaning}>]`
        : f.argument.kind === 'kind-name'
          ? `[:<${ENTRY_KINDS.join('|')}>:<name>]`
          : f.argument.kind === 'database-classes'
            ? '[:[<database>:]<class>[+<class>...][@<zone>[+<zone>...]]]'
            : f.argument.kind === 'types-zones'
              ? '[:<type>[+<type>...][@<zone>[+<zone>...]][~<minutes>]]'
              : f.argument.kind === 'instance-type'
                ? '[:<type>]'
                : `[:${f.argument.meaning.replace(/ /g, '-')}]`;
  const def = f.argument === undefined ? '' : ` (default ${f.argument.default})`;
  return `${name}${arg}: ${f.summary}${def}`;
}

/** One line per fault for the usage text. */
export function describeFaults(): string[] {
  return ALL_FAULT_NAMES.map(faultHelp);
}

/**
 * Whether fault `name` can run on `config` promoting `role` (some need what only some configs
 * deploy: `reservation-inactive` a capacity reservation); the fault sweeps skip those that cannot.
 */
export function faultRunsOn(name: FaultName, config: ProjectConfig, role: RegionRole): boolean {
  const def: FaultDefinition = FAULTS[name];
  return def.needs?.(config, role) === undefined;
}

/** Parse `name[:argument]`; throws {@link DrillUsageError} listing the valid names. */
export function parseFault(raw: string): FaultSpec {
  const [name = '', ...rest] = raw.split(':');
  if (!(ALL_FAULT_NAMES as string[]).includes(name)) {
    throw new DrillUsageError(
      `unknown fault '${name}' (valid: ${FAULT_NAMES.join(', ')}); with --trigger alarm: ${TRIGGER_FAULT_NAMES.join(', ')}`,
    );
  }
  const fault = name as FaultName;
  const argument = rest.length > 0 ? rest.join(':') : undefined;
  const def: FaultDefinition = FAULTS[fault];
  if (argument !== undefined && def.argument === undefined) {
    throw new DrillUsageError(`--fault ${fault} takes no argument (got ':${argument}')`);
  }
  if (argument !== undefined && def.argument?.kind === 'int') positiveInt(fault, argument);
  if (argument !== undefined && def.argument?.kind === 'number') positiveNumber(fault, argument);
  if (argument !== undefined && def.argument?.kind === 'name-int') nameAndCount(fault, argument, true);
  if (argument !== undefined && def.argument?.kind === 'name-number') nameAndCount(fault, argument, false);
  if (argument !== undefined && def.argument?.kind === 'name' && def.argument.entry !== undefined) {
    nameArgument(fault, argument);
  }
  if (argument !== undefined && def.argument?.kind === 'kind-name') kindAndName(fault, argument);
  if (argument !== undefined && def.argument?.kind === 'database-classes')
    databaseAndClasses(fault, argument);
  if (argument !== undefined && def.argument?.kind === 'types-zones') typesAndZones(fault, argument);
  if (argument !== undefined && def.argument?.kind === 'instance-type') instanceTypeArgument(fault, argument);
  return argument === undefined ? { name: fault } : { name: fault, argument };
}

/**
 * Check that every fault naming an entry (`instance-capacity:orders`) names one of `config`'s, before
 * anything is synthesized; throws {@link DrillUsageError} naming it and listing the valid ones.
 */
export function checkFaultEntries(config: ProjectConfig, faults: readonly FaultSpec[]): void {
  for (const f of faults) {
    const def: FaultDefinition = FAULTS[f.name];
    const arg = def.argument;
    if (f.argument !== undefined && arg?.kind === 'kind-name') {
      const { kind, name } = kindAndName(f.name, f.argument);
      entryOf({ config }, f.name, f.argument, kind, name);
      continue;
    }
    if (f.argument !== undefined && arg?.kind === 'database-classes') {
      const { name } = databaseAndClasses(f.name, f.argument);
      if (name !== undefined) entryOf({ config }, f.name, f.argument, 'database', name);
      continue;
    }
    if (f.argument === undefined || arg?.entry === undefined) continue;
    const name =
      arg.kind === 'name' ? f.argument : nameAndCount(f.name, f.argument, arg.kind === 'name-int').name;
    if (name !== undefined) entryOf({ config }, f.name, f.argument, arg.entry, name);
  }
}

/** Apply `faults` to `world`; returns what the scenario must do. */
export function applyFaults(world: World, faults: readonly FaultSpec[]): ScenarioEffects {
  const effects: ScenarioEffects = { lambdaServiceExceptions: new Map() };
  for (const f of faults) {
    const def: FaultDefinition = FAULTS[f.name];
    def.apply(world, effects, f.argument);
  }
  return effects;
}
