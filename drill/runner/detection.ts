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
  readonly healthy: boolean;
  /** `HTTP 200`, the failure reason and detail, or why the invocation failed. */
  readonly detail: string;
  /** Whether its PutMetricData landed. */
  readonly published: boolean;
}

/** One transition of the alarm. */
export interface AlarmChange {
  readonly at: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly reason: string;
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
  readonly changes: AlarmChange[];
  readonly deliveries: RuleDelivery[];
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
  readonly probesFailed: number;
  readonly probesUnpublished: number;
  readonly alarmTransitions: number;
  readonly executionsStarted: number;
  /** From the outage to traffic at the promoted region. */
  readonly rtoFromOutageSeconds?: number;
  /** Minimum detection + the failover's lower bound. */
  readonly lowerBoundFromOutageSeconds?: number;
  readonly rtoOverLowerBound?: number;
}

const round = (x: number) => Math.round(x * 10) / 10;

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
  const started = log.deliveries.filter((d) => d.execution !== undefined);
  const firstStartAt = started[0]?.at;
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
    alarmTransitions: log.changes.length,
    executionsStarted: started.length,
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

/** The detection phase as timeline lines (`mm:ss.s  what`), outage first. */
export function detectionTimeline(log: DetectionLog): { at: number; what: string }[] {
  const lines: { at: number; what: string }[] = [{ at: log.outageAt, what: `outage: ${log.outage}` }];
  for (const p of log.probes) {
    lines.push({
      at: p.at,
      what: `probe: ${p.healthy ? 'healthy' : 'unhealthy'} (${p.detail})${p.published ? '' : ', not published'}`,
    });
  }
  for (const c of log.changes) lines.push({ at: c.at, what: `alarm ${c.from} → ${c.to}: ${c.reason}` });
  for (const d of log.deliveries) {
    const what = !d.matched
      ? `rule: ${d.state} event did not match`
      : d.execution === undefined
        ? `rule: matched, input not started (${d.validJson === false ? 'invalid JSON' : 'refused'})`
        : `rule: matched, started ${d.execution}`;
    lines.push({ at: d.at, what });
  }
  return lines.sort((a, b) => a.at - b.at);
}
