import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
} from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import {
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  type DescribeOrderableDBInstanceOptionsCommandInput,
} from '@aws-sdk/client-rds';
import { GetHealthCheckCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { GetBucketReplicationCommand } from '@aws-sdk/client-s3';
import { GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { lambdaFunctionsOf } from '../../lambdas/readiness/checks/orchestrator';
import { runCheck } from '../../lambdas/readiness/evaluate';
import { ReadinessReads } from '../../lambdas/readiness/reads';
import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import { READINESS_CHECK_IDS } from '../../lambdas/shared/readiness-contract';
import { awsError, throttled } from './helpers';
import {
  CLUSTER_ARN,
  DATABASE,
  DEFINITION,
  fnArn,
  givenFailoverPair,
  givenReplicationRule,
  HEALTH,
  healthyWorld,
  lagMetric,
  MAIN_CLUSTER_ARN,
  makeClients,
  mocks,
  NOW,
  now,
  onlyFinding,
  resetMocks,
  SERVICE,
  SETTINGS,
  TASK_DEFINITION_ARN,
} from './readiness-fixtures';

const check = onlyFinding;

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

beforeEach(() => {
  resetMocks();
  healthyWorld();
});

describe('readiness checks in a healthy region', () => {
  it.each(READINESS_CHECK_IDS)('%s is PASS without why or fix', async (id) => {
    const result = await check(id);
    expect(result).toMatchObject({ id, status: 'PASS' });
    expect(result.why).toBeUndefined();
    expect(result.fix).toBeUndefined();
    expect(result.what.length).toBeGreaterThan(0);
  });

  it.each(READINESS_CHECK_IDS)('%s is UNKNOWN with the cause when it does not answer in time', async (id) => {
    const hang = () => new Promise<never>(() => undefined);
    for (const m of Object.values(mocks)) m.callsFake(hang);
    const result = await check(id, SETTINGS, 20);
    expect(result).toMatchObject({ id, status: 'UNKNOWN' });
    expect(result.why).toMatch(/^timed out: readiness check .* no answer within 20 ms/);
    expect(result.fix).toMatch(/next evaluation/);
  });
});

describe('global-cluster', () => {
  it('says the cluster is a secondary', async () => {
    expect((await check('global-cluster')).what).toBe(
      'database app: proj-dr-aurora (us-west-2) is a secondary of global cluster proj-global (available)',
    );
  });

  it('says the cluster is the writer', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        { Status: 'available', GlobalClusterMembers: [{ DBClusterArn: CLUSTER_ARN, IsWriter: true }] },
      ],
    });
    expect((await check('global-cluster')).what).toMatch(/is the writer of global cluster/);
  });

  it('is FAIL when the global cluster does not exist', async () => {
    mocks.rds
      .on(DescribeGlobalClustersCommand)
      .rejects(awsError('GlobalClusterNotFoundFault', 'not found', 404));
    const result = await check('global-cluster');
    expect(result).toMatchObject({ status: 'FAIL', why: 'global cluster proj-global does not exist' });
    expect(result.fix).toMatch(/aws rds describe-global-clusters --global-cluster-identifier proj-global/);
  });

  it('is FAIL when this region cluster does not exist', async () => {
    mocks.rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 'nope', 404));
    expect(await check('global-cluster')).toMatchObject({
      status: 'FAIL',
      why: 'cluster proj-dr-aurora does not exist in us-west-2',
    });
  });

  it('is FAIL when the cluster was detached from the global cluster', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [{ GlobalClusterMembers: [{ DBClusterArn: MAIN_CLUSTER_ARN, IsWriter: true }] }],
    });
    const result = await check('global-cluster');
    expect(result.status).toBe('FAIL');
    expect(result.why).toMatch(/not a member of proj-global \(members: .*proj-main-aurora\)/);
  });

  it('is UNKNOWN naming the action when RDS denies access', async () => {
    mocks.rds
      .on(DescribeGlobalClustersCommand)
      .rejects(awsError('AccessDenied', 'User is not authorized', 403));
    const result = await check('global-cluster');
    expect(result).toMatchObject({
      status: 'UNKNOWN',
      why: 'rds:DescribeGlobalClusters failed: AccessDenied: User is not authorized',
    });
    expect(result.fix).toMatch(/^grant rds:DescribeGlobalClusters to the readiness function's role/);
  });

  it('is UNKNOWN as transient when RDS throttles', async () => {
    mocks.rds.on(DescribeDBClustersCommand).rejects(throttled());
    const result = await check('global-cluster');
    expect(result.status).toBe('UNKNOWN');
    expect(result.why).toMatch(/^rds:DescribeDBClusters failed: ThrottlingException/);
    expect(result.fix).toMatch(/^transient/);
  });
});

describe('replication-lag', () => {
  it('reads the latest lag of this cluster over the last 10 minutes and reports it', async () => {
    const result = await check('replication-lag');
    expect(result).toMatchObject({
      status: 'PASS',
      replicationLag: { seconds: 1.2, at: minutesAgo(1).toISOString() },
    });
    expect(mocks.cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      StartTime: minutesAgo(10),
      EndTime: NOW,
      MetricDataQueries: [
        expect.objectContaining({
          MetricStat: expect.objectContaining({
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: 'AuroraGlobalDBReplicationLag',
              Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'proj-dr-aurora' }],
            },
            Period: 60,
          }),
        }),
      ],
    });
  });

  it('is PASS for the writer without reading the metric', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [{ GlobalClusterMembers: [{ DBClusterArn: CLUSTER_ARN, IsWriter: true }] }],
    });
    expect(await check('replication-lag')).toMatchObject({
      status: 'PASS',
      what: 'database app: proj-dr-aurora is the writer: nothing to replicate',
    });
    expect(mocks.cloudwatch).not.toHaveReceivedCommand(GetMetricDataCommand);
  });

  it('is FAIL when the lag exceeds the bound, with the lag in the outcome', async () => {
    mocks.cloudwatch.on(GetMetricDataCommand).resolves(lagMetric([{ ms: 12_500, at: minutesAgo(1) }]));
    const result = await check('replication-lag');
    expect(result).toMatchObject({ status: 'FAIL', replicationLag: { seconds: 12.5 } });
    expect(result.why).toBe(
      'replication lag 12.5 s exceeds 10 s: an unplanned failover now would lose that much',
    );
    expect(result.fix).toMatch(/failover\.readiness\.maxReplicationLagSeconds/);
  });

  it('is FAIL when no datapoint arrived: replication broken or stopped', async () => {
    mocks.cloudwatch
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: 'lag', Values: [], Timestamps: [] }] });
    const result = await check('replication-lag');
    expect(result.status).toBe('FAIL');
    expect(result.why).toMatch(
      /no AuroraGlobalDBReplicationLag datapoint in the last 10 min: replication not reporting/,
    );
    expect(result).not.toHaveProperty('replicationLag');
  });

  it('is FAIL when the member is pending resync, even with a small lag', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          GlobalClusterMembers: [
            { DBClusterArn: MAIN_CLUSTER_ARN, IsWriter: true },
            { DBClusterArn: CLUSTER_ARN, IsWriter: false, SynchronizationStatus: 'pending-resync' },
          ],
        },
      ],
    });
    const result = await check('replication-lag');
    expect(result).toMatchObject({ status: 'FAIL', replicationLag: { seconds: 1.2 } });
    expect(result.why).toMatch(/synchronization as pending-resync/);
  });

  it('stays FAIL when the member is pending resync and the metric cannot be read', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          GlobalClusterMembers: [
            { DBClusterArn: CLUSTER_ARN, IsWriter: false, SynchronizationStatus: 'pending-resync' },
          ],
        },
      ],
    });
    mocks.cloudwatch.on(GetMetricDataCommand).rejects(throttled());
    expect(await check('replication-lag')).toMatchObject({ status: 'FAIL' });
  });

  it('is FAIL when the cluster is not a member', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [{ GlobalClusterMembers: [] }] });
    expect((await check('replication-lag')).why).toMatch(/^nothing replicates into proj-dr-aurora/);
  });

  it('is UNKNOWN when CloudWatch fails', async () => {
    mocks.cloudwatch.on(GetMetricDataCommand).rejects(awsError('InternalServiceError', 'boom', 500));
    expect(await check('replication-lag')).toMatchObject({
      status: 'UNKNOWN',
      why: 'cloudwatch:GetMetricData failed: InternalServiceError: boom',
    });
  });
});

describe('instance-class', () => {
  it('asks for exactly the configured engine, version and class', async () => {
    await check('instance-class');
    expect(mocks.rds).toHaveReceivedCommandWith(DescribeOrderableDBInstanceOptionsCommand, {
      Engine: 'aurora-postgresql',
      EngineVersion: '16.6',
      DBInstanceClass: 'db.r6g.large',
    });
  });

  it('pages with Marker and unions the zones of every page', async () => {
    mocks.rds
      .on(DescribeOrderableDBInstanceOptionsCommand)
      .resolvesOnce({
        OrderableDBInstanceOptions: [{ AvailabilityZones: [{ Name: 'us-west-2a' }] }],
        Marker: 'm1',
      })
      .resolvesOnce({ OrderableDBInstanceOptions: [{ AvailabilityZones: [{ Name: 'us-west-2b' }] }] });
    expect(await check('instance-class')).toMatchObject({ status: 'PASS' });
    expect(mocks.rds).toHaveReceivedCommandTimes(DescribeOrderableDBInstanceOptionsCommand, 2);
    expect(mocks.rds).toHaveReceivedNthSpecificCommandWith(2, DescribeOrderableDBInstanceOptionsCommand, {
      Marker: 'm1',
    });
  });

  it('is FAIL when the class is not orderable at all', async () => {
    mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({ OrderableDBInstanceOptions: [] });
    const result = await check('instance-class');
    expect(result).toMatchObject({
      status: 'FAIL',
      why: 'db.r6g.large is not orderable for aurora-postgresql 16.6 in us-west-2',
    });
    expect(result.fix).toMatch(/the databases entry app's regions\.dr\.promotion\.instanceClass/);
  });

  it('is FAIL naming the zones the class is missing from', async () => {
    mocks.rds
      .on(DescribeOrderableDBInstanceOptionsCommand)
      .resolves({ OrderableDBInstanceOptions: [{ AvailabilityZones: [{ Name: 'us-west-2a' }] }] });
    expect((await check('instance-class')).why).toBe(
      'db.r6g.large is not orderable in us-west-2b (offered in us-west-2a)',
    );
  });

  it('is UNKNOWN when RDS throttles', async () => {
    mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).rejects(throttled());
    expect((await check('instance-class')).status).toBe('UNKNOWN');
  });

  describe('with fallback classes', () => {
    const withFallbacks: ReadinessSettings = {
      ...SETTINGS,
      databases: [{ ...DATABASE, fallbackInstanceClasses: ['db.r7g.large', 'db.r6g.xlarge'] }],
    };
    /** RDS offers each class in `zonesOf[cls]` (a class not listed is not orderable). */
    const givenOrderable = (zonesOf: Readonly<Record<string, readonly string[]>>) =>
      mocks.rds
        .on(DescribeOrderableDBInstanceOptionsCommand)
        .callsFake((input: DescribeOrderableDBInstanceOptionsCommandInput) => {
          const cls = input.DBInstanceClass ?? '';
          const zones = zonesOf[cls];
          return {
            OrderableDBInstanceOptions:
              zones === undefined
                ? []
                : [{ DBInstanceClass: cls, AvailabilityZones: zones.map((Name) => ({ Name })) }],
          };
        });
    const BOTH = ['us-west-2a', 'us-west-2b'];

    it('is PASS when the first class and every fallback are orderable, asking for each', async () => {
      givenOrderable({ 'db.r6g.large': BOTH, 'db.r7g.large': BOTH, 'db.r6g.xlarge': BOTH });
      const result = await check('instance-class', withFallbacks);
      expect(result).toMatchObject({
        status: 'PASS',
        what: 'database app: db.r6g.large (fallbacks db.r7g.large, db.r6g.xlarge) orderable for aurora-postgresql 16.6 in us-west-2a, us-west-2b',
      });
      for (const cls of ['db.r6g.large', 'db.r7g.large', 'db.r6g.xlarge']) {
        expect(mocks.rds).toHaveReceivedCommandWith(DescribeOrderableDBInstanceOptionsCommand, {
          Engine: 'aurora-postgresql',
          EngineVersion: '16.6',
          DBInstanceClass: cls,
        });
      }
    });

    it('is FAIL naming a fallback that is not orderable at all (a false promise of recovery)', async () => {
      givenOrderable({ 'db.r6g.large': BOTH, 'db.r6g.xlarge': BOTH });
      const result = await check('instance-class', withFallbacks);
      expect(result).toMatchObject({
        status: 'FAIL',
        why: 'fallback db.r7g.large is not orderable for aurora-postgresql 16.6 in us-west-2',
      });
      expect(result.fix).toMatch(/the databases entry app's regions\.dr\.promotion\.fallbackInstanceClasses/);
    });

    it('is FAIL naming a fallback missing from a zone, and the first class too when it is', async () => {
      givenOrderable({
        'db.r6g.large': ['us-west-2a'],
        'db.r7g.large': BOTH,
        'db.r6g.xlarge': ['us-west-2b'],
      });
      expect((await check('instance-class', withFallbacks)).why).toBe(
        'db.r6g.large is not orderable in us-west-2b (offered in us-west-2a); ' +
          'fallback db.r6g.xlarge is not orderable in us-west-2a (offered in us-west-2b)',
      );
    });
  });

  it('is UNKNOWN with the answer when RDS refuses the request for another reason', async () => {
    mocks.rds
      .on(DescribeOrderableDBInstanceOptionsCommand)
      .rejects(awsError('InvalidParameterCombination', 'bad engine', 400));
    expect(await check('instance-class')).toMatchObject({
      status: 'UNKNOWN',
      why: 'rds:DescribeOrderableDBInstanceOptions failed: InvalidParameterCombination: bad engine',
      fix: 'an unexpected answer from rds:DescribeOrderableDBInstanceOptions (see why); npm run readiness re-runs the checks with your credentials',
    });
  });
});

describe('launch-template', () => {
  it('resolves the template version with SSM aliases and checks the AMI and the offerings', async () => {
    const result = await check('launch-template');
    expect(result.what).toBe(
      'ASG proj-dr-asg: launch template lt-0abc (version $Default → 3), AMI ami-0123 available, t3.large offered in us-west-2a, us-west-2b',
    );
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, {
      LaunchTemplateId: 'lt-0abc',
      Versions: ['$Default'],
      ResolveAlias: true,
    });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeImagesCommand, { ImageIds: ['ami-0123'] });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeInstanceTypeOfferingsCommand, {
      LocationType: 'availability-zone',
      Filters: [{ Name: 'instance-type', Values: ['t3.large'] }],
    });
  });

  it('reads the mixed instances policy template and its override types', async () => {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'proj-dr-asg',
          MinSize: 0,
          MaxSize: 4,
          DesiredCapacity: 0,
          DefaultCooldown: 300,
          AvailabilityZones: ['us-west-2a'],
          HealthCheckType: 'EC2',
          CreatedTime: NOW,
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateName: 'proj-dr-lt', Version: '5' },
              Overrides: [{ InstanceType: 't3.large' }, { InstanceType: 'm5.large' }],
            },
          },
        },
      ],
    });
    const result = await check('launch-template');
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, {
      LaunchTemplateName: 'proj-dr-lt',
      Versions: ['5'],
    });
    expect(result.status).toBe('FAIL');
    expect(result.why).toBe('m5.large is not offered in us-west-2a');
  });

  it('is FAIL when the ASG does not exist', async () => {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    expect(await check('launch-template')).toMatchObject({
      status: 'FAIL',
      why: 'ASG proj-dr-asg does not exist in us-west-2',
    });
  });

  it('is FAIL when the launch template version is gone', async () => {
    mocks.ec2
      .on(DescribeLaunchTemplateVersionsCommand)
      .rejects(awsError('InvalidLaunchTemplateId.VersionNotFound', 'Could not find launch template version'));
    expect((await check('launch-template')).why).toBe(
      'launch template lt-0abc version $Default does not exist',
    );
  });

  it('is FAIL when the AMI is deregistered (EC2 answers InvalidAMIID.NotFound)', async () => {
    mocks.ec2
      .on(DescribeImagesCommand)
      .rejects(awsError('InvalidAMIID.NotFound', "The image id '[ami-0123]' does not exist"));
    const result = await check('launch-template');
    expect(result).toMatchObject({
      status: 'FAIL',
      why: 'AMI ami-0123 does not exist (deregistered or deleted)',
    });
    expect(result.fix).toMatch(/deploy this region's service stack/);
  });

  it('is FAIL when the AMI is absent from the answer or not available', async () => {
    mocks.ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    expect((await check('launch-template')).status).toBe('FAIL');
    mocks.ec2
      .on(DescribeImagesCommand)
      .resolves({ Images: [{ ImageId: 'ami-0123', State: 'deregistered' }] });
    expect((await check('launch-template')).why).toBe('AMI ami-0123 is deregistered, not available');
  });

  it('pages the offerings with NextToken', async () => {
    mocks.ec2
      .on(DescribeInstanceTypeOfferingsCommand)
      .resolvesOnce({
        InstanceTypeOfferings: [{ InstanceType: 't3.large', Location: 'us-west-2a' }],
        NextToken: 't1',
      })
      .resolvesOnce({ InstanceTypeOfferings: [{ InstanceType: 't3.large', Location: 'us-west-2b' }] });
    expect((await check('launch-template')).status).toBe('PASS');
    expect(mocks.ec2).toHaveReceivedNthSpecificCommandWith(2, DescribeInstanceTypeOfferingsCommand, {
      NextToken: 't1',
    });
  });

  it('is FAIL when the type is not offered in a zone of the ASG', async () => {
    mocks.ec2
      .on(DescribeInstanceTypeOfferingsCommand)
      .resolves({ InstanceTypeOfferings: [{ InstanceType: 't3.large', Location: 'us-west-2a' }] });
    expect((await check('launch-template')).why).toBe('t3.large is not offered in us-west-2b');
  });

  it('is FAIL for the AMI even when the offerings cannot be read, keeping both findings', async () => {
    mocks.ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    mocks.ec2.on(DescribeInstanceTypeOfferingsCommand).rejects(throttled());
    const result = await check('launch-template');
    expect(result.status).toBe('FAIL');
    expect(result.why).toMatch(
      /^AMI ami-0123 does not exist .*; ec2:DescribeInstanceTypeOfferings failed: ThrottlingException/,
    );
  });

  it('is UNKNOWN when only the AMI cannot be read', async () => {
    mocks.ec2
      .on(DescribeImagesCommand)
      .rejects(awsError('UnauthorizedOperation', 'You are not authorized', 403));
    const result = await check('launch-template');
    expect(result.status).toBe('UNKNOWN');
    expect(result.fix).toMatch(/^grant ec2:DescribeImages/);
  });
});

describe('capacity-limits', () => {
  it('is PASS when 2 × t3.large hold the 4 tasks', async () => {
    // t3.large: 2048 CPU units / 512 = 4; 8192 MiB × 0.9 / 1024 = 7 → 4 per instance, 8 for 2.
    expect((await check('capacity-limits')).status).toBe('PASS');
  });

  it('is FAIL when the ASG maximum is below the promotion minimum', async () => {
    mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'proj-dr-asg',
          MinSize: 0,
          MaxSize: 1,
          DesiredCapacity: 0,
          DefaultCooldown: 300,
          AvailabilityZones: ['us-west-2a', 'us-west-2b'],
          HealthCheckType: 'EC2',
          CreatedTime: NOW,
          LaunchTemplate: { LaunchTemplateId: 'lt-0abc', Version: '$Default' },
        },
      ],
    });
    const result = await check('capacity-limits');
    expect(result.status).toBe('FAIL');
    expect(result.why).toMatch(/^ASG proj-dr-asg MaxSize 1 < the promotion's minCapacity 2/);
    expect(result.fix).toMatch(/regions\.dr\.capacity\.maxCapacity/);
  });

  it('is FAIL when the tasks do not fit, naming the limit (conservative memory share)', async () => {
    mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TASK_DEFINITION_ARN,
        status: 'ACTIVE',
        networkMode: 'bridge',
        containerDefinitions: [{ name: 'app', image: SERVICE.image, cpu: 256, memory: 4096 }],
      },
    });
    const result = await check('capacity-limits');
    expect(result.status).toBe('FAIL');
    // 8192 × 0.9 = 7372 MiB usable: one 4096 MiB task per instance, though 8192 / 4096 = 2.
    expect(result.why).toBe(
      "2 × t3.large hold 2 task(s) of 256 CPU units / 4096 MiB (1 each, limited by memory: 7372 MiB usable (90 % of 8192) / 4096 MiB), below service app's promotion desiredCount 4",
    );
    expect(result.fix).toMatch(/raise regions\.dr\.capacity\.promotion\.minCapacity to 4/);
  });

  it('counts one task per instance with a fixed host port', async () => {
    mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        status: 'ACTIVE',
        networkMode: 'bridge',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: SERVICE.image, portMappings: [{ containerPort: 80, hostPort: 80 }] },
        ],
      },
    });
    expect((await check('capacity-limits')).why).toMatch(/\(1 each, limited by a fixed host port/);
  });

  it('counts ENIs in awsvpc mode', async () => {
    mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        status: 'ACTIVE',
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: SERVICE.image }],
      },
    });
    // 3 ENIs − the primary = 2 tasks per instance, 4 for 2 instances: exactly enough.
    expect((await check('capacity-limits')).status).toBe('PASS');
    expect(
      (
        await check('capacity-limits', {
          ...SETTINGS,
          services: [{ ...SERVICE, desiredCount: 5 }],
        })
      ).why,
    ).toMatch(/limited by awsvpc: 2 ENIs for tasks/);
  });

  it('is FAIL when the service is missing or inactive', async () => {
    mocks.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    const missing = await check('capacity-limits');
    expect(missing.status).toBe('FAIL');
    expect(missing.why).toMatch(/ECS service proj-dr-cluster\/proj-dr-app does not exist/);
    mocks.ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'proj-dr-app', status: 'DRAINING' }] });
    expect((await check('capacity-limits')).why).toMatch(/is DRAINING/);
  });

  it('is FAIL when EC2 does not know the instance type', async () => {
    mocks.ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [] });
    expect((await check('capacity-limits')).why).toBe('EC2 does not know instance type t3.large');
    mocks.ec2
      .on(DescribeInstanceTypesCommand)
      .rejects(
        awsError('InvalidInstanceType', 'The following supplied instance types do not exist: [t3.large]'),
      );
    expect((await check('capacity-limits')).why).toBe('EC2 does not know instance type t3.large');
  });

  it('is UNKNOWN when the task definition cannot be read', async () => {
    mocks.ecs.on(DescribeTaskDefinitionCommand).rejects(throttled());
    expect((await check('capacity-limits')).status).toBe('UNKNOWN');
  });
});

describe('task-definition', () => {
  it('is FAIL when the task definition is INACTIVE', async () => {
    mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TASK_DEFINITION_ARN,
        status: 'INACTIVE',
        containerDefinitions: [],
      },
    });
    expect((await check('task-definition')).why).toBe(
      'task definition proj-dr-app:7 is INACTIVE: a new task cannot start from it',
    );
  });

  it('is FAIL when the image is not the configured one', async () => {
    mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: TASK_DEFINITION_ARN,
        family: 'proj-dr-app',
        revision: 3,
        status: 'ACTIVE',
        containerDefinitions: [{ name: 'app', image: 'nginx:old' }],
      },
    });
    expect((await check('task-definition')).why).toBe(
      `task definition proj-dr-app:3 runs nginx:old, not its configured image ${SERVICE.image}`,
    );
  });

  it('is FAIL when ECS cannot describe the task definition', async () => {
    mocks.ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(awsError('ClientException', 'Unable to describe task definition.'));
    expect((await check('task-definition')).why).toMatch(/cannot be described/);
  });

  it('is FAIL when the ECS cluster does not exist', async () => {
    mocks.ecs.on(DescribeServicesCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    expect((await check('task-definition')).why).toBe(
      'ECS service proj-dr-cluster/proj-dr-app does not exist',
    );
  });

  it('is UNKNOWN when ECS denies access', async () => {
    mocks.ecs.on(DescribeServicesCommand).rejects(awsError('AccessDeniedException', 'denied', 400));
    expect((await check('task-definition')).fix).toMatch(/^grant ecs:DescribeServices/);
  });
});

describe('traffic-routing', () => {
  it('reads both names from their start and every health check the pair references', async () => {
    expect((await check('traffic-routing')).status).toBe('PASS');
    expect(mocks.route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      HostedZoneId: 'Z0123456789ABC',
      StartRecordName: 'app.example.com',
    });
    expect(mocks.route53).toHaveReceivedCommandWith(ListResourceRecordSetsCommand, {
      StartRecordName: 'dr.app.example.com',
    });
    const ids = mocks.route53.commandCalls(GetHealthCheckCommand).map((c) => c.args[0].input.HealthCheckId);
    expect(ids.sort()).toEqual([HEALTH.calculated, HEALTH.dr, HEALTH.main].sort());
    expect(mocks.elbv2).toHaveReceivedCommandWith(DescribeTargetGroupsCommand, {
      TargetGroupArns: [expect.stringContaining('targetgroup/proj-dr')],
    });
  });

  it('is FAIL when a child health check was deleted', async () => {
    mocks.route53
      .on(GetHealthCheckCommand, { HealthCheckId: HEALTH.dr })
      .rejects(awsError('NoSuchHealthCheck', 'gone', 404));
    expect((await check('traffic-routing')).why).toBe('health check hc-dr (claim) does not exist');
  });

  it('is FAIL when the failover pair is missing and the regional alias too', async () => {
    mocks.route53
      .on(ListResourceRecordSetsCommand)
      .resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 10 });
    const result = await check('traffic-routing');
    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(
      "failover record(s) PRIMARY and SECONDARY of app.example.com missing; regional record dr.app.example.com (alias to this region's ALB) missing",
    );
  });

  it("is FAIL when this region's record aliases another name, or PRIMARY lost its health check", async () => {
    mocks.route53.on(ListResourceRecordSetsCommand, { StartRecordName: 'app.example.com' }).resolves({
      ResourceRecordSets: [
        {
          Name: 'app.example.com.',
          Type: 'A',
          SetIdentifier: 'main',
          Failover: 'PRIMARY',
          AliasTarget: { HostedZoneId: 'Z', DNSName: 'main.app.example.com.', EvaluateTargetHealth: false },
        },
        {
          Name: 'app.example.com.',
          Type: 'A',
          SetIdentifier: 'dr',
          Failover: 'SECONDARY',
          AliasTarget: { HostedZoneId: 'Z', DNSName: 'main.app.example.com.', EvaluateTargetHealth: false },
        },
      ],
      IsTruncated: false,
      MaxItems: 10,
    });
    const result = await check('traffic-routing');
    expect(result.why).toBe(
      'SECONDARY record of app.example.com aliases main.app.example.com, not dr.app.example.com or the load balancer it aliases; PRIMARY record of app.example.com has no health check: traffic could never move',
    );
  });

  it('is FAIL when the target group has no health check path or is gone', async () => {
    mocks.elbv2.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: 'x' }] });
    expect((await check('traffic-routing')).why).toMatch(/target group .* does not exist/);
    mocks.elbv2
      .on(DescribeTargetGroupsCommand)
      .rejects(awsError('TargetGroupNotFoundException', 'not found'));
    expect((await check('traffic-routing')).why).toMatch(/does not exist/);
  });

  it('is FAIL when the service has no target group', async () => {
    mocks.ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'proj-dr-app', status: 'ACTIVE', loadBalancers: [] }] });
    expect((await check('traffic-routing')).why).toMatch(/attached to no target group/);
  });

  it('is PASS when a service no hostname routes to has no target group (it serves when its tasks run)', async () => {
    mocks.ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'proj-dr-app', status: 'ACTIVE', loadBalancers: [] }] });
    const result = await check('traffic-routing', { ...SETTINGS, unroutedServices: [SERVICE.name] });
    expect(result.status).toBe('PASS');
  });

  it('is UNKNOWN when Route 53 throttles', async () => {
    mocks.route53.on(ListResourceRecordSetsCommand).rejects(awsError('Throttling', 'Rate exceeded', 400));
    expect((await check('traffic-routing')).status).toBe('UNKNOWN');
  });

  describe('with several hostnames', () => {
    const HOSTNAMES = ['app.example.com', 'api.example.com', 'www.example.com'];
    const settings: ReadinessSettings = { ...SETTINGS, recordNames: HOSTNAMES };

    beforeEach(() => {
      givenFailoverPair('api.example.com');
      givenFailoverPair('www.example.com');
    });

    it('returns PASS when every hostname has its pair, reading each name once', async () => {
      // Act
      const result = await check('traffic-routing', settings);
      // Assess
      expect(result.status).toBe('PASS');
      expect(result.what).toContain(
        'failover records of app.example.com, api.example.com and www.example.com, dr.app.example.com',
      );
      const starts = mocks.route53
        .commandCalls(ListResourceRecordSetsCommand)
        .map((c) => c.args[0].input.StartRecordName);
      expect(starts.sort()).toEqual([...HOSTNAMES, 'dr.app.example.com'].sort());
      const ids = mocks.route53.commandCalls(GetHealthCheckCommand).map((c) => c.args[0].input.HealthCheckId);
      expect(ids.sort()).toEqual([HEALTH.calculated, HEALTH.dr, HEALTH.main].sort());
    });

    it('returns FAIL naming the hostname whose pair is missing, with its fix', async () => {
      // Prepare
      mocks.route53
        .on(ListResourceRecordSetsCommand, { StartRecordName: 'api.example.com' })
        .resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 10 });
      // Act
      const result = await check('traffic-routing', settings);
      // Assess
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe('failover record(s) PRIMARY and SECONDARY of api.example.com missing');
      expect(result.fix).toContain('--query "ResourceRecordSets[?Name==\'api.example.com.\']"');
    });

    it('returns FAIL naming the hostname whose member for this region aliases another record', async () => {
      // Prepare
      givenFailoverPair('www.example.com', { drAlias: 'dr.www.example.com' });
      // Act
      const result = await check('traffic-routing', settings);
      // Assess
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe(
        'SECONDARY record of www.example.com aliases dr.www.example.com, not dr.app.example.com or the load balancer it aliases',
      );
      expect(result.fix).toContain("Name=='www.example.com.'");
    });

    it('names the fix in the team’s terms for a hostname whose pair the team manages (attach)', async () => {
      // Prepare
      givenFailoverPair('www.example.com', { drAlias: 'dr.www.example.com' });
      // Act
      const result = await check('traffic-routing', {
        ...settings,
        attachedRecordNames: ['www.example.com'],
      });
      // Assess
      expect(result.status).toBe('FAIL');
      expect(result.fix).toMatch(/^fix www\.example\.com's failover pair in the tool that manages it/);
      expect(result.fix).not.toContain('deploy the DNS stack');
    });

    it('passes a team’s own pair (attach) whose member for this region aliases the load balancer the regional record aliases', async () => {
      // Prepare
      givenFailoverPair('www.example.com', { drAlias: 'alb.us-west-2.elb.amazonaws.com' });
      // Act
      const result = await check('traffic-routing', settings);
      // Assess
      expect(result.status).toBe('PASS');
    });

    it('returns FAIL when a hostname’s PRIMARY lost its health check or hangs on another one', async () => {
      // Prepare
      givenFailoverPair('api.example.com', { primaryCheck: null });
      givenFailoverPair('www.example.com', { primaryCheck: 'hc-other' });
      // Act
      const result = await check('traffic-routing', settings);
      // Assess
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe(
        'PRIMARY record of api.example.com has no health check: traffic could never move; ' +
          'PRIMARY record of www.example.com carries health check hc-other, not hc-calc like app.example.com: ' +
          'the hostnames would not move together',
      );
    });

    it('returns FAIL for a missing pair even when another hostname cannot be read', async () => {
      // Prepare
      mocks.route53
        .on(ListResourceRecordSetsCommand, { StartRecordName: 'api.example.com' })
        .rejects(throttled());
      mocks.route53
        .on(ListResourceRecordSetsCommand, { StartRecordName: 'www.example.com' })
        .resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 10 });
      // Act
      const result = await check('traffic-routing', settings);
      // Assess
      expect(result.status).toBe('FAIL');
      expect(result.why).toContain('route53:ListResourceRecordSets failed: ThrottlingException');
      expect(result.why).toContain('failover record(s) PRIMARY and SECONDARY of www.example.com missing');
    });

    it('returns FAIL when no hostname is given', async () => {
      // Act
      const result = await check('traffic-routing', { ...SETTINGS, recordNames: [] });
      // Assess
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe('no application hostname to check');
    });
  });
});

describe('orchestrator', () => {
  it('finds every Lambda of the definition, at any depth, literal names only', () => {
    expect(lambdaFunctionsOf(DEFINITION)).toEqual([
      fnArn('proj-dr-notify'),
      fnArn('proj-dr-preflight'),
      fnArn('proj-dr-scale-database'),
    ]);
  });

  it('reads each function once', async () => {
    expect((await check('orchestrator')).what).toMatch(/\(3 functions\)$/);
    expect(mocks.lambda).toHaveReceivedCommandTimes(GetFunctionCommand, 3);
    expect(mocks.sfn).toHaveReceivedCommandWith(DescribeStateMachineCommand, {
      stateMachineArn: SETTINGS.stateMachineArn,
    });
  });

  it('is FAIL when the state machine does not exist', async () => {
    mocks.sfn.on(DescribeStateMachineCommand).rejects(awsError('StateMachineDoesNotExist', 'no'));
    expect((await check('orchestrator')).why).toMatch(/state machine .* does not exist/);
  });

  it('is FAIL when a function is missing, failed its update or is not Active', async () => {
    mocks.lambda
      .on(GetFunctionCommand, { FunctionName: fnArn('proj-dr-notify') })
      .rejects(awsError('ResourceNotFoundException', 'nope', 404));
    mocks.lambda.on(GetFunctionCommand, { FunctionName: fnArn('proj-dr-preflight') }).resolves({
      Configuration: { State: 'Active', LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'bad zip' },
    });
    mocks.lambda
      .on(GetFunctionCommand, { FunctionName: fnArn('proj-dr-scale-database') })
      .resolves({ Configuration: { State: 'Inactive' } });
    const result = await check('orchestrator');
    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(
      [
        `function ${fnArn('proj-dr-notify')} does not exist`,
        `function ${fnArn('proj-dr-preflight')}: its last update failed (bad zip)`,
        `function ${fnArn('proj-dr-scale-database')} is Inactive`,
      ].join('; '),
    );
  });

  it('is FAIL when the state machine is being deleted', async () => {
    mocks.sfn.on(DescribeStateMachineCommand).resolves({ status: 'DELETING', definition: '{}' } as never);
    expect((await check('orchestrator')).why).toBe('state machine is DELETING');
  });

  it('is UNKNOWN when a function cannot be read', async () => {
    mocks.lambda.on(GetFunctionCommand).rejects(throttled());
    expect((await check('orchestrator')).status).toBe('UNKNOWN');
  });
});

describe('quotas', () => {
  it('reads the EC2 vCPU quota and its usage metric as Service Quotas names it', async () => {
    const result = await check('quotas');
    expect(result.status).toBe('PASS');
    expect(result.what).toMatch(
      /DB instances: 2 to add, 37 free \(3\/40\); EC2 vCPUs: 4 to add, 28 free \(4\/32\)/,
    );
    expect(mocks.serviceQuotas).toHaveReceivedCommandWith(GetServiceQuotaCommand, {
      ServiceCode: 'ec2',
      QuotaCode: 'L-1216C47A',
    });
    expect(mocks.cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      MetricDataQueries: [
        expect.objectContaining({
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Usage',
              MetricName: 'ResourceCount',
              Dimensions: [
                { Name: 'Class', Value: 'Standard/OnDemand' },
                { Name: 'Resource', Value: 'vCPU' },
                { Name: 'Service', Value: 'EC2' },
                { Name: 'Type', Value: 'Resource' },
              ],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        }),
      ],
    });
  });

  it('is FAIL when the DB instance quota is short', async () => {
    mocks.rds
      .on(DescribeAccountAttributesCommand)
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'DBInstances', Used: 39, Max: 40 }] });
    const result = await check('quotas');
    expect(result.why).toBe(
      'RDS DBInstances quota leaves room for 1 instance(s) (39 of 40 used); a promotion adds 2',
    );
    expect(result.fix).toMatch(/--service-code rds --quota-code L-7B6409FD --desired-value 41/);
  });

  it('counts the instances the cluster already has', async () => {
    mocks.rds
      .on(DescribeAccountAttributesCommand)
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'DBInstances', Used: 40, Max: 40 }] });
    mocks.rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        {
          DBClusterArn: CLUSTER_ARN,
          DBClusterMembers: [{ DBInstanceIdentifier: 'a' }, { DBInstanceIdentifier: 'b' }],
        },
      ],
    });
    expect((await check('quotas')).status).toBe('PASS');
  });

  it('is FAIL when the vCPU quota is short, counting running instances of the ASG', async () => {
    mocks.cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'usage', Values: [30, 31], Timestamps: [minutesAgo(2), minutesAgo(1)] }],
    });
    const result = await check('quotas');
    expect(result.why).toBe(
      'EC2 On-Demand Standard vCPU quota leaves 1 vCPU(s) (31 of 32 used); a promotion launches 2 × 2 = 4',
    );
    expect(result.fix).toMatch(/--quota-code L-1216C47A --desired-value 35/);
  });

  it('takes no usage datapoint as zero usage and says so', async () => {
    mocks.cloudwatch
      .on(GetMetricDataCommand)
      .resolves({ MetricDataResults: [{ Id: 'usage', Values: [], Timestamps: [] }] });
    expect((await check('quotas')).what).toMatch(/32 free \(0 \(no usage reported\)\/32\)/);
  });

  it('is UNKNOWN when Service Quotas cannot be read', async () => {
    mocks.serviceQuotas.on(GetServiceQuotaCommand).rejects(awsError('NoSuchResourceException', 'no quota'));
    const result = await check('quotas');
    expect(result.status).toBe('UNKNOWN');
    expect(result.why).toBe('servicequotas:GetServiceQuota failed: NoSuchResourceException: no quota');
  });
});

describe('s3-replication', () => {
  /** Three buckets a region: `media` and `exports` besides `data`, each paired by index. */
  const THREE: ReadinessSettings = {
    ...SETTINGS,
    buckets: {
      own: {
        ...SETTINGS.buckets.own,
        names: ['proj-dr-data', 'proj-dr-media', 'proj-dr-exports'],
        ruleIds: ['dr-to-main', 'dr-to-main', 'dr-to-main'],
      },
      other: {
        ...SETTINGS.buckets.other,
        names: ['proj-main-data', 'proj-main-media', 'proj-main-exports'],
        ruleIds: ['main-to-dr', 'main-to-dr', 'main-to-dr'],
      },
      team: [],
    },
  };

  function givenThreeBuckets(): void {
    for (const name of ['data', 'media', 'exports']) {
      givenReplicationRule(`proj-dr-${name}`, 'dr-to-main', `proj-main-${name}`);
      givenReplicationRule(`proj-main-${name}`, 'main-to-dr', `proj-dr-${name}`);
    }
  }

  it('reads each bucket through the client of its region', async () => {
    const clients = makeClients();
    await runCheck('s3-replication', SETTINGS, new ReadinessReads(SETTINGS, clients, now), 10_000);
    const calls = mocks.s3.commandCalls(GetBucketReplicationCommand);
    const regions = await Promise.all(
      calls.map(async (c) => [
        c.args[0].input.Bucket,
        await (c.thisValue as { config: { region: () => Promise<string> } }).config.region(),
      ]),
    );
    expect(regions.sort()).toEqual([
      ['proj-dr-data', 'us-west-2'],
      ['proj-main-data', 'us-east-1'],
    ]);
  });

  it('returns PASS naming both rules when the one bucket pair replicates both ways', async () => {
    const result = await check('s3-replication');
    expect(result).toEqual({
      id: 's3-replication',
      status: 'PASS',
      what: 'replication rules dr-to-main (proj-dr-data) and main-to-dr (proj-main-data) enabled',
    });
  });

  it('is FAIL when a bucket has no replication configuration', async () => {
    mocks.s3
      .on(GetBucketReplicationCommand, { Bucket: 'proj-main-data' })
      .rejects(awsError('ReplicationConfigurationNotFoundError', 'none', 404));
    expect((await check('s3-replication')).why).toBe(
      'bucket proj-main-data has no replication configuration',
    );
  });

  it('is FAIL when the rule is disabled or missing', async () => {
    givenReplicationRule('proj-dr-data', 'dr-to-main', 'proj-main-data', 'Disabled');
    givenReplicationRule('proj-main-data', 'other', 'proj-dr-data');
    expect((await check('s3-replication')).why).toBe(
      'replication rule dr-to-main of proj-dr-data is Disabled; bucket proj-main-data has no replication rule main-to-dr',
    );
  });

  it('is FAIL when a rule replicates to a bucket other than its pair', async () => {
    givenReplicationRule('proj-dr-data', 'dr-to-main', 'proj-main-elsewhere');
    const result = await check('s3-replication');
    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(
      'replication rule dr-to-main of proj-dr-data replicates to arn:aws:s3:::proj-main-elsewhere, not to its pair proj-main-data',
    );
  });

  it('is FAIL when a bucket does not exist and UNKNOWN when access is denied', async () => {
    mocks.s3
      .on(GetBucketReplicationCommand, { Bucket: 'proj-dr-data' })
      .rejects(awsError('NoSuchBucket', 'no', 404));
    expect((await check('s3-replication')).why).toBe('bucket proj-dr-data does not exist');
    mocks.s3
      .on(GetBucketReplicationCommand, { Bucket: 'proj-dr-data' })
      .rejects(awsError('AccessDenied', 'Access Denied', 403));
    const denied = await check('s3-replication');
    expect(denied.status).toBe('UNKNOWN');
    expect(denied.fix).toMatch(/^grant s3:GetReplicationConfiguration/);
  });

  describe('with three buckets a region', () => {
    it('returns PASS when every bucket replicates to its pair, both ways, after one read per bucket', async () => {
      givenThreeBuckets();
      const result = await check('s3-replication', THREE);
      expect(result).toEqual({
        id: 's3-replication',
        status: 'PASS',
        what: 'replication rules dr-to-main (3 bucket(s) in us-west-2) and main-to-dr (3 in us-east-1) enabled, each to its pair',
      });
      const buckets = mocks.s3.commandCalls(GetBucketReplicationCommand).map((c) => c.args[0].input.Bucket);
      expect(buckets.sort()).toEqual([
        'proj-dr-data',
        'proj-dr-exports',
        'proj-dr-media',
        'proj-main-data',
        'proj-main-exports',
        'proj-main-media',
      ]);
    });

    it("is FAIL naming this region's bucket whose rule is disabled, with its check command", async () => {
      givenThreeBuckets();
      givenReplicationRule('proj-dr-media', 'dr-to-main', 'proj-main-media', 'Disabled');
      const result = await check('s3-replication', THREE);
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe('replication rule dr-to-main of proj-dr-media is Disabled');
      expect(result.fix).toContain(
        'aws s3api get-bucket-replication --bucket proj-dr-media --region us-west-2',
      );
    });

    it("is FAIL naming the other region's bucket whose rule back is missing, with its check command", async () => {
      givenThreeBuckets();
      givenReplicationRule('proj-main-exports', 'something-else', 'proj-dr-exports');
      const result = await check('s3-replication', THREE);
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe('bucket proj-main-exports has no replication rule main-to-dr');
      expect(result.fix).toContain(
        'aws s3api get-bucket-replication --bucket proj-main-exports --region us-east-1',
      );
    });

    it('is FAIL when two buckets swapped their pairs', async () => {
      givenThreeBuckets();
      givenReplicationRule('proj-dr-media', 'dr-to-main', 'proj-main-exports');
      givenReplicationRule('proj-dr-exports', 'dr-to-main', 'proj-main-media');
      const result = await check('s3-replication', THREE);
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe(
        'replication rule dr-to-main of proj-dr-media replicates to arn:aws:s3:::proj-main-exports, not to its pair proj-main-media; ' +
          'replication rule dr-to-main of proj-dr-exports replicates to arn:aws:s3:::proj-main-media, not to its pair proj-main-exports',
      );
    });

    it("checks each bucket's own rule id (a team's bucket pairs), naming the one whose rule is missing", async () => {
      const names = ['data', 'media', 'exports'];
      const teams: ReadinessSettings = {
        ...THREE,
        buckets: {
          own: { ...THREE.buckets.own, ruleIds: names.map((n) => `${n}-back`) },
          other: { ...THREE.buckets.other, ruleIds: names.map((n) => `${n}-out`) },
          team: [...THREE.buckets.own.names, ...THREE.buckets.other.names],
        },
      };
      for (const n of names) {
        givenReplicationRule(`proj-dr-${n}`, `${n}-back`, `proj-main-${n}`);
        givenReplicationRule(`proj-main-${n}`, `${n}-out`, `proj-dr-${n}`);
      }
      expect(await check('s3-replication', teams)).toEqual({
        id: 's3-replication',
        status: 'PASS',
        what: 'replication rules 3 rules (3 bucket(s) in us-west-2) and 3 rules (3 in us-east-1) enabled, each to its pair',
      });
      // media's rule out carries another bucket's id: its own is missing.
      givenReplicationRule('proj-main-media', 'data-out', 'proj-dr-media');
      const result = await check('s3-replication', teams);
      expect(result.status).toBe('FAIL');
      expect(result.why).toBe('bucket proj-main-media has no replication rule media-out');
      // The team's pair: the fix is in its own tooling, not pilot-light's storage stacks.
      expect(result.fix).toMatch(
        /^fix bucket proj-main-media's replication rule media-out to proj-dr-media in the tool that manages it \(pilot-light does not deploy it\)/,
      );
      expect(result.fix).not.toContain('deploy the storage stacks');
    });

    it('is UNKNOWN naming the bucket whose read failed while the others pass', async () => {
      givenThreeBuckets();
      mocks.s3.on(GetBucketReplicationCommand, { Bucket: 'proj-main-media' }).rejects(throttled());
      const result = await check('s3-replication', THREE);
      expect(result.status).toBe('UNKNOWN');
      expect(result.why).toBe(
        'bucket proj-main-media: s3:GetReplicationConfiguration failed: ThrottlingException: Rate exceeded',
      );
    });
  });
});
