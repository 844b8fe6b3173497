import { DrillUsageError } from '../errors';
import type { Outage } from '../sim/outages';
import type { AppHealthPlan } from '../sim/probe-http';
import type { CallInterceptor, World } from '../sim/world';
import type { FaultDefinition } from './args';
import { positiveInt } from './args';

/**
 * Faults over the alarm path (`--trigger alarm`): how the protected application fails, the probe
 * unable to publish or to see out, the rule unable to start the state machine, an alarm name made to
 * break a careless template. They only shape the world's trigger settings (and intercept the
 * probe's calls); the trigger scenario reads them.
 */

/** The probe's Lambda (its Task-like name in recorded calls). */
export const PROBE_STATE = 'HealthProbe';
/** CloudWatch's alarm names are at most 255 characters. */
export const MAX_ALARM_NAME_LENGTH = 255;

/** StartExecution from the alarm rule's target failing, as EventBridge sees it. */
export interface RuleTargetFailure {
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Whether EventBridge retries it (throttling, 5xx) or dead-letters it at once (a denied call). */
  readonly retryable: boolean;
}

/** What the trigger faults set for one drill. */
export interface TriggerSettings {
  app: AppHealthPlan;
  /** Intervals in which the probing region reaches nothing outside. */
  egressDown?: Outage[];
  /** Every StartExecution the rule's target makes fails so (a person's start works). */
  ruleTarget?: RuleTargetFailure;
  /** The alarm's name, replacing the synthesized (or existing) one. */
  alarmName?: string;
  /** Faults that only mean something on the alarm path (checked by the CLI). */
  readonly applied: string[];
}

const settings = new WeakMap<World, TriggerSettings>();

/** The trigger settings of `world` (the default outage: down from second 0 for good). */
export function triggerSettings(world: World): TriggerSettings {
  let s = settings.get(world);
  if (s === undefined) {
    s = { app: { down: [{ from: 0 }] }, applied: [] };
    settings.set(world, s);
  }
  return s;
}

/** {@link triggerSettings} of `world`, with `fault` recorded as applied. */
function appliedTrigger(world: World, fault: string): TriggerSettings {
  const s = triggerSettings(world);
  s.applied.push(fault);
  return s;
}

/**
 * Main goes down and up `flaps` times, in alarm periods: down 5, then (up 2, down 4) per further
 * flap, then down for good from period 25 at the earliest (after a default failover has finished:
 * its trigger meets the cool-down).
 */
export function flappingPlan(periodSeconds: number, flaps: number): AppHealthPlan {
  const p = periodSeconds;
  const down: Outage[] = [{ from: 0, until: 5 * p }];
  for (let i = 1; i < flaps; i++) down.push({ from: (6 * i + 1) * p, until: (6 * i + 5) * p });
  down.push({ from: Math.max(25, 6 * flaps + 7) * p });
  return { down };
}

/** A 255-character alarm name with double quotes, a backslash and a `<placeholder>`-looking part. */
export function quotedAlarmName(): string {
  const head = 'pilot-light "drill" \\ alarm <detail-alarmName> ';
  return head + 'x'.repeat(MAX_ALARM_NAME_LENGTH - head.length);
}

/** PutMetricData from the probe fails with a server error (the put never lands). */
export function refuseProbePuts(): CallInterceptor {
  return (call) => {
    if (call.service !== 'cloudwatch' || call.command !== 'PutMetricData' || call.state !== PROBE_STATE) {
      return undefined;
    }
    const err = new Error('Internal service error (injected by the drill).');
    err.name = 'InternalServiceFault';
    Object.assign(err, { $fault: 'server', $metadata: { httpStatusCode: 500 } });
    return err;
  };
}

export const TRIGGER_FAULTS = {
  'flapping-source': {
    summary:
      '(--trigger alarm) main goes down and up several times: exactly one failover; every other alarm-started execution ends IN_FLIGHT or COOL_DOWN, each notified once',
    argument: { meaning: 'outages before the last', default: '3', kind: 'int' },
    apply(world, _effects, argument) {
      const s = appliedTrigger(world, 'flapping-source');
      const period = world.config.failover.alarm.periodSeconds;
      s.app = flappingPlan(period, positiveInt('flapping-source', argument ?? '3'));
    },
  },
  'partial-outage': {
    summary:
      '(--trigger alarm) main stays up but answers only every Nth probe request (the others 503): at 1 in 3 (two thirds of users failing) each period breaches and it fails over, once',
    argument: { meaning: 'every Nth request succeeds', default: '3', kind: 'int' },
    apply(world, _effects, argument) {
      const s = appliedTrigger(world, 'partial-outage');
      s.app = { down: [], okEvery: positiveInt('partial-outage', argument ?? '3') };
    },
  },
  'source-recovers': {
    summary:
      "(--trigger alarm) main refuses connections for exactly datapointsToAlarm periods and answers again as the alarm fires: the alarm-started run re-checks main (preflight's second opinion), finds it healthy and ends SOURCE_HEALTHY without acting, notified",
    apply(world) {
      const s = appliedTrigger(world, 'source-recovers');
      const { periodSeconds, datapointsToAlarm } = world.config.failover.alarm;
      s.app = { down: [{ from: 0, until: datapointsToAlarm * periodSeconds }] };
    },
  },
  'probe-flaky': {
    summary:
      '(--trigger alarm) main is healthy but one probe request in N is lost (connection reset): no period breaches, no failover',
    argument: { meaning: 'one request in N is lost', default: '10', kind: 'int' },
    apply(world, _effects, argument) {
      const s = appliedTrigger(world, 'probe-flaky');
      s.app = { down: [], lossEvery: positiveInt('probe-flaky', argument ?? '10') };
    },
  },
  'probe-broken': {
    summary:
      '(--trigger alarm) main is healthy but the probe stops publishing (its PutMetricData fails): the failover alarm sees no data and starts nothing; the probe alarm (no heartbeat) notifies',
    apply(world) {
      const s = appliedTrigger(world, 'probe-broken');
      s.app = { down: [] };
      world.interceptors.push(refuseProbePuts());
    },
  },
  'dr-egress-broken': {
    summary:
      '(--trigger alarm) main is healthy but DR cannot reach the internet: every probe request and control goes unanswered, the probe publishes blind, no failover; the probe alarm (blind) notifies',
    apply(world) {
      const s = appliedTrigger(world, 'dr-egress-broken');
      s.app = { down: [] };
      s.egressDown = [{ from: 0 }];
    },
  },
  'rule-target-failing': {
    summary:
      "(--trigger alarm) main goes down and the alarm fires, but the rule's StartExecution fails (denied: dead-lettered at once; throttled: after the target's retries): its dead-letter alarm notifies, and the start its notice gives (a person's, 5 minutes later) fails over",
    argument: { meaning: 'denied or throttled', default: 'denied', kind: 'name' },
    apply(world, _effects, argument) {
      const s = appliedTrigger(world, 'rule-target-failing');
      const how = argument ?? 'denied';
      if (how !== 'denied' && how !== 'throttled') {
        throw new DrillUsageError(`--fault rule-target-failing:${how}: expected denied or throttled`);
      }
      s.ruleTarget =
        how === 'denied'
          ? {
              errorCode: 'AccessDeniedException',
              errorMessage:
                'User: arn:aws:sts::111111111111:assumed-role/EventsRole/drill is not authorized to perform: states:StartExecution (injected by the drill)',
              retryable: false,
            }
          : {
              errorCode: 'ThrottlingException',
              errorMessage: 'Rate exceeded (injected by the drill)',
              retryable: true,
            };
    },
  },
  'probe-cannot-publish': {
    summary:
      "(--trigger alarm) main goes down and the probe's PutMetricData fails (500): the failover alarm sees no data and starts nothing (missing data is not evidence); the probe alarm (no heartbeat) notifies",
    apply(world) {
      appliedTrigger(world, 'probe-cannot-publish');
      world.interceptors.push(refuseProbePuts());
    },
  },
  'alarm-name-quoted': {
    summary: `(--trigger alarm) the alarm's name has double quotes, a backslash and ${MAX_ALARM_NAME_LENGTH} characters: the rendered input is still valid JSON and preflight accepts it`,
    apply(world) {
      const s = appliedTrigger(world, 'alarm-name-quoted');
      s.alarmName = quotedAlarmName();
    },
  },
} satisfies Record<string, FaultDefinition>;

/** Names of the faults that need `--trigger alarm`. */
export const TRIGGER_FAULT_NAMES: readonly string[] = Object.keys(TRIGGER_FAULTS);
