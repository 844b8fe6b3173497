import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import type { RegionRole } from '../../infra/config/schema';
import { FailoverSteps } from '../../infra/constructs/failover-steps';
import { STEPS, type StepKey } from '../../lambdas/shared/steps';

const config = loadConfig('base');
const names = projectNames(config);

function synth(role: RegionRole): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { account, region } = config.regions[role];
  const stack = new Stack(app, 'Test', { env: { account, region } });
  new FailoverSteps(stack, 'Steps', { config, names, role });
  return Template.fromStack(stack);
}

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
  readonly Effect: string;
}

/** The statements of `key`'s role beyond what every StepLambda gets (its log group, X-Ray). */
function grantsOf(template: Template, key: StepKey): Statement[] {
  const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
    JSON.stringify(p.Properties.Roles).includes(`"Steps${STEPS[key].label}Role`),
  );
  const all = (policy?.Properties.PolicyDocument.Statement ?? []) as Statement[];
  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  return all.filter((s) => !actions(s).some((a) => a.startsWith('logs:') || a.startsWith('xray:')));
}

/** The environment of `key`'s function. */
function envOf(template: Template, key: StepKey): Record<string, string> {
  const fn = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(`Steps${STEPS[key].label}Function`),
  );
  return (fn?.[1].Properties.Environment.Variables ?? {}) as Record<string, string>;
}

const PUBLISH_CLAIM: Statement = {
  Action: 'cloudwatch:PutMetricData',
  Condition: { StringEquals: { 'cloudwatch:namespace': 'PilotLight' } },
  Effect: 'Allow',
  Resource: '*',
};
const DESCRIBE_TARGET_HEALTH: Statement = {
  Action: 'elasticloadbalancing:DescribeTargetHealth',
  Effect: 'Allow',
  Resource: '*',
};

describe.each(['dr', 'main'] as const)('FailoverSteps (%s)', (role) => {
  const template = synth(role);
  const target = names.regions[role];
  const source = names.regions[role === 'dr' ? 'main' : 'dr'];

  it('flip-dns only publishes the claim: PutMetricData in the PilotLight namespace, no Route 53', () => {
    // Assess
    expect(grantsOf(template, 'dns')).toEqual([PUBLISH_CLAIM]);
  });

  it('flip-dns names the zone, the hostnames and both regional records', () => {
    // Assess
    expect(envOf(template, 'dns')).toEqual(
      expect.objectContaining({
        PROJECT: config.project,
        ZONE_NAME: config.dns.zoneName,
        RECORD_NAMES: 'app.example.com',
        TARGET_RECORD_NAME: target.regionalRecordName,
        SOURCE_RECORD_NAME: source.regionalRecordName,
      }),
    );
  });

  it('fence-source reads the old region’s claim alarm and stops only the old region’s service', () => {
    // Assess
    expect(grantsOf(template, 'fence')).toEqual([
      PUBLISH_CLAIM,
      {
        Action: ['ssm:GetParameter', 'ssm:PutParameter'],
        Effect: 'Allow',
        Resource: source.capacityParameterArns.serviceDesiredCount,
      },
      { Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: source.trafficClaimAlarmArn },
      {
        Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
        Effect: 'Allow',
        Resource: source.ecsServiceArn,
      },
    ]);
    expect(envOf(template, 'fence')).toEqual(
      expect.objectContaining({
        PROJECT: config.project,
        SOURCE_ECS_CLUSTER: source.ecsClusterName,
        SOURCE_ECS_SERVICE: source.ecsServiceName,
        SOURCE_CLAIM_ALARM_NAME: source.trafficClaimAlarmName,
        SOURCE_SERVICE_DESIRED_COUNT_PARAMETER: source.capacityParameters.serviceDesiredCount,
      }),
    );
  });

  it('scale-service writes only its own region’s two capacity parameters, named in its environment', () => {
    // Assess
    expect(grantsOf(template, 'service')).toContainEqual({
      Action: ['ssm:GetParameter', 'ssm:PutParameter'],
      Effect: 'Allow',
      Resource: [
        target.capacityParameterArns.asgMinCapacity,
        target.capacityParameterArns.serviceDesiredCount,
      ],
    });
    expect(target.capacityParameterArns.asgMinCapacity).toBe(
      `arn:aws:ssm:${target.region}:${target.account}:parameter/${config.project}/${role}/capacity/asg-min-capacity`,
    );
    expect(envOf(template, 'service')).toEqual(
      expect.objectContaining({
        ASG_MIN_CAPACITY_PARAMETER: target.capacityParameters.asgMinCapacity,
        SERVICE_DESIRED_COUNT_PARAMETER: target.capacityParameters.serviceDesiredCount,
      }),
    );
  });

  it('grants no SSM action on a wildcard', () => {
    // Assess
    const ssmStatements = (['preflight', 'database', 'service', 'promotion', 'dns', 'fence'] as const)
      .flatMap((key) => grantsOf(template, key))
      .filter((st) => JSON.stringify(st.Action).includes('ssm:'));
    expect(ssmStatements).toHaveLength(2);
    expect(JSON.stringify(ssmStatements)).not.toContain('*');
  });

  it('gives fence-source its window plus the polled steps’ headroom as timeout', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SOURCE_CLAIM_ALARM_NAME: source.trafficClaimAlarmName }) },
      Timeout: config.failover.fence.windowSeconds + 60,
    });
  });

  it.each(['preflight', 'service', 'promotion'] as const)(
    '%s may read target health behind the ALB',
    (key) => {
      // Assess
      expect(grantsOf(template, key)).toContainEqual(DESCRIBE_TARGET_HEALTH);
    },
  );

  it('preflight reads the name from DNS: zone name and both regional records, no hosted zone id', () => {
    // Act
    const env = envOf(template, 'preflight');
    // Assess
    expect(env).toEqual(
      expect.objectContaining({
        ZONE_NAME: config.dns.zoneName,
        TARGET_RECORD_NAME: target.regionalRecordName,
        SOURCE_RECORD_NAME: source.regionalRecordName,
      }),
    );
    expect(env).not.toHaveProperty('HOSTED_ZONE_ID');
  });

  it('grants no Route 53 action to any step', () => {
    // Act
    const route53 = JSON.stringify(template.findResources('AWS::IAM::Policy')).match(/"route53:[A-Za-z]+"/g);
    // Assess
    expect(route53).toBeNull();
  });

  it('drain-replication only reads CloudWatch metrics (no resource-level permission: `*`)', () => {
    // Assess
    expect(grantsOf(template, 'replication')).toEqual([
      { Action: 'cloudwatch:GetMetricData', Effect: 'Allow', Resource: '*' },
    ]);
  });

  it('drain-replication names the source bucket, this bucket and the source rule: the metric dimensions', () => {
    // Assess
    expect(envOf(template, 'replication')).toEqual(
      expect.objectContaining({
        TARGET_ROLE: role,
        SOURCE_REGION: source.region,
        SOURCE_BUCKETS: source.buckets[0]?.bucketName,
        TARGET_BUCKETS: target.buckets[0]?.bucketName,
        SOURCE_REPLICATION_RULE_ID: source.replicationRuleId,
      }),
    );
  });
});
