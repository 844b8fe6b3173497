import type { RegionRole } from '../../../infra/config/schema';
import {
  CLAIM_ALARM,
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  TRAFFIC_CLAIM_PERIOD_SECONDS,
  TRAFFIC_CLAIM_THRESHOLD,
} from '../../../lambdas/shared/traffic-claim';
import type { ModelContext } from '../context';

/**
 * CloudWatch: the data points the handlers put, by region, and the traffic-claim alarms over them.
 *
 * An alarm (Maximum, one period of 60 s, 1 of 1, `treatMissingData: ignore`) is evaluated once a
 * minute, at each minute boundary plus the timing model's `alarmEvaluationDelaySeconds`, over the
 * period that just ended. A period with no data changes nothing (ignore: the state holds); an alarm
 * that never had data stays INSUFFICIENT_DATA. States are derived from the data points when read,
 * so the model schedules nothing.
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One PutMetricData call as recorded (kept for reports counting puts). */
export interface SimMetricPut {
  readonly at: number;
  readonly region: string;
  readonly namespace: string;
  /** Data points in the put. */
  readonly count: number;
}

/** One data point: `timestamp` is the metric's time, `at` when it was put. */
export interface SimDatapoint {
  readonly region: string;
  readonly namespace: string;
  readonly metric: string;
  /** `Name=Value` pairs sorted by name, joined with `,`: how dimensions are compared. */
  readonly dimensions: string;
  readonly value: number;
  readonly timestamp: number;
  readonly at: number;
}

/** One metric alarm (the traffic claim's shape). */
export interface SimAlarm {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: readonly { readonly Name: string; readonly Value: string }[];
  readonly comparison: 'LessThanThreshold' | 'GreaterThanOrEqualToThreshold';
  readonly threshold: number;
  readonly periodSeconds: number;
  /** The state the deployed alarm was in before the drill (and since when). */
  readonly initial: { readonly state: AlarmState; readonly at: number };
}

/** One state the alarm entered: when, and why. */
export interface AlarmTransition {
  readonly at: number;
  readonly state: AlarmState;
  readonly reason: string;
}

/** The key of a set of dimensions (order-insensitive). */
export function dimensionKey(dims: readonly { readonly Name?: string; readonly Value?: string }[]): string {
  return dims
    .map((d) => `${d.Name ?? ''}=${d.Value ?? ''}`)
    .sort()
    .join(',');
}

/** The simulated CloudWatch state. */
export class CloudWatchModel {
  readonly metrics: SimMetricPut[] = [];
  readonly datapoints: SimDatapoint[] = [];
  /** By alarm name. */
  readonly alarms = new Map<string, SimAlarm>();

  constructor(private readonly ctx: ModelContext) {}

  /** The alarm of `role`'s traffic claim. */
  claimAlarm(role: RegionRole): SimAlarm | undefined {
    return [...this.alarms.values()].find((a) => a.role === role);
  }

  /** Add `role`'s traffic-claim alarm as infra deploys it (see lambdas/shared/traffic-claim.ts). */
  addClaimAlarm(
    role: RegionRole,
    ids: { name: string; arn: string; region: string; dimensions: SimAlarm['dimensions'] },
    initial: SimAlarm['initial'],
  ): void {
    this.alarms.set(ids.name, {
      ...ids,
      role,
      namespace: TRAFFIC_CLAIM_NAMESPACE,
      metric: TRAFFIC_CLAIM_METRIC,
      comparison: CLAIM_ALARM[role].comparisonOperator,
      threshold: TRAFFIC_CLAIM_THRESHOLD,
      periodSeconds: TRAFFIC_CLAIM_PERIOD_SECONDS,
      initial,
    });
  }

  /** End of the period holding `timestamp`: periods are aligned to wall-clock minutes. */
  periodEnd(timestamp: number, periodSeconds: number): number {
    const offset = (this.ctx.clock.epochMs / 1000) % periodSeconds;
    return Math.floor((timestamp + offset) / periodSeconds) * periodSeconds + periodSeconds - offset;
  }

  /** Every state `alarm` entered up to `t` (its initial state first). */
  history(alarm: SimAlarm, t: number = this.ctx.clock.now()): AlarmTransition[] {
    const delay = this.ctx.timings.alarmEvaluationDelaySeconds;
    const key = dimensionKey(alarm.dimensions);
    const byPeriod = new Map<number, SimDatapoint[]>();
    for (const d of this.datapoints) {
      if (d.region !== alarm.region || d.namespace !== alarm.namespace || d.metric !== alarm.metric) continue;
      if (d.dimensions !== key) continue;
      const end = this.periodEnd(d.timestamp, alarm.periodSeconds);
      byPeriod.set(end, [...(byPeriod.get(end) ?? []), d]);
    }
    const out: AlarmTransition[] = [
      { at: alarm.initial.at, state: alarm.initial.state, reason: 'deployed state' },
    ];
    for (const end of [...byPeriod.keys()].sort((a, b) => a - b)) {
      const evaluatedAt = end + delay;
      if (evaluatedAt > t) break;
      const seen = (byPeriod.get(end) ?? []).filter((d) => d.at <= evaluatedAt);
      if (seen.length === 0) continue;
      const max = Math.max(...seen.map((d) => d.value));
      const breaching =
        alarm.comparison === 'LessThanThreshold' ? max < alarm.threshold : max >= alarm.threshold;
      const state: AlarmState = breaching ? 'ALARM' : 'OK';
      if (out[out.length - 1]?.state === state) continue;
      const op = alarm.comparison === 'LessThanThreshold' ? 'less than' : 'greater than or equal to';
      out.push({
        at: evaluatedAt,
        state,
        reason: `Threshold Crossed: 1 datapoint [${max}] was ${breaching ? '' : 'not '}${op} the threshold (${alarm.threshold}).`,
      });
    }
    return out;
  }

  /** The alarm's state at `t`, and since when. */
  stateAt(alarm: SimAlarm, t: number = this.ctx.clock.now()): AlarmTransition {
    const h = this.history(alarm, t);
    return h[h.length - 1] ?? { at: alarm.initial.at, state: alarm.initial.state, reason: 'deployed state' };
  }
}
