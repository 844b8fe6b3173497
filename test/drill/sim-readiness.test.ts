import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeAccountAttributesCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  GetHealthCheckCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { GetBucketReplicationCommand, S3Client } from '@aws-sdk/client-s3';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { deployOrchestrator } from '../../drill/sim/deploy-orchestrator';
import { EC2_VCPU_USAGE_DIMENSIONS } from '../../drill/sim/quotas/api';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import {
  APP,
  appDatabase,
  appDatabaseConfig,
  appService,
  appServiceConfig,
  config,
  DR,
  dataBucket,
  HOSTNAME,
  inSimulation,
  MAIN,
  makeWorld,
  names,
  rejectionOf,
} from './sim-helpers';

/**
 * The simulated APIs the readiness checks read: each answers from the deployed world in AWS's shape,
 * and refuses unknown or malformed input with the error its API reference documents.
 */

const opts = { maxAttempts: 1 };
const dr = names.regions.dr;
const drDb = appDatabase(dr);
const drService = appService(dr);
const app = appServiceConfig();
const appDb = appDatabaseConfig();
const ec2 = new EC2Client({ region: DR, ...opts });
const rds = new RDSClient({ region: DR, ...opts });
const cloudwatch = new CloudWatchClient({ region: DR, ...opts });
const quotas = new ServiceQuotasClient({ region: DR, ...opts });
const ecs = new ECSClient({ region: DR, ...opts });
const elbv2 = new ElasticLoadBalancingV2Client({ region: DR, ...opts });
const route53 = new Route53Client({ region: 'us-east-1', ...opts });
const sfn = new SFNClient({ region: DR, ...opts });
const lambda = new LambdaClient({ region: DR, ...opts });
const s3 = new S3Client({ region: DR, ...opts });
const asg = new AutoScalingClient({ region: DR, ...opts });

async function launchTemplateId(world = makeWorld()): Promise<string> {
  const out = await inSimulation(world, () =>
    asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [dr.asgName] })),
  );
  const group = out.AutoScalingGroups?.[0];
  // The seed's DR group lists fallback types: its launch template is the mixed-instances policy's.
  return (
    group?.LaunchTemplate?.LaunchTemplateId ??
    group?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.LaunchTemplateId ??
    ''
  );
}

describe('simulated EC2', () => {
  it("names the ASG's launch template, whose version 1 runs the configured type from the ECS AMI", async () => {
    // Prepare
    const world = makeWorld();
    const id = await launchTemplateId(world);

    // Act
    const out = await inSimulation(world, () =>
      ec2.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: id,
          Versions: ['$Default'],
          ResolveAlias: true,
        }),
      ),
    );
    const image = out.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId ?? '';
    const images = await inSimulation(world, () =>
      ec2.send(new DescribeImagesCommand({ ImageIds: [image] })),
    );

    // Assess
    expect(id).toMatch(/^lt-0[0-9a-f]{16}$/);
    expect(out.LaunchTemplateVersions?.[0]).toMatchObject({
      VersionNumber: 1,
      DefaultVersion: true,
      LaunchTemplateData: { InstanceType: config.regions.dr.capacity.instanceType },
    });
    expect(images.Images?.[0]).toMatchObject({
      ImageId: image,
      State: 'available',
      ImageOwnerAlias: 'amazon',
    });
  });

  it.each([
    [{ LaunchTemplateId: 'lt-0123456789abcdef0' }, 'InvalidLaunchTemplateId.NotFound'],
    [{ LaunchTemplateId: 'template' }, 'InvalidLaunchTemplateId.Malformed'],
    [{ LaunchTemplateName: 'nope' }, 'InvalidLaunchTemplateName.NotFoundException'],
  ])('refuses %j with %s', async (input, code) => {
    // Act
    const err = await rejectionOf(
      inSimulation(makeWorld(), () => ec2.send(new DescribeLaunchTemplateVersionsCommand(input))),
    );

    // Assess
    expect(err.name).toBe(code);
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  it('refuses a version the template does not have, and an id with a name', async () => {
    // Prepare
    const world = makeWorld();
    const id = await launchTemplateId(world);

    // Act
    const missing = await rejectionOf(
      inSimulation(world, () =>
        ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['7'] })),
      ),
    );
    const both = await rejectionOf(
      inSimulation(world, () =>
        ec2.send(
          new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, LaunchTemplateName: 'x' }),
        ),
      ),
    );

    // Assess
    expect(missing.name).toBe('InvalidLaunchTemplateId.VersionNotFound');
    expect(both.name).toBe('InvalidParameterCombination');
  });

  it('answers an unknown AMI with InvalidAMIID.NotFound and a malformed one with InvalidAMIID.Malformed', async () => {
    // Act
    const unknown = await rejectionOf(
      inSimulation(makeWorld(), () =>
        ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] })),
      ),
    );
    const malformed = await rejectionOf(
      inSimulation(makeWorld(), () => ec2.send(new DescribeImagesCommand({ ImageIds: ['image-1'] }))),
    );

    // Assess
    expect(unknown.name).toBe('InvalidAMIID.NotFound');
    expect(malformed.name).toBe('InvalidAMIID.Malformed');
  });

  it('lists the offerings of a type per configured zone, paged by NextToken', async () => {
    // Prepare
    const world = makeWorld();
    const input = {
      LocationType: 'availability-zone' as const,
      Filters: [{ Name: 'instance-type', Values: ['t3.small', 'm5.large'] }],
      MaxResults: 5,
    };

    // Act
    const [first, second] = await inSimulation(world, async () => {
      const a = await ec2.send(new DescribeInstanceTypeOfferingsCommand(input));
      const b = await ec2.send(
        new DescribeInstanceTypeOfferingsCommand({ ...input, NextToken: a.NextToken }),
      );
      return [a, b];
    });

    // Assess
    const rows = [...(first?.InstanceTypeOfferings ?? []), ...(second?.InstanceTypeOfferings ?? [])];
    expect(first?.NextToken).toBeDefined();
    expect(second?.NextToken).toBeUndefined();
    expect(rows.filter((r) => r.InstanceType === 't3.small').map((r) => r.Location)).toEqual(
      config.regions.dr.availabilityZones,
    );
    expect(rows).toHaveLength(6);
  });

  it("describes a type's vCPUs and memory, and refuses one EC2 does not have", async () => {
    // Act
    const out = await inSimulation(makeWorld(), () =>
      ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.small'] })),
    );
    const err = await rejectionOf(
      inSimulation(makeWorld(), () =>
        ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t9.huge' as never] })),
      ),
    );

    // Assess
    expect(out.InstanceTypes?.[0]).toMatchObject({
      VCpuInfo: { DefaultVCpus: 2 },
      MemoryInfo: { SizeInMiB: 2048 },
    });
    expect(err.name).toBe('InvalidInstanceType');
  });
});

describe('simulated quotas', () => {
  it("gives EC2's vCPU quota with its usage metric, and the vCPUs used in the metric", async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const { quota, usage } = await inSimulation(world, async () => {
      const q = await quotas.send(
        new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' }),
      );
      const m = q.Quota?.UsageMetric;
      const end = new Date(Date.now());
      const u = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(end.getTime() - 15 * 60_000),
          EndTime: end,
          MetricDataQueries: [
            {
              Id: 'usage',
              MetricStat: {
                Metric: {
                  Namespace: m?.MetricNamespace,
                  MetricName: m?.MetricName,
                  Dimensions: Object.entries(m?.MetricDimensions ?? {}).map(([Name, Value]) => ({
                    Name,
                    Value,
                  })),
                },
                Period: 60,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );
      return { quota: q.Quota, usage: u.MetricDataResults?.[0] };
    });

    // Assess
    expect(quota).toMatchObject({ Value: 256, UsageMetric: { MetricDimensions: EC2_VCPU_USAGE_DIMENSIONS } });
    // DR runs no instances: only the account's other workloads.
    expect(usage?.Values?.[0]).toBe(4);
    expect(usage?.Values).toHaveLength(14);
  });

  it('refuses a quota it does not know with NoSuchResourceException', async () => {
    // Act
    const err = await rejectionOf(
      inSimulation(makeWorld(), () =>
        quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: 'L-0' })),
      ),
    );

    // Assess
    expect(err.name).toBe('NoSuchResourceException');
  });

  it("counts DB instances in RDS's account attributes", async () => {
    // Act
    const main = await inSimulation(makeWorld(), () =>
      new RDSClient({ region: MAIN, ...opts }).send(new DescribeAccountAttributesCommand({})),
    );

    // Assess
    expect(main.AccountQuotas?.find((q) => q.AccountQuotaName === 'DBInstances')).toEqual({
      AccountQuotaName: 'DBInstances',
      Used: appDb.regions.main.instances,
      Max: 40,
    });
  });
});

describe('simulated orderable DB instance options', () => {
  it('answers in one page without a Marker when every option fits, the configured class in every configured zone', async () => {
    // Prepare
    const world = makeWorld();
    const input = {
      Engine: 'aurora-postgresql',
      EngineVersion: appDb.engineVersion,
      MaxRecords: 20,
    };

    // Act
    const all = await inSimulation(world, () =>
      rds.send(new DescribeOrderableDBInstanceOptionsCommand(input)),
    );
    const one = await inSimulation(world, () =>
      rds.send(
        new DescribeOrderableDBInstanceOptionsCommand({
          ...input,
          DBInstanceClass: appDb.instanceClass,
        }),
      ),
    );

    // Assess
    expect(all.Marker).toBeUndefined();
    expect(one.OrderableDBInstanceOptions?.[0]?.AvailabilityZones?.map((z) => z.Name)).toEqual(
      config.regions.dr.availabilityZones,
    );
  });

  it('refuses a request without Engine (MissingParameter) and MaxRecords below 20', async () => {
    // Act
    const missing = await rejectionOf(
      inSimulation(makeWorld(), () =>
        rds.send(new DescribeOrderableDBInstanceOptionsCommand({ Engine: undefined })),
      ),
    );
    const small = await rejectionOf(
      inSimulation(makeWorld(), () =>
        rds.send(
          new DescribeOrderableDBInstanceOptionsCommand({ Engine: 'aurora-postgresql', MaxRecords: 5 }),
        ),
      ),
    );

    // Assess
    expect(missing.name).toBe('MissingParameter');
    expect(small.name).toBe('InvalidParameterValue');
  });
});

function lagQuery(clusterId: string, minutes = 10): GetMetricDataCommandInput {
  const end = new Date(Date.now());
  return {
    StartTime: new Date(end.getTime() - minutes * 60_000),
    EndTime: end,
    MetricDataQueries: [
      {
        Id: 'lag',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/RDS',
            MetricName: 'AuroraGlobalDBReplicationLag',
            Dimensions: [{ Name: 'DBClusterIdentifier', Value: clusterId }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      },
    ],
  };
}

describe('simulated AuroraGlobalDBReplicationLag', () => {
  it("reports the secondary's lag in ms each finished minute, newest first; none for the writer", async () => {
    // Prepare
    const world = makeWorld({ replicationLagSeconds: 2 });

    // Act
    const secondary = await inSimulation(world, () =>
      cloudwatch.send(new GetMetricDataCommand(lagQuery(drDb.dbClusterIdentifier))),
    );
    const writer = await inSimulation(world, () =>
      new CloudWatchClient({ region: MAIN, ...opts }).send(
        new GetMetricDataCommand(lagQuery(appDatabase(names.regions.main).dbClusterIdentifier)),
      ),
    );

    // Assess
    const r = secondary.MetricDataResults?.[0];
    expect(r?.Values).toEqual(Array(10).fill(2000));
    expect(r?.Timestamps?.[0]?.toISOString()).toBe('2025-01-15T11:59:00.000Z');
    expect(writer.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('stops reporting once the writer region is down, and grows while replication is stalled', async () => {
    // Prepare
    const down = makeWorld();
    down.outages.regions.set(MAIN, { from: -300 });
    const stalled = makeWorld();
    stalled.rds.database(APP).replicationStalledFrom = -600;

    // Act
    const a = await inSimulation(down, () =>
      cloudwatch.send(new GetMetricDataCommand(lagQuery(drDb.dbClusterIdentifier))),
    );
    const b = await inSimulation(stalled, () =>
      cloudwatch.send(new GetMetricDataCommand(lagQuery(drDb.dbClusterIdentifier, 3))),
    );

    // Assess: minutes -10 … -6 reported; from the outage on, none.
    expect(a.MetricDataResults?.[0]?.Values).toHaveLength(5);
    // Mid-minute of -3, -2, -1 min: stalled 600 s before second 0, plus the 1 s lag.
    expect(b.MetricDataResults?.[0]?.Values).toEqual([571_000, 511_000, 451_000]);
  });

  it('refuses a query id CloudWatch does not accept and a start after the end (ValidationError)', async () => {
    // Prepare
    const q = lagQuery(drDb.dbClusterIdentifier);

    // Act
    const badId = await rejectionOf(
      inSimulation(makeWorld(), () =>
        cloudwatch.send(
          new GetMetricDataCommand({ ...q, MetricDataQueries: [{ ...q.MetricDataQueries?.[0], Id: 'Lag' }] }),
        ),
      ),
    );
    const reversed = await rejectionOf(
      inSimulation(makeWorld(), () =>
        cloudwatch.send(new GetMetricDataCommand({ ...q, StartTime: q.EndTime, EndTime: q.StartTime })),
      ),
    );

    // Assess
    expect(badId.name).toBe('ValidationError');
    expect(reversed.message).toMatch(/StartTime must be less than the parameter EndTime/);
  });
});

describe('simulated ECS, ELB, Route 53 for readiness', () => {
  it("describes the service's task definition: ACTIVE, the configured image, CPU and memory", async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const td = await inSimulation(world, async () => {
      const svc = await ecs.send(
        new DescribeServicesCommand({ cluster: dr.ecsClusterName, services: [drService.ecsServiceName] }),
      );
      return ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: svc.services?.[0]?.taskDefinition }),
      );
    });

    // Assess
    expect(td.taskDefinition).toMatchObject({
      status: 'ACTIVE',
      containerDefinitions: [{ image: app.image, cpu: app.cpu, memory: app.memoryMiB }],
    });
  });

  it('answers an unknown task definition with ClientException, an unknown target group with TargetGroupNotFound', async () => {
    // Act
    const td = await rejectionOf(
      inSimulation(makeWorld(), () =>
        ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:3' })),
      ),
    );
    const tg = await rejectionOf(
      inSimulation(makeWorld(), () =>
        elbv2.send(
          new DescribeTargetGroupsCommand({
            TargetGroupArns: [dr.arn('elasticloadbalancing', 'targetgroup/x/1')],
          }),
        ),
      ),
    );

    // Assess
    expect(td.name).toBe('ClientException');
    expect(tg.name).toBe('TargetGroupNotFoundException');
  });

  it("describes the service's target group with its health check", async () => {
    // Prepare
    const world = makeWorld();
    const arn = world.elb.groupOf('dr', APP)?.arn ?? '';

    // Act
    const out = await inSimulation(world, () =>
      elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })),
    );

    // Assess
    expect(out.TargetGroups?.[0]).toMatchObject({
      TargetGroupArn: arn,
      HealthCheckEnabled: true,
      HealthCheckPath: app.healthCheckPath,
    });
  });

  it("lists the failover pair's PRIMARY with the calculated check, whose children are the claim checks", async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const { records, check } = await inSimulation(world, async () => {
      const l = await route53.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: config.dns.hostedZoneId,
          StartRecordName: HOSTNAME,
          StartRecordType: 'A',
          StartRecordIdentifier: 'main',
          MaxItems: 1,
        }),
      );
      const id = l.ResourceRecordSets?.[0]?.HealthCheckId ?? '';
      return {
        records: l.ResourceRecordSets,
        check: await route53.send(new GetHealthCheckCommand({ HealthCheckId: id })),
      };
    });

    // Assess
    expect(records?.[0]).toMatchObject({ SetIdentifier: 'main', Failover: 'PRIMARY' });
    expect(check.HealthCheck?.HealthCheckConfig).toMatchObject({
      Type: 'CALCULATED',
      HealthThreshold: 1,
      ChildHealthChecks: [world.traffic.checks.main.id, world.traffic.checks.dr.id],
    });
  });

  it('answers an unknown health check with NoSuchHealthCheck (404)', async () => {
    // Act
    const err = await rejectionOf(
      inSimulation(makeWorld(), () => route53.send(new GetHealthCheckCommand({ HealthCheckId: 'abc' }))),
    );

    // Assess
    expect(err.name).toBe('NoSuchHealthCheck');
    expect(err.$metadata?.httpStatusCode).toBe(404);
  });
});

describe('simulated Step Functions, Lambda and S3 for readiness', () => {
  const fnArn = `arn:aws:lambda:${DR}:${dr.account}:function:PreflightFunctionArn`;
  const wiring = {
    definition: { StartAt: 'Preflight', States: { Preflight: { Type: 'Task', Resource: fnArn, End: true } } },
    functions: new Map([[fnArn, { key: 'PreflightFunctionArn', timeoutSeconds: 60, memorySize: 256 }]]),
    topics: new Map(),
    region: DR,
    account: dr.account,
  } as unknown as OrchestratorWiring;

  it('describes the deployed state machine with its definition, and its functions Active', async () => {
    // Prepare
    const world = makeWorld();
    deployOrchestrator(world, dr.stateMachineArn, wiring);

    // Act
    const { sm, fn } = await inSimulation(world, async () => ({
      sm: await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: dr.stateMachineArn })),
      fn: await lambda.send(new GetFunctionCommand({ FunctionName: fnArn })),
    }));

    // Assess
    expect(sm.status).toBe('ACTIVE');
    expect(JSON.parse(sm.definition ?? '')).toEqual(wiring.definition);
    expect(fn.Configuration).toMatchObject({
      FunctionArn: fnArn,
      State: 'Active',
      LastUpdateStatus: 'Successful',
    });
  });

  it('refuses an unknown state machine, a malformed ARN and an unknown function as documented', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const unknown = await rejectionOf(
      inSimulation(world, () =>
        sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${dr.stateMachineArn}-x` })),
      ),
    );
    const malformed = await rejectionOf(
      inSimulation(world, () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'machine' }))),
    );
    const fn = await rejectionOf(
      inSimulation(world, () => lambda.send(new GetFunctionCommand({ FunctionName: 'Nope' }))),
    );

    // Assess
    expect(unknown.name).toBe('StateMachineDoesNotExist');
    expect(malformed.name).toBe('InvalidArn');
    expect(fn.name).toBe('ResourceNotFoundException');
    expect(fn.$metadata?.httpStatusCode).toBe(404);
  });

  it("gives each bucket's enabled rule to the other region's bucket", async () => {
    // Act
    const out = await inSimulation(makeWorld(), () =>
      s3.send(new GetBucketReplicationCommand({ Bucket: dataBucket(dr).bucketName })),
    );

    // Assess
    expect(out.ReplicationConfiguration?.Role).toBe(dr.replicationRoleArn);
    expect(out.ReplicationConfiguration?.Rules).toEqual([
      expect.objectContaining({
        ID: dr.replicationRuleId,
        Status: 'Enabled',
        Destination: expect.objectContaining({ Bucket: dataBucket(names.regions.main).bucketArn }),
      }),
    ]);
  });

  it('answers another region, no configuration and no bucket as S3 does', async () => {
    // Prepare
    const world = makeWorld();
    const bucket = world.deployed.buckets.buckets.get(dataBucket(dr).bucketName);
    if (bucket !== undefined) bucket.replication = undefined;

    // Act
    const redirect = await rejectionOf(
      inSimulation(world, () =>
        s3.send(new GetBucketReplicationCommand({ Bucket: dataBucket(names.regions.main).bucketName })),
      ),
    );
    const none = await rejectionOf(
      inSimulation(world, () =>
        s3.send(new GetBucketReplicationCommand({ Bucket: dataBucket(dr).bucketName })),
      ),
    );
    const missing = await rejectionOf(
      inSimulation(world, () => s3.send(new GetBucketReplicationCommand({ Bucket: 'no-such-bucket' }))),
    );

    // Assess
    expect(redirect.name).toBe('PermanentRedirect');
    expect(none.name).toBe('ReplicationConfigurationNotFoundError');
    expect(missing.name).toBe('NoSuchBucket');
  });
});
