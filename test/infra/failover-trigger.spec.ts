import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { quotedAlarmName } from '../../drill/faults/trigger';
import { renderInput } from '../../drill/sim/eventbridge';
import type { InputTransformer } from '../../drill/synth/alarm-template';
import { loadConfig } from '../../infra/config/load';
import { FailoverTrigger } from '../../infra/constructs/failover-trigger';
import { approvalPlan } from '../../lambdas/preflight/approval';
import { parseExecutionInput } from '../../lambdas/preflight/input';

const config = loadConfig('base');
const ALARM_AT = '2025-01-15T12:03:20Z';

/** The alarm rule's input transformer, as the construct synthesizes it. */
function transformer(): InputTransformer {
  const stack = new Stack(new App(), 'Trigger', { env: { account: '111111111111', region: 'us-west-2' } });
  new FailoverTrigger(stack, 'Trigger', {
    config,
    stateMachine: sfn.StateMachine.fromStateMachineArn(
      stack,
      'Machine',
      'arn:aws:states:us-west-2:111111111111:stateMachine:failover',
    ),
    probeUrl: 'http://main.app.example.com/health',
    region: 'us-west-2',
  });
  const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
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
