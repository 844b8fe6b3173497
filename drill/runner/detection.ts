import type { AlarmState } from '../sim/cloudwatch/cloudwatch';

/**
 * Detection, the incident's first phase on the alarm path: from the outage (second 0) through each
 * probe, the alarm's transitions and the rule's matches to each execution it started. The RTO is
 * measured from the outage, and its lower bound adds the alarm's minimum detection time
 * (datapointsToAlarm × period) to the failover's.
 */

/** One probe invocation. */
export interface ProbeRecord {
  readonly at: number;
  /** `measured`: a share was published; `blind`: the probe could not see out; `failed`: the invocation failed. */
  readonly outcome: 'measured' | 'blind' | 'failed';
  /** The share of main's requests answered (measured only). */
  readonly share?: number;
  /** Measured with a share above the alarm's threshold: a period that does not breach. */
  readonly healthy: boolean;
  /** `6 of 6 answered`, the failures and why, or why the invocation failed. */
  readonly detail: string;
  /** Whether its PutMetricData landed. */
  readonly published: boolean;
}

/** One transition of the failover alarm. */
export interface AlarmChange {
  readonly at: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly reason: string;
}

/** A transition of an alarm that notifies the failover topic and starts nothing. */
export interface AlarmNotice extends AlarmChange {
  /** `probe`: the probe is broken or blind; `dead-letter`: the alarm fired, the state machine did not start. */
  readonly kind: 'probe' | 'dead-letter';
  readonly alarmName: string;
}

/** An event the rule could not deliver, as its dead-letter queue got it. */
export interface DeadLetterRecord {
  readonly at: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly retryAttempts: number;
}

/** One state-change event put on the bus, and what the rule did with it. */
export interface RuleDelivery {
  readonly at: number;
  readonly state: AlarmState;
  readonly matched: boolean;
  /** The rendered target input, when matched. */
  readonly input?: string;
  /** Whether the input parsed as JSON (Step Functions refuses anything else). */
  readonly validJson?: boolean;
  /** The execution it started. */
  readonly execution?: string;
  /** Who started it: the rule, or a person with the dead-letter notice's command. @default rule */
  readonly by?: 'rule' | 'person';
}

/** Everything detection did in one drill. */
export interface DetectionLog {
  readonly source: 'probe' | 'existing alarm';
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly ruleName: string;
  readonly outageAt: number;
  /** What the outage is, e.g. `main's application refuses connections`. */
  readonly outage: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
  readonly probes: ProbeRecord[];
  /** The failover alarm's transitions. */
  readonly changes: AlarmChange[];
  readonly deliveries: RuleDelivery[];
  /** The probe alarm's and the dead-letter alarm's transitions: each notified the topic. */
  readonly notices: AlarmNotice[];
  readonly deadLetters: DeadLetterRecord[];
  /** What detection decided, in one line (set when the scenario ends). */
  decision: string;
}

/** The detection figures a report prints. */
export interface DetectionFigures {
  readonly source: DetectionLog['source'];
  readonly alarmName: string;
  /** datapointsToAlarm × period: the soonest the alarm can fire after the outage. */
  readonly minimumDetectionSeconds: number;
  /** When the alarm first went to ALARM (absent: it never did). */
  readonly alarmAt?: number;
  /** When the rule started the first execution. */
  readonly firstStartAt?: number;
  readonly probes: number;
  /** Probe runs that were not healthy (a breaching share, blind, or failed). */
  readonly probesFailed: number;
  readonly probesUnpublished: number;
  /** The lowest share a probe run published (absent: none published one). */
  readonly lowestShare?: number;
  /** Probe runs (one per period) that published blind. */
  readonly blindPeriods: number;
  readonly alarmTransitions: number;
  /** When the probe alarm (broken or blind) first went to ALARM and notified. */
  readonly probeAlarmAt?: number;
  /** Events the rule dead-lettered; when their alarm first notified. */
  readonly deadLetters: number;
  readonly deadLetterAlarmAt?: number;
  /** Executions started, by the rule or by a person. */
  readonly executionsStarted: number;
  readonly decision: string;
  /** From the outage to traffic at the promoted region. */
  readonly rtoFromOutageSeconds?: number;
  /** Minimum detection + the failover's lower bound. */
  readonly lowerBoundFromOutageSeconds?: number;
  readonly rtoOverLowerBound?: number;
}

const round = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The figures of `log`. `failover` is the first execution's: its RTO and lower bound measured from
 * its own start (absent when no execution ran or traffic never moved).
 */
export function detectionFigures(
  log: DetectionLog,
  failover?: { readonly rtoSeconds?: number; readonly lowerBoundSeconds: number },
): DetectionFigures {
  const min = log.datapointsToAlarm * log.periodSeconds;
  const alarmAt = log.changes.find((c) => c.to === 'ALARM')?.at;
  const started = log.deliveries.filter((d) => d.execution !== undefined).sort((a, b) => a.at - b.at);
  const firstStartAt = started[0]?.at;
  const shares = log.probes.flatMap((p) => (p.share === undefined ? [] : [p.share]));
  const noticeAt = (kind: AlarmNotice['kind']) =>
    log.notices.find((n) => n.kind === kind && n.to === 'ALARM')?.at;
  const probeAlarmAt = noticeAt('probe');
  const deadLetterAlarmAt = noticeAt('dead-letter');
  const rto =
    firstStartAt === undefined || failover?.rtoSeconds === undefined
      ? undefined
      : firstStartAt - log.outageAt + failover.rtoSeconds;
  const bound = failover === undefined ? undefined : min + failover.lowerBoundSeconds;
  return {
    source: log.source,
    alarmName: log.alarmName,
    minimumDetectionSeconds: min,
    ...(alarmAt === undefined ? {} : { alarmAt: round(alarmAt) }),
    ...(firstStartAt === undefined ? {} : { firstStartAt: round(firstStartAt) }),
    probes: log.probes.length,
    probesFailed: log.probes.filter((p) => !p.healthy).length,
    probesUnpublished: log.probes.filter((p) => !p.published).length,
    ...(shares.length === 0 ? {} : { lowestShare: round2(Math.min(...shares)) }),
    blindPeriods: log.probes.filter((p) => p.outcome === 'blind').length,
    alarmTransitions: log.changes.length,
    ...(probeAlarmAt === undefined ? {} : { probeAlarmAt: round(probeAlarmAt) }),
    deadLetters: log.deadLetters.length,
    ...(deadLetterAlarmAt === undefined ? {} : { deadLetterAlarmAt: round(deadLetterAlarmAt) }),
    executionsStarted: started.length,
    decision: log.decision,
    ...(rto === undefined ? {} : { rtoFromOutageSeconds: round(rto) }),
    ...(bound === undefined ? {} : { lowerBoundFromOutageSeconds: round(bound) }),
    ...(rto === undefined || bound === undefined
      ? {}
      : { rtoOverLowerBound: Math.round((rto / bound) * 1000) / 1000 }),
  };
}

/** The `detection` section of `report.json` (times in seconds since the outage). */
export interface DetectionReport extends DetectionFigures {
  readonly timeline: readonly { readonly at: number; readonly what: string }[];
}

/** The one line the timeline drawing carries under its headline. */
export function detectionNote(d: DetectionFigures): string {
  const alarm = d.alarmAt === undefined ? 'alarm never fired' : `alarm at ${d.alarmAt} s after the outage`;
  const rto =
    d.rtoFromOutageSeconds === undefined || d.lowerBoundFromOutageSeconds === undefined
      ? ''
      : `; RTO from the outage ${d.rtoFromOutageSeconds} s against ${d.lowerBoundFromOutageSeconds} s`;
  return `detection: ${alarm} (minimum ${d.minimumDetectionSeconds} s)${rto}; times below count from the first execution`;
}

/** The detection phase as timeline lines (`mm:ss.s  what`), outage first, the decision last. */
export function detectionTimeline(log: DetectionLog): { at: number; what: string }[] {
  const lines: { at: number; what: string }[] = [{ at: log.outageAt, what: `outage: ${log.outage}` }];
  for (const p of log.probes) {
    lines.push({ at: p.at, what: `probe: ${p.detail}${p.published ? '' : ', not published'}` });
  }
  for (const c of log.changes) lines.push({ at: c.at, what: `alarm ${c.from} → ${c.to}: ${c.reason}` });
  for (const n of log.notices) {
    const what =
      n.kind === 'probe'
        ? 'probe alarm (broken or blind)'
        : 'dead-letter alarm (alarm fired, nothing started)';
    lines.push({ at: n.at, what: `${what} ${n.from} → ${n.to}, topic notified: ${n.reason}` });
  }
  for (const d of log.deliveries) {
    const what =
      d.by === 'person'
        ? `a person runs the dead-letter notice's start command: started ${d.execution}`
        : !d.matched
          ? `rule: ${d.state} event did not match`
          : d.execution === undefined
            ? `rule: matched, not started (${d.validJson === false ? 'the input is not JSON' : 'StartExecution failed'})`
            : `rule: matched, started ${d.execution}`;
    lines.push({ at: d.at, what });
  }
  for (const d of log.deadLetters) {
    lines.push({
      at: d.at,
      what: `rule: StartExecution failed (${d.errorCode}) after ${d.retryAttempts} retries: event dead-lettered`,
    });
  }
  const sorted = lines.sort((a, b) => a.at - b.at);
  const end = sorted[sorted.length - 1]?.at ?? 0;
  return [...sorted, { at: end, what: `decision: ${log.decision}` }];
}
