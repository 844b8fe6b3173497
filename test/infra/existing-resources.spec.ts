import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { otherRole, REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import { buildTestApp, existingAppConfig, mixedConfig, nth, present, regionStack, TEAM } from './app-fixture';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every literal ARN an IAM policy of `template` grants an action on. */
function grantedArns(template: Template): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => (p.Properties.PolicyDocument.Statement ?? []) as Statement[])
    .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]))
    .filter((r): r is string => typeof r === 'string' && r.startsWith('arn:'));
}

/** Every action an IAM policy of `template` grants. */
function grantedActions(template: Template): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p) => (p.Properties.PolicyDocument.Statement ?? []) as Statement[])
    .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
}

/** Resource types pilot-light deploys only for an application it deploys. */
const APPLICATION_TYPES = /^AWS::(EC2::VPC$|RDS::|ECS::|ElasticLoadBalancingV2::|AutoScaling::)/;

describe('buildApp (existing-app.yml: every entry the team’s)', () => {
  // Prepare + Act: one app for the tests below.
  const { app, built, config, names } = buildTestApp(existingAppConfig());
  const assembly = app.synth();
  const stacks: Stack[] = app.node.children.filter((c): c is Stack => 'stackName' in c);
  const orchestrator = (role: RegionRole) => Template.fromStack(built.orchestrators[role]);
  const { account } = config.regions.main;
  /** The ARNs the config's `existing:` blocks name, built from the YAML's own values. */
  const team = (role: RegionRole) => {
    const { region, capacity } = config.regions[role];
    const cluster = present(capacity.existing, `regions.${role}.capacity.existing`).ecsCluster;
    return {
      clusters: config.databases.map(
        (d) => `arn:aws:rds:${region}:${account}:cluster:${d.existing?.regions[role].clusterId}`,
      ),
      instances: config.databases.map(
        (d) => `arn:aws:rds:${region}:${account}:db:${d.existing?.regions[role].clusterId}-*`,
      ),
      services: config.services.map(
        (s) => `arn:aws:ecs:${region}:${account}:service/${cluster}/${s.existing?.regions[role].serviceName}`,
      ),
      asg: `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/${capacity.existing?.autoScalingGroupName}`,
      buckets: config.buckets.map((b) => `arn:aws:s3:::${b.existing?.regions[role].bucketName}`),
    };
  };
  const globalClusters = config.databases.map(
    (d) => `arn:aws:rds::${account}:global-cluster:${d.existing?.globalClusterId}`,
  );

  it('synthesizes only the two orchestrator stacks, the DNS stack and the backup stacks', () => {
    // Assess: the team's resources are backed up all the same (by their own ids).
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'ledger-dns',
      'ledger-dr-backup',
      'ledger-dr-orchestrator',
      'ledger-main-backup',
      'ledger-main-orchestrator',
    ]);
    expect(stacks).toHaveLength(5);
    expect(built.regions).toEqual({ main: {}, dr: {} });
    expect(built.replication).toBeUndefined();
  });

  it('deploys each orchestrator on its own and the DNS stack after both', () => {
    // Assess
    for (const role of REGION_ROLES) expect(built.orchestrators[role].dependencies).toEqual([]);
    expect(built.dns.dependencies).toEqual([built.orchestrators.main, built.orchestrators.dr]);
  });

  it('creates no VPC, database, ECS, Auto Scaling or load balancer resource in any stack', () => {
    // Act
    const types = assembly.stacks.flatMap((s) =>
      Object.values((s.template.Resources ?? {}) as Record<string, { Type: string }>).map((r) => r.Type),
    );
    // Assess
    expect(types.filter((t) => APPLICATION_TYPES.test(t))).toEqual([]);
    expect(types.filter((t) => t.startsWith('AWS::EC2::'))).toEqual([]);
    expect(types).not.toContain('AWS::SSM::Parameter');
  });

  it('creates no bucket but each orchestrator’s run records and their access logs', () => {
    // Act
    const buckets = assembly.stacks.flatMap((s) =>
      Object.entries(
        (s.template.Resources ?? {}) as Record<
          string,
          { Type: string; Properties?: { BucketName?: string } }
        >,
      )
        .filter(([, r]) => r.Type === 'AWS::S3::Bucket')
        .map(([id, r]) => ({ stack: s.stackName, id, bucketName: r.Properties?.BucketName })),
    );
    // Assess
    expect(buckets).toEqual(
      expect.arrayContaining(
        REGION_ROLES.flatMap((role) => [
          {
            stack: names.regions[role].stacks.orchestrator,
            id: expect.stringMatching(/^RunRecordsBucket/),
            bucketName: names.regions[role].runRecordBucketName,
          },
          {
            stack: names.regions[role].stacks.orchestrator,
            id: expect.stringMatching(/^RunRecordsAccessLogs/),
            bucketName: undefined,
          },
        ]),
      ),
    );
    expect(buckets).toHaveLength(4);
  });

  it.each(REGION_ROLES)(
    'names exactly the team’s clusters, global clusters, services, ASG and buckets in the %s orchestrator’s IAM',
    (role) => {
      // Prepare
      const [own, other] = [team(role), team(otherRole(role))];
      const pick = (pattern: RegExp) =>
        [...new Set(grantedArns(orchestrator(role)).filter((a) => pattern.test(a)))].sort();
      // Assess
      expect(pick(/:global-cluster:/)).toEqual([...globalClusters].sort());
      expect(pick(/:rds:[^:]+:\d+:cluster:/)).toEqual([...own.clusters, ...other.clusters].sort());
      expect(pick(/:rds:.*:db:(?!\*$)/)).toEqual([...own.instances].sort());
      // The steps scale this region's services and fence the other region's.
      expect(pick(/:ecs:.*:service\//)).toEqual([...own.services, ...other.services].sort());
      expect(pick(/:autoscaling:/)).toEqual([own.asg]);
      expect(pick(/^arn:aws:s3:::/).filter((a) => !a.includes('-run-records-'))).toEqual(
        [...own.buckets, ...other.buckets].sort(),
      );
    },
  );

  it.each(REGION_ROLES)('runs the %s services’ ARNs under the team’s own ECS cluster', (role) => {
    // Prepare
    const cluster = present(config.regions[role].capacity.existing, 'capacity.existing').ecsCluster;
    // Assess
    expect(team(role).services).toEqual(
      ['ledger-web', 'ledger-api'].map((s) => expect.stringContaining(`:service/${cluster}/${s}`)),
    );
    expect(names.regions[role].services.map((s) => s.ecsServiceArn)).toEqual(team(role).services);
  });

  it.each(REGION_ROLES)(
    'names no identifier pilot-light would have given its own resources in the %s orchestrator',
    (role) => {
      // Act
      const text = JSON.stringify(orchestrator(role).toJSON());
      // Assess: the names pilot-light gives what it deploys (`<project>-<role>-aurora`, …).
      for (const own of REGION_ROLES.map((r) => `ledger-${r}`)) {
        for (const suffix of ['-aurora', '-cluster', '-app', '-ecs-asg', '-db-subnets', '-s3-replication']) {
          expect(text).not.toContain(`${own}${suffix}`);
        }
      }
      expect(text).not.toContain('/capacity/');
    },
  );

  it.each(REGION_ROLES)(
    'grants no SSM action in the %s orchestrator: the team’s tool owns capacity',
    (role) => {
      // Assess
      expect(grantedActions(orchestrator(role)).filter((a) => a.startsWith('ssm:'))).toEqual([]);
    },
  );
});

describe('buildApp (base.yml with its database and bucket the team’s)', () => {
  // Prepare + Act: one app for the tests below.
  const { app, built, names } = buildTestApp(mixedConfig());

  it.each(REGION_ROLES)(
    'deploys the %s network, security groups, storage and service, and no database stack',
    (role) => {
      // Prepare
      const r = built.regions[role];
      // Assess
      expect(Object.keys(r).sort()).toEqual(['network', 'securityGroups', 'service', 'storage']);
      expect(r.database).toBeUndefined();
    },
  );

  it('deploys no replication stack and no RDS resource anywhere', () => {
    // Act
    const types = app
      .synth()
      .stacks.flatMap((s) =>
        Object.values((s.template.Resources ?? {}) as Record<string, { Type: string }>).map((r) => r.Type),
      );
    // Assess
    expect(built.replication).toBeUndefined();
    expect(
      app.node.tryFindChild(present(names.regions.dr.stacks.replication, 'replication')),
    ).toBeUndefined();
    expect(types.filter((t) => t.startsWith('AWS::RDS::'))).toEqual([]);
  });

  it.each(REGION_ROLES)('keeps the %s service stack’s ALB, ECS service and regional record', (role) => {
    // Act
    const t = Template.fromStack(regionStack(built, role, 'service'));
    // Assess
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: nth(names.regions[role].services).ecsServiceName,
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${names.regions[role].regionalRecordName}.`,
    });
  });

  it.each(REGION_ROLES)(
    'keeps only the ALB access logs bucket in the %s storage stack, with no replication',
    (role) => {
      // Act
      const t = Template.fromStack(regionStack(built, role, 'storage'));
      // Assess
      expect(Object.keys(t.findResources('AWS::S3::Bucket'))).toEqual([expect.stringMatching(/^AccessLogs/)]);
      t.resourceCountIs('AWS::IAM::Role', 0);
      expect(JSON.stringify(t.toJSON())).not.toContain(TEAM.buckets[role].bucketName);
    },
  );

  it.each(REGION_ROLES)('lets the %s task role use the team’s bucket', (role) => {
    // Prepare
    const bucketArn = `arn:aws:s3:::${TEAM.buckets[role].bucketName}`;
    // Act
    const t = Template.fromStack(regionStack(built, role, 'service'));
    // Assess
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
            Resource: [bucketArn, `${bucketArn}/*`],
          }),
        ]),
      },
    });
  });

  it.each(REGION_ROLES)(
    'deploys the %s service after storage, and the orchestrator after the service',
    (role) => {
      // Prepare
      const [storage, service] = [regionStack(built, role, 'storage'), regionStack(built, role, 'service')];
      // Assess
      expect(service.dependencies).toContain(storage);
      expect(built.orchestrators[role].dependencies).toEqual([service]);
    },
  );
});
