import { bucketNameOf } from './bucket-name';
import { ConfigError } from './errors';
import { type Partition, partitionOf } from './partition';
import type { ProjectConfig, RegionRole } from './schema';

/**
 * Deterministic physical names, computed from config alone. Cross-region and cross-stack links use
 * these instead of CDK cross-region references, and the failover Lambdas receive them as environment.
 */
export interface RegionNames {
  readonly role: RegionRole;
  readonly region: string;
  readonly account: string;
  /** The region's partition: the first field of every ARN below. */
  readonly partition: Partition;
  /** `arn:<partition>:<service>:<region>:<account>:<resource>`, for resources of this region. */
  readonly arn: (service: string, resource: string) => string;
  /** Stack names, in deploy order within the region. */
  readonly stacks: {
    readonly network: string;
    readonly securityGroups: string;
    readonly storage: string;
    readonly database: string;
    readonly service: string;
    readonly orchestrator: string;
    /**
     * DR only: the stack that sets the DR bucket's replication back to main. It deploys after main's
     * storage stack (S3 rejects a rule whose destination does not exist yet); main has none, its rule
     * lives in its storage stack.
     */
    readonly replication?: string;
    /** The region's AWS Backup vault, plan and service role (`infra/stacks/backup-stack.ts`). */
    readonly backup: string;
  };
  /**
   * The application's replicated buckets (`buckets[]`) in this region, in config order: entry `i`
   * of main and entry `i` of DR are one replicated pair.
   */
  readonly buckets: readonly BucketNames[];
  /** The application's global databases (`databases[]`) as this region's members, in config order. */
  readonly databases: readonly DatabaseNames[];
  /** The DB subnet group every cluster of the region uses. */
  readonly dbSubnetGroupName: string;
  readonly ecsClusterName: string;
  /** The application's services (`services[]`) in this region, in config order. */
  readonly services: readonly ServiceNames[];
  /** The one Auto Scaling group whose instances every service's tasks run on. */
  readonly asgName: string;
  readonly asgArnPattern: string;
  /** The one role S3 assumes to replicate every bucket of this region to the other region's. */
  readonly replicationRoleName: string;
  readonly replicationRoleArn: string;
  /**
   * The id of the rule replicating each bucket of this region to its pair in the other region
   * (`main-to-dr`, `dr-to-main`; the same in every bucket's configuration): the `RuleId` dimension of
   * the `AWS/S3` replication metrics the failback reads, beside `SourceBucket`.
   */
  readonly replicationRuleId: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly topicName: string;
  /** `main.<recordName>` / `dr.<recordName>`: an alias to this region's ALB. */
  readonly regionalRecordName: string;
  /** The alarm over this region's traffic claim (`lambdas/shared/traffic-claim.ts`), in this region. */
  readonly trafficClaimAlarmName: string;
  readonly trafficClaimAlarmArn: string;
  /**
   * Absent when the services are existing (the team's tool owns their capacity).
   * The SSM parameters holding the capacity the service stack deploys (`infra/constructs/capacity-parameters.ts`):
   * the failover steps write them before scaling, so a later deploy applies what they set.
   */
  readonly capacityParameters?: CapacityParameterNames;
  readonly capacityParameterArns?: CapacityParameterNames;
  /**
   * The region's AWS Backup vault (`<project>-<role>-backups`): its own recovery points and the
   * copies of the other region's. The other region's plan copies into it by this ARN.
   */
  readonly backupVaultName: string;
  readonly backupVaultArn: string;
  readonly backupPlanName: string;
  /** The role AWS Backup assumes to back up and restore this region's resources (IAM is global: one per region). */
  readonly backupRoleName: string;
  /**
   * What this region's plan backs up, in config order: each database's cluster here and each bucket
   * here (deployed and existing alike).
   */
  readonly backupResourceArns: readonly string[];
  /** The alarm on this region's readiness (`PilotLight/Readiness`), notified on the region's topic. */
  readonly readinessAlarmName: string;
  /**
   * This region's TLS certificate, as readiness finds it: the config's (`regions.<role>.certificateArn`),
   * else the SSM parameter the service stack writes its certificate's ARN to (ACM names a requested
   * certificate, so no name here can say it). Absent when the load balancer is the team's and the
   * config names no certificate: pilot-light knows of none.
   */
  readonly certificate?: CertificateNames;
  /** The encrypted bucket holding this region's run records (`lambdas/record-run`). */
  readonly runRecordBucketName: string;
  readonly runRecordBucketArn: string;
}

/** Where readiness learns a region's certificate ARN: given, or written by the service stack. */
export type CertificateNames =
  | { readonly arn: string }
  | { readonly parameterName: string; readonly parameterArn: string };

/** One name (or ARN) per capacity value the service stack reads from SSM. */
export interface CapacityParameterNames {
  /** The ASG's MinSize. */
  readonly asgMinCapacity: string;
  /** Each ECS service's DesiredCount, in `services[]` order. */
  readonly serviceDesiredCounts: readonly string[];
}

/**
 * One global database (`databases[]`) as seen from one region. The first entry keeps the seed's
 * names (`<project>-global`, `<project>-<role>-aurora`, `<project>/aurora/master`); the others put
 * the entry's name in (`<project>-global-<name>`, `<project>-<role>-aurora-<name>`, …).
 */
export interface DatabaseNames {
  /** The entry's `name` in `databases`. */
  readonly entry: string;
  readonly globalClusterIdentifier: string;
  readonly globalClusterArn: string;
  /** This region's member cluster. */
  readonly dbClusterIdentifier: string;
  readonly dbClusterArn: string;
  /** Identifier of the n-th (0-based) instance this project creates in the cluster. */
  readonly dbInstanceIdentifier: (n: number) => string;
  /** The master user's secret (created in main, replicated to DR); absent for an existing database. */
  readonly secretName?: string;
  /** The entry names a global database the team already runs (`existing:`): pilot-light deploys nothing for it. */
  readonly existing: boolean;
}

/**
 * One ECS service (`services[]`) in one region. The first entry keeps the seed's names
 * (`<project>-<role>-app`, its task role `<project>-<role>-app-task`); the others are
 * `<project>-<role>-app-<name>` and `<project>-<role>-app-<name>-task`.
 */
export interface ServiceNames {
  /** The entry's `name` in `services`. */
  readonly entry: string;
  readonly ecsServiceName: string;
  readonly ecsServiceArn: string;
  readonly taskRoleName: string;
  readonly taskRoleArn: string;
  /** The SSM parameter the service stack deploys this service's DesiredCount from; absent for an existing service. */
  readonly desiredCountParameter?: string;
  readonly desiredCountParameterArn?: string;
  /** The entry names a service the team already runs (`existing:`). */
  readonly existing: boolean;
}

export interface ProjectNames {
  readonly project: string;
  /** The partition of both regions (the schema rejects a pair that spans two). */
  readonly partition: Partition;
  readonly dnsStack: string;
  /** `dns.records[].recordName`: the application's hostnames, in config order. */
  readonly hostnames: readonly string[];
  readonly regions: Readonly<Record<RegionRole, RegionNames>>;
  /**
   * The one principal both vaults let delete recovery points (`backups.breakGlassRoleArn`, else the
   * role pilot-light creates in the main region: `<project>-backup-break-glass`).
   */
  readonly breakGlassRoleArn: string;
  /** The role's name when pilot-light creates it; absent when the config names an existing one. */
  readonly breakGlassRoleName?: string;
}

/** One replicated bucket (`buckets[]`) as named in one region. */
export interface BucketNames {
  /** The entry's `name` in `buckets`. */
  readonly entry: string;
  /** `<project>-<role>-<entry>-<account>-<region>` (the seed's `data` entry keeps its bucket). */
  readonly bucketName: string;
  readonly bucketArn: string;
  /** S3 Replication Time Control on this bucket's rule. */
  readonly replicationTimeControl: boolean;
  /** The id of this bucket's replication rule to its pair (the `RuleId` of its S3 replication metrics). */
  readonly replicationRuleId: string;
  /** The entry names a bucket pair the team already runs (`existing:`). */
  readonly existing: boolean;
}

/** A bucket and its replica: entry `i` of one region's buckets and entry `i` of the other's. */
export interface BucketPair {
  readonly source: BucketNames;
  readonly destination: BucketNames;
}

/** Every bucket of `from` with its pair in `to`, in config order. */
export function bucketPairs(from: RegionNames, to: RegionNames): BucketPair[] {
  return from.buckets.flatMap((source, i) => {
    const destination = to.buckets[i];
    return destination === undefined ? [] : [{ source, destination }];
  });
}

/** The first hostname: the regional alias records (`main.<it>`, `dr.<it>`) are named after it. */
function primaryHostname(config: ProjectConfig): string {
  const [first] = config.dns.records;
  // The schema requires at least one record; a config that bypassed it has no names to derive.
  if (first === undefined) throw new ConfigError('dns.records: expected at least one hostname');
  return first.recordName;
}

/** `role`'s certificate: the configured one, or the parameter the service stack writes when it requests one. */
function certificateOf(
  config: ProjectConfig,
  role: RegionRole,
  parameterArn: (name: string) => string,
): { certificate?: CertificateNames } {
  const given = config.regions[role].certificateArn;
  if (given !== undefined) return { certificate: { arn: given } };
  if (config.regions[role].capacity.existing !== undefined) return {};
  const parameterName = `/${config.project}/${role}/tls/certificate-arn`;
  return { certificate: { parameterName, parameterArn: parameterArn(parameterName) } };
}

/**
 * Whether `names`' region serves HTTPS as far as pilot-light knows: it deploys the listener (with a
 * certificate), or the config names the team's certificate. The probe's default URL follows it.
 */
export function servesHttps(names: RegionNames): boolean {
  return names.certificate !== undefined;
}

function regionNames(config: ProjectConfig, role: RegionRole): RegionNames {
  const { project } = config;
  const { account, region } = config.regions[role];
  const partition = partitionOf(region);
  const arn = (service: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${account}:${resource}`;
  const p = `${project}-${role}`;
  const existingCapacity = config.regions[role].capacity.existing;
  const ecsCluster = existingCapacity?.ecsCluster ?? `${p}-cluster`;
  const asgName = existingCapacity?.autoScalingGroupName ?? `${p}-ecs-asg`;
  const ruleId = `${role}-to-${role === 'main' ? 'dr' : 'main'}`;
  const stateMachineName = `${p}-failover`;
  // A parameter's ARN names it without its leading slash.
  const parameterArn = (name: string) => arn('ssm', `parameter/${name.replace(/^\//, '')}`);
  const services = config.services.map((svc, i): ServiceNames => {
    const existing = svc.existing?.regions[role].serviceName;
    const serviceName = existing ?? (i === 0 ? `${p}-app` : `${p}-app-${svc.name}`);
    const parameter =
      i === 0
        ? `/${project}/${role}/capacity/service-desired-count`
        : `/${project}/${role}/capacity/${svc.name}/service-desired-count`;
    return {
      entry: svc.name,
      ecsServiceName: serviceName,
      ecsServiceArn: arn('ecs', `service/${ecsCluster}/${serviceName}`),
      taskRoleName: `${serviceName}-task`,
      taskRoleArn: `arn:${partition}:iam::${account}:role/${serviceName}-task`,
      ...(existing === undefined
        ? { desiredCountParameter: parameter, desiredCountParameterArn: parameterArn(parameter) }
        : {}),
      existing: existing !== undefined,
    };
  });
  const databases = config.databases.map((db, i): DatabaseNames => {
    const clusterId =
      db.existing?.regions[role].clusterId ?? (i === 0 ? `${p}-aurora` : `${p}-aurora-${db.name}`);
    const globalId =
      db.existing?.globalClusterId ?? (i === 0 ? `${project}-global` : `${project}-global-${db.name}`);
    const secretName = i === 0 ? `${project}/aurora/master` : `${project}/aurora/${db.name}/master`;
    return {
      entry: db.name,
      globalClusterIdentifier: globalId,
      globalClusterArn: `arn:${partition}:rds::${config.regions.main.account}:global-cluster:${globalId}`,
      dbClusterIdentifier: clusterId,
      dbClusterArn: arn('rds', `cluster:${clusterId}`),
      dbInstanceIdentifier: (n: number) => `${clusterId}-${n + 1}`,
      ...(db.existing === undefined ? { secretName } : {}),
      existing: db.existing !== undefined,
    };
  });
  const buckets = config.buckets.map((b): BucketNames => {
    const own = b.existing?.regions[role];
    const name = own?.bucketName ?? bucketNameOf(config.project, role, config.regions[role], b.name);
    return {
      entry: b.name,
      bucketName: name,
      bucketArn: `arn:${partition}:s3:::${name}`,
      replicationTimeControl: b.replicationTimeControl,
      replicationRuleId: own?.replicationRuleId ?? ruleId,
      existing: own !== undefined,
    };
  });
  const bucketArns = buckets.map((b) => b.bucketArn);
  const capacityParameters: CapacityParameterNames | undefined =
    existingCapacity === undefined
      ? {
          asgMinCapacity: `/${project}/${role}/capacity/asg-min-capacity`,
          serviceDesiredCounts: services.flatMap((s) =>
            s.desiredCountParameter === undefined ? [] : [s.desiredCountParameter],
          ),
        }
      : undefined;
  return {
    role,
    region,
    account,
    partition,
    arn,
    stacks: {
      network: `${p}-network`,
      securityGroups: `${p}-security-groups`,
      storage: `${p}-storage`,
      database: `${p}-database`,
      service: `${p}-service`,
      orchestrator: `${p}-orchestrator`,
      ...(role === 'dr' ? { replication: `${p}-replication` } : {}),
      backup: `${p}-backup`,
    },
    buckets,
    databases,
    dbSubnetGroupName: `${p}-db-subnets`,
    ecsClusterName: ecsCluster,
    services,
    asgName,
    asgArnPattern: arn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${asgName}`),
    replicationRoleName: `${p}-s3-replication`,
    replicationRoleArn: `arn:${partition}:iam::${account}:role/${p}-s3-replication`,
    replicationRuleId: ruleId,
    stateMachineName,
    stateMachineArn: arn('states', `stateMachine:${stateMachineName}`),
    topicName: `${p}-failover-events`,
    regionalRecordName: `${role}.${primaryHostname(config)}`,
    trafficClaimAlarmName: `${p}-traffic-claim`,
    trafficClaimAlarmArn: arn('cloudwatch', `alarm:${p}-traffic-claim`),
    backupVaultName: `${p}-backups`,
    backupVaultArn: arn('backup', `backup-vault:${p}-backups`),
    backupPlanName: `${p}-backups`,
    backupRoleName: `${p}-backup`,
    backupResourceArns: [...databases.map((d) => d.dbClusterArn), ...bucketArns],
    readinessAlarmName: `${p}-not-ready`,
    ...certificateOf(config, role, parameterArn),
    runRecordBucketName: `${p}-run-records-${account}-${region}`,
    runRecordBucketArn: `arn:${partition}:s3:::${p}-run-records-${account}-${region}`,
    ...(capacityParameters === undefined
      ? {}
      : {
          capacityParameters,
          capacityParameterArns: {
            asgMinCapacity: parameterArn(capacityParameters.asgMinCapacity),
            serviceDesiredCounts: capacityParameters.serviceDesiredCounts.map(parameterArn),
          },
        }),
  };
}

function breakGlass(
  config: ProjectConfig,
  partition: Partition,
): Pick<ProjectNames, 'breakGlassRoleArn' | 'breakGlassRoleName'> {
  const given = config.backups.breakGlassRoleArn;
  if (given !== undefined) return { breakGlassRoleArn: given };
  const name = `${config.project}-backup-break-glass`;
  return {
    breakGlassRoleName: name,
    breakGlassRoleArn: `arn:${partition}:iam::${config.regions.main.account}:role/${name}`,
  };
}

/** All deterministic names of a project. */
export function projectNames(config: ProjectConfig): ProjectNames {
  const partition = partitionOf(config.regions.main.region);
  return {
    project: config.project,
    partition,
    dnsStack: `${config.project}-dns`,
    hostnames: config.dns.records.map((r) => r.recordName),
    regions: { main: regionNames(config, 'main'), dr: regionNames(config, 'dr') },
    ...breakGlass(config, partition),
  };
}
