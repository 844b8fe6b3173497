import { retryOffsets } from '../../drill/sim/eventbridge';
import { readTrigger } from '../../drill/synth/alarm-template';

const WHERE = { region: 'us-west-2', account: '111111111111' };

/** A template with the alarm rule, a composite over two alarms (`rule` its AlarmRule parts) and a dead-letter queue. */
function template(rule: readonly unknown[]) {
  const alarm = (metric: string, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Namespace: 'PilotLight',
      MetricName: metric,
      Dimensions: [{ Name: 'Project', Value: 'p' }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      ...extra,
    },
  });
  return {
    Resources: {
      Failover: alarm('SourceRegionHealthy', { TreatMissingData: 'notBreaching' }),
      Silent: alarm('SourceRegionHealthyHeartbeat'),
      Blind: alarm('SourceRegionHealthyBlind'),
      Composite: {
        Type: 'AWS::CloudWatch::CompositeAlarm',
        Properties: {
          AlarmName: 'p-dr-probe-broken',
          AlarmRule: { 'Fn::Join': ['', rule] },
          AlarmActions: [{ Ref: 'Topic' }],
        },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'p-dr-failover-alarm-dlq' } },
      QueueAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'p-dr-failover-not-started',
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['Queue', 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        },
      },
      Rule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: ['aws.cloudwatch'], resources: [{ 'Fn::GetAtt': ['Failover', 'Arn'] }] },
          Targets: [
            {
              Arn: { Ref: 'Machine' },
              Input: '{"mode":"auto","reason":"x"}',
              RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 1800 },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
            },
          ],
        },
      },
    },
  };
}

const OR = [
  '(ALARM("',
  { 'Fn::GetAtt': ['Silent', 'Arn'] },
  '") OR ALARM("',
  { 'Fn::GetAtt': ['Blind', 'Arn'] },
  '"))',
];

describe('readTrigger: the probe alarm and the dead letters', () => {
  it('reads the composite’s children, the retry policy, the dead-letter queue and its alarm', () => {
    const t = readTrigger(template(OR), 'stack', WHERE);
    expect(t?.probeAlarm?.name).toBe('p-dr-probe-broken');
    expect(t?.probeAlarm?.notifies).toBe(true);
    expect(t?.probeAlarm?.anyOf.map((a) => a.metric)).toEqual([
      'SourceRegionHealthyHeartbeat',
      'SourceRegionHealthyBlind',
    ]);
    expect(t?.rule).toMatchObject({
      retryAttempts: 8,
      maxEventAgeSeconds: 1800,
      deadLetterQueue: 'p-dr-failover-alarm-dlq',
    });
    expect(t?.deadLetterAlarm).toMatchObject({
      name: 'p-dr-failover-not-started',
      dimensions: [{ Name: 'QueueName', Value: 'p-dr-failover-alarm-dlq' }],
    });
  });

  it('refuses a composite rule it does not model rather than guessing', () => {
    const and = OR.map((x) => (x === '") OR ALARM("' ? '") AND ALARM("' : x));
    expect(() => readTrigger(template(and), 'stack', WHERE)).toThrow('ALARM(a) OR ALARM(b)');
  });
});

describe('retryOffsets', () => {
  it('doubles from 1 s within the attempts and the event age', () => {
    expect(retryOffsets(4, 3600)).toEqual([1, 3, 7, 15]);
    expect(retryOffsets(185, 60)).toEqual([1, 3, 7, 15, 31]);
    expect(retryOffsets(0, 3600)).toEqual([]);
  });
});
