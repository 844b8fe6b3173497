import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { regionResources } from '../../infra/config/resources';
import { otherRole, type ProjectConfig, REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import { FailoverSteps } from '../../infra/constructs/failover-steps';
import { STEP_LIST, STEPS, type StepKey } from '../../lambdas/shared/steps';
import { capacityParameters, existingAppConfig, mixedConfig, nth, present, TEAM } from './app-fixture';

const config = loadConfig('base');
const names = projectNames(config);

/** The failover steps of `role` for `cfg`, in a stack of their own. */
function stepsOf(role: RegionRole, cfg: ProjectConfig): FailoverSteps {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { account, region } = cfg.regions[role];
  const stack = new Stack(app, 'Test', { env: { account, region } });
  return new FailoverSteps(stack, 'Steps', { config: cfg, names: projectNames(cfg), role });
}

function synth(role: RegionRole, cfg: ProjectConfig = config): Template {
  return Template.fromStack(Stack.of(stepsOf(role, cfg)));
}

/** The reasons `steps` gives for the wildcard `resource` (its cdk-nag IAM5 acknowledgements). */
function wildcardReasons(steps: FailoverSteps, resource: string): string[] {
  const key = `Annotation::AwsSolutions-IAM5[Resource::${resource}]`;
  return steps.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>))
    .filter(([k]) => k === key)
    .map(([, reason]) => reason);
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

/** The JSON list `variable` (`DATABASES`, `SERVICES`) of `key`'s function, or undefined without it. */
function listOf(
  template: Template,
  key: StepKey,
  variable: 'DATABASES' | 'SERVICES',
): Record<string, unknown>[] | undefined {
  const raw = envOf(template, key)[variable];
  return raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>[]);
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
  const [targetCapacity, sourceCapacity] = [capacityParameters(target), capacityParameters(source)];

  it('scale-database carries each database’s promotion class and its fallbacks, in order', () => {
    // Act
    const databases = listOf(template, 'database', 'DATABASES');
    // Assess: base.yml lists fallbacks for DR's promotion only.
    const promotion = nth(config.databases).regions[role].promotion;
    expect(databases).toEqual([
      expect.objectContaining({
        instanceClass: promotion.instanceClass ?? nth(config.databases).instanceClass,
        ...(promotion.fallbackInstanceClasses.length === 0
          ? {}
          : { fallbackInstanceClasses: promotion.fallbackInstanceClasses }),
      }),
    ]);
    if (role === 'dr') expect(promotion.fallbackInstanceClasses).toEqual(['db.r7g.large', 'db.r6g.xlarge']);
    else expect(databases?.[0]).not.toHaveProperty('fallbackInstanceClasses');
  });

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
        Resource: nth(sourceCapacity.arns.serviceDesiredCounts),
      },
      { Action: 'cloudwatch:DescribeAlarms', Effect: 'Allow', Resource: source.trafficClaimAlarmArn },
      {
        Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
        Effect: 'Allow',
        Resource: nth(source.services).ecsServiceArn,
      },
    ]);
    expect(envOf(template, 'fence')).toEqual(
      expect.objectContaining({
        PROJECT: config.project,
        SOURCE_ECS_CLUSTER: source.ecsClusterName,
        SOURCE_CLAIM_ALARM_NAME: source.trafficClaimAlarmName,
      }),
    );
    expect(listOf(template, 'fence', 'SERVICES')).toEqual([
      expect.objectContaining({
        name: nth(config.services).name,
        sourceEcsService: nth(source.services).ecsServiceName,
        sourceDesiredCountParameter: nth(sourceCapacity.names.serviceDesiredCounts),
      }),
    ]);
  });

  it('scale-service writes only its own region’s two capacity parameters, named in its environment', () => {
    // Assess
    expect(grantsOf(template, 'service')).toContainEqual({
      Action: ['ssm:GetParameter', 'ssm:PutParameter'],
      Effect: 'Allow',
      Resource: [targetCapacity.arns.asgMinCapacity, nth(targetCapacity.arns.serviceDesiredCounts)],
    });
    expect(targetCapacity.arns.asgMinCapacity).toBe(
      `arn:aws:ssm:${target.region}:${target.account}:parameter/${config.project}/${role}/capacity/asg-min-capacity`,
    );
    expect(envOf(template, 'service')).toEqual(
      expect.objectContaining({
        ASG_MIN_CAPACITY_PARAMETER: targetCapacity.names.asgMinCapacity,
        // The seed's DR lists two fallback types after its first choice; main lists none.
        INSTANCE_TYPES: role === 'dr' ? 't3.small,t3a.small,t3.medium' : 't3.small',
      }),
    );
    expect(listOf(template, 'service', 'SERVICES')).toEqual([
      expect.objectContaining({
        name: nth(config.services).name,
        ecsService: nth(target.services).ecsServiceName,
        desiredCountParameter: nth(targetCapacity.names.serviceDesiredCounts),
      }),
    ]);
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
        SOURCE_REPLICATION_RULE_IDS: source.replicationRuleId,
      }),
    );
    expect(source.replicationRuleId).toBe(role === 'dr' ? 'main-to-dr' : 'dr-to-main');
  });
});

describe.each(REGION_ROLES)('FailoverSteps (shop.yml, %s)', (role) => {
  const shop = loadConfig('shop');
  const shopNames = projectNames(shop);
  const template = synth(role, shop);
  const target = shopNames.regions[role];
  const source = shopNames.regions[otherRole(role)];
  const [targetCapacity, sourceCapacity] = [capacityParameters(target), capacityParameters(source)];
  const arns = {
    globalClusters: target.databases.map((d) => d.globalClusterArn),
    targetClusters: target.databases.map((d) => d.dbClusterArn),
    sourceClusters: source.databases.map((d) => d.dbClusterArn),
    targetServices: target.services.map((s) => s.ecsServiceArn),
    sourceServices: source.services.map((s) => s.ecsServiceArn),
  };
  const allow = (action: string | string[], resource: unknown): Statement => ({
    Action: action,
    Effect: 'Allow',
    Resource: resource,
  });
  const DESCRIBE_ASG = allow('autoscaling:DescribeAutoScalingGroups', '*');
  const DESCRIBE_SCALING_ACTIVITIES = allow('autoscaling:DescribeScalingActivities', '*');
  const DESCRIBE_INSTANCES = allow('rds:DescribeDBInstances', target.arn('rds', 'db:*'));

  it('names the two global clusters, both regions’ clusters and the three services of each region', () => {
    // Assess: the lists below are what every statement of the next test is held to.
    expect(arns.globalClusters).toEqual([
      `arn:aws:rds::${shop.regions.main.account}:global-cluster:shop-global`,
      `arn:aws:rds::${shop.regions.main.account}:global-cluster:shop-global-orders`,
    ]);
    expect(arns.targetClusters).toEqual([
      target.arn('rds', `cluster:shop-${role}-aurora`),
      target.arn('rds', `cluster:shop-${role}-aurora-orders`),
    ]);
    expect(arns.targetServices).toEqual(
      [`shop-${role}-app`, `shop-${role}-app-api`, `shop-${role}-app-admin`].map((service) =>
        target.arn('ecs', `service/shop-${role}-cluster/${service}`),
      ),
    );
    expect(arns.sourceServices).toHaveLength(3);
  });

  it('preflight reads every global cluster, both regions’ clusters and this region’s services, nothing else', () => {
    // Assess
    expect(grantsOf(template, 'preflight')).toEqual([
      allow('states:ListExecutions', target.stateMachineArn),
      allow('states:DescribeExecution', target.arn('states', `execution:${target.stateMachineName}:*`)),
      allow('rds:DescribeGlobalClusters', arns.globalClusters),
      allow('rds:DescribeDBClusters', [...arns.targetClusters, ...arns.sourceClusters]),
      DESCRIBE_INSTANCES,
      DESCRIBE_ASG,
      allow('ecs:DescribeServices', arns.targetServices),
      DESCRIBE_TARGET_HEALTH,
    ]);
  });

  it('scale-database adds instances to every cluster of this region, nothing else', () => {
    // Assess
    expect(grantsOf(template, 'database')).toEqual([
      allow('rds:DescribeDBClusters', arns.targetClusters),
      DESCRIBE_INSTANCES,
      allow('rds:CreateDBInstance', [
        target.arn('rds', `db:shop-${role}-aurora-*`),
        target.arn('rds', `db:shop-${role}-aurora-orders-*`),
        ...arns.targetClusters,
        target.arn('rds', `subgrp:${target.dbSubnetGroupName}`),
        target.arn('rds', 'pg:default.*'),
        target.arn('rds', 'og:default:*'),
      ]),
    ]);
  });

  it('scale-service raises the ASG and every service of this region, recording each one’s parameter', () => {
    // Assess
    expect(grantsOf(template, 'service')).toEqual([
      allow(
        ['ssm:GetParameter', 'ssm:PutParameter'],
        [targetCapacity.arns.asgMinCapacity, ...targetCapacity.arns.serviceDesiredCounts],
      ),
      DESCRIBE_ASG,
      DESCRIBE_SCALING_ACTIVITIES,
      allow('autoscaling:UpdateAutoScalingGroup', target.asgArnPattern),
      allow(['ecs:DescribeServices', 'ecs:UpdateService'], arns.targetServices),
      DESCRIBE_TARGET_HEALTH,
    ]);
    expect(targetCapacity.arns.serviceDesiredCounts).toHaveLength(3);
  });

  it('promote-database switches or fails over every global cluster, reading this region’s services', () => {
    // Assess
    expect(grantsOf(template, 'promotion')).toEqual([
      allow('rds:DescribeGlobalClusters', arns.globalClusters),
      allow('rds:DescribeDBClusters', arns.targetClusters),
      DESCRIBE_ASG,
      allow('ecs:DescribeServices', arns.targetServices),
      DESCRIBE_TARGET_HEALTH,
      allow(
        ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
        [...arns.globalClusters, ...arns.targetClusters, ...arns.sourceClusters],
      ),
    ]);
  });

  it('fence-source stops every service of the other region and records each one’s parameter', () => {
    // Assess
    expect(grantsOf(template, 'fence')).toEqual([
      PUBLISH_CLAIM,
      allow(['ssm:GetParameter', 'ssm:PutParameter'], sourceCapacity.arns.serviceDesiredCounts),
      allow('cloudwatch:DescribeAlarms', source.trafficClaimAlarmArn),
      allow(['ecs:DescribeServices', 'ecs:UpdateService'], arns.sourceServices),
    ]);
  });

  it('names no cluster or service of another project or region in any step', () => {
    // Prepare
    const known = new Set([...Object.values(arns).flat()]);
    // Act
    const named = STEP_LIST.flatMap((step) => grantsOf(template, step.key))
      .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]))
      .filter((r): r is string => typeof r === 'string')
      .filter((r) => /:(global-)?cluster:|:service\//.test(r));
    // Assess
    expect(named.filter((r) => !known.has(r))).toEqual([]);
    expect(new Set(named)).toEqual(known);
  });

  it('lists every database and service, in config order, with this region’s identifiers', () => {
    // Prepare
    const resources = regionResources(shop, shopNames, role);
    // Assess: each function carries (some of) the fields of each entry, all of them this region's.
    for (const step of STEP_LIST) {
      for (const [variable, expected] of [
        ['DATABASES', resources.databases],
        ['SERVICES', resources.services],
      ] as const) {
        const list = listOf(template, step.key, variable);
        if (list === undefined) continue;
        expect({ step: step.key, names: list.map((e) => e.name) }).toEqual({
          step: step.key,
          names: expected.map((e) => e.name),
        });
        for (const [i, entry] of list.entries()) expect(expected[i]).toMatchObject(entry);
      }
    }
    expect(listOf(template, 'database', 'DATABASES')?.map((d) => d.clusterId)).toEqual(
      target.databases.map((d) => d.dbClusterIdentifier),
    );
    expect(listOf(template, 'fence', 'SERVICES')?.map((s) => s.sourceEcsService)).toEqual(
      source.services.map((s) => s.ecsServiceName),
    );
  });
});

describe.each(REGION_ROLES)('FailoverSteps (existing-app.yml, %s)', (role) => {
  const existing = existingAppConfig();
  const template = synth(role, existing);
  const other = otherRole(role);
  const { account } = existing.regions.main;
  /** The team's identifiers of `r`, as the YAML's existing blocks write them. */
  const team = (r: RegionRole) => {
    const { region, capacity } = existing.regions[r];
    const own = present(capacity.existing, `regions.${r}.capacity.existing`);
    return {
      region,
      ecsCluster: own.ecsCluster,
      asgName: own.autoScalingGroupName,
      clusterIds: existing.databases.map((d) => present(d.existing, 'existing').regions[r].clusterId),
      clusters: existing.databases.map(
        (d) => `arn:aws:rds:${region}:${account}:cluster:${d.existing?.regions[r].clusterId}`,
      ),
      serviceNames: existing.services.map((s) => present(s.existing, 'existing').regions[r].serviceName),
      services: existing.services.map(
        (s) =>
          `arn:aws:ecs:${region}:${account}:service/${own.ecsCluster}/${s.existing?.regions[r].serviceName}`,
      ),
      buckets: existing.buckets.map((b) => present(b.existing, 'existing').regions[r].bucketName),
    };
  };
  const [target, source] = [team(role), team(other)];
  const globalClusterIds = existing.databases.map((d) => present(d.existing, 'existing').globalClusterId);
  const globalClusters = globalClusterIds.map((id) => `arn:aws:rds::${account}:global-cluster:${id}`);
  const rds = (resource: string) => `arn:aws:rds:${target.region}:${account}:${resource}`;
  const allow = (action: string | string[], resource: unknown): Statement => ({
    Action: action,
    Effect: 'Allow',
    Resource: resource,
  });
  const DESCRIBE_ASG = allow('autoscaling:DescribeAutoScalingGroups', '*');
  const DESCRIBE_SCALING_ACTIVITIES = allow('autoscaling:DescribeScalingActivities', '*');
  const UPDATE_ASG = allow(
    'autoscaling:UpdateAutoScalingGroup',
    `arn:aws:autoscaling:${target.region}:${account}:autoScalingGroup:*:autoScalingGroupName/${target.asgName}`,
  );

  it('preflight reads the team’s global clusters, both regions’ clusters and this region’s services', () => {
    // Assess
    expect(grantsOf(template, 'preflight')).toEqual([
      expect.objectContaining({ Action: 'states:ListExecutions' }),
      expect.objectContaining({ Action: 'states:DescribeExecution' }),
      allow('rds:DescribeGlobalClusters', globalClusters),
      allow('rds:DescribeDBClusters', [...target.clusters, ...source.clusters]),
      allow('rds:DescribeDBInstances', rds('db:*')),
      DESCRIBE_ASG,
      allow('ecs:DescribeServices', target.services),
      DESCRIBE_TARGET_HEALTH,
    ]);
  });

  it('scale-database adds instances to the team’s clusters, in the clusters’ own subnet groups (subgrp:*)', () => {
    // Assess
    expect(grantsOf(template, 'database')).toEqual([
      allow('rds:DescribeDBClusters', target.clusters),
      allow('rds:DescribeDBInstances', rds('db:*')),
      allow('rds:CreateDBInstance', [
        ...target.clusterIds.map((id) => rds(`db:${id}-*`)),
        ...target.clusters,
        rds('subgrp:*'),
        rds('pg:default.*'),
        rds('og:default:*'),
      ]),
    ]);
  });

  it('scale-service raises the team’s ASG and services and writes no capacity parameter', () => {
    // Assess
    expect(grantsOf(template, 'service')).toEqual([
      DESCRIBE_ASG,
      DESCRIBE_SCALING_ACTIVITIES,
      UPDATE_ASG,
      allow(['ecs:DescribeServices', 'ecs:UpdateService'], target.services),
      DESCRIBE_TARGET_HEALTH,
    ]);
    expect(envOf(template, 'service')).toEqual(
      expect.objectContaining({
        ASG_NAME: target.asgName,
        ECS_CLUSTER: target.ecsCluster,
        ASG_MIN_CAPACITY_PARAMETER: '',
        // The team's group: its types are not in the config.
        INSTANCE_TYPES: '',
      }),
    );
  });

  it('promote-database switches over or fails over the team’s global clusters', () => {
    // Assess
    expect(grantsOf(template, 'promotion')).toEqual([
      allow('rds:DescribeGlobalClusters', globalClusters),
      allow('rds:DescribeDBClusters', target.clusters),
      DESCRIBE_ASG,
      allow('ecs:DescribeServices', target.services),
      DESCRIBE_TARGET_HEALTH,
      allow(
        ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
        [...globalClusters, ...target.clusters, ...source.clusters],
      ),
    ]);
  });

  it('fence-source stops the team’s services of the other region, recording no parameter', () => {
    // Assess
    expect(grantsOf(template, 'fence')).toEqual([
      PUBLISH_CLAIM,
      allow(
        'cloudwatch:DescribeAlarms',
        `arn:aws:cloudwatch:${source.region}:${account}:alarm:ledger-${other}-traffic-claim`,
      ),
      allow(['ecs:DescribeServices', 'ecs:UpdateService'], source.services),
    ]);
    expect(envOf(template, 'fence')).toEqual(
      expect.objectContaining({ SOURCE_ECS_CLUSTER: source.ecsCluster }),
    );
  });

  it('drain-replication names the team’s buckets and the rule id of each source bucket', () => {
    // Assess
    expect(envOf(template, 'replication')).toEqual(
      expect.objectContaining({
        SOURCE_BUCKETS: source.buckets.join(','),
        TARGET_BUCKETS: target.buckets.join(','),
        SOURCE_REPLICATION_RULE_IDS: existing.buckets
          .map((b) => present(b.existing, 'existing').regions[other].replicationRuleId)
          .join(','),
      }),
    );
  });

  it('grants no SSM action to any step', () => {
    // Act
    const actions = STEP_LIST.flatMap((step) => grantsOf(template, step.key)).flatMap((st) =>
      Array.isArray(st.Action) ? st.Action : [st.Action],
    );
    // Assess
    expect(actions.filter((a) => a.startsWith('ssm:'))).toEqual([]);
  });

  it('lists the team’s identifiers in DATABASES and SERVICES, with no desired-count parameter', () => {
    // Assess
    expect(listOf(template, 'database', 'DATABASES')?.map((d) => d.clusterId)).toEqual(target.clusterIds);
    expect(listOf(template, 'preflight', 'DATABASES')).toEqual(
      globalClusterIds.map((id, i) =>
        expect.objectContaining({
          globalClusterId: id,
          clusterId: target.clusterIds[i],
          sourceClusterId: source.clusterIds[i],
        }),
      ),
    );
    expect(listOf(template, 'service', 'SERVICES')?.map((s) => s.ecsService)).toEqual(target.serviceNames);
    expect(listOf(template, 'fence', 'SERVICES')?.map((s) => s.sourceEcsService)).toEqual(
      source.serviceNames,
    );
    for (const step of STEP_LIST) {
      for (const entry of listOf(template, step.key, 'SERVICES') ?? []) {
        expect(entry).not.toHaveProperty('desiredCountParameter');
        expect(entry).not.toHaveProperty('sourceDesiredCountParameter');
      }
    }
  });
});

describe.each(REGION_ROLES)('FailoverSteps (base.yml with its database the team’s, %s)', (role) => {
  const mixed = mixedConfig();
  const steps = stepsOf(role, mixed);
  const template = Template.fromStack(Stack.of(steps));
  const { account, region } = mixed.regions[role];
  const rds = (resource: string) => `arn:aws:rds:${region}:${account}:${resource}`;
  const subnetGroups = rds('subgrp:*');

  it('lets scale-database create instances in any subnet group: the team’s cluster has its own', () => {
    // Act
    const create = grantsOf(template, 'database').find((st) => st.Action === 'rds:CreateDBInstance');
    // Assess
    expect(create?.Resource).toEqual([
      rds(`db:${TEAM.clusterIds[role]}-*`),
      rds(`cluster:${TEAM.clusterIds[role]}`),
      subnetGroups,
      rds('pg:default.*'),
      rds('og:default:*'),
    ]);
    expect(JSON.stringify(create)).not.toContain(names.regions[role].dbSubnetGroupName);
  });

  it('says why the subnet group is a wildcard', () => {
    // Assess
    expect(wildcardReasons(steps, subnetGroups)).toEqual([
      expect.stringContaining(
        'joins that cluster’s own subnet group, which the config does not name (subgrp:*)',
      ),
    ]);
  });

  it('still writes the capacity parameters of the services it deploys', () => {
    // Assess
    expect(grantsOf(template, 'service')).toContainEqual(
      expect.objectContaining({ Action: ['ssm:GetParameter', 'ssm:PutParameter'] }),
    );
    expect(envOf(template, 'service').ASG_MIN_CAPACITY_PARAMETER).toBe(
      `/${mixed.project}/${role}/capacity/asg-min-capacity`,
    );
  });
});
