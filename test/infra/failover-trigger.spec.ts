import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { quotedAlarmName } from '../../drill/faults/trigger';
import { renderInput } from '../../drill/sim/eventbridge';
import type { InputTransformer } from '../../drill/synth/alarm-template';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import type { ProjectConfig } from '../../infra/config/schema';
import { triggerNames } from '../../infra/config/trigger-names';
import {
  FailoverTrigger,
  RULE_MAX_EVENT_AGE,
  RULE_RETRY_ATTEMPTS,
} from '../../infra/constructs/failover-trigger';
import { SILENT_PERIODS } from '../../infra/constructs/probe-health-alarm';
import { approvalPlan } from '../../lambdas/preflight/approval';
import { parseExecutionInput } from '../../lambdas/preflight/input';

const config = loadConfig('base');
const own = projectNames(config).regions.dr;
const names = triggerNames(own);
const ALARM_AT = '2025-01-15T12:03:20Z';
const CONTROLS = ['http://dr.app.example.com/', 'https://sts.us-west-2.amazonaws.com/'];

/** The trigger alone in a stack, as the DR orchestrator builds it. */
function synth(cfg: ProjectConfig = config): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Trigger', { env: { account: own.account, region: own.region } });
  const key = new kms.Key(stack, 'Key');
  new FailoverTrigger(stack, 'Trigger', {
    config: cfg,
    stateMachine: sfn.StateMachine.fromStateMachineArn(stack, 'Machine', own.stateMachineArn),
    probeUrl: 'http://main.app.example.com/health',
    controlUrls: CONTROLS,
    own,
    topic: new sns.Topic(stack, 'Topic', { masterKey: key }),
    topicKey: key,
    configName: 'base',
  });
  return Template.fromStack(stack);
}

const template = synth();

/** The alarm rule's input transformer, as the construct synthesizes it. */
function transformer(): InputTransformer {
  const rules = template.findResources('AWS::Events::Rule');
  const alarmRule = Object.values(rules).find((r) => r.Properties.EventPattern !== undefined);
  return alarmRule?.Properties.Targets[0].InputTransformer as InputTransformer;
}

function alarmEvent(alarmName: string) {
  return {
    source: 'aws.cloudwatch',
    'detail-type': 'CloudWatch Alarm State Change',
    time: ALARM_AT,
    detail: { alarmName, state: { value: 'ALARM' } },
  };
}

describe('FailoverTrigger: the alarm rule input', () => {
  it('marks the run alarm-started: trigger { source alarm, alarmName, alarmAt } beside mode auto', () => {
    // Act
    const input = parseExecutionInput(JSON.parse(renderInput(transformer(), alarmEvent('probe'))));

    // Assess
    expect(input).toEqual({
      mode: 'auto',
      reason: `CloudWatch alarm probe in ALARM at ${ALARM_AT}`,
      trigger: { source: 'alarm', alarmName: 'probe', alarmAt: ALARM_AT },
    });
    // …which holds it for a person under failover.approval.required: alarm-started.
    const gate = { required: 'alarm-started', timeoutSeconds: 60, onTimeout: 'stop' } as const;
    expect(approvalPlan(gate, input).required).toBe(true);
  });

  it('renders a quoted 255-character alarm name into valid input preflight accepts', () => {
    // Prepare
    const name = quotedAlarmName();

    // Act
    const input = parseExecutionInput(JSON.parse(renderInput(transformer(), alarmEvent(name))));

    // Assess
    expect(input.trigger?.alarmName).toBe(name);
  });
});

describe('FailoverTrigger: the probe', () => {
  it('sends requestsPerPeriod requests a period with the control URLs, within a timeout sized for them', () => {
    // Prepare
    const { alarm } = config.failover;
    const n = alarm.requestsPerPeriod;
    const busy = Math.ceil(((n - 1) * alarm.periodSeconds) / n) + 2 * alarm.probeTimeoutSeconds;
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: busy + 10,
      Environment: {
        Variables: Match.objectLike({
          PERIOD_SECONDS: String(alarm.periodSeconds),
          REQUESTS_PER_PERIOD: String(n),
          CONTROL_URLS: CONTROLS.join(' '),
        }),
      },
    });
  });

  it('runs once a period, never retried (a late retry would publish into the wrong period)', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${config.failover.alarm.periodSeconds / 60} minute${config.failover.alarm.periodSeconds === 60 ? '' : 's'})`,
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('alarms on the share at or below 0.5 in M of N periods; missing data never starts a failover', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SourceRegionHealthy',
      Statistic: 'Average',
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0.5,
      EvaluationPeriods: config.failover.alarm.evaluationPeriods,
      DatapointsToAlarm: config.failover.alarm.datapointsToAlarm,
      TreatMissingData: 'notBreaching',
    });
  });

  it('raises "the probe is broken or blind" on a missing heartbeat or blind runs, notifying and starting nothing', () => {
    // Assess: the children…
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SourceRegionHealthyHeartbeat',
      Statistic: 'SampleCount',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: SILENT_PERIODS,
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'SourceRegionHealthyBlind',
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    // …and the composite that notifies the topic.
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: names.probeAlarmName,
      AlarmRule: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
    // The only rule with an event pattern watches the failover alarm, not this one.
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.filter((r) => r.Properties.EventPattern !== undefined)).toHaveLength(1);
  });

  it('lets only its own alarms publish to the encrypted topic', () => {
    for (const arn of [names.probeAlarmArn, names.deadLetterAlarmArn]) {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Condition: Match.objectLike({ ArnEquals: { 'aws:SourceArn': arn } }),
            }),
          ]),
        }),
      });
    }
  });
});

describe('FailoverTrigger: no lost alarm', () => {
  it('gives the rule’s target a retry policy and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.anyValue(),
      Targets: [
        Match.objectLike({
          RetryPolicy: {
            MaximumRetryAttempts: RULE_RETRY_ATTEMPTS,
            MaximumEventAgeInSeconds: RULE_MAX_EVENT_AGE.toSeconds(),
          },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLettersQueue'), 'Arn'] } },
        }),
      ],
    });
  });

  it('keeps dead letters 14 days in an encrypted queue only this rule may send to, over TLS only', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.deadLetterQueueName,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('AlarmRule'), 'Arn'] } },
            },
          }),
        ]),
      }),
    });
  });

  it('alarms on a visible dead letter with why and the command that starts the failover', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names.deadLetterAlarmName,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const dlq = alarms.find((a) => a.Properties.AlarmName === names.deadLetterAlarmName);
    const text = JSON.stringify(dlq?.Properties.AlarmDescription);
    expect(text).toContain('fired but the state machine');
    expect(text).toContain('did not start');
    expect(text).toContain('ERROR_CODE');
    expect(text).toContain('npm run failover -- start --project base --region dr --mode auto');
    expect(text.length).toBeLessThan(1024);
  });

  it('keeps the dead-letter queue and its alarm with an existing alarm, and builds no probe', () => {
    // Act
    const t = synth({
      ...config,
      failover: { ...config.failover, alarm: { ...config.failover.alarm, existingAlarmName: 'app-5xx' } },
    });
    // Assess
    t.resourceCountIs('AWS::Lambda::Function', 0);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: names.deadLetterAlarmName });
  });
});
