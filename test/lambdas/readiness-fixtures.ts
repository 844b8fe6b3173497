import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  type CapacityReservation,
  DescribeCapacityReservationsCommand,
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeCapacityProvidersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
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
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { runCheck } from '../../lambdas/readiness/evaluate';
import { type ReadinessClients, ReadinessReads } from '../../lambdas/readiness/reads';
import type {
  ReadinessDatabase,
  ReadinessService,
  ReadinessSettings,
} from '../../lambdas/readiness/settings';
import type { ReadinessCheckId } from '../../lambdas/shared/readiness-contract';
import { ACCOUNT, SOURCE_REGION, TARGET_REGION } from './helpers';

/** Shared fixtures of the readiness tests: DR (us-west-2) evaluated, main in us-east-1. */

export const NOW = new Date('2026-01-01T12:00:00.000Z');
export const now = (): Date => NOW;

export const STATE_MACHINE_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:stateMachine:proj-dr-failover`;
export const CLUSTER_ARN = `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:proj-dr-aurora`;
export const MAIN_CLUSTER_ARN = `arn:aws:rds:${SOURCE_REGION}:${ACCOUNT}:cluster:proj-main-aurora`;
export const MAIN_BUCKET_ARN = 'arn:aws:s3:::proj-main-data';
/** DR's vault: the copies of main's cluster and bucket. */
export const VAULT = 'proj-dr-backups';
export const TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:${TARGET_REGION}:${ACCOUNT}:targetgroup/proj-dr/abc`;
export const TASK_DEFINITION_ARN = `arn:aws:ecs:${TARGET_REGION}:${ACCOUNT}:task-definition/proj-dr-app:7`;
export const fnArn = (name: string): string => `arn:aws:lambda:${TARGET_REGION}:${ACCOUNT}:function:${name}`;
export const CERTIFICATE_ARN = `arn:aws:acm:${TARGET_REGION}:${ACCOUNT}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
export const CERTIFICATE_PARAMETER = '/proj/dr/tls/certificate-arn';
export const HEALTH = { calculated: 'hc-calc', main: 'hc-main', dr: 'hc-dr' } as const;

/** The seed's one database (`databases[0]`, `app`) as DR's readiness reads it. */
export const DATABASE: ReadinessDatabase = {
  name: 'app',
  globalClusterId: 'proj-global',
  clusterId: 'proj-dr-aurora',
  instanceCount: 2,
  instanceClass: 'db.r6g.large',
  engineVersion: '16.6',
};

/** The seed's one service (`services[0]`, `app`) as DR's readiness reads it. */
export const SERVICE: ReadinessService = {
  name: 'app',
  ecsService: 'proj-dr-app',
  desiredCount: 4,
  image: 'public.ecr.aws/nginx/nginx:1.27',
};

export const SETTINGS: ReadinessSettings = {
  targetRole: 'dr',
  targetRegion: TARGET_REGION,
  sourceRegion: SOURCE_REGION,
  project: 'proj',
  engine: 'aurora-postgresql',
  databases: [DATABASE],
  availabilityZones: ['us-west-2a', 'us-west-2b'],
  promotion: { asgMinCapacity: 2, reservedInstances: 2 },
  asgName: 'proj-dr-asg',
  ecsClusterName: 'proj-dr-cluster',
  services: [SERVICE],
  unroutedServices: [],
  hostedZoneId: 'Z0123456789ABC',
  recordNames: ['app.example.com'],
  attachedRecordNames: [],
  regionalRecordName: 'dr.app.example.com',
  stateMachineArn: STATE_MACHINE_ARN,
  certificate: { parameterName: CERTIFICATE_PARAMETER },
  buckets: {
    own: { names: ['proj-dr-data'], region: TARGET_REGION, ruleIds: ['dr-to-main'] },
    other: { names: ['proj-main-data'], region: SOURCE_REGION, ruleIds: ['main-to-dr'] },
    team: [],
  },
  maxReplicationLagSeconds: 10,
  backups: {
    vaultName: VAULT,
    copyTargetHours: 26,
    sourceClusterIds: ['proj-main-aurora'],
    sourceAccount: ACCOUNT,
    partition: 'aws',
  },
};

export const mocks = {
  rds: mockClient(RDSClient),
  cloudwatch: mockClient(CloudWatchClient),
  ec2: mockClient(EC2Client),
  autoScaling: mockClient(AutoScalingClient),
  ecs: mockClient(ECSClient),
  elbv2: mockClient(ElasticLoadBalancingV2Client),
  route53: mockClient(Route53Client),
  sfn: mockClient(SFNClient),
  lambda: mockClient(LambdaClient),
  serviceQuotas: mockClient(ServiceQuotasClient),
  s3: mockClient(S3Client),
  backup: mockClient(BackupClient),
  acm: mockClient(ACMClient),
  ssm: mockClient(SSMClient),
};

export function makeClients(): ReadinessClients {
  return {
    rds: new RDSClient({ region: TARGET_REGION }),
    cloudwatch: new CloudWatchClient({ region: TARGET_REGION }),
    ec2: new EC2Client({ region: TARGET_REGION }),
    autoScaling: new AutoScalingClient({ region: TARGET_REGION }),
    ecs: new ECSClient({ region: TARGET_REGION }),
    elbv2: new ElasticLoadBalancingV2Client({ region: TARGET_REGION }),
    route53: new Route53Client({ region: 'us-east-1' }),
    sfn: new SFNClient({ region: TARGET_REGION }),
    lambda: new LambdaClient({ region: TARGET_REGION }),
    serviceQuotas: new ServiceQuotasClient({ region: TARGET_REGION }),
    backup: new BackupClient({ region: TARGET_REGION }),
    acm: new ACMClient({ region: TARGET_REGION }),
    ssm: new SSMClient({ region: TARGET_REGION }),
    s3: { own: new S3Client({ region: TARGET_REGION }), other: new S3Client({ region: SOURCE_REGION }) },
  };
}

export function resetMocks(): void {
  for (const m of Object.values(mocks)) m.reset();
}

export const DEFINITION = {
  StartAt: 'Preflight',
  States: {
    Preflight: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fnArn('proj-dr-preflight'), 'Payload.$': '$' },
      Next: 'ScaleAndPromote',
    },
    ScaleAndPromote: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'ScaleDatabase',
          States: { ScaleDatabase: { Type: 'Task', Resource: fnArn('proj-dr-scale-database'), End: true } },
        },
        {
          StartAt: 'Notify',
          States: {
            Notify: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { 'FunctionName.$': '$.fn', FunctionName: fnArn('proj-dr-notify') },
              End: true,
            },
          },
        },
      ],
      End: true,
    },
  },
};

/** Lag datapoints (milliseconds), newest last in time; GetMetricData answers them newest first. */
export function lagMetric(points: readonly { ms: number; at: Date }[]) {
  const sorted = [...points].sort((a, b) => b.at.getTime() - a.at.getTime());
  return {
    MetricDataResults: [
      {
        Id: 'lag',
        StatusCode: 'Complete' as const,
        Values: sorted.map((p) => p.ms),
        Timestamps: sorted.map((p) => p.at),
      },
    ],
  };
}

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

/** One hostname's failover pair as the DNS stack deploys it, changed by `overrides`. */
export interface PairShape {
  /** What SECONDARY (DR's member) aliases; `dr.app.example.com` by default. */
  readonly drAlias?: string;
  /** PRIMARY's health check; the shared CALCULATED one by default, `null` for none. */
  readonly primaryCheck?: string | null;
}

/** ListResourceRecordSets from `name` answers its failover pair. */
export function givenFailoverPair(name: string, shape: PairShape = {}): void {
  const check = shape.primaryCheck === undefined ? HEALTH.calculated : shape.primaryCheck;
  mocks.route53.on(ListResourceRecordSetsCommand, { StartRecordName: name }).resolves({
    ResourceRecordSets: [
      {
        Name: `${name}.`,
        Type: 'A',
        SetIdentifier: 'main',
        Failover: 'PRIMARY',
        ...(check === null ? {} : { HealthCheckId: check }),
        AliasTarget: {
          HostedZoneId: 'Z0123456789ABC',
          DNSName: 'main.app.example.com.',
          EvaluateTargetHealth: false,
        },
      },
      {
        Name: `${name}.`,
        Type: 'A',
        SetIdentifier: 'dr',
        Failover: 'SECONDARY',
        AliasTarget: {
          HostedZoneId: 'Z0123456789ABC',
          DNSName: `${shape.drAlias ?? 'dr.app.example.com'}.`,
          EvaluateTargetHealth: false,
        },
      },
    ],
    IsTruncated: false,
    MaxItems: 10,
  });
}

/** A DR region ready to be promoted: every read answers as a healthy deployment would. */
/** An active targeted reservation of the seed's first type, `count` instances in `zone`. */
export function reservation(id: string, zone: string, count: number, state = 'active'): CapacityReservation {
  return {
    CapacityReservationId: id,
    InstanceType: 't3.small',
    AvailabilityZone: zone,
    TotalInstanceCount: count,
    AvailableInstanceCount: count,
    State: state as CapacityReservation['State'],
    InstanceMatchCriteria: 'targeted',
  };
}

export function healthyWorld(): void {
  mocks.ssm
    .on(GetParameterCommand, { Name: CERTIFICATE_PARAMETER })
    .resolves({ Parameter: { Name: CERTIFICATE_PARAMETER, Value: CERTIFICATE_ARN } });
  mocks.acm.on(DescribeCertificateCommand, { CertificateArn: CERTIFICATE_ARN }).resolves({
    Certificate: {
      CertificateArn: CERTIFICATE_ARN,
      DomainName: 'app.example.com',
      SubjectAlternativeNames: ['app.example.com', 'dr.app.example.com'],
      Status: 'ISSUED',
      NotAfter: new Date(NOW.getTime() + 200 * 86_400_000),
    },
  });
  mocks.rds.on(DescribeGlobalClustersCommand).resolves({
    GlobalClusters: [
      {
        GlobalClusterIdentifier: 'proj-global',
        Status: 'available',
        GlobalClusterMembers: [
          { DBClusterArn: MAIN_CLUSTER_ARN, IsWriter: true, Readers: [CLUSTER_ARN] },
          { DBClusterArn: CLUSTER_ARN, IsWriter: false, SynchronizationStatus: 'connected' },
        ],
      },
    ],
  });
  mocks.rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [{ DBClusterIdentifier: 'proj-dr-aurora', DBClusterArn: CLUSTER_ARN, DBClusterMembers: [] }],
  });
  mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({
    OrderableDBInstanceOptions: [
      {
        DBInstanceClass: 'db.r6g.large',
        AvailabilityZones: [{ Name: 'us-west-2a' }, { Name: 'us-west-2b' }, { Name: 'us-west-2c' }],
      },
    ],
  });
  mocks.rds.on(DescribeAccountAttributesCommand).resolves({
    AccountQuotas: [{ AccountQuotaName: 'DBInstances', Used: 3, Max: 40 }],
  });
  mocks.cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) =>
    input.MetricDataQueries?.[0]?.Id === 'lag'
      ? lagMetric([
          { ms: 900, at: minutesAgo(2) },
          { ms: 1200, at: minutesAgo(1) },
        ])
      : {
          MetricDataResults: [{ Id: 'usage', Values: [4], Timestamps: [minutesAgo(1)] }],
        },
  );
  mocks.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'proj-dr-asg',
        MinSize: 0,
        MaxSize: 4,
        DesiredCapacity: 0,
        DefaultCooldown: 300,
        AvailabilityZones: ['us-west-2a', 'us-west-2b'],
        HealthCheckType: 'EC2',
        CreatedTime: NOW,
        LaunchTemplate: { LaunchTemplateId: 'lt-0abc', Version: '$Default' },
        Instances: [],
      },
    ],
  });
  mocks.ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: [
      {
        LaunchTemplateId: 'lt-0abc',
        VersionNumber: 3,
        LaunchTemplateData: { ImageId: 'ami-0123', InstanceType: 't3.large' },
      },
    ],
  });
  mocks.ec2.on(DescribeCapacityReservationsCommand).resolves({
    CapacityReservations: [reservation('cr-0a', 'us-west-2a', 1), reservation('cr-0b', 'us-west-2b', 1)],
  });
  mocks.ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-0123', State: 'available' }] });
  mocks.ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
    InstanceTypeOfferings: [
      { InstanceType: 't3.large', LocationType: 'availability-zone', Location: 'us-west-2a' },
      { InstanceType: 't3.large', LocationType: 'availability-zone', Location: 'us-west-2b' },
    ],
  });
  mocks.ec2.on(DescribeInstanceTypesCommand).resolves({
    InstanceTypes: [
      {
        InstanceType: 't3.large',
        VCpuInfo: { DefaultVCpus: 2 },
        MemoryInfo: { SizeInMiB: 8192 },
        NetworkInfo: { MaximumNetworkInterfaces: 3 },
      },
    ],
  });
  mocks.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 'proj-dr-app',
        status: 'ACTIVE',
        taskDefinition: TASK_DEFINITION_ARN,
        loadBalancers: [{ targetGroupArn: TARGET_GROUP_ARN, containerName: 'app', containerPort: 80 }],
        capacityProviderStrategy: [{ capacityProvider: CAPACITY_PROVIDER, weight: 1, base: 0 }],
      },
    ],
    failures: [],
  });
  givenCapacityProvider(CAPACITY_PROVIDER, 'proj-dr-asg');
  mocks.ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      taskDefinitionArn: TASK_DEFINITION_ARN,
      status: 'ACTIVE',
      networkMode: 'bridge',
      containerDefinitions: [
        {
          name: 'app',
          image: SERVICE.image,
          cpu: 512,
          memory: 1024,
          portMappings: [{ containerPort: 80, hostPort: 0 }],
        },
      ],
    },
  });
  mocks.elbv2.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: [
      {
        TargetGroupArn: TARGET_GROUP_ARN,
        TargetGroupName: 'proj-dr',
        HealthCheckEnabled: true,
        HealthCheckPath: '/health',
      },
    ],
  });
  givenFailoverPair('app.example.com');
  mocks.route53.on(ListResourceRecordSetsCommand, { StartRecordName: 'dr.app.example.com' }).resolves({
    ResourceRecordSets: [
      {
        Name: 'dr.app.example.com.',
        Type: 'A',
        AliasTarget: {
          HostedZoneId: 'ZALB',
          DNSName: 'alb.us-west-2.elb.amazonaws.com.',
          EvaluateTargetHealth: false,
        },
      },
    ],
    IsTruncated: false,
    MaxItems: 10,
  });
  mocks.route53.on(GetHealthCheckCommand).callsFake((input: { HealthCheckId?: string }) => ({
    HealthCheck: {
      Id: input.HealthCheckId,
      CallerReference: 'x',
      HealthCheckVersion: 1,
      HealthCheckConfig:
        input.HealthCheckId === HEALTH.calculated
          ? { Type: 'CALCULATED', ChildHealthChecks: [HEALTH.main, HEALTH.dr], HealthThreshold: 1 }
          : { Type: 'CLOUDWATCH_METRIC' },
    },
  }));
  mocks.sfn.on(DescribeStateMachineCommand).resolves({
    stateMachineArn: STATE_MACHINE_ARN,
    name: 'proj-dr-failover',
    status: 'ACTIVE',
    definition: JSON.stringify(DEFINITION),
    roleArn: 'arn:aws:iam::111111111111:role/x',
    type: 'STANDARD',
    creationDate: NOW,
  });
  mocks.lambda
    .on(GetFunctionCommand)
    .resolves({ Configuration: { State: 'Active', LastUpdateStatus: 'Successful' } });
  mocks.serviceQuotas.on(GetServiceQuotaCommand).resolves({
    Quota: {
      ServiceCode: 'ec2',
      QuotaCode: 'L-1216C47A',
      Value: 32,
      UsageMetric: {
        MetricNamespace: 'AWS/Usage',
        MetricName: 'ResourceCount',
        MetricDimensions: { Class: 'Standard/OnDemand', Resource: 'vCPU', Service: 'EC2', Type: 'Resource' },
        MetricStatisticRecommendation: 'Maximum',
      },
    },
  });
  givenReplicationRule('proj-dr-data', 'dr-to-main', 'proj-main-data');
  givenReplicationRule('proj-main-data', 'main-to-dr', 'proj-dr-data');
  givenCopies(3);
}

/**
 * DR's vault holds a completed copy of each of main's resources made `hoursAgo` before {@link NOW}
 * (ListRecoveryPointsByBackupVault honours ByResourceArn and ByCreatedAfter).
 */
export function givenCopies(hoursAgo: number): void {
  const created = new Date(NOW.getTime() - hoursAgo * 3_600_000);
  mocks.backup
    .on(ListRecoveryPointsByBackupVaultCommand)
    .callsFake((input: { ByResourceArn?: string; ByCreatedAfter?: Date }) => ({
      RecoveryPoints:
        input.ByCreatedAfter !== undefined && created <= input.ByCreatedAfter
          ? []
          : [
              {
                RecoveryPointArn: `arn:aws:backup:${TARGET_REGION}:${ACCOUNT}:recovery-point:${input.ByResourceArn}`,
                ResourceArn: input.ByResourceArn,
                Status: 'COMPLETED',
                CreationDate: created,
              },
            ],
    }));
}

/** The capacity provider the service stack gives DR's ECS services, on DR's ASG. */
export const CAPACITY_PROVIDER = 'proj-dr-cp';

/** The Auto Scaling group ARN a capacity provider created with the group's ARN keeps. */
export const asgArn = (name: string): string =>
  `arn:aws:autoscaling:${TARGET_REGION}:${ACCOUNT}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-123456789012:autoScalingGroupName/${name}`;

/**
 * DescribeCapacityProviders knows `name`, launching into the Auto Scaling group `asg` (by ARN), or
 * into none (`undefined`: a Fargate provider); any other name it reports as a failure.
 */
export function givenCapacityProvider(name: string, asg: string | undefined): void {
  mocks.ecs.on(DescribeCapacityProvidersCommand).callsFake((input: { capacityProviders?: string[] }) => ({
    capacityProviders: (input.capacityProviders ?? [])
      .filter((n) => n === name)
      .map((n) => ({
        name: n,
        status: 'ACTIVE',
        ...(asg === undefined ? {} : { autoScalingGroupProvider: { autoScalingGroupArn: asgArn(asg) } }),
      })),
    failures: (input.capacityProviders ?? [])
      .filter((n) => n !== name)
      .map((arn) => ({ arn, reason: 'MISSING' })),
  }));
}

/** `bucket` has an enabled rule `ruleId` replicating to `destination` (GetBucketReplication). */
export function givenReplicationRule(
  bucket: string,
  ruleId: string,
  destination: string,
  status: 'Enabled' | 'Disabled' = 'Enabled',
): void {
  mocks.s3.on(GetBucketReplicationCommand, { Bucket: bucket }).resolves({
    ReplicationConfiguration: {
      Role: 'arn:aws:iam::111111111111:role/replication',
      Rules: [{ ID: ruleId, Status: status, Destination: { Bucket: `arn:aws:s3:::${destination}` } }],
    },
  });
}

/** Every finding of check `id` (one per database or service for the checks run per entry), on the mocks and `now`. */
export function findingsOf(id: ReadinessCheckId, settings: ReadinessSettings = SETTINGS, timeoutMs = 10_000) {
  return runCheck(id, settings, new ReadinessReads(settings, makeClients(), now), timeoutMs);
}

/** The one finding of check `id`: a region check, or a per-entry check with one entry. */
export async function onlyFinding(
  id: ReadinessCheckId,
  settings: ReadinessSettings = SETTINGS,
  timeoutMs = 10_000,
) {
  const [first, ...rest] = await findingsOf(id, settings, timeoutMs);
  if (first === undefined || rest.length > 0) throw new Error(`expected one finding of ${id}`);
  return first;
}
