import type { ACMClient } from '@aws-sdk/client-acm';
import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import type { BackupClient } from '@aws-sdk/client-backup';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  type _InstanceType,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  type EC2Client,
  type InstanceTypeInfo,
  type LaunchTemplateVersion,
} from '@aws-sdk/client-ec2';
import {
  type CapacityProvider,
  DescribeCapacityProvidersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import {
  type DBCluster,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  type GlobalCluster,
  type GlobalClusterMember,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { MAX_SERVICES_PER_DESCRIBE } from '../scale-service/service-reads';
import { isReadErrorNamed, read } from './outcome';
import { launchTemplateFix, missingAsgFix } from './service-fixes';
import type { ReadinessDatabase, ReadinessService, ReadinessSettings } from './settings';

/** The clients the checks read through; all in this region unless said otherwise. */
export interface ReadinessClients {
  readonly rds: RDSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly ec2: EC2Client;
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** Route 53 is global: a client in its partition's control-plane region (`route53-region.ts`). */
  readonly route53: Route53Client;
  readonly sfn: SFNClient;
  readonly lambda: LambdaClient;
  readonly serviceQuotas: ServiceQuotasClient;
  /** ACM: the region's load balancer certificate. */
  readonly acm: ACMClient;
  /** SSM Parameter Store: where the service stack wrote the certificate's ARN. */
  readonly ssm: SSMClient;
  /** S3 in each bucket's region: `own` for `buckets.own.region`, `other` for `buckets.other.region`. */
  readonly s3: { readonly own: S3Client; readonly other: S3Client };
  /** AWS Backup in this region: its vault holds the copies of the other region's resources. */
  readonly backup: BackupClient;
}

/** DescribeCapacityProviders describes at most this many capacity providers per call (ECS API reference). */
export const MAX_CAPACITY_PROVIDERS_PER_DESCRIBE = 100;

/** The services of `settings.services` as DescribeServices found them. */
interface ServicesRead {
  /** False when ECS answered ClusterNotFoundException: no service can exist then. */
  readonly clusterFound: boolean;
  /** Every service that exists, by ECS name. */
  readonly services: ReadonlyMap<string, Service>;
}

/** A database's cluster in this region and its place in its global cluster. */
export interface Membership {
  readonly globalCluster: GlobalCluster;
  readonly cluster: DBCluster;
  /** Undefined when the cluster is not a member. */
  readonly member?: GlobalClusterMember;
}

/** The launch template the ASG launches from, resolved to an AMI and instance types. */
export type LaunchSpec =
  | {
      readonly ok: true;
      /** e.g. `lt-0abc (version $Default → 3)` */
      readonly label: string;
      readonly imageId: string;
      readonly instanceTypes: readonly string[];
    }
  | { readonly ok: false; readonly why: string; readonly fix: string };

/**
 * The reads several checks share, each made at most once per evaluation (the first caller starts
 * it, the others await the same promise): a second check never repeats a call, so an evaluation
 * makes a bounded, predictable set of calls. A missing resource reads as `undefined`; any other
 * error rejects with a `ReadError`.
 */
export class ReadinessReads {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly settings: ReadinessSettings,
    readonly clients: ReadinessClients,
    /** The evaluation's clock (the drill passes its virtual one). */
    readonly now: () => Date,
  ) {}

  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = work();
      // Checks that time out stop awaiting: keep a rejection from surfacing as unhandled.
      p.catch(() => undefined);
      this.memo.set(key, p);
    }
    return p;
  }

  /** `database`'s cluster in this region (DescribeDBClusters), undefined when it does not exist. */
  dbCluster(database: ReadinessDatabase): Promise<DBCluster | undefined> {
    return this.once(`dbCluster:${database.clusterId}`, async () => {
      try {
        const out = await read('rds:DescribeDBClusters', () =>
          this.clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: database.clusterId })),
        );
        return out.DBClusters?.[0];
      } catch (err: unknown) {
        if (isReadErrorNamed(err, 'DBClusterNotFoundFault')) return undefined;
        throw err;
      }
    });
  }

  /** `database`'s global cluster (DescribeGlobalClusters), undefined when it does not exist. */
  globalCluster(database: ReadinessDatabase): Promise<GlobalCluster | undefined> {
    return this.once(`globalCluster:${database.globalClusterId}`, async () => {
      try {
        const out = await read('rds:DescribeGlobalClusters', () =>
          this.clients.rds.send(
            new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: database.globalClusterId }),
          ),
        );
        return out.GlobalClusters?.[0];
      } catch (err: unknown) {
        if (isReadErrorNamed(err, 'GlobalClusterNotFoundFault')) return undefined;
        throw err;
      }
    });
  }

  /** Both, and this cluster's member entry; a string says which one does not exist. */
  async membership(database: ReadinessDatabase): Promise<Membership | string> {
    const [globalCluster, cluster] = await Promise.all([
      this.globalCluster(database),
      this.dbCluster(database),
    ]);
    if (globalCluster === undefined) return `global cluster ${database.globalClusterId} does not exist`;
    if (cluster === undefined) {
      return `cluster ${database.clusterId} does not exist in ${this.settings.targetRegion}`;
    }
    const member = globalCluster.GlobalClusterMembers?.find(
      (m) => m.DBClusterArn !== undefined && m.DBClusterArn === cluster.DBClusterArn,
    );
    return { globalCluster, cluster, ...(member !== undefined ? { member } : {}) };
  }

  /** The ASG (DescribeAutoScalingGroups), undefined when it does not exist. */
  autoScalingGroup(): Promise<AutoScalingGroup | undefined> {
    return this.once('asg', async () => {
      const out = await read('autoscaling:DescribeAutoScalingGroups', () =>
        this.clients.autoScaling.send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [this.settings.asgName] }),
        ),
      );
      return out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === this.settings.asgName);
    });
  }

  /**
   * Every service of `settings.services` that exists, by ECS name (DescribeServices, one call per
   * {@link MAX_SERVICES_PER_DESCRIBE}, at once); empty when the cluster does not exist.
   */
  async ecsServices(): Promise<ReadonlyMap<string, Service>> {
    return (await this.servicesRead()).services;
  }

  /** Whether the ECS cluster exists (read with the services: no call of its own). */
  async ecsClusterFound(): Promise<boolean> {
    return (await this.servicesRead()).clusterFound;
  }

  private servicesRead(): Promise<ServicesRead> {
    return this.once('services', async (): Promise<ServicesRead> => {
      const names = this.settings.services.map((s) => s.ecsService);
      const batches: string[][] = [];
      for (let i = 0; i < names.length; i += MAX_SERVICES_PER_DESCRIBE) {
        batches.push(names.slice(i, i + MAX_SERVICES_PER_DESCRIBE));
      }
      try {
        const outs = await Promise.all(
          batches.map((services) =>
            read('ecs:DescribeServices', () =>
              this.clients.ecs.send(
                new DescribeServicesCommand({ cluster: this.settings.ecsClusterName, services }),
              ),
            ),
          ),
        );
        const services = outs.flatMap((o) => o.services ?? []).map((s) => [s.serviceName ?? '', s] as const);
        return { clusterFound: true, services: new Map(services) };
      } catch (err: unknown) {
        if (isReadErrorNamed(err, 'ClusterNotFoundException')) {
          return { clusterFound: false, services: new Map<string, Service>() };
        }
        throw err;
      }
    });
  }

  /**
   * Every capacity provider the services' capacity provider strategies name, by name
   * (DescribeCapacityProviders, one call per {@link MAX_CAPACITY_PROVIDERS_PER_DESCRIBE}); one ECS
   * does not know is absent from the map.
   */
  capacityProviders(): Promise<ReadonlyMap<string, CapacityProvider>> {
    return this.once('capacityProviders', async () => {
      const strategies = [...(await this.ecsServices()).values()].flatMap(
        (s) => s.capacityProviderStrategy ?? [],
      );
      const names = [...new Set(strategies.map((i) => i.capacityProvider ?? ''))]
        .filter((n) => n !== '')
        .sort();
      const batches: string[][] = [];
      for (let i = 0; i < names.length; i += MAX_CAPACITY_PROVIDERS_PER_DESCRIBE) {
        batches.push(names.slice(i, i + MAX_CAPACITY_PROVIDERS_PER_DESCRIBE));
      }
      const outs = await Promise.all(
        batches.map((capacityProviders) =>
          read('ecs:DescribeCapacityProviders', () =>
            this.clients.ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders })),
          ),
        ),
      );
      return new Map(outs.flatMap((o) => o.capacityProviders ?? []).map((p) => [p.name ?? '', p]));
    });
  }

  /** `service`'s ECS service, undefined when it (or its cluster) does not exist. */
  async ecsService(service: ReadinessService): Promise<Service | undefined> {
    return (await this.ecsServices()).get(service.ecsService);
  }

  /** A task definition (DescribeTaskDefinition), undefined when ECS says it cannot describe it. */
  taskDefinition(arn: string): Promise<TaskDefinition | undefined> {
    return this.once(`taskDefinition:${arn}`, async () => {
      try {
        const out = await read('ecs:DescribeTaskDefinition', () =>
          this.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })),
        );
        return out.taskDefinition;
      } catch (err: unknown) {
        // ECS answers ClientException ("Unable to describe task definition") for one that does not exist.
        if (isReadErrorNamed(err, 'ClientException')) return undefined;
        throw err;
      }
    });
  }

  /** `service`'s task definition, or a string saying why there is none. */
  async serviceTaskDefinition(service: ReadinessService): Promise<TaskDefinition | string> {
    const found = await this.ecsService(service);
    if (found === undefined) return `ECS service ${this.serviceLabel(service)} does not exist`;
    const arn = found.taskDefinition;
    if (arn === undefined) return `ECS service ${this.serviceLabel(service)} names no task definition`;
    return (
      (await this.taskDefinition(arn)) ??
      `task definition ${arn} cannot be described (deregistered or deleted)`
    );
  }

  /** `cluster/service`, as the ECS console names it. */
  serviceLabel(service: ReadinessService): string {
    return `${this.settings.ecsClusterName}/${service.ecsService}`;
  }

  /** Instance type facts (DescribeInstanceTypes); a type EC2 does not know is absent from the map. */
  instanceTypes(types: readonly string[]): Promise<ReadonlyMap<string, InstanceTypeInfo>> {
    const sorted = [...new Set(types)].sort();
    return this.once(`instanceTypes:${sorted.join(',')}`, async () => {
      try {
        const out = await read('ec2:DescribeInstanceTypes', () =>
          this.clients.ec2.send(
            new DescribeInstanceTypesCommand({ InstanceTypes: sorted as _InstanceType[] }),
          ),
        );
        return new Map((out.InstanceTypes ?? []).map((t) => [String(t.InstanceType), t]));
      } catch (err: unknown) {
        // EC2 refuses the whole request when one type does not exist: none of them is known then.
        if (isReadErrorNamed(err, 'InvalidInstanceType')) return new Map<string, InstanceTypeInfo>();
        throw err;
      }
    });
  }

  /** The ASG's launch template resolved to its AMI (SSM aliases resolved) and instance types. */
  launchSpec(): Promise<LaunchSpec> {
    return this.once('launchSpec', async (): Promise<LaunchSpec> => {
      const asg = await this.autoScalingGroup();
      const s = this.settings;
      if (asg === undefined) {
        return {
          ok: false,
          why: `ASG ${s.asgName} does not exist in ${s.targetRegion}`,
          fix: missingAsgFix(s),
        };
      }
      const mixed = asg.MixedInstancesPolicy?.LaunchTemplate;
      const spec = asg.LaunchTemplate ?? mixed?.LaunchTemplateSpecification;
      if (
        spec === undefined ||
        (spec.LaunchTemplateId === undefined && spec.LaunchTemplateName === undefined)
      ) {
        return {
          ok: false,
          why: `ASG ${s.asgName} launches from no launch template${asg.LaunchConfigurationName ? ` (launch configuration ${asg.LaunchConfigurationName})` : ''}`,
          fix: launchTemplateFix(
            s,
            "deploy this region's service stack: it sets the ASG's launch template",
            'naming an ECS-optimized AMI and an instance type',
          ),
        };
      }
      const version = spec.Version ?? '$Default';
      const missingLt = launchTemplateFix(
        s,
        "deploy this region's service stack (it creates the launch template the ASG names)",
        'that exists',
      );
      const name = spec.LaunchTemplateId ?? spec.LaunchTemplateName ?? '';
      let ltVersion: LaunchTemplateVersion | undefined;
      try {
        const out = await read('ec2:DescribeLaunchTemplateVersions', () =>
          this.clients.ec2.send(
            new DescribeLaunchTemplateVersionsCommand({
              ...(spec.LaunchTemplateId !== undefined
                ? { LaunchTemplateId: spec.LaunchTemplateId }
                : { LaunchTemplateName: spec.LaunchTemplateName }),
              Versions: [version],
              // An AMI given as an SSM parameter (resolve:ssm:...) comes back as the AMI id it names.
              ResolveAlias: true,
            }),
          ),
        );
        ltVersion = out.LaunchTemplateVersions?.[0];
      } catch (err: unknown) {
        if (
          isReadErrorNamed(
            err,
            'InvalidLaunchTemplateId.NotFound',
            'InvalidLaunchTemplateName.NotFoundException',
            'InvalidLaunchTemplateId.VersionNotFound',
            'InvalidLaunchTemplateId.Malformed',
          )
        ) {
          return {
            ok: false,
            why: `launch template ${name} version ${version} does not exist`,
            fix: missingLt,
          };
        }
        throw err;
      }
      if (ltVersion === undefined) {
        return {
          ok: false,
          why: `launch template ${name} version ${version} does not exist`,
          fix: missingLt,
        };
      }
      const label = `${name} (version ${version}${ltVersion.VersionNumber !== undefined && String(ltVersion.VersionNumber) !== version ? ` → ${ltVersion.VersionNumber}` : ''})`;
      const imageId = ltVersion.LaunchTemplateData?.ImageId;
      if (imageId === undefined || imageId === '') {
        return {
          ok: false,
          why: `launch template ${label} sets no AMI`,
          fix: launchTemplateFix(
            s,
            "deploy this region's service stack (the launch template names the ECS-optimized AMI)",
            'naming an ECS-optimized AMI',
          ),
        };
      }
      const overrides = (mixed?.Overrides ?? [])
        .map((o) => o.InstanceType)
        .filter((t): t is string => t !== undefined);
      const instanceTypes =
        overrides.length > 0
          ? overrides
          : ltVersion.LaunchTemplateData?.InstanceType !== undefined
            ? [ltVersion.LaunchTemplateData.InstanceType]
            : [];
      if (instanceTypes.length === 0) {
        return {
          ok: false,
          why: `launch template ${label} sets no instance type`,
          fix: launchTemplateFix(
            s,
            `regions.${s.targetRole}.capacity.instanceType in the config, then deploy the service stack`,
            'naming an instance type',
          ),
        };
      }
      return { ok: true, label, imageId, instanceTypes };
    });
  }
}
