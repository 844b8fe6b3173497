import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../infra/config/load';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { OrchestratorStack } from '../../infra/stacks/orchestrator-stack';

const base = loadConfig('base');

function synth(role: RegionRole, config: ProjectConfig = base): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { account, region } = config.regions[role];
  const stack = new OrchestratorStack(app, role === 'dr' ? 'DrOrchestrator' : 'MainOrchestrator', {
    env: { account, region },
    config,
    role,
  });
  return Template.fromStack(stack);
}

interface PolicyStatement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

function statements(template: Template): PolicyStatement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

const actions = (s: PolicyStatement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('OrchestratorStack (dr)', () => {
  const template = synth('dr');

  it('creates a Standard state machine with the deterministic name, logging and tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'sonar-proj-1-dr-failover',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      DefinitionSubstitutions: {
        PreflightFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StepsPreflight'), 'Arn'] },
        ScaleDatabaseFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StepsScaleDatabase'), 'Arn'] },
        ScaleServiceFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StepsScaleService'), 'Arn'] },
        PromoteDatabaseFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StepsPromoteDatabase'), 'Arn'] },
        FlipDnsFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StepsFlipDns'), 'Arn'] },
        TopicArn: { Ref: Match.stringLikeRegexp('NotificationsTopic') },
      },
    });
  });

  it('runs every function on the newest Node runtime, arm64, traced, with its source folder recorded', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const entries = Object.values(fns).map(
      (f) => (f as { Metadata: Record<string, string> }).Metadata['pilot-light:entry'],
    );
    expect(entries.sort()).toEqual([
      'lambdas/flip-dns',
      'lambdas/health-probe',
      'lambdas/preflight',
      'lambdas/promote-database',
      'lambdas/scale-database',
      'lambdas/scale-service',
    ]);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
  });

  it('promotes its own region: env names this region’s cluster, service and regional record', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TARGET_ROLE: 'dr',
          TARGET_REGION: 'us-west-2',
          SOURCE_REGION: 'us-east-1',
          GLOBAL_CLUSTER_ID: 'sonar-proj-1-global',
          TARGET_CLUSTER_ARN: 'arn:aws:rds:us-west-2:111111111111:cluster:sonar-proj-1-dr-aurora',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          RECORD_NAME: 'app.example.com',
          TARGET_RECORD_NAME: 'dr.app.example.com',
          HOSTED_ZONE_ID: 'Z0123456789EXAMPLE',
        }),
      },
    });
  });

  it('scopes every IAM statement to project resources, except the APIs without resource-level permissions', () => {
    const wildcard = statements(template).filter((s) => s.Resource === '*');
    const allowed = new Set([
      'autoscaling:DescribeAutoScalingGroups',
      'cloudwatch:PutMetricData',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ]);
    const offending = wildcard.flatMap(actions).filter((a) => !allowed.has(a));
    expect(offending).toEqual([]);
  });

  it('lets the DNS step change only the application A record, by UPSERT', () => {
    const change = statements(template).find((s) => actions(s).includes('route53:ChangeResourceRecordSets'));
    expect(change?.Resource).toBe('arn:aws:route53:::hostedzone/Z0123456789EXAMPLE');
    expect(change?.Condition).toEqual({
      'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['app.example.com'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
        'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
      },
    });
  });

  it('lets the promote step switch or fail over only this project’s global cluster', () => {
    const promote = statements(template).find((s) => actions(s).includes('rds:FailoverGlobalCluster'));
    expect(promote?.Resource).toEqual([
      'arn:aws:rds::111111111111:global-cluster:sonar-proj-1-global',
      'arn:aws:rds:us-west-2:111111111111:cluster:sonar-proj-1-dr-aurora',
      'arn:aws:rds:us-east-1:111111111111:cluster:sonar-proj-1-main-aurora',
    ]);
  });

  it('encrypts the notification topic with a rotating key and enforces TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'sonar-proj-1-dr-failover-events',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('alarms on the probe of the main region, missing data breaching, M of N', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'PilotLight',
      MetricName: 'SourceRegionHealthy',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PROBE_URL: 'http://main.app.example.com/' }) },
    });
  });

  it('starts the state machine in auto mode when the alarm goes to ALARM', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('TriggerAlarm'), 'Arn'] }],
        detail: { state: { value: ['ALARM'] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('FailoverStateMachine') },
          InputTransformer: Match.objectLike({
            InputTemplate: Match.stringLikeRegexp('"mode":"auto"'),
          }),
        }),
      ],
    });
  });
});

describe('OrchestratorStack (main, failback)', () => {
  const template = synth('main');

  it('is not wired to an alarm by default: failback is started by hand', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  it('uses an existing alarm instead of the probe when config names one', () => {
    const config: ProjectConfig = {
      ...base,
      failover: {
        ...base.failover,
        alarm: { ...base.failover.alarm, regions: ['main'], existingAlarmName: 'app-5xx' },
      },
    };
    const t = synth('main', config);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        resources: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':alarm:app-5xx')])] }],
      }),
    });
  });
});
