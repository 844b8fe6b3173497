import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { allowAlarmToPublish } from './alarm-topic-access';

export interface AlarmDeadLettersProps {
  readonly project: string;
  /** Deterministic (`triggerNames(own)`): the CLI reads the queue's count by name. */
  readonly queueName: string;
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly account: string;
  readonly region: string;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  /** The failover alarm and state machine, named in the description. */
  readonly failoverAlarm: string;
  readonly stateMachineName: string;
  /** The command that starts the failover by hand. */
  readonly startCommand: string;
}

/**
 * The alarm rule's dead-letter queue and its alarm. EventBridge puts an event here when it gives up
 * starting the state machine (its retries spent, or an error it does not retry, such as a denied
 * StartExecution); the message's attributes carry the error (`ERROR_CODE`, `ERROR_MESSAGE`). The
 * alarm (at least one visible message) notifies the failover topic with what happened and the
 * command to start the failover by hand. The queue's policy (added by the rule's target) lets only
 * that rule send.
 */
export class AlarmDeadLetters extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AlarmDeadLettersProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      // SQS-managed keys: EventBridge needs no key grant to send, and the queue holds no payload
      // beyond the alarm's name and time.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS keeps a message: the evidence outlives a long weekend.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "It is a dead-letter queue: EventBridge's, for the alarm rule's target (cdk-nag only sees SQS redrive policies).",
    });
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription:
        `pilot-light ${props.project}: the failover alarm ${props.failoverAlarm} fired but the state machine ` +
        `${props.stateMachineName} did not start: EventBridge could not start it and put the event in ` +
        `${props.queueName}. Why: the message's attributes ERROR_CODE and ERROR_MESSAGE (aws sqs receive-message ` +
        `--region ${props.region} --queue-url ${this.queue.queueUrl} --message-attribute-names All). ` +
        `Start it: ${props.startCommand}. Then delete the message.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 1,
      // An idle queue stops reporting: no data is an empty queue.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const notify = new cloudwatchActions.SnsAction(props.topic);
    this.alarm.addAlarmAction(notify);
    this.alarm.addOkAction(notify);
    allowAlarmToPublish(props.topic, props.topicKey, props.alarmArn, props.account);
  }
}
