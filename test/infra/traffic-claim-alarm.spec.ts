import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TrafficClaimAlarm } from '../../infra/constructs/traffic-claim-alarm';
import { type ClaimRole, claimOfAlarmState } from '../../lambdas/shared/traffic-claim';

function synth(role: ClaimRole): Template {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-west-2' } });
  new TrafficClaimAlarm(stack, 'TrafficClaim', {
    project: 'demo',
    role,
    alarmName: `demo-${role}-traffic-claim`,
  });
  return Template.fromStack(stack);
}

describe('TrafficClaimAlarm', () => {
  it.each([
    ['main', 'LessThanThreshold'],
    ['dr', 'GreaterThanOrEqualToThreshold'],
  ] as const)(
    'reads the %s claim: Maximum of PilotLight/TrafficClaim over 60 s, 1 of 1, %s 1',
    (role, comparison) => {
      // Act
      const template = synth(role);
      // Assess
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `demo-${role}-traffic-claim`,
        Namespace: 'PilotLight',
        MetricName: 'TrafficClaim',
        Dimensions: [
          { Name: 'Project', Value: 'demo' },
          { Name: 'Role', Value: role },
        ],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        Threshold: 1,
        ComparisonOperator: comparison,
        TreatMissingData: 'ignore',
      });
    },
  );

  it('is OK exactly when its health check must be healthy: main claims, DR stands by', () => {
    // Assess: main's alarm is OK while main claims; DR's is OK while DR does not.
    expect(claimOfAlarmState('main', 'OK')).toBe(true);
    expect(claimOfAlarmState('dr', 'OK')).toBe(false);
  });

  it('takes no action: the Route 53 health checks read its state', () => {
    // Act
    const template = synth('dr');
    // Assess
    const [alarm] = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarm?.Properties?.AlarmActions).toBeUndefined();
    expect(alarm?.Properties?.OKActions).toBeUndefined();
  });
});
