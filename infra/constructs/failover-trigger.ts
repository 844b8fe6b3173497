import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HEALTH_PROBE_ENV } from '../../lambdas/health-probe/env';
import type { ExecutionInput } from '../../lambdas/shared/contracts';
import type { ProjectConfig } from '../config/schema';
import { StepLambda } from './step-lambda';

/** Namespace and name of the metric the health probe publishes. */
export const PROBE_NAMESPACE = 'PilotLight';
export const PROBE_METRIC = 'SourceRegionHealthy';

export interface FailoverTriggerProps {
  readonly config: ProjectConfig;
  readonly stateMachine: sfn.IStateMachine;
  /** URL the probe requests: the region being protected, never through this region. */
  readonly probeUrl: string;
  /** This stack's region; the probe publishes its metric here, beside the alarm. */
  readonly region: string;
}

/**
 * Starts the failover state machine with `mode: auto` (and a `trigger` naming the alarm) when an alarm goes to ALARM. The alarm is
 * either an existing one named in config or one on a probe that runs *in this region* and requests
 * the other region's application, so the signal survives the outage it detects.
 */
export class FailoverTrigger extends Construct {
  /** The alarm's ARN (built or existing). */
  readonly alarmArn: string;
  readonly alarm?: cloudwatch.Alarm;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: FailoverTriggerProps) {
    super(scope, id);
    const { config } = props;
    const alarmCfg = config.failover.alarm;
    const period = Duration.seconds(alarmCfg.periodSeconds);

    if (alarmCfg.existingAlarmName !== undefined) {
      this.alarmArn = cloudwatch.Alarm.fromAlarmName(
        this,
        'ExistingAlarm',
        alarmCfg.existingAlarmName,
      ).alarmArn;
    } else {
      const probe = new StepLambda(this, 'Probe', {
        entry: 'lambdas/health-probe',
        description: 'Request the protected region’s health URL and publish 1 (healthy) or 0',
        timeout: Duration.seconds(alarmCfg.probeTimeoutSeconds + 10),
        memorySize: 128,
        envNames: HEALTH_PROBE_ENV,
        environment: {
          PROBE_URL: props.probeUrl,
          PROBE_TIMEOUT_MS: String(alarmCfg.probeTimeoutSeconds * 1000),
          METRIC_NAMESPACE: PROBE_NAMESPACE,
          METRIC_NAME: PROBE_METRIC,
          PROJECT: config.project,
          TARGET_REGION: props.region,
        },
        statements: [
          {
            actions: ['cloudwatch:PutMetricData'],
            resources: ['*'],
            conditions: { StringEquals: { 'cloudwatch:namespace': PROBE_NAMESPACE } },
            why: 'PutMetricData has no resource-level permissions; the namespace condition scopes it.',
          },
        ],
      });
      new events.Rule(this, 'ProbeSchedule', {
        description: 'Runs the health probe once per alarm period',
        schedule: events.Schedule.rate(period),
        targets: [new targets.LambdaFunction(probe.function, { retryAttempts: 0 })],
      });
      this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
        alarmDescription: `pilot-light ${config.project}: ${props.probeUrl} failing; starts the failover state machine`,
        metric: new cloudwatch.Metric({
          namespace: PROBE_NAMESPACE,
          metricName: PROBE_METRIC,
          dimensionsMap: { Project: config.project },
          statistic: cloudwatch.Stats.MINIMUM,
          period,
        }),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        threshold: 1,
        evaluationPeriods: alarmCfg.evaluationPeriods,
        datapointsToAlarm: alarmCfg.datapointsToAlarm,
        // No datapoint means the probe itself could not report: treat it as the outage it may be.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      this.alarmArn = this.alarm.alarmArn;
    }

    this.rule = new events.Rule(this, 'AlarmRule', {
      description: 'CloudWatch alarm -> ALARM starts the failover state machine (mode auto)',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [
        new targets.SfnStateMachine(props.stateMachine, {
          input: events.RuleTargetInput.fromObject({
            mode: 'auto',
            reason: `CloudWatch alarm ${events.EventField.fromPath('$.detail.alarmName')} in ALARM at ${events.EventField.time}`,
            // Marks the run alarm-started: `failover.approval.required: alarm-started` holds it for a person.
            trigger: {
              source: 'alarm',
              alarmName: events.EventField.fromPath('$.detail.alarmName'),
              alarmAt: events.EventField.time,
            },
          } satisfies Partial<Record<keyof ExecutionInput, unknown>>),
          retryAttempts: 4,
        }),
      ],
    });
  }
}
