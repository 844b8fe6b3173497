import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { blindMetricName, heartbeatMetricName } from '../../lambdas/health-probe/metrics';
import { allowAlarmToPublish } from './alarm-topic-access';

/**
 * Periods without a heartbeat before the probe counts as broken. One missed run happens (a cold
 * start past the period's end, one throttled put); three in a row is a probe that stopped.
 */
export const SILENT_PERIODS = 3;

export interface ProbeHealthAlarmProps {
  readonly project: string;
  readonly namespace: string;
  /** The share's metric name; the heartbeat and blind metrics are named after it. */
  readonly metricName: string;
  readonly periodSeconds: number;
  /** The failover alarm's M of N: blind for as long as main would have to fail to start a failover. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** Deterministic (`triggerNames(own).probeAlarmName`), so the topic's key policy can name it. */
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly account: string;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  /** What the probe requests, named in the description. */
  readonly probeUrl: string;
}

/**
 * "The probe is broken or blind": a composite alarm over two alarms, notified on the failover topic
 * (ALARM and OK) and starting nothing. `Silent`: no heartbeat in {@link SILENT_PERIODS} periods
 * (missing data breaches: silence is what it watches). `Blind`: the probe judged itself blind in M
 * of N periods (this region cannot reach the outside, so it cannot tell whether main is down).
 */
export class ProbeHealthAlarm extends Construct {
  readonly silent: cloudwatch.Alarm;
  readonly blind: cloudwatch.Alarm;
  readonly alarm: cloudwatch.CompositeAlarm;

  constructor(scope: Construct, id: string, props: ProbeHealthAlarmProps) {
    super(scope, id);
    const period = Duration.seconds(props.periodSeconds);
    const dimensionsMap = { Project: props.project };
    this.silent = new cloudwatch.Alarm(this, 'Silent', {
      alarmDescription: `pilot-light ${props.project}: the health probe published no heartbeat in ${SILENT_PERIODS} periods`,
      metric: new cloudwatch.Metric({
        namespace: props.namespace,
        metricName: heartbeatMetricName(props.metricName),
        dimensionsMap,
        statistic: cloudwatch.Stats.SAMPLE_COUNT,
        period,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: SILENT_PERIODS,
      datapointsToAlarm: SILENT_PERIODS,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.blind = new cloudwatch.Alarm(this, 'Blind', {
      alarmDescription: `pilot-light ${props.project}: the health probe cannot reach the outside from this region`,
      metric: new cloudwatch.Metric({
        namespace: props.namespace,
        metricName: blindMetricName(props.metricName),
        dimensionsMap,
        statistic: cloudwatch.Stats.MAXIMUM,
        period,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      evaluationPeriods: props.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm,
      // Silence is the other child's business.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm = new cloudwatch.CompositeAlarm(this, 'Alarm', {
      compositeAlarmName: props.alarmName,
      alarmDescription:
        `pilot-light ${props.project}: the health probe of ${props.probeUrl} is broken (no heartbeat) or blind ` +
        '(its requests to main and to its controls all fail: this region cannot reach the outside). ' +
        'It cannot tell whether main is down, so it starts nothing: check main yourself, and the probe function’s ' +
        'logs and metrics in this region. To fail over by hand: npm run failover -- start (see docs/operating.md).',
      alarmRule: cloudwatch.AlarmRule.anyOf(this.silent, this.blind),
    });
    const notify = new cloudwatchActions.SnsAction(props.topic);
    this.alarm.addAlarmAction(notify);
    this.alarm.addOkAction(notify);
    allowAlarmToPublish(props.topic, props.topicKey, props.alarmArn, props.account);
  }
}
