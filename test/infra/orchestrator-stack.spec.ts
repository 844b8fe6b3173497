import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { MAX_ENVIRONMENT_BYTES } from '../../infra/constructs/step-lambda';
import { OrchestratorStack } from '../../infra/stacks/orchestrator-stack';
import { DRAIN_REPLICATION_ENV } from '../../lambdas/drain-replication/env';
import { FENCE_SOURCE_ENV } from '../../lambdas/fence-source/env';
import { FLIP_DNS_ENV } from '../../lambdas/flip-dns/env';
import { HEALTH_PROBE_ENV } from '../../lambdas/health-probe/env';
import { PREFLIGHT_ENV } from '../../lambdas/preflight/env';
import { PROMOTE_DATABASE_ENV } from '../../lambdas/promote-database/env';
import { SCALE_DATABASE_ENV } from '../../lambdas/scale-database/env';
import { SCALE_SERVICE_ENV } from '../../lambdas/scale-service/env';
import {
  NOTIFIER,
  READINESS,
  RECORDER,
  STEP_LIST,
  STEPS,
  type StepKey,
  TOPIC_SUBSTITUTION,
} from '../../lambdas/shared/steps';
import { baseConfig, nth } from './app-fixture';

const base = loadConfig('base');
const names = projectNames(base);
const PROBE_FOLDER = 'lambdas/health-probe';
/** Functions that are not steps: the alarm's probe, the notifier, the readiness evaluator and the run recorder. */
const OTHER_FOLDERS = [PROBE_FOLDER, NOTIFIER.folder, READINESS.folder, RECORDER.folder];

/** What each step's handler reads (its `env.ts`). */
const STEP_ENV: Readonly<Record<StepKey, readonly string[]>> = {
  preflight: PREFLIGHT_ENV,
  database: SCALE_DATABASE_ENV,
  service: SCALE_SERVICE_ENV,
  replication: DRAIN_REPLICATION_ENV,
  promotion: PROMOTE_DATABASE_ENV,
  dns: FLIP_DNS_ENV,
  fence: FENCE_SOURCE_ENV,
};
/** What StepLambda sets for the runtime itself, whatever the handler. */
const RUNTIME_ENV = ['NODE_OPTIONS', 'POWERTOOLS_LOG_LEVEL'];

function synth(role: RegionRole, config: ProjectConfig = base): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { account, region } = config.regions[role];
  const stack = new OrchestratorStack(app, projectNames(config).regions[role].stacks.orchestrator, {
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

interface FunctionResource {
  readonly Metadata: Record<string, string>;
  readonly Properties: { readonly Environment: { readonly Variables: Record<string, string> } };
}

/** Lambda functions by their source folder (the `pilot-light:entry` metadata), with logical ids. */
function functionsByFolder(template: Template): Map<string, { logicalId: string; fn: FunctionResource }> {
  return new Map(
    Object.entries(template.findResources('AWS::Lambda::Function')).map(([logicalId, r]) => {
      const fn = r as FunctionResource;
      return [fn.Metadata['pilot-light:entry'] ?? '?', { logicalId, fn }];
    }),
  );
}

/** The environment of the function built from `folder`. */
function envOf(template: Template, folder: string): Record<string, string> {
  const found = functionsByFolder(template).get(folder);
  if (found === undefined) throw new Error(`no function from ${folder}`);
  return found.fn.Properties.Environment.Variables;
}

/** The JSON list `variable` of an environment (`DATABASES`, `SERVICES`). */
function listIn(env: Record<string, string>, variable: 'DATABASES' | 'SERVICES'): Record<string, unknown>[] {
  const raw = env[variable];
  if (raw === undefined) throw new Error(`no ${variable} in the environment`);
  return JSON.parse(raw) as Record<string, unknown>[];
}

/** Literal strings anywhere in `value` (a template or part of one). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

describe('OrchestratorStack (dr)', () => {
  const template = synth('dr');

  it('creates a Standard state machine with the deterministic name, logging, tracing and every substitution', () => {
    // Prepare: each step's Lambda is the construct `Steps/<label>` (logical id `Steps<label>Function…`).
    const substitutions = Object.fromEntries(
      STEP_LIST.map((s) => [
        s.substitution,
        { 'Fn::GetAtt': [Match.stringLikeRegexp(`^Steps${s.label}Function`), 'Arn'] },
      ]),
    );
    // Assess
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: names.regions.dr.stateMachineName,
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      DefinitionSubstitutions: {
        ...substitutions,
        [TOPIC_SUBSTITUTION]: { Ref: Match.stringLikeRegexp('NotificationsTopic') },
      },
    });
  });

  it('builds one Lambda per step from its folder, with the step label as construct id', () => {
    // Act
    const byFolder = functionsByFolder(template);
    // Assess
    expect([...byFolder.keys()].sort()).toEqual([...STEP_LIST.map((s) => s.folder), ...OTHER_FOLDERS].sort());
    for (const step of STEP_LIST) {
      expect(byFolder.get(step.folder)?.logicalId).toMatch(new RegExp(`^Steps${step.label}Function`));
    }
  });

  it('runs every function on the newest Node runtime, arm64, traced', () => {
    // Assess
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
  });

  it('gives each function exactly the variables its handler reads (env.ts), no ignored ones', () => {
    // Prepare
    const byFolder = functionsByFolder(template);
    const expected = new Map<string, readonly string[]>([
      ...STEP_LIST.map((s): [string, readonly string[]] => [s.folder, STEP_ENV[s.key]]),
      [PROBE_FOLDER, HEALTH_PROBE_ENV],
    ]);
    for (const [folder, vars] of expected) {
      // Act
      const actual = Object.keys(byFolder.get(folder)?.fn.Properties.Environment.Variables ?? {});
      // Assess
      expect({ folder, vars: actual.sort() }).toEqual({ folder, vars: [...vars, ...RUNTIME_ENV].sort() });
    }
  });

  it('promotes its own region: env names this region’s cluster, service and regional record', () => {
    // Prepare
    const [dr, main] = [names.regions.dr, names.regions.main];
    const promotion = envOf(template, STEPS.promotion.folder);
    // Assess
    expect(promotion).toMatchObject({
      TARGET_ROLE: 'dr',
      TARGET_REGION: dr.region,
      SOURCE_REGION: main.region,
    });
    expect(listIn(promotion, 'DATABASES')).toEqual([
      expect.objectContaining({
        name: nth(base.databases).name,
        globalClusterId: nth(dr.databases).globalClusterIdentifier,
        clusterArn: nth(dr.databases).dbClusterArn,
      }),
    ]);
    expect(listIn(promotion, 'SERVICES')).toEqual([
      expect.objectContaining({ name: nth(base.services).name, ecsService: nth(dr.services).ecsServiceName }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ZONE_NAME: base.dns.zoneName,
          RECORD_NAMES: 'app.example.com',
          TARGET_RECORD_NAME: dr.regionalRecordName,
          SOURCE_RECORD_NAME: main.regionalRecordName,
        }),
      },
    });
  });

  it('scopes every IAM statement to project resources, except the APIs without resource-level permissions', () => {
    // Prepare
    const allowed = new Set([
      'autoscaling:DescribeAutoScalingGroups',
      // The service step's read of refused launches.
      'autoscaling:DescribeScalingActivities',
      'cloudwatch:PutMetricData',
      'elasticloadbalancing:DescribeTargetHealth',
      // The readiness evaluator's reads (infra/constructs/readiness-evaluator.ts).
      'cloudwatch:GetMetricData',
      'rds:DescribeOrderableDBInstanceOptions',
      'rds:DescribeAccountAttributes',
      'ec2:DescribeLaunchTemplateVersions',
      'ec2:DescribeImages',
      'ec2:DescribeInstanceTypeOfferings',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeCapacityReservations',
      'ecs:DescribeTaskDefinition',
      'elasticloadbalancing:DescribeTargetGroups',
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
    // Act
    const wildcard = statements(template).filter((s) => s.Resource === '*');
    // Assess
    expect(wildcard.flatMap(actions).filter((a) => !allowed.has(a))).toEqual([]);
  });

  it('moves traffic without Route 53’s control plane: no route53 action but the readiness check’s reads', () => {
    // Act
    const route53 = statements(template)
      .flatMap(actions)
      .filter((a) => a.startsWith('route53:'));
    // Assess
    expect(route53.sort()).toEqual(['route53:GetHealthCheck', 'route53:ListResourceRecordSets']);
  });

  it('alarms on its own region’s traffic claim, for the DNS stack’s health check', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names.regions.dr.trafficClaimAlarmName,
      Namespace: 'PilotLight',
      MetricName: 'TrafficClaim',
      Dimensions: [
        { Name: 'Project', Value: base.project },
        { Name: 'Role', Value: 'dr' },
      ],
    });
  });

  it('lets the promote step switch or fail over only this project’s global cluster', () => {
    // Act
    const promote = statements(template).find((s) => actions(s).includes('rds:FailoverGlobalCluster'));
    // Assess
    expect(promote?.Resource).toEqual([
      nth(names.regions.dr.databases).globalClusterArn,
      nth(names.regions.dr.databases).dbClusterArn,
      nth(names.regions.main.databases).dbClusterArn,
    ]);
  });

  it('encrypts the notification topic with a rotating key and enforces TLS', () => {
    // Assess
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: names.regions.dr.topicName,
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

  it('alarms on the share of main’s answered probe requests, M of N, missing data never breaching', () => {
    // Prepare
    const { alarm } = base.failover;
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'PilotLight',
      MetricName: 'SourceRegionHealthy',
      Statistic: 'Average',
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0.5,
      EvaluationPeriods: alarm.evaluationPeriods,
      DatapointsToAlarm: alarm.datapointsToAlarm,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PROBE_URL: `https://${names.regions.main.regionalRecordName}${nth(base.services).healthCheckPath}`,
        }),
      },
    });
  });

  it('starts the state machine in auto mode when the alarm goes to ALARM', () => {
    // Assess
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
    // Assess: the alarms are main's traffic claim and its readiness, which start nothing.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names.regions.main.trafficClaimAlarmName,
      ComparisonOperator: 'LessThanThreshold',
    });
    // The one rule is the readiness schedule: no alarm rule starts the state machine.
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(30 minutes)' });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  it('uses an existing alarm instead of the probe when config names one', () => {
    // Prepare
    const config: ProjectConfig = {
      ...base,
      failover: {
        ...base.failover,
        alarm: { ...base.failover.alarm, regions: ['main'], existingAlarmName: 'app-5xx' },
      },
    };
    // Act
    const t = synth('main', config);
    // Assess: no probe alarms; the traffic claim's, the readiness alarm and the dead-letter alarm.
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        resources: [{ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':alarm:app-5xx')])] }],
      }),
    });
  });
});

describe('OrchestratorStack (GovCloud)', () => {
  it.each(['dr', 'main'] as const)('writes every ARN of the %s stack in the aws-us-gov partition', (role) => {
    // Prepare
    const config = baseConfig();
    config.regions.main.region = 'us-gov-west-1';
    config.regions.main.availabilityZones = ['us-gov-west-1a', 'us-gov-west-1b', 'us-gov-west-1c'];
    config.regions.dr.region = 'us-gov-east-1';
    config.regions.dr.availabilityZones = ['us-gov-east-1a', 'us-gov-east-1b', 'us-gov-east-1c'];
    config.failover.alarm.regions = ['dr', 'main'];
    const gov = projectNames(config);
    // Act
    const t = synth(role, config);
    // Assess
    const literalArns = strings(statements(t).map((s) => s.Resource)).filter((r) => r.startsWith('arn:'));
    expect(literalArns.length).toBeGreaterThan(10);
    expect(literalArns.filter((a) => !a.startsWith('arn:aws-us-gov:'))).toEqual([]);
    expect(strings(t.toJSON()).filter((v) => v.includes('arn:aws:'))).toEqual([]);
    expect(listIn(envOf(t, STEPS.promotion.folder), 'DATABASES')).toEqual([
      expect.objectContaining({ clusterArn: nth(gov.regions[role].databases).dbClusterArn }),
    ]);
    expect(nth(gov.regions[role].databases).dbClusterArn).toMatch(/^arn:aws-us-gov:rds:us-gov-/);
  });
});

describe('OrchestratorStack (shop.yml: several of each)', () => {
  const config = loadConfig('shop');
  const shopNames = projectNames(config);
  const templates = { dr: synth('dr', config), main: synth('main', config) };

  it.each(['dr', 'main'] as const)(
    'keeps every function’s environment of the %s stack under Lambda’s 4 KB (keys and values)',
    (role) => {
      // Act
      const sizes = [...functionsByFolder(templates[role])].map(([folder, { fn }]) => ({
        folder,
        bytes: Object.entries(fn.Properties.Environment.Variables).reduce(
          (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)),
          0,
        ),
      }));
      // Assess
      expect(MAX_ENVIRONMENT_BYTES).toBe(4096);
      expect(sizes.map((f) => f.folder)).toEqual(expect.arrayContaining(STEP_LIST.map((s) => s.folder)));
      expect(sizes.filter((f) => f.bytes > MAX_ENVIRONMENT_BYTES)).toEqual([]);
    },
  );

  it.each(['dr', 'main'] as const)(
    'lets the %s notifier read every global cluster it reports on, each named in its environment',
    (role) => {
      // Prepare
      const own = shopNames.regions[role];
      const t = templates[role];
      // Act
      const notifierPolicy = Object.values(
        t.findResources('AWS::IAM::Policy', {
          Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^Notifier${NOTIFIER.label}Role`) }] },
        }),
      );
      const reads = notifierPolicy
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement)
        .filter((s) => actions(s).includes('rds:DescribeGlobalClusters'));
      // Assess
      expect(listIn(envOf(t, NOTIFIER.folder), 'DATABASES').map((d) => d.globalClusterId)).toEqual([
        'shop-global',
        'shop-global-orders',
      ]);
      expect(reads.map((s) => s.Resource)).toEqual([own.databases.map((d) => d.globalClusterArn)]);
    },
  );

  it('probes the main region on the health check path of the first service, the one its regional alias reaches', () => {
    // Prepare: api's hostname first (the alias becomes main.api.…), api and web with paths of their own.
    const variant = structuredClone(config);
    const records = variant.dns.records;
    variant.dns.records = [nth(records, 1), nth(records, 0), nth(records, 2)];
    nth(variant.services, 1).healthCheckPath = '/api/health';
    nth(variant.services, 0).healthCheckPath = '/web/health';
    // Act
    const t = synth('dr', variant);
    // Assess: main.api.… matches no host-header rule, so the listener's default (web) answers it.
    templates.dr.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PROBE_URL: 'https://main.www.shop.example.com/' }) },
    });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ PROBE_URL: 'https://main.api.shop.example.com/web/health' }),
      },
    });
  });
});
