import type { HealthProbeResult } from '../../lambdas/health-probe/health-probe';
import { blindMetricName } from '../../lambdas/health-probe/metrics';
import { PROBE_STATE, type TriggerSettings, triggerSettings } from '../faults/trigger';
import { type AlarmState, dimensionKey } from '../sim/cloudwatch/cloudwatch';
import { evaluateProbeAlarm } from '../sim/cloudwatch/probe-alarm';
import {
  type BusEvent,
  type DeadLetter,
  matchesPattern,
  renderInput,
  retryOffsets,
} from '../sim/eventbridge';
import { AppHealth, installProbeFetch } from '../sim/probe-http';
import type { World } from '../sim/world';
import type { ProbeAlarmSpec, TriggerWiring } from '../synth/alarm-template';
import { stackArn } from '../synth/cfn-template';
import type { OrchestratorWiring } from '../synth/wiring';
import type { AlarmChange, AlarmNotice, DetectionLog, ProbeRecord } from './detection';
import type { ExecutionRecord } from './execution';
import { LambdaEmulator, pause } from './lambda-emulation';
import { fmtTime, type ProgressLog } from './progress';

/**
 * The alarm path on the virtual clock: at second 0 main's application fails as the faults say; the
 * real health-probe handler runs on its schedule in the promoting region against it (its requests
 * spread over the period, its controls after each failure); the failover alarm, the probe alarm
 * (broken or blind) and the dead-letter alarm are evaluated each period; each failover-alarm state
 * change becomes a "CloudWatch Alarm State Change" event that the synthesized rule matches and
 * renders into the execution input that starts the failover, through the target's retry policy and
 * dead-letter queue.
 */

/**
 * Second of the minute at which the probe's rate schedule fires. EventBridge keeps a rate rule's
 * phase from its creation, which the drill cannot know: an assumption, fixed for reproducibility.
 */
export const PROBE_PHASE_SECONDS = 7;
/** A case that may never alarm is watched this many alarm periods before the drill calls it undetected. */
export const PARTIAL_OBSERVE_PERIODS = 15;
/** A person reads the dead-letter notice and runs its start command this long after it (an assumption). */
export const PERSON_REACTION_SECONDS = 300;

export interface TriggerScenarioOptions {
  readonly world: World;
  readonly trigger: TriggerWiring;
  readonly wiring: OrchestratorWiring;
  readonly repoRoot: string;
  readonly execute: (input: Record<string, unknown>) => Promise<ExecutionRecord>;
  readonly log?: ProgressLog;
}

/** The alarm as the drill evaluates it: the synthesized one, or the existing one as config describes it. */
function alarmSpec(o: TriggerScenarioOptions): ProbeAlarmSpec {
  if (o.trigger.alarm !== undefined) return o.trigger.alarm;
  const a = o.world.config.failover.alarm;
  return {
    logicalId: 'ExistingAlarm',
    name: o.trigger.existingAlarmName ?? a.existingAlarmName ?? 'existing',
    namespace: '',
    metric: '',
    dimensions: [],
    statistic: 'Minimum',
    periodSeconds: a.periodSeconds,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    threshold: 1,
    comparison: 'LessThanThreshold',
    treatMissingData: 'breaching',
  };
}

/** Replace every occurrence of the string `from` in `v` by `to` (the alarm's ARN in the pattern). */
function replaced(v: unknown, from: string, to: string): unknown {
  if (v === from) return to;
  if (Array.isArray(v)) return v.map((x) => replaced(x, from, to));
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaced(x, from, to)]));
  }
  return v;
}

/**
 * The probe ran healthy for as long as it has been deployed: the data points of its metrics in the
 * periods before second 0 (share and heartbeat 1, blind 0), so the alarms' first evaluations see a
 * healthy past rather than missing data.
 */
function seedHealthyHistory(
  world: World,
  specs: readonly ProbeAlarmSpec[],
  share: string,
  region: string,
): void {
  for (const spec of specs) {
    if (spec.metric === '' || spec.namespace === 'AWS/SQS') continue;
    for (let k = spec.evaluationPeriods + 1; k >= 1; k--) {
      const at = PROBE_PHASE_SECONDS - k * spec.periodSeconds;
      world.cloudwatch.datapoints.push({
        region,
        namespace: spec.namespace,
        metric: spec.metric,
        dimensions: dimensionKey(spec.dimensions),
        value: spec.metric === blindMetricName(share) ? 0 : 1,
        timestamp: at,
        at,
      });
    }
  }
}

/** What the drill's outage is, in one line. */
function outageText(world: World, app: AppHealth, settings: TriggerSettings): string {
  const plan = app.plan;
  if (world.outages.regionDown(world.regionOf(world.sourceRole), 0)) {
    return "main's region stops answering (requests time out)";
  }
  if (plan.okEvery !== undefined)
    return `main's application answers 1 in ${plan.okEvery} requests (the others 503)`;
  if (plan.lossEvery !== undefined)
    return `main is healthy; 1 probe request in ${plan.lossEvery} is lost (connection reset)`;
  if (plan.down.length > 0) return "main's application stops answering (connections refused)";
  if (settings.egressDown !== undefined) return 'main is healthy; DR cannot reach the internet';
  return 'main is healthy';
}

/** One probe run's line: the share and why requests failed, or blind. */
function probeDetail(r: HealthProbeResult): string {
  const reasons = Object.entries(r.reasons)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const why = reasons === '' ? '' : ` (${reasons})`;
  if (r.outcome === 'blind') {
    return `blind: ${r.succeeded} of ${r.requests} answered, ${r.blind} failed with every control unanswered too${why}`;
  }
  const share = Math.round((r.share ?? 0) * 100) / 100;
  return `share ${share}: ${r.succeeded} of ${r.succeeded + r.failed} answered${why}${r.blind > 0 ? `, ${r.blind} blind` : ''}`;
}

/** Run the alarm path until the outage's alarms have played out and every execution ended. */
export async function runTriggerScenario(o: TriggerScenarioOptions): Promise<DetectionLog> {
  const { world, trigger, wiring, log } = o;
  const settings = triggerSettings(world);
  const app = new AppHealth(settings.app);
  const spec = alarmSpec(o);
  const name = settings.alarmName ?? spec.name;
  const arnOf = (n: string) => stackArn(wiring, 'cloudwatch', `alarm:${n}`);
  const arn = arnOf(name);
  const pattern = replaced(trigger.rule.eventPattern, arnOf(spec.name), arn) as Record<string, unknown>;
  const region = wiring.region;
  const delay = world.timings.alarmEvaluationDelaySeconds;
  const P = spec.periodSeconds;
  const detection: DetectionLog = {
    source: trigger.probe === undefined ? 'existing alarm' : 'probe',
    alarmName: name,
    alarmArn: arn,
    ruleName: trigger.rule.name,
    outageAt: 0,
    outage: outageText(world, app, settings),
    periodSeconds: P,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
    probes: [],
    changes: [],
    deliveries: [],
    notices: [],
    deadLetters: [],
    decision: '',
  };
  const say = (t: number, what: string) => log?.(`${fmtTime(t)}  ${what}`);
  const short = (n: string) => (n.length > 60 ? `${n.slice(0, 57)}...` : n);
  const probeUrl = trigger.probe?.fn.environment.PROBE_URL;
  const restoreFetch = installProbeFetch(world, app, {
    protectedRegion: world.regionOf(world.sourceRole),
    probingRegion: region,
    mainUrl: probeUrl ?? 'http://main.invalid/',
    ...(settings.egressDown === undefined ? {} : { egressDown: settings.egressDown }),
  });
  const lambdas = new LambdaEmulator({ world, wiring, repoRoot: o.repoRoot });
  const scheduleArn = stackArn(wiring, 'events', `rule/${trigger.probe?.ruleName ?? 'none'}`);
  const ruleArn = stackArn(wiring, 'events', `rule/${trigger.rule.name}`);
  const probeRuns: Promise<void>[] = [];
  const executions: Promise<ExecutionRecord>[] = [];
  const deadLetters: DeadLetter[] = [];
  let running = 0;
  let state: AlarmState = 'OK';
  let probeState: AlarmState = 'OK';
  let deadLetterState: AlarmState = 'OK';
  let personAt = Number.POSITIVE_INFINITY;
  let lastDetail: string | undefined;

  const probe = async (fnStarted: number): Promise<void> => {
    const fn = trigger.probe?.fn;
    if (fn === undefined) return;
    let record: ProbeRecord;
    try {
      const r = (await lambdas.task(PROBE_STATE, fn, scheduleArn)({})) as HealthProbeResult;
      record = {
        at: fnStarted,
        outcome: r.outcome,
        ...(r.share === undefined ? {} : { share: r.share }),
        healthy: r.outcome === 'measured' && !breachingShare(spec, r.share),
        detail: probeDetail(r),
        published: true,
      };
    } catch (err: unknown) {
      const e = err instanceof Error ? err : new Error(String(err));
      record = {
        at: fnStarted,
        outcome: 'failed',
        healthy: false,
        detail: `invocation failed: ${e.name}`,
        published: false,
      };
    }
    detection.probes.push(record);
    if (record.detail !== lastDetail) say(record.at, `probe: ${record.detail}`);
    lastDetail = record.detail;
  };

  const startExecution = (input: Record<string, unknown>): string => {
    const execution = `drill-${world.sfn.executions.size + 1}`;
    running += 1;
    executions.push(
      o.execute(input).finally(() => {
        running -= 1;
      }),
    );
    return execution;
  };

  /** The rule's target: StartExecution, retried by its policy, dead-lettered when it gives up. */
  const target = (at: number, event: BusEvent, input: string, parsed: Record<string, unknown>): void => {
    const failure = settings.ruleTarget;
    if (failure === undefined) {
      const execution = startExecution(parsed);
      detection.deliveries.push({ at, state: 'ALARM', matched: true, input, validJson: true, execution });
      say(at, `rule ${trigger.rule.name}: matched → StartExecution ${execution}`);
      return;
    }
    detection.deliveries.push({ at, state: 'ALARM', matched: true, input, validJson: true });
    const retries = failure.retryable
      ? retryOffsets(trigger.rule.retryAttempts, trigger.rule.maxEventAgeSeconds)
      : [];
    const givenUpAt = at + (retries[retries.length - 1] ?? 0);
    say(at, `rule ${trigger.rule.name}: matched → StartExecution failed: ${failure.errorCode}`);
    if (trigger.rule.deadLetterQueue === undefined) {
      say(givenUpAt, 'rule: no dead-letter queue, the event is dropped: nobody is told');
      return;
    }
    const letter: DeadLetter = {
      at: givenUpAt,
      event,
      attributes: {
        RULE_ARN: ruleArn,
        TARGET_ARN: stackArn(wiring, 'states', `stateMachine:${wiring.stateMachineName ?? 'failover'}`),
        ERROR_CODE: failure.errorCode,
        ERROR_MESSAGE: failure.errorMessage,
        RETRY_ATTEMPTS: String(retries.length),
      },
    };
    deadLetters.push(letter);
    detection.deadLetters.push({
      at: givenUpAt,
      errorCode: failure.errorCode,
      errorMessage: failure.errorMessage,
      retryAttempts: retries.length,
    });
  };

  const deliver = (at: number, from: AlarmState, to: AlarmState, reason: string): void => {
    const time = world.clock
      .dateAt(at)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const event: BusEvent = {
      version: '0',
      id: world.ids.uuid(),
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: wiring.account,
      time,
      region,
      resources: [arn],
      detail: {
        alarmName: name,
        state: { value: to, reason, timestamp: time },
        previousState: { value: from, reason: 'previous evaluation', timestamp: time },
        configuration: { description: `${spec.namespace}/${spec.metric}`, metrics: [] },
      },
    };
    if (!matchesPattern(pattern, event)) {
      detection.deliveries.push({ at, state: to, matched: false });
      return;
    }
    const input =
      trigger.rule.transformer === undefined
        ? (trigger.rule.input ?? JSON.stringify(event))
        : renderInput(trigger.rule.transformer, event);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      detection.deliveries.push({ at, state: to, matched: true, input, validJson: false });
      say(at, `rule ${trigger.rule.name}: matched, but the input is not JSON: not started`);
      return;
    }
    target(at, event, input, parsed as Record<string, unknown>);
  };

  const evaluateFailoverAlarm = (at: number): void => {
    let next: AlarmState | undefined;
    let reason: string;
    if (trigger.alarm !== undefined) {
      const ev = evaluateProbeAlarm(world.cloudwatch, spec, region, at, delay);
      next = ev.state;
      reason = ev.reason;
    } else {
      // An existing alarm on whatever it watches: breaching in each period main was down at its end.
      const ends = Array.from(
        { length: spec.evaluationPeriods },
        (_, i) => Math.floor((at - delay) / P) * P - i * P,
      );
      const breaching = ends.filter((e) => e > 0 && app.downAt(e - 0.001)).length;
      next = breaching >= spec.datapointsToAlarm ? 'ALARM' : 'OK';
      reason = `${breaching} of the last ${spec.evaluationPeriods} periods breaching (existing alarm, as config describes it)`;
    }
    if (next === undefined || next === state) return;
    const change: AlarmChange = { at, from: state, to: next, reason };
    detection.changes.push(change);
    say(at, `alarm ${short(name)}: ${state} → ${next}`);
    state = next;
    deliver(at, change.from, change.to, reason);
  };

  const notice = (n: AlarmNotice): void => {
    detection.notices.push(n);
    say(
      n.at,
      `${n.kind === 'probe' ? 'probe alarm' : 'dead-letter alarm'} ${short(n.alarmName)}: ${n.from} → ${n.to}, topic notified`,
    );
  };

  const evaluateNotifyingAlarms = (at: number): void => {
    const composite = trigger.probeAlarm;
    if (composite !== undefined) {
      const firing = composite.anyOf
        .map((child) => ({ child, ev: evaluateProbeAlarm(world.cloudwatch, child, region, at, delay) }))
        .filter((x) => x.ev.state === 'ALARM');
      const next: AlarmState = firing.length > 0 ? 'ALARM' : 'OK';
      if (next !== probeState) {
        const reason =
          firing.length === 0
            ? 'every child alarm OK'
            : firing.map((x) => `${x.child.metric}: ${x.ev.reason}`).join(' ');
        notice({ at, from: probeState, to: next, reason, kind: 'probe', alarmName: composite.name });
        probeState = next;
      }
    }
    const dl = trigger.deadLetterAlarm;
    if (dl !== undefined) {
      // ApproximateNumberOfMessagesVisible as SQS reports it at the end of the period just evaluated.
      const seenAt = at - delay;
      const visible = deadLetters.filter(
        (d) => d.at <= seenAt && (d.deletedAt === undefined || d.deletedAt > seenAt),
      );
      const next: AlarmState = visible.length >= dl.threshold ? 'ALARM' : 'OK';
      if (next !== deadLetterState) {
        const reason = `${visible.length} message(s) visible in ${trigger.rule.deadLetterQueue ?? 'the queue'}${
          visible[0] === undefined ? '' : `: ERROR_CODE ${visible[0].attributes.ERROR_CODE}`
        }`;
        notice({ at, from: deadLetterState, to: next, reason, kind: 'dead-letter', alarmName: dl.name });
        if (next === 'ALARM') personAt = Math.min(personAt, at + PERSON_REACTION_SECONDS);
        deadLetterState = next;
      }
    }
  };

  /** A person runs the start command the dead-letter notice gives, then deletes the message. */
  const personStarts = (at: number): void => {
    const input = {
      mode: 'auto',
      reason: 'the failover alarm fired; the rule could not start the run',
    };
    const execution = startExecution(input);
    detection.deliveries.push({
      at,
      state: 'ALARM',
      matched: true,
      input: JSON.stringify(input),
      validJson: true,
      execution,
      by: 'person',
    });
    for (const d of deadLetters) d.deletedAt ??= at;
    say(at, `a person runs the dead-letter notice's start command → ${execution}`);
  };

  const share = trigger.alarm?.metric ?? '';
  seedHealthyHistory(world, [spec, ...(trigger.probeAlarm?.anyOf ?? [])], share, region);
  say(0, `outage: ${detection.outage}`);
  const rate = trigger.probe?.rateSeconds;
  const plan = app.plan;
  // A case that may never alarm is watched a while: a gray failure, a lossy path, a healthy main.
  const mayNotAlarm = plan.okEvery !== undefined || plan.lossEvery !== undefined || plan.down.length === 0;
  const horizon =
    app.lastChange() +
    (spec.evaluationPeriods + 2) * P +
    delay +
    (mayNotAlarm ? PARTIAL_OBSERVE_PERIODS * P : 0);
  let nextProbe = rate === undefined ? Number.POSITIVE_INFINITY : PROBE_PHASE_SECONDS;
  let nextEval = P + delay;
  try {
    for (;;) {
      const t = Math.min(nextProbe, nextEval, personAt);
      await pause(t - world.clock.now());
      if (t === personAt) {
        personStarts(t);
        personAt = Number.POSITIVE_INFINITY;
        continue;
      }
      if (t === nextProbe) {
        probeRuns.push(probe(t));
        nextProbe += rate ?? Number.POSITIVE_INFINITY;
        continue;
      }
      evaluateFailoverAlarm(t);
      evaluateNotifyingAlarms(t);
      nextEval += P;
      // A dead letter still to be seen by its alarm, a person's start to come or a run going on: wait.
      const settled = deadLetters.every((d) => d.at <= t - delay) && personAt === Number.POSITIVE_INFINITY;
      if (t >= horizon && running === 0 && settled) break;
    }
    await Promise.all(probeRuns);
    detection.decision = decide(detection, await Promise.all(executions));
  } finally {
    restoreFetch();
  }
  return detection;
}

/** Whether a share breaches the failover alarm (its comparison against its threshold). */
function breachingShare(spec: ProbeAlarmSpec, share: number | undefined): boolean {
  if (share === undefined) return false;
  return spec.comparison === 'LessThanOrEqualToThreshold' ? share <= spec.threshold : share < spec.threshold;
}

/** What detection decided, from the log and the executions it started. */
function decide(log: DetectionLog, records: readonly ExecutionRecord[]): string {
  const alarmAt = log.changes.find((c) => c.to === 'ALARM')?.at;
  const told = log.notices
    .filter((n) => n.to === 'ALARM')
    .map(
      (n) =>
        `${n.kind === 'probe' ? 'the probe alarm (broken or blind)' : 'the dead-letter alarm'} notified at ${Math.round(n.at)} s`,
    );
  const shares = log.probes.flatMap((p) => (p.share === undefined ? [] : [p.share]));
  const lowest =
    shares.length === 0
      ? 'no share published'
      : `lowest share ${Math.round(Math.min(...shares) * 100) / 100}`;
  if (records.length === 0) {
    const alarm =
      alarmAt === undefined
        ? `the failover alarm never fired (${lowest})`
        : `the failover alarm fired at ${Math.round(alarmAt)} s but nothing started`;
    return ['no failover', alarm, ...told].join('; ');
  }
  const outcomes = [...records]
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((r) => (r.output as { outcome?: string } | undefined)?.outcome ?? r.status);
  const byPerson = log.deliveries.filter((d) => d.by === 'person').length;
  const starts = `${records.length - byPerson} started by the rule${byPerson === 0 ? '' : `, ${byPerson} by a person`}`;
  const alarm =
    alarmAt === undefined
      ? 'the failover alarm never fired'
      : `the failover alarm fired at ${Math.round(alarmAt)} s`;
  return [
    `${outcomes.includes('PROMOTED') ? 'failed over' : 'did not fail over'}`,
    alarm,
    ...told,
    `${starts}: ${outcomes.join(', ')}`,
  ].join('; ');
}
