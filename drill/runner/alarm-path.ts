import { PROBE_STATE, triggerSettings } from '../faults/trigger';
import { type AlarmState, dimensionKey } from '../sim/cloudwatch/cloudwatch';
import { evaluateProbeAlarm } from '../sim/cloudwatch/probe-alarm';
import { type BusEvent, matchesPattern, renderInput } from '../sim/eventbridge';
import { AppHealth, installProbeFetch } from '../sim/probe-http';
import type { World } from '../sim/world';
import type { ProbeAlarmSpec, TriggerWiring } from '../synth/alarm-template';
import { stackArn } from '../synth/cfn-template';
import type { OrchestratorWiring } from '../synth/wiring';
import type { AlarmChange, DetectionLog, ProbeRecord } from './detection';
import type { ExecutionRecord } from './execution';
import { LambdaEmulator, pause } from './lambda-emulation';
import { fmtTime, type ProgressLog } from './progress';

/**
 * The alarm path on the virtual clock: at second 0 main's application stops answering; the real
 * health-probe handler runs on its schedule in the promoting region against it; the alarm is
 * evaluated each period; each state change becomes a "CloudWatch Alarm State Change" event that
 * the synthesized rule matches and renders into the execution input that starts the failover.
 */

/**
 * Second of the minute at which the probe's rate schedule fires. EventBridge keeps a rate rule's
 * phase from its creation, which the drill cannot know: an assumption, fixed for reproducibility.
 */
export const PROBE_PHASE_SECONDS = 7;
/** A partial outage is watched this many alarm periods before the drill calls it undetected. */
export const PARTIAL_OBSERVE_PERIODS = 15;

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
 * The probe ran healthy for as long as it has been deployed: its data points of the periods before
 * second 0 (value 1), so the alarm's first evaluations see a healthy past rather than missing data.
 */
function seedHealthyHistory(world: World, spec: ProbeAlarmSpec, region: string): void {
  if (spec.metric === '') return;
  for (let k = spec.evaluationPeriods + 1; k >= 1; k--) {
    const at = PROBE_PHASE_SECONDS - k * spec.periodSeconds;
    world.cloudwatch.datapoints.push({
      region,
      namespace: spec.namespace,
      metric: spec.metric,
      dimensions: dimensionKey(spec.dimensions),
      value: 1,
      timestamp: at,
      at,
    });
  }
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
    outage: world.outages.regionDown(world.regionOf(world.sourceRole), 0)
      ? "main's region stops answering (requests time out)"
      : app.plan.okEvery === undefined
        ? "main's application stops answering (connections refused)"
        : `main's application answers 1 in ${app.plan.okEvery} requests (the others 503)`,
    periodSeconds: P,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.treatMissingData,
    probes: [],
    changes: [],
    deliveries: [],
  };
  const say = (t: number, what: string) => log?.(`${fmtTime(t)}  ${what}`);
  const restoreFetch = installProbeFetch(world, app, world.regionOf(world.sourceRole));
  const lambdas = new LambdaEmulator({ world, wiring, repoRoot: o.repoRoot });
  const scheduleArn = stackArn(wiring, 'events', `rule/${trigger.probe?.ruleName ?? 'none'}`);
  const probeRuns: Promise<void>[] = [];
  const executions: Promise<ExecutionRecord>[] = [];
  let running = 0;
  let state: AlarmState = 'OK';
  let lastHealthy: boolean | undefined;

  const probe = async (fnStarted: number): Promise<void> => {
    const fn = trigger.probe?.fn;
    if (fn === undefined) return;
    let record: ProbeRecord;
    try {
      const r = (await lambdas.task(PROBE_STATE, fn, scheduleArn)({})) as {
        healthy: boolean;
        statusCode?: number;
        reason?: string;
        detail?: string;
      };
      const detail = r.healthy ? `HTTP ${r.statusCode}` : `${r.reason}: ${r.detail}`;
      record = { at: fnStarted, healthy: r.healthy, detail, published: true };
    } catch (err: unknown) {
      const e = err instanceof Error ? err : new Error(String(err));
      record = { at: fnStarted, healthy: false, detail: `invocation failed: ${e.name}`, published: false };
    }
    detection.probes.push(record);
    if (record.healthy !== lastHealthy || !record.published) say(record.at, `probe: ${record.detail}`);
    lastHealthy = record.healthy;
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
    const execution = `drill-${world.sfn.executions.size + 1}`;
    detection.deliveries.push({ at, state: to, matched: true, input, validJson: true, execution });
    say(at, `rule ${trigger.rule.name}: matched → StartExecution ${execution}`);
    running += 1;
    executions.push(
      o.execute(parsed as Record<string, unknown>).finally(() => {
        running -= 1;
      }),
    );
  };

  const evaluate = (at: number): void => {
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
    say(at, `alarm ${name.length > 60 ? `${name.slice(0, 57)}...` : name}: ${state} → ${next}`);
    state = next;
    deliver(at, change.from, change.to, reason);
  };

  seedHealthyHistory(world, spec, region);
  say(0, `outage: ${detection.outage}`);
  const rate = trigger.probe?.rateSeconds;
  const horizon =
    app.lastChange() +
    (spec.evaluationPeriods + 2) * P +
    delay +
    (app.plan.okEvery === undefined ? 0 : PARTIAL_OBSERVE_PERIODS * P);
  let nextProbe = rate === undefined ? Number.POSITIVE_INFINITY : PROBE_PHASE_SECONDS;
  let nextEval = P + delay;
  try {
    for (;;) {
      const t = Math.min(nextProbe, nextEval);
      await pause(t - world.clock.now());
      if (t === nextProbe) {
        probeRuns.push(probe(t));
        nextProbe += rate ?? Number.POSITIVE_INFINITY;
        continue;
      }
      evaluate(t);
      nextEval += P;
      if (t >= horizon && running === 0) break;
    }
    await Promise.all(probeRuns);
    await Promise.all(executions);
  } finally {
    restoreFetch();
  }
  return detection;
}
