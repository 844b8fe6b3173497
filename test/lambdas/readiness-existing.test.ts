import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeCapacityProvidersCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import { isOnAsg } from '../../lambdas/readiness/checks/capacity-provider';
import { evaluateReadiness, runCheck } from '../../lambdas/readiness/evaluate';
import { ReadinessReads } from '../../lambdas/readiness/reads';
import type {
  ReadinessDatabase,
  ReadinessService,
  ReadinessSettings,
} from '../../lambdas/readiness/settings';
import type { ReadinessCheckId } from '../../lambdas/shared/readiness-contract';
import { ACCOUNT, awsError, SOURCE_REGION, TARGET_REGION } from './helpers';
import {
  asgArn,
  CAPACITY_PROVIDER,
  DATABASE,
  givenCapacityProvider,
  healthyWorld,
  makeClients,
  mocks,
  now,
  resetMocks,
  SERVICE,
  SETTINGS,
  TARGET_GROUP_ARN,
  TASK_DEFINITION_ARN,
} from './readiness-fixtures';

/**
 * Readiness of resources the team deployed (`existing: true` in DATABASES / SERVICES): the same
 * checks, each finding's fix in the team's terms (the AWS CLI or its tool), never a pilot-light stack.
 */

const TEAMS_TOOL = /in the tool that manages it; pilot-light does not deploy it$/;
const PILOT_LIGHT_STACK = /deploy (this region's|the) \w+ stack/;

/** The team's global database `ledger`: its DR member `ledger-usw2` in `ledger-global`. */
const LEDGER: ReadinessDatabase = {
  ...DATABASE,
  name: 'ledger',
  globalClusterId: 'ledger-global',
  clusterId: 'ledger-usw2',
  existing: true,
};
const LEDGER_ARN = `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:ledger-usw2`;
const LEDGER_MAIN_ARN = `arn:aws:rds:${SOURCE_REGION}:${ACCOUNT}:cluster:ledger-use1`;

/** The team's services run in the seed's cluster and ASG names; only `existing` differs. */
const WEB: ReadinessService = { ...SERVICE, existing: true };
const LEGACY: ReadinessService = { ...SERVICE, name: 'legacy', ecsService: 'team-legacy', existing: true };

const TEAMS: ReadinessSettings = { ...SETTINGS, databases: [LEDGER], services: [WEB] };

/** Every finding of check `id`. */
function findings(id: ReadinessCheckId, settings: ReadinessSettings = TEAMS) {
  return runCheck(id, settings, new ReadinessReads(settings, makeClients(), now), 10_000);
}

/** The one finding of check `id`. */
async function check(id: ReadinessCheckId, settings: ReadinessSettings = TEAMS) {
  const [first, ...rest] = await findings(id, settings);
  if (first === undefined || rest.length > 0) throw new Error(`expected one finding of ${id}`);
  return first;
}

/** `ledger-global`'s members, and the DR cluster `ledger-usw2` as DescribeDBClusters answers it. */
function givenLedger(members: readonly string[]): void {
  mocks.rds.on(DescribeGlobalClustersCommand).resolves({
    GlobalClusters: [
      {
        GlobalClusterIdentifier: 'ledger-global',
        Status: 'available',
        GlobalClusterMembers: members.map((arn, i) => ({
          DBClusterArn: arn,
          IsWriter: i === 0,
          ...(i === 0 ? {} : { SynchronizationStatus: 'connected' as const }),
        })),
      },
    ],
  });
  mocks.rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [{ DBClusterIdentifier: 'ledger-usw2', DBClusterArn: LEDGER_ARN, DBClusterMembers: [] }],
  });
}

/** The seed's DR service as DescribeServices answers it, with `strategy` as its capacity providers. */
function givenServiceStrategy(strategy: readonly string[], launchType?: 'EC2'): void {
  mocks.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 'proj-dr-app',
        status: 'ACTIVE',
        taskDefinition: TASK_DEFINITION_ARN,
        loadBalancers: [{ targetGroupArn: TARGET_GROUP_ARN, containerName: 'app', containerPort: 80 }],
        capacityProviderStrategy: strategy.map((capacityProvider) => ({ capacityProvider, weight: 1 })),
        ...(launchType === undefined ? {} : { launchType }),
      },
    ],
  });
}

beforeEach(() => {
  resetMocks();
  healthyWorld();
  givenLedger([LEDGER_MAIN_ARN, LEDGER_ARN]);
});

describe('readiness of an existing database', () => {
  it('passes when its cluster is a secondary of its global cluster, like a deployed one', async () => {
    // Act
    const result = await check('global-cluster');
    // Assess
    expect(result).toEqual({
      id: 'global-cluster',
      status: 'PASS',
      what: 'database ledger: ledger-usw2 (us-west-2) is a secondary of global cluster ledger-global (available)',
    });
  });

  it('is FAIL in the team’s terms when its cluster is not a member of its global cluster', async () => {
    // Prepare: ledger-usw2 exists, but ledger-global lists only main's cluster.
    givenLedger([LEDGER_MAIN_ARN]);
    // Act
    const result = await check('global-cluster');
    // Assess
    expect(result).toMatchObject({
      status: 'FAIL',
      what: 'database ledger: ledger-usw2 (us-west-2) is a member of global cluster ledger-global',
      why: `ledger-usw2 is not a member of ledger-global (members: ${LEDGER_MAIN_ARN}): it was detached or removed, or never joined`,
    });
    expect(result.fix).toBe(
      "name a member of ledger-global in databases entry ledger's existing.regions.dr.clusterId, or add a new cluster in us-west-2 to it (one that left a global database cannot rejoin) and name that one " +
        'with `aws rds create-db-cluster --db-cluster-identifier <new cluster> --global-cluster-identifier ledger-global --engine aurora-postgresql --engine-version 16.6 --region us-west-2` ' +
        'or in the tool that manages it; pilot-light does not deploy it',
    );
    expect(result.fix).not.toMatch(PILOT_LIGHT_STACK);
  });

  it('says the same in the replication-lag finding', async () => {
    // Prepare
    givenLedger([LEDGER_MAIN_ARN]);
    // Act
    const result = await check('replication-lag');
    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(
      'nothing replicates into ledger-usw2: ledger-usw2 is not a member of ledger-global',
    );
    expect(result.fix).toMatch(TEAMS_TOOL);
    expect(result.fix).toContain('--global-cluster-identifier ledger-global');
  });

  it('is FAIL naming the entry, not an exception, when its global cluster does not exist', async () => {
    // Prepare
    mocks.rds
      .on(DescribeGlobalClustersCommand)
      .rejects(awsError('GlobalClusterNotFoundFault', 'GlobalCluster ledger-global not found', 404));
    // Act
    const report = await evaluateReadiness(TEAMS, makeClients(), now);
    // Assess
    const finding = report.checks.find((c) => c.id === 'global-cluster');
    expect(report.ready).toBe(false);
    expect(finding).toMatchObject({
      status: 'FAIL',
      what: 'database ledger: ledger-usw2 (us-west-2) is a member of global cluster ledger-global',
      why: 'global cluster ledger-global does not exist',
    });
    expect(finding?.fix).toContain(
      "correct databases entry ledger's existing.globalClusterId if it is misspelt",
    );
    expect(finding?.fix).toContain(
      '`aws rds create-global-cluster --global-cluster-identifier ledger-global',
    );
    expect(finding?.fix).toMatch(TEAMS_TOOL);
  });

  it('is FAIL naming the entry and the key to check when its cluster does not exist in the region', async () => {
    // Prepare
    mocks.rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 'not found', 404));
    // Act
    const result = await check('global-cluster');
    // Assess
    expect(result).toMatchObject({
      status: 'FAIL',
      what: expect.stringMatching(/^database ledger: /),
      why: 'cluster ledger-usw2 does not exist in us-west-2',
    });
    expect(result.fix).toContain("correct databases entry ledger's existing.regions.dr.clusterId");
    expect(result.fix).toContain('`aws rds create-db-cluster --db-cluster-identifier ledger-usw2');
    expect(result.fix).toMatch(TEAMS_TOOL);
    // The quota finding names it too, and in the same terms.
    const quotas = await check('quotas');
    expect(quotas.why).toContain('database ledger: cluster ledger-usw2 does not exist');
    expect(quotas.fix).toMatch(TEAMS_TOOL);
  });

  it('keeps the pilot-light fix for a database pilot-light deploys beside it', async () => {
    // Prepare: `app` is pilot-light's, its cluster detached.
    const mixed: ReadinessSettings = { ...TEAMS, databases: [DATABASE, LEDGER] };
    mocks.rds.on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: 'proj-global' }).resolves({
      GlobalClusters: [{ GlobalClusterIdentifier: 'proj-global', GlobalClusterMembers: [] }],
    });
    // Act
    const [app, ledger] = await findings('global-cluster', mixed);
    // Assess
    expect(app?.status).toBe('FAIL');
    expect(app?.fix).toMatch(/redeploy this region's database stack/);
    expect(ledger?.status).toBe('PASS');
  });
});

describe('readiness of existing services and their capacity', () => {
  it('passes when the DR service places its tasks through a capacity provider of the ASG', async () => {
    // Act
    const result = await check('capacity-limits');
    // Assess
    expect(result.status).toBe('PASS');
    expect(mocks.ecs).toHaveReceivedCommandWith(DescribeCapacityProvidersCommand, {
      capacityProviders: [CAPACITY_PROVIDER],
    });
  });

  it('is FAIL in the team’s terms when its capacity provider is on another Auto Scaling group', async () => {
    // Prepare
    givenServiceStrategy(['team-other-cp']);
    givenCapacityProvider('team-other-cp', 'team-batch-asg');
    // Act
    const result = await check('capacity-limits');
    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(
      "service app: ECS service proj-dr-cluster/proj-dr-app's capacity provider strategy names team-other-cp (ASG team-batch-asg): none on ASG proj-dr-asg, which a promotion raises",
    );
    expect(result.fix).toBe(
      'give ECS service proj-dr-cluster/proj-dr-app a capacity provider strategy naming the capacity provider of ASG proj-dr-asg (aws ecs describe-capacity-providers --region us-west-2 lists them) ' +
        'with `aws ecs update-service --cluster proj-dr-cluster --service proj-dr-app --capacity-provider-strategy capacityProvider=<provider>,weight=1 --force-new-deployment --region us-west-2` ' +
        'or in the tool that manages it; pilot-light does not deploy it',
    );
  });

  it.each([
    ['a Fargate provider', ['FARGATE'], 'FARGATE (no Auto Scaling group)'],
    ['a provider that does not exist', ['team-gone-cp'], 'team-gone-cp (does not exist)'],
  ])('is FAIL when the strategy names only %s', async (_case, strategy, named) => {
    // Prepare
    givenServiceStrategy(strategy);
    givenCapacityProvider('FARGATE', undefined);
    // Act
    const result = await check('capacity-limits');
    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.why).toContain(`strategy names ${named}: none on ASG proj-dr-asg`);
  });

  it('is FAIL when the service has no capacity provider strategy (launch type EC2)', async () => {
    // Prepare
    givenServiceStrategy([], 'EC2');
    // Act
    const result = await check('capacity-limits');
    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.why).toContain(
      'ECS service proj-dr-cluster/proj-dr-app has no capacity provider strategy (launch type EC2)',
    );
    expect(mocks.ecs).not.toHaveReceivedCommand(DescribeCapacityProvidersCommand);
  });

  it('passes when one of several providers is on the ASG', async () => {
    // Prepare
    givenServiceStrategy(['FARGATE', CAPACITY_PROVIDER]);
    // Act + Assess
    expect((await check('capacity-limits')).status).toBe('PASS');
  });

  it('is UNKNOWN naming the permission when DescribeCapacityProviders is denied', async () => {
    // Prepare
    mocks.ecs
      .on(DescribeCapacityProvidersCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform ecs:DescribeCapacityProviders'));
    // Act
    const result = await check('capacity-limits');
    // Assess
    expect(result.status).toBe('UNKNOWN');
    expect(result.fix).toContain("grant ecs:DescribeCapacityProviders to the readiness function's role");
  });

  it('is FAIL naming a named service that does not exist, in every service finding', async () => {
    // Prepare: DescribeServices knows `proj-dr-app` only.
    const two: ReadinessSettings = { ...TEAMS, services: [WEB, LEGACY] };
    mocks.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'proj-dr-app',
          status: 'ACTIVE',
          taskDefinition: TASK_DEFINITION_ARN,
          loadBalancers: [{ targetGroupArn: TARGET_GROUP_ARN, containerName: 'app', containerPort: 80 }],
          capacityProviderStrategy: [{ capacityProvider: CAPACITY_PROVIDER, weight: 1 }],
        },
      ],
      failures: [{ arn: 'team-legacy', reason: 'MISSING' }],
    });
    // Act
    const capacity = await check('capacity-limits', two);
    const [, legacyTask] = await findings('task-definition', two);
    // Assess
    expect(capacity.status).toBe('FAIL');
    expect(capacity.why).toContain('service legacy: ECS service proj-dr-cluster/team-legacy does not exist');
    expect(capacity.fix).toContain(
      "correct services entry legacy's existing.regions.dr.serviceName if it is misspelt (aws ecs list-services --cluster proj-dr-cluster --region us-west-2 lists them), else create ECS service team-legacy in proj-dr-cluster in the tool that manages it; pilot-light does not deploy it",
    );
    expect(capacity.fix).not.toMatch(PILOT_LIGHT_STACK);
    expect(legacyTask).toMatchObject({
      status: 'FAIL',
      what: expect.stringMatching(/^service legacy: /),
      why: 'ECS service proj-dr-cluster/team-legacy does not exist',
    });
    expect(legacyTask?.fix).toMatch(TEAMS_TOOL);
    const traffic = await check('traffic-routing', two);
    expect(traffic.why).toContain('service legacy: ECS service proj-dr-cluster/team-legacy does not exist');
  });

  it('is FAIL once, naming the cluster and its config key, when the ECS cluster does not exist', async () => {
    // Prepare
    mocks.ecs.on(DescribeServicesCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    // Act
    const result = await check('capacity-limits');
    // Assess
    expect(result.status).toBe('FAIL');
    expect(result.why).toContain('ECS cluster proj-dr-cluster does not exist in us-west-2');
    expect(result.why).not.toContain('service app');
    expect(result.fix).toBe(
      'correct regions.dr.capacity.existing.ecsCluster if it is misspelt (aws ecs list-clusters --region us-west-2 lists them), else create cluster proj-dr-cluster in the tool that manages it; pilot-light does not deploy it',
    );
  });

  it('is FAIL naming the ASG and its config key when the team’s Auto Scaling group does not exist', async () => {
    // Prepare
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    // Act
    const capacity = await check('capacity-limits');
    const launch = await check('launch-template');
    // Assess
    expect(capacity.status).toBe('FAIL');
    expect(capacity.why).toContain('ASG proj-dr-asg does not exist in us-west-2');
    expect(capacity.fix).toContain(
      'correct regions.dr.capacity.existing.autoScalingGroupName if it is misspelt',
    );
    expect(launch).toMatchObject({ status: 'FAIL', why: 'ASG proj-dr-asg does not exist in us-west-2' });
    expect(launch.fix).toMatch(TEAMS_TOOL);
  });

  it('gives no finding of an existing application a pilot-light stack to deploy', async () => {
    // Prepare: everything the team deployed is missing or miswired.
    givenLedger([LEDGER_MAIN_ARN]);
    givenServiceStrategy(['team-other-cp']);
    givenCapacityProvider('team-other-cp', 'team-batch-asg');
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'proj-dr-asg',
          MinSize: 0,
          MaxSize: 1,
          DesiredCapacity: 0,
          DefaultCooldown: 300,
          AvailabilityZones: ['us-west-2a'],
          HealthCheckType: 'EC2',
          CreatedTime: new Date(0),
          Instances: [],
        },
      ],
    });
    // Act
    const report = await evaluateReadiness(TEAMS, makeClients(), now);
    // Assess
    const about = report.checks.filter((c) =>
      ['global-cluster', 'replication-lag', 'capacity-limits', 'launch-template'].includes(c.id),
    );
    expect(about.map((c) => [c.id, c.status])).toEqual([
      ['global-cluster', 'FAIL'],
      ['replication-lag', 'FAIL'],
      ['launch-template', 'FAIL'],
      ['capacity-limits', 'FAIL'],
    ]);
    for (const c of about) expect(c.fix).not.toMatch(PILOT_LIGHT_STACK);
  });
});

describe('isOnAsg', () => {
  it('matches a capacity provider kept with the group’s ARN or its name, and nothing else', () => {
    expect(
      isOnAsg({ autoScalingGroupProvider: { autoScalingGroupArn: asgArn('team-asg') } }, 'team-asg'),
    ).toBe(true);
    expect(isOnAsg({ autoScalingGroupProvider: { autoScalingGroupArn: 'team-asg' } }, 'team-asg')).toBe(true);
    expect(
      isOnAsg({ autoScalingGroupProvider: { autoScalingGroupArn: asgArn('team-asg-2') } }, 'team-asg'),
    ).toBe(false);
    expect(isOnAsg({ name: 'FARGATE' }, 'team-asg')).toBe(false);
  });
});
