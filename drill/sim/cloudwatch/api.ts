import {
  type DescribeAlarmsCommandInput,
  type GetMetricDataCommandInput,
  type GetMetricStatisticsCommandInput,
  InvalidParameterValueException,
  type MetricAlarm,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import { s3ReplicationStatistics } from '../s3/metrics';
import type { World } from '../world';
import { dimensionKey, type SimAlarm } from './cloudwatch';
import { getMetricData } from './metric-data';

/** The simulated CloudWatch API: PutMetricData and DescribeAlarms over the model's alarms. */

/** PutMetricData takes at most this many metric data items per call (API reference). */
const MAX_METRIC_DATA = 1000;
/** DescribeAlarms takes at most this many alarm names (API reference). */
const MAX_ALARM_NAMES = 100;

function describeAlarm(world: World, alarm: SimAlarm): MetricAlarm {
  const now = world.clock.now();
  const state = world.cloudwatch.stateAt(alarm, now);
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    ActionsEnabled: false,
    StateValue: state.state,
    StateReason: state.reason,
    StateUpdatedTimestamp: world.clock.dateAt(state.at),
    StateTransitionedTimestamp: world.clock.dateAt(state.at),
    Namespace: alarm.namespace,
    MetricName: alarm.metric,
    Dimensions: alarm.dimensions.map((d) => ({ ...d })),
    Statistic: 'Maximum',
    Period: alarm.periodSeconds,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparison,
    TreatMissingData: 'ignore',
  };
}

export const cloudWatchApi: SimApi = {
  PutMetricData: (raw, world, region) => {
    const input = raw as PutMetricDataCommandInput;
    const data = input.MetricData ?? [];
    if (input.Namespace === undefined || input.Namespace === '')
      throw modeledError(InvalidParameterValueException, 'The parameter Namespace is required.');
    if (data.length > MAX_METRIC_DATA)
      throw modeledError(
        InvalidParameterValueException,
        `MetricData can have at most ${MAX_METRIC_DATA} items.`,
      );
    const now = world.clock.now();
    world.cloudwatch.metrics.push({ at: now, region, namespace: input.Namespace, count: data.length });
    for (const d of data) {
      if (d.MetricName === undefined || d.Value === undefined) {
        throw modeledError(
          InvalidParameterValueException,
          'Each MetricDatum needs a MetricName and a Value.',
        );
      }
      const timestamp =
        d.Timestamp === undefined ? now : (d.Timestamp.getTime() - world.clock.epochMs) / 1000;
      world.cloudwatch.datapoints.push({
        region,
        namespace: input.Namespace,
        metric: d.MetricName,
        dimensions: dimensionKey(d.Dimensions ?? []),
        value: d.Value,
        timestamp,
        at: now,
      });
    }
    return {};
  },

  // The AWS/S3 replication backlog of one bucket pair's rule (drill/sim/s3/metrics.ts).
  GetMetricStatistics: (raw, world, region) => {
    const input = raw as GetMetricStatisticsCommandInput;
    const out = s3ReplicationStatistics(input, region, world.names, world.s3, world.clock);
    if (out !== undefined) return out;
    const err = new Error(
      `the drill's simulated CloudWatch serves GetMetricStatistics for AWS/S3's replication metrics (OperationsPendingReplication, ReplicationLatency) only, not ${input.Namespace}/${input.MetricName}`,
    );
    err.name = 'DrillUnsupportedCommand';
    throw err;
  },

  // Aurora's replication lag, EC2's vCPU usage, S3's replication backlogs and what the handlers put
  // (drill/sim/cloudwatch/metric-data.ts).
  GetMetricData: (raw, world, region) => getMetricData(world, region, raw as GetMetricDataCommandInput),

  DescribeAlarms: (raw, world, region) => {
    const input = raw as DescribeAlarmsCommandInput;
    const names = input.AlarmNames;
    if (names !== undefined && names.length > MAX_ALARM_NAMES) {
      throw modeledError(
        InvalidParameterValueException,
        `AlarmNames can have at most ${MAX_ALARM_NAMES} items.`,
      );
    }
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const alarms = [...world.cloudwatch.alarms.values()]
      .filter((a) => a.region === region)
      .filter((a) => names === undefined || names.includes(a.name))
      .filter((a) => input.AlarmNamePrefix === undefined || a.name.startsWith(input.AlarmNamePrefix))
      .map((a) => describeAlarm(world, a))
      .filter((a) => input.StateValue === undefined || a.StateValue === input.StateValue)
      .sort((a, b) => (a.AlarmName ?? '').localeCompare(b.AlarmName ?? ''));
    return {
      MetricAlarms: types.includes('MetricAlarm') ? alarms : [],
      CompositeAlarms: [],
    };
  },
};
