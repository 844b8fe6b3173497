import type { ProbeAlarmSpec } from '../../synth/alarm-template';
import type { AlarmState, CloudWatchModel, SimDatapoint } from './cloudwatch';
import { dimensionKey } from './cloudwatch';

/**
 * A metric alarm of the alarm path as synthesized (the failover alarm on the probe's share, the
 * probe alarm's children): M of N periods (`datapointsToAlarm` of `evaluationPeriods`), a statistic
 * over each period, a threshold and comparison, and the missing-data treatment (`breaching`: a
 * period without a data point counts as breaching, which is how "no heartbeat" fires;
 * `notBreaching`: it does not, so a silent probe never fires the failover alarm). Evaluated at each
 * period boundary plus the timing model's evaluation delay, over the periods that ended.
 */

/** One evaluated period. */
export interface PeriodVerdict {
  readonly end: number;
  /** The statistic over the period's data points; undefined when it had none. */
  readonly value?: number;
  readonly breaching: boolean;
}

/** One evaluation of the alarm. */
export interface AlarmEvaluation {
  readonly at: number;
  readonly periods: readonly PeriodVerdict[];
  readonly breaching: number;
  /** The state the evaluation leads to (undefined: no data and missing data ignored: unchanged). */
  readonly state?: AlarmState;
  readonly reason: string;
}

function statistic(name: string, values: readonly number[]): number {
  if (name === 'Minimum') return Math.min(...values);
  if (name === 'Maximum') return Math.max(...values);
  if (name === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (name === 'SampleCount') return values.length;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function crosses(comparison: string, value: number, threshold: number): boolean {
  if (comparison === 'LessThanThreshold') return value < threshold;
  if (comparison === 'LessThanOrEqualToThreshold') return value <= threshold;
  if (comparison === 'GreaterThanThreshold') return value > threshold;
  return value >= threshold;
}

/**
 * Evaluate `alarm` in `region` at `at`, over the `evaluationPeriods` periods ending at or before
 * `at - delaySeconds`, seeing the data points put by `at`.
 */
export function evaluateProbeAlarm(
  cw: CloudWatchModel,
  alarm: ProbeAlarmSpec,
  region: string,
  at: number,
  delaySeconds: number,
): AlarmEvaluation {
  const p = alarm.periodSeconds;
  const lastEnd = cw.periodEnd(at - delaySeconds - p, p);
  const key = dimensionKey(alarm.dimensions);
  const mine = (d: SimDatapoint) =>
    d.region === region &&
    d.namespace === alarm.namespace &&
    d.metric === alarm.metric &&
    d.dimensions === key &&
    d.at <= at;
  const seen = cw.datapoints.filter(mine);
  const periods: PeriodVerdict[] = [];
  for (let i = alarm.evaluationPeriods - 1; i >= 0; i--) {
    const end = lastEnd - i * p;
    const values = seen.filter((d) => d.timestamp >= end - p && d.timestamp < end).map((d) => d.value);
    if (values.length === 0) {
      periods.push({ end, breaching: alarm.treatMissingData === 'breaching' });
      continue;
    }
    const value = statistic(alarm.statistic, values);
    periods.push({ end, value, breaching: crosses(alarm.comparison, value, alarm.threshold) });
  }
  const breaching = periods.filter((x) => x.breaching).length;
  const present = periods.filter((x) => x.value !== undefined).length;
  const ignoresMissing = alarm.treatMissingData === 'ignore' || alarm.treatMissingData === 'missing';
  const shown = periods.map((x) => (x.value === undefined ? 'missing' : String(x.value))).join(', ');
  if (ignoresMissing && present === 0) {
    return {
      at,
      periods,
      breaching,
      ...(alarm.treatMissingData === 'missing' ? { state: 'INSUFFICIENT_DATA' as const } : {}),
      reason: 'no datapoints',
    };
  }
  const state: AlarmState = breaching >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
  return {
    at,
    periods,
    breaching,
    state,
    reason: `Threshold Crossed: ${breaching} out of the last ${alarm.evaluationPeriods} datapoints [${shown}] breaching, ${state === 'ALARM' ? 'at least' : 'fewer than'} the ${alarm.datapointsToAlarm} to alarm (${alarm.statistic} ${alarm.comparison} ${alarm.threshold}; missing data ${alarm.treatMissingData}).`,
  };
}
