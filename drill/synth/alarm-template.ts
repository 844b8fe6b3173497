import { WiringError } from '../errors';
import { type CfnResource, type CfnTemplate, isRecord, type StackLocation, stackArn } from './cfn-template';
import { readFunction, type WiredFunction } from './function';

/** A rule target's `InputTransformer`, as synthesized. */
export interface InputTransformer {
  readonly InputPathsMap?: Readonly<Record<string, string>>;
  readonly InputTemplate: string;
}

/**
 * The alarm path as the orchestrator template deploys it: the health probe's schedule and function,
 * its alarm (period, evaluation periods, datapoints to alarm, threshold, comparison, missing-data
 * treatment) and the rule that starts the state machine (event pattern, input transformer). The
 * drill rehearses what was synthesized, not what the config says.
 */

/** The probe's alarm, as `AWS::CloudWatch::Alarm` properties. */
export interface ProbeAlarmSpec {
  readonly logicalId: string;
  /** CloudFormation names an alarm without `AlarmName` `<stack>-<logicalId>-<suffix>`. */
  readonly name: string;
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: string;
  readonly treatMissingData: string;
}

/** The rule that starts the state machine. */
export interface AlarmRuleSpec {
  readonly logicalId: string;
  readonly name: string;
  /** The event pattern with every reference resolved except the alarm's own ARN (see {@link resolvePattern}). */
  readonly eventPattern: Readonly<Record<string, unknown>>;
  readonly transformer?: InputTransformer;
  /** A constant `Input`, when the target has one instead of a transformer. */
  readonly input?: string;
  readonly retryAttempts: number;
  /** `RetryPolicy.MaximumEventAgeInSeconds` (EventBridge's default, 24 h, when absent). */
  readonly maxEventAgeSeconds: number;
  /** The target's dead-letter queue's name (absent: an undeliverable event is dropped). */
  readonly deadLetterQueue?: string;
}

/** An alarm over other alarms, as `AWS::CloudWatch::CompositeAlarm` properties (`OR` of children only). */
export interface CompositeAlarmSpec {
  readonly name: string;
  /** In ALARM while one of them is. */
  readonly anyOf: readonly ProbeAlarmSpec[];
  /** Whether its ALARM/OK actions publish (to the failover topic). */
  readonly notifies: boolean;
}

/** What the drill needs to run the alarm path. */
export interface TriggerWiring {
  /** The alarm the template builds (absent with `existingAlarmName`). */
  readonly alarm?: ProbeAlarmSpec;
  /** The existing alarm's name, when the rule watches one the template does not build. */
  readonly existingAlarmName?: string;
  readonly rule: AlarmRuleSpec;
  /** The probe's function and schedule (absent with an existing alarm). */
  readonly probe?: { readonly fn: WiredFunction; readonly rateSeconds: number; readonly ruleName: string };
  /** "The probe is broken or blind" (absent with an existing alarm). */
  readonly probeAlarm?: CompositeAlarmSpec;
  /** The alarm on the rule's dead-letter queue (AWS/SQS ApproximateNumberOfMessagesVisible). */
  readonly deadLetterAlarm?: ProbeAlarmSpec;
}

/** Suffix CloudFormation appends to generated names; fixed so reports are reproducible. */
const GENERATED_SUFFIX = 'DRILL0ALARM1';

function byType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === type);
}

function num(props: Readonly<Record<string, unknown>>, key: string, where: string): number {
  const v = props[key];
  if (typeof v !== 'number') throw new WiringError(`${where}: ${key} is ${JSON.stringify(v)}, not a number`);
  return v;
}

function str(props: Readonly<Record<string, unknown>>, key: string, where: string): string {
  const v = props[key];
  if (typeof v !== 'string') throw new WiringError(`${where}: ${key} is ${JSON.stringify(v)}, not a string`);
  return v;
}

/** `rate(1 minute)`, `rate(5 minutes)`, ... in seconds. */
export function rateSeconds(expression: string): number {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (m === null) throw new WiringError(`ScheduleExpression ${expression}: the drill runs rate() schedules`);
  const unit = m[2]?.startsWith('minute') ? 60 : m[2]?.startsWith('hour') ? 3600 : 86_400;
  return Number(m[1]) * unit;
}

/**
 * A template value with pseudo parameters, `Fn::Join` and `Fn::GetAtt <id>.Arn` resolved (`arns`:
 * logical id → ARN); anything else is refused.
 */
export function resolveValue(v: unknown, where: StackLocation, arns: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, where, arns));
  if (!isRecord(v)) return v;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
    const arn = arns.get(getAtt[0]);
    if (arn === undefined) throw new WiringError(`cannot resolve ${JSON.stringify(v)} offline`);
    return arn;
  }
  const ref = v.Ref;
  if (typeof ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Region': where.region,
      'AWS::AccountId': where.account,
      'AWS::Partition': stackArn(where, 'x', 'x').split(':')[1] ?? 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const value = pseudo[ref] ?? arns.get(ref);
    if (value === undefined) throw new WiringError(`cannot resolve Ref ${ref} offline`);
    return value;
  }
  const join = v['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((p: unknown) => String(resolveValue(p, where, arns))).join(join[0]);
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveValue(x, where, arns)]));
}

/** A dimension's value: a string, or `Fn::GetAtt [queue, QueueName]` of a queue the template names. */
function dimensionValue(v: unknown, template: CfnTemplate | undefined, where: string): string {
  if (typeof v === 'string') return v;
  const g = isRecord(v) ? v['Fn::GetAtt'] : undefined;
  const queue = Array.isArray(g) && g[1] === 'QueueName' ? template?.Resources?.[String(g[0])] : undefined;
  const name = queue?.Properties?.QueueName;
  if (typeof name === 'string') return name;
  throw new WiringError(`${where}: cannot resolve dimension value ${JSON.stringify(v)} offline`);
}

function readAlarm(
  logicalId: string,
  r: CfnResource,
  stackName: string,
  template?: CfnTemplate,
): ProbeAlarmSpec {
  const p = r.Properties ?? {};
  const where = `alarm ${logicalId}`;
  const dims = Array.isArray(p.Dimensions) ? p.Dimensions : [];
  return {
    logicalId,
    name: typeof p.AlarmName === 'string' ? p.AlarmName : `${stackName}-${logicalId}-${GENERATED_SUFFIX}`,
    namespace: str(p, 'Namespace', where),
    metric: str(p, 'MetricName', where),
    dimensions: dims
      .filter(isRecord)
      .map((d) => ({ Name: String(d.Name), Value: dimensionValue(d.Value, template, where) })),
    statistic: str(p, 'Statistic', where),
    periodSeconds: num(p, 'Period', where),
    evaluationPeriods: num(p, 'EvaluationPeriods', where),
    // CloudWatch: without DatapointsToAlarm, every evaluated period must breach.
    datapointsToAlarm:
      typeof p.DatapointsToAlarm === 'number' ? p.DatapointsToAlarm : num(p, 'EvaluationPeriods', where),
    threshold: num(p, 'Threshold', where),
    comparison: str(p, 'ComparisonOperator', where),
    treatMissingData: typeof p.TreatMissingData === 'string' ? p.TreatMissingData : 'missing',
  };
}

/** The logical id a `Fn::GetAtt [id, Arn]` names, if `v` is one. */
function getAttId(v: unknown): string | undefined {
  const g = isRecord(v) ? v['Fn::GetAtt'] : undefined;
  return Array.isArray(g) && typeof g[0] === 'string' ? g[0] : undefined;
}

/**
 * Read the alarm path from the orchestrator template, or undefined when it has no alarm rule (the
 * region is not in `failover.alarm.regions`).
 *
 * @throws WiringError when a part cannot be read offline
 */
export function readTrigger(
  template: CfnTemplate,
  stackName: string,
  where: StackLocation,
): TriggerWiring | undefined {
  const rules = byType(template, 'AWS::Events::Rule');
  const alarmRule = rules.find(([, r]) => isRecord(r.Properties?.EventPattern));
  if (alarmRule === undefined) return undefined;
  const [ruleId, rule] = alarmRule;
  const rp = rule.Properties ?? {};
  const pattern = rp.EventPattern as Record<string, unknown>;
  const resources = Array.isArray(pattern.resources) ? pattern.resources : [];
  const alarmId = resources.map(getAttId).find((id) => id !== undefined);
  const alarms = new Map(byType(template, 'AWS::CloudWatch::Alarm'));
  const alarmRes = alarmId === undefined ? undefined : alarms.get(alarmId);
  const alarm =
    alarmRes === undefined || alarmId === undefined ? undefined : readAlarm(alarmId, alarmRes, stackName);
  const arns = new Map<string, string>();
  if (alarm !== undefined) arns.set(alarm.logicalId, stackArn(where, 'cloudwatch', `alarm:${alarm.name}`));
  const resolved = resolveValue(pattern, where, arns) as Record<string, unknown>;
  const existing = alarm === undefined ? existingName(resolved) : undefined;
  const target = (Array.isArray(rp.Targets) ? rp.Targets : []).find(isRecord);
  if (target === undefined) throw new WiringError(`rule ${ruleId} has no target`);
  const t = target.InputTransformer;
  const transformer: InputTransformer | undefined =
    isRecord(t) && typeof t.InputTemplate === 'string'
      ? {
          InputTemplate: t.InputTemplate,
          ...(isRecord(t.InputPathsMap) ? { InputPathsMap: t.InputPathsMap as Record<string, string> } : {}),
        }
      : undefined;
  const retry = isRecord(target.RetryPolicy) ? target.RetryPolicy.MaximumRetryAttempts : undefined;
  const maxAge = isRecord(target.RetryPolicy) ? target.RetryPolicy.MaximumEventAgeInSeconds : undefined;
  const dlqId = isRecord(target.DeadLetterConfig) ? getAttId(target.DeadLetterConfig.Arn) : undefined;
  const dlqName = dlqId === undefined ? undefined : template.Resources?.[dlqId]?.Properties?.QueueName;
  if (dlqId !== undefined && typeof dlqName !== 'string') {
    throw new WiringError(`rule ${ruleId}: its dead-letter queue ${dlqId} has no QueueName`);
  }
  const probeAlarm = compositeOf(template, stackName, alarms);
  const deadLetterAlarm =
    typeof dlqName === 'string' ? deadLetterAlarmOf(template, stackName, alarms, dlqName) : undefined;
  return {
    ...(alarm === undefined ? {} : { alarm }),
    ...(existing === undefined ? {} : { existingAlarmName: existing }),
    rule: {
      logicalId: ruleId,
      name: typeof rp.Name === 'string' ? rp.Name : `${stackName}-${ruleId}-${GENERATED_SUFFIX}`,
      eventPattern: resolved,
      ...(transformer === undefined ? {} : { transformer }),
      ...(typeof target.Input === 'string' ? { input: target.Input } : {}),
      retryAttempts: typeof retry === 'number' ? retry : 185,
      maxEventAgeSeconds: typeof maxAge === 'number' ? maxAge : 86_400,
      ...(typeof dlqName === 'string' ? { deadLetterQueue: dlqName } : {}),
    },
    ...probeOf(template, stackName, rules),
    ...(probeAlarm === undefined ? {} : { probeAlarm }),
    ...(deadLetterAlarm === undefined ? {} : { deadLetterAlarm }),
  };
}

/**
 * The template's composite alarm (the probe's "broken or blind"), its children read as alarms. The
 * drill models `ALARM(a) OR ALARM(b) …` only; every other rule is refused rather than guessed.
 */
function compositeOf(
  template: CfnTemplate,
  stackName: string,
  alarms: ReadonlyMap<string, CfnResource>,
): CompositeAlarmSpec | undefined {
  const [entry, ...more] = byType(template, 'AWS::CloudWatch::CompositeAlarm');
  if (entry === undefined) return undefined;
  const [id, r] = entry;
  if (more.length > 0) throw new WiringError('the drill reads one composite alarm per template');
  const p = r.Properties ?? {};
  const join = isRecord(p.AlarmRule) ? p.AlarmRule['Fn::Join'] : undefined;
  const parts: unknown[] = Array.isArray(join) && Array.isArray(join[1]) ? join[1] : [];
  const children = parts.map(getAttId).filter((x): x is string => x !== undefined);
  const text = parts.filter((x): x is string => typeof x === 'string').join('');
  if (children.length === 0 || /\b(AND|NOT)\b/.test(text)) {
    throw new WiringError(`composite alarm ${id}: the drill models ALARM(a) OR ALARM(b) rules only`);
  }
  return {
    name: typeof p.AlarmName === 'string' ? p.AlarmName : `${stackName}-${id}-${GENERATED_SUFFIX}`,
    anyOf: children.map((c) => {
      const child = alarms.get(c);
      if (child === undefined)
        throw new WiringError(`composite alarm ${id}: child ${c} is not an alarm of the template`);
      return readAlarm(c, child, stackName, template);
    }),
    notifies: Array.isArray(p.AlarmActions) && p.AlarmActions.length > 0,
  };
}

/** The alarm on `queueName`'s visible messages. */
function deadLetterAlarmOf(
  template: CfnTemplate,
  stackName: string,
  alarms: ReadonlyMap<string, CfnResource>,
  queueName: string,
): ProbeAlarmSpec | undefined {
  for (const [id, r] of alarms) {
    if (r.Properties?.Namespace !== 'AWS/SQS') continue;
    const spec = readAlarm(id, r, stackName, template);
    if (spec.dimensions.some((d) => d.Name === 'QueueName' && d.Value === queueName)) return spec;
  }
  return undefined;
}

/** The alarm name at the end of the pattern's alarm ARN (an existing alarm's). */
function existingName(pattern: Readonly<Record<string, unknown>>): string | undefined {
  const arn = Array.isArray(pattern.resources) ? pattern.resources[0] : undefined;
  if (typeof arn !== 'string') return undefined;
  const i = arn.indexOf(':alarm:');
  return i < 0 ? undefined : arn.slice(i + ':alarm:'.length);
}

function probeOf(
  template: CfnTemplate,
  stackName: string,
  rules: readonly [string, CfnResource][],
): Pick<TriggerWiring, 'probe'> {
  // Other Lambdas run on a schedule too (the readiness evaluator): the probe is the health-probe one.
  for (const [id, r] of rules) {
    const p = r.Properties ?? {};
    if (typeof p.ScheduleExpression !== 'string') continue;
    const target = (Array.isArray(p.Targets) ? p.Targets : []).find(isRecord);
    const fnId = getAttId(target?.Arn);
    const fnRes = fnId === undefined ? undefined : template.Resources?.[fnId];
    if (fnId === undefined || fnRes?.Type !== 'AWS::Lambda::Function') {
      throw new WiringError(`schedule ${id}: its target is not a Lambda function of the template`);
    }
    const fn = readFunction(fnId, fnRes, 'HealthProbe');
    if (fn.entry !== HEALTH_PROBE_ENTRY) continue;
    return {
      probe: {
        fn,
        rateSeconds: rateSeconds(str(p, 'ScheduleExpression', `rule ${id}`)),
        ruleName: typeof p.Name === 'string' ? p.Name : `${stackName}-${id}-${GENERATED_SUFFIX}`,
      },
    };
  }
  return {};
}

/** The health probe's source folder (infra/constructs/failover-trigger.ts). */
const HEALTH_PROBE_ENTRY = 'lambdas/health-probe';
