import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HEALTH_PROBE_ENV } from '../../lambdas/health-probe/env';
import { UNHEALTHY_SHARE } from '../../lambdas/health-probe/metrics';
import type { ExecutionInput } from '../../lambdas/shared/contracts';
import type { RegionNames } from '../config/names';
import type { ProjectConfig } from '../config/schema';
import { triggerNames } from '../config/trigger-names';
import { AlarmDeadLetters } from './alarm-dead-letters';
import { ProbeHealthAlarm } from './probe-health-alarm';
import { StepLambda } from './step-lambda';

/** Namespace and name of the metric the health probe publishes (the share; see lambdas/health-probe/metrics.ts). */
export const PROBE_NAMESPACE = 'PilotLight';
export const PROBE_METRIC = 'SourceRegionHealthy';

/**
 * EventBridge retries a failed StartExecution (throttled, a 5xx) this many times, with backoff…
 * (an error it does not retry, such as a denied call, goes to the dead-letter queue at once).
 */
export const RULE_RETRY_ATTEMPTS = 8;
/**
 * …for at most this long. Long enough to ride out a throttling burst; short enough that a person
 * hears of a lost start (the dead-letter alarm) while a failover still matters.
 */
export const RULE_MAX_EVENT_AGE = Duration.minutes(30);
/** Time for the probe's put and a cold start, beyond its requests. */
const PROBE_OVERHEAD_SECONDS = 10;

export interface FailoverTriggerProps {
  readonly config: ProjectConfig;
  readonly stateMachine: sfn.IStateMachine;
  /** URL the probe requests: the region being protected, never through this region. */
  readonly probeUrl: string;
  /**
   * URLs that answer when this region reaches the outside (an HTTP answer of whatever status): a failed request to
   * main counts only when one of them answers.
   */
  readonly controlUrls: readonly string[];
  /** This stack's region's names: the probe publishes beside the alarm, here. */
  readonly own: RegionNames;
  /** The failover topic and its key: the probe alarm and the dead-letter alarm notify it. */
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  /** `project-config/<configName>.yml`, named in the start command the dead-letter alarm gives. */
  readonly configName: string;
}

/**
 * Starts the failover state machine with `mode: auto` (and a `trigger` naming the alarm) when an
 * alarm goes to ALARM. The alarm is either an existing one named in config or one on a probe that
 * runs *in this region* and requests the other region's application, so the signal survives the
 * outage it detects. The probe's alarm fires only on evidence that main fails (a share of answered
 * requests at or below {@link UNHEALTHY_SHARE} in M of N periods; missing data never breaches); a
 * silent or blind probe raises its own alarm, which notifies and starts nothing. The rule's target
 * retries and then dead-letters, and a dead letter notifies.
 */
export class FailoverTrigger extends Construct {
  /** The alarm's ARN (built or existing). */
  readonly alarmArn: string;
  readonly alarm?: cloudwatch.Alarm;
  readonly probeAlarm?: ProbeHealthAlarm;
  readonly deadLetters: AlarmDeadLetters;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: FailoverTriggerProps) {
    super(scope, id);
    const { config, own } = props;
    const alarmCfg = config.failover.alarm;
    const period = Duration.seconds(alarmCfg.periodSeconds);
    const names = triggerNames(own);
    let alarmName: string;

    if (alarmCfg.existingAlarmName !== undefined) {
      alarmName = alarmCfg.existingAlarmName;
      this.alarmArn = cloudwatch.Alarm.fromAlarmName(
        this,
        'ExistingAlarm',
        alarmCfg.existingAlarmName,
      ).alarmArn;
    } else {
      const n = alarmCfg.requestsPerPeriod;
      // The last request starts (n-1)/n of a period in; it and the controls after it each get the timeout.
      const busySeconds =
        Math.ceil(((n - 1) * alarmCfg.periodSeconds) / n) + 2 * alarmCfg.probeTimeoutSeconds;
      const probe = new StepLambda(this, 'Probe', {
        entry: 'lambdas/health-probe',
        description: `Request the protected region’s health URL ${n} times a period and publish the share that answered`,
        timeout: Duration.seconds(busySeconds + PROBE_OVERHEAD_SECONDS),
        memorySize: 128,
        envNames: HEALTH_PROBE_ENV,
        environment: {
          PROBE_URL: props.probeUrl,
          PROBE_TIMEOUT_MS: String(alarmCfg.probeTimeoutSeconds * 1000),
          METRIC_NAMESPACE: PROBE_NAMESPACE,
          METRIC_NAME: PROBE_METRIC,
          PROJECT: config.project,
          TARGET_REGION: own.region,
          PERIOD_SECONDS: String(alarmCfg.periodSeconds),
          REQUESTS_PER_PERIOD: String(n),
          CONTROL_URLS: props.controlUrls.join(' '),
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
      // A failed run is not retried by Lambda's async invoke either: the next run comes on schedule,
      // and a late retry would publish into the wrong period.
      probe.function.configureAsyncInvoke({ retryAttempts: 0 });
      new events.Rule(this, 'ProbeSchedule', {
        description: 'Runs the health probe once per alarm period',
        schedule: events.Schedule.rate(period),
        targets: [new targets.LambdaFunction(probe.function, { retryAttempts: 0 })],
      });
      this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
        alarmDescription:
          `pilot-light ${config.project}: at most ${UNHEALTHY_SHARE * 100} % of the requests to ${props.probeUrl} ` +
          `answered in ${alarmCfg.datapointsToAlarm} of ${alarmCfg.evaluationPeriods} periods; starts the failover state machine`,
        metric: new cloudwatch.Metric({
          namespace: PROBE_NAMESPACE,
          metricName: PROBE_METRIC,
          dimensionsMap: { Project: config.project },
          statistic: cloudwatch.Stats.AVERAGE,
          period,
        }),
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
        threshold: UNHEALTHY_SHARE,
        evaluationPeriods: alarmCfg.evaluationPeriods,
        datapointsToAlarm: alarmCfg.datapointsToAlarm,
        // Only evidence that main fails starts a failover: a silent or blind probe publishes no
        // share, and the probe alarm below reports it instead.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      this.alarmArn = this.alarm.alarmArn;
      alarmName = this.alarm.alarmName;
      this.probeAlarm = new ProbeHealthAlarm(this, 'ProbeHealth', {
        project: config.project,
        namespace: PROBE_NAMESPACE,
        metricName: PROBE_METRIC,
        periodSeconds: alarmCfg.periodSeconds,
        evaluationPeriods: alarmCfg.evaluationPeriods,
        datapointsToAlarm: alarmCfg.datapointsToAlarm,
        alarmName: names.probeAlarmName,
        alarmArn: names.probeAlarmArn,
        account: own.account,
        topic: props.topic,
        topicKey: props.topicKey,
        probeUrl: props.probeUrl,
      });
    }

    this.deadLetters = new AlarmDeadLetters(this, 'DeadLetters', {
      project: config.project,
      queueName: names.deadLetterQueueName,
      alarmName: names.deadLetterAlarmName,
      alarmArn: names.deadLetterAlarmArn,
      account: own.account,
      region: own.region,
      topic: props.topic,
      topicKey: props.topicKey,
      failoverAlarm: alarmName,
      stateMachineName: own.stateMachineName,
      startCommand: `npm run failover -- start --project ${props.configName} --region ${own.role} --mode auto --reason "the failover alarm fired; the rule could not start the run" --follow`,
    });

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
          retryAttempts: RULE_RETRY_ATTEMPTS,
          maxEventAge: RULE_MAX_EVENT_AGE,
        }),
      ],
    });
    // The dead-letter queue is set here rather than through the target's `deadLetterQueue`, whose
    // queue policy statement takes its Sid from the stack's construct id (stack ids are stack names,
    // and no deployed string may follow them). Only this rule (aws:SourceArn) may send to it.
    const queue = this.deadLetters.queue;
    (this.rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.DeadLetterConfig', {
      Arn: queue.queueArn,
    });
    queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowFailoverAlarmRuleDeadLetters',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );
  }
}
