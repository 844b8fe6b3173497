import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { projectNames } from '../../infra/config/names';
import { readinessSettingsOf } from '../../infra/config/readiness-settings';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { OrchestratorStack } from '../../infra/stacks/orchestrator-stack';
import { READINESS_ENV, readinessEnvironment } from '../../lambdas/readiness/env';
import { READINESS } from '../../lambdas/shared/steps';
import { baseConfig, nth, shopConfig } from './app-fixture';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
  readonly Principal?: unknown;
  readonly Effect?: string;
}
type Resources = Record<string, { Properties: Record<string, unknown>; Metadata?: Record<string, string> }>;

function synth(role: RegionRole, config: ProjectConfig = baseConfig()): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { account, region } = config.regions[role];
  const stack = new OrchestratorStack(app, projectNames(config).regions[role].stacks.orchestrator, {
    env: { account, region },
    config,
    role,
  });
  return Template.fromStack(stack);
}

/** The readiness function's logical id and properties. */
function readinessFunction(template: Template): { id: string; props: Record<string, unknown> } {
  const functions = template.findResources('AWS::Lambda::Function') as Resources;
  const found = Object.entries(functions).find(
    ([, r]) => r.Metadata?.['pilot-light:entry'] === READINESS.folder,
  );
  if (found === undefined) throw new Error('no readiness function');
  return { id: found[0], props: found[1].Properties };
}

/**
 * The statements of the readiness function's policies, as `action → resources` (logging and tracing
 * left out); an action granted in several statements lists all their resources.
 */
function grants(template: Template): Map<string, unknown> {
  const { props } = readinessFunction(template);
  const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  }) as Resources;
  const statements = Object.values(policies).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
  const byAction = new Map<string, unknown>();
  for (const s of statements) {
    for (const action of Array.isArray(s.Action) ? s.Action : [s.Action]) {
      if (/^(logs|xray):/.test(action)) continue;
      const prev = byAction.get(action);
      if (prev !== undefined) byAction.set(action, [prev, s.Resource].flat());
      else
        byAction.set(
          action,
          s.Condition === undefined ? s.Resource : { resource: s.Resource, condition: s.Condition },
        );
    }
  }
  return byAction;
}

/** The functions (`Fn::GetAtt` ARNs, not the `:*` version patterns) the state machine's role may invoke. */
function stateMachineInvokes(template: Template): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^FailoverStateMachineRole') }] },
  }) as Resources;
  return Object.values(policies)
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => s.Action === 'lambda:InvokeFunction')
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
    .filter((r) => typeof r === 'object' && r !== null && 'Fn::GetAtt' in r);
}

describe('ReadinessEvaluator', () => {
  const config = baseConfig();
  const names = projectNames(config);
  const dr = names.regions.dr;
  const main = names.regions.main;
  const template = synth('dr', config);

  it('runs the readiness Lambda with exactly the environment its handler reads, built from the config', () => {
    // Prepare
    const expected = readinessEnvironment(readinessSettingsOf(config, names, 'dr'));
    // Act
    const { props } = readinessFunction(template);
    const vars = (props.Environment as { Variables: Record<string, string> }).Variables;
    // Assess
    expect(Object.keys(vars).sort()).toEqual(
      [...READINESS_ENV, 'NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL'].sort(),
    );
    expect(vars).toMatchObject(expected);
    expect(vars).toMatchObject({ TARGET_ROLE: 'dr' });
    expect(JSON.parse(vars.DATABASES ?? '[]')).toEqual([
      expect.objectContaining({ name: 'app', clusterId: nth(dr.databases).dbClusterIdentifier }),
    ]);
    expect(JSON.parse(vars.SERVICES ?? '[]')).toEqual([
      expect.objectContaining({ name: 'app', ecsService: nth(dr.services).ecsServiceName }),
    ]);
    expect(props.Timeout).toBe(60);
  });

  it('evaluates on a schedule of failover.readiness.scheduleMinutes, without retries', () => {
    // Prepare
    const { id } = readinessFunction(template);
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(30 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReadinessSchedule'), 'Arn'] },
    });
  });

  it('alarms on the overall Ready metric: Minimum per schedule period, 1 of 2 below 1, missing data missing', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: dr.readinessAlarmName,
      Namespace: 'PilotLight/Readiness',
      MetricName: 'Ready',
      Dimensions: [
        { Name: 'Project', Value: config.project },
        { Name: 'Role', Value: 'dr' },
      ],
      Statistic: 'Minimum',
      Period: 1800,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 1,
      TreatMissingData: 'missing',
    });
  });

  it('notifies the region’s topic on ALARM, OK and INSUFFICIENT_DATA (a silent evaluator)', () => {
    // Prepare
    const topic = { Ref: Match.stringLikeRegexp('^NotificationsTopic') };
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: dr.readinessAlarmName,
      AlarmActions: [topic],
      OKActions: [topic],
      InsufficientDataActions: [topic],
    });
  });

  it('lets CloudWatch publish this alarm to the encrypted topic: topic policy and key policy, for this alarm only', () => {
    // Prepare
    const onlyThisAlarm = {
      ArnEquals: { 'aws:SourceArn': dr.arn('cloudwatch', `alarm:${dr.readinessAlarmName}`) },
      StringEquals: { 'aws:SourceAccount': dr.account },
    };
    const cloudwatch = { Service: 'cloudwatch.amazonaws.com' };
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: cloudwatch,
            Action: 'sns:Publish',
            Condition: onlyThisAlarm,
          }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: cloudwatch,
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: onlyThisAlarm,
          }),
        ]),
      }),
    });
  });

  it('gives the state machine its ARN as the ReadinessFunctionArn substitution, and may invoke it', () => {
    // Prepare
    const { id } = readinessFunction(template);
    // Assess
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionSubstitutions: Match.objectLike({ [READINESS.substitution]: { 'Fn::GetAtt': [id, 'Arn'] } }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FailoverStateMachineRole') }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [id, 'Arn'] }]),
          }),
        ]),
      }),
    });
  });

  it('reads each resource it checks by its exact ARN; * only for the APIs without resource-level permissions', () => {
    // Prepare
    const fnArn = (label: string) => ({ 'Fn::GetAtt': [expect.stringMatching(label), 'Arn'] });
    // Act
    const actual = grants(template);
    // Assess
    expect(Object.fromEntries(actual)).toEqual({
      'rds:DescribeGlobalClusters': nth(dr.databases).globalClusterArn,
      'rds:DescribeDBClusters': nth(dr.databases).dbClusterArn,
      'cloudwatch:GetMetricData': '*',
      'rds:DescribeOrderableDBInstanceOptions': '*',
      'rds:DescribeAccountAttributes': '*',
      'autoscaling:DescribeAutoScalingGroups': '*',
      'ec2:DescribeLaunchTemplateVersions': '*',
      'ec2:DescribeImages': '*',
      'ec2:DescribeInstanceTypeOfferings': '*',
      'ec2:DescribeInstanceTypes': '*',
      'ec2:DescribeCapacityReservations': '*',
      'servicequotas:GetServiceQuota': 'arn:aws:servicequotas:us-west-2:111111111111:ec2/L-1216C47A',
      'ecs:DescribeCapacityProviders': `arn:aws:ecs:${dr.region}:${dr.account}:capacity-provider/*`,
      'ecs:DescribeServices': nth(dr.services).ecsServiceArn,
      'ecs:DescribeTaskDefinition': '*',
      'elasticloadbalancing:DescribeTargetGroups': '*',
      'route53:ListResourceRecordSets': `arn:aws:route53:::hostedzone/${config.dns.hostedZoneId}`,
      'route53:GetHealthCheck': 'arn:aws:route53:::healthcheck/*',
      // certificate: ACM names the requested certificate; the service stack's parameter holds its ARN.
      'ssm:GetParameter': `arn:aws:ssm:${dr.region}:${dr.account}:parameter/${config.project}/dr/tls/certificate-arn`,
      'acm:DescribeCertificate': `arn:aws:acm:${dr.region}:${dr.account}:certificate/*`,
      'states:DescribeStateMachine': dr.stateMachineArn,
      'lambda:GetFunction': expect.any(Array),
      's3:GetReplicationConfiguration': [dr.buckets[0]?.bucketArn, main.buckets[0]?.bucketArn],
      'backup:ListRecoveryPointsByBackupVault': dr.backupVaultArn,
      'cloudwatch:PutMetricData': {
        resource: '*',
        condition: { StringEquals: { 'cloudwatch:namespace': 'PilotLight/Readiness' } },
      },
    });
    // Exactly the functions the state machine may invoke (the ones its definition calls), itself
    // included, each by its ARN: never a pattern.
    const functionArns = actual.get('lambda:GetFunction') as unknown[];
    const invoked = stateMachineInvokes(template);
    expect(invoked).toEqual(
      expect.arrayContaining([
        fnArn('^StepsPreflightFunction'),
        fnArn('^NotifierNotifyFunction'),
        { 'Fn::GetAtt': [readinessFunction(template).id, 'Arn'] },
      ]),
    );
    expect(new Set(functionArns.map((a) => JSON.stringify(a)))).toEqual(
      new Set(invoked.map((a) => JSON.stringify(a))),
    );
    expect(functionArns).toHaveLength(invoked.length);
  });

  it('describes exactly the configured certificate, with no parameter to read', () => {
    // Prepare
    const variant = baseConfig();
    const arn = 'arn:aws:acm:us-west-2:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    variant.regions.dr.certificateArn = arn;
    // Act
    const actual = grants(synth('dr', variant));
    // Assess
    expect(actual.get('acm:DescribeCertificate')).toBe(arn);
    expect(actual.has('ssm:GetParameter')).toBe(false);
  });

  it('checks main’s own resources in the main stack (failback)', () => {
    // Act
    const mainTemplate = synth('main', config);
    const actual = grants(mainTemplate);
    // Assess
    expect(actual.get('rds:DescribeDBClusters')).toBe(nth(main.databases).dbClusterArn);
    expect(actual.get('states:DescribeStateMachine')).toBe(main.stateMachineArn);
    expect(actual.get('s3:GetReplicationConfiguration')).toEqual([
      main.buckets[0]?.bucketArn,
      dr.buckets[0]?.bucketArn,
    ]);
    mainTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: main.readinessAlarmName,
      Dimensions: [
        { Name: 'Project', Value: config.project },
        { Name: 'Role', Value: 'main' },
      ],
    });
  });

  it('follows the configured schedule; a schedule over 12 h keeps one period within the alarm’s one-day range', () => {
    // Prepare
    const every5 = baseConfig();
    every5.failover.readiness.scheduleMinutes = 5;
    const daily = baseConfig();
    daily.failover.readiness.scheduleMinutes = 1440;
    // Act
    const [fast, slow] = [synth('dr', every5), synth('dr', daily)];
    // Assess
    fast.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    fast.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: dr.readinessAlarmName,
      Period: 300,
      EvaluationPeriods: 2,
    });
    slow.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    slow.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: dr.readinessAlarmName,
      Period: 86400,
      EvaluationPeriods: 1,
    });
  });

  it('names partition-neutral ARNs in GovCloud', () => {
    // Prepare
    const gov = baseConfig();
    gov.regions.main.region = 'us-gov-west-1';
    gov.regions.main.availabilityZones = ['us-gov-west-1a', 'us-gov-west-1b', 'us-gov-west-1c'];
    gov.regions.dr.region = 'us-gov-east-1';
    gov.regions.dr.availabilityZones = ['us-gov-east-1a', 'us-gov-east-1b', 'us-gov-east-1c'];
    // Act
    const actual = grants(synth('dr', gov));
    // Assess
    expect(actual.get('route53:ListResourceRecordSets')).toBe(
      `arn:aws-us-gov:route53:::hostedzone/${gov.dns.hostedZoneId}`,
    );
    expect(actual.get('route53:GetHealthCheck')).toBe('arn:aws-us-gov:route53:::healthcheck/*');
    expect(actual.get('states:DescribeStateMachine')).toMatch(/^arn:aws-us-gov:states:us-gov-east-1:/);
  });

  it.each(['dr', 'main'] as const)(
    'reads every global cluster, cluster and service of shop.yml in %s by ARN, and none of the other region',
    (role) => {
      // Prepare
      const shop = shopConfig();
      const own = projectNames(shop).regions[role];
      // Act
      const actual = grants(synth(role, shop));
      // Assess
      expect(actual.get('rds:DescribeGlobalClusters')).toEqual(own.databases.map((d) => d.globalClusterArn));
      expect(actual.get('rds:DescribeDBClusters')).toEqual(own.databases.map((d) => d.dbClusterArn));
      expect(actual.get('ecs:DescribeServices')).toEqual(own.services.map((s) => s.ecsServiceArn));
      expect(own.databases).toHaveLength(2);
      expect(own.services).toHaveLength(3);
    },
  );
});
