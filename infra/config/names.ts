import type { ProjectConfig, RegionRole } from './schema';

/**
 * Deterministic physical names, computed from config alone. Cross-region and cross-stack links use
 * these instead of CDK cross-region references, and the failover Lambdas receive them as environment.
 */
export interface RegionNames {
  readonly role: RegionRole;
  readonly region: string;
  readonly account: string;
  /** Stack names, in deploy order within the region. */
  readonly stacks: {
    readonly network: string;
    readonly securityGroups: string;
    readonly storage: string;
    readonly database: string;
    readonly service: string;
    readonly orchestrator: string;
  };
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly dbClusterIdentifier: string;
  readonly dbClusterArn: string;
  /** Identifier of the n-th (0-based) instance this project creates in the region's cluster. */
  readonly dbInstanceIdentifier: (n: number) => string;
  readonly dbSubnetGroupName: string;
  readonly ecsClusterName: string;
  readonly ecsServiceName: string;
  readonly ecsServiceArn: string;
  readonly asgName: string;
  readonly asgArnPattern: string;
  readonly taskRoleName: string;
  readonly taskRoleArn: string;
  readonly replicationRoleName: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly topicName: string;
  /** `main.<recordName>` / `dr.<recordName>`: an alias to this region's ALB. */
  readonly regionalRecordName: string;
}

export interface ProjectNames {
  readonly project: string;
  readonly globalClusterIdentifier: string;
  readonly globalClusterArn: string;
  readonly dbSecretName: string;
  readonly dnsStack: string;
  readonly regions: Readonly<Record<RegionRole, RegionNames>>;
}

function regionNames(config: ProjectConfig, role: RegionRole): RegionNames {
  const { project } = config;
  const { account, region } = config.regions[role];
  const p = `${project}-${role}`;
  const clusterId = `${p}-aurora`;
  const ecsCluster = `${p}-cluster`;
  const ecsService = `${p}-app`;
  const stateMachineName = `${p}-failover`;
  return {
    role,
    region,
    account,
    stacks: {
      network: `${p}-network`,
      securityGroups: `${p}-security-groups`,
      storage: `${p}-storage`,
      database: `${p}-database`,
      service: `${p}-service`,
      orchestrator: `${p}-orchestrator`,
    },
    bucketName: `${p}-data-${account}-${region}`,
    bucketArn: `arn:aws:s3:::${p}-data-${account}-${region}`,
    dbClusterIdentifier: clusterId,
    dbClusterArn: `arn:aws:rds:${region}:${account}:cluster:${clusterId}`,
    dbInstanceIdentifier: (n: number) => `${clusterId}-${n + 1}`,
    dbSubnetGroupName: `${p}-db-subnets`,
    ecsClusterName: ecsCluster,
    ecsServiceName: ecsService,
    ecsServiceArn: `arn:aws:ecs:${region}:${account}:service/${ecsCluster}/${ecsService}`,
    asgName: `${p}-ecs-asg`,
    asgArnPattern: `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/${p}-ecs-asg`,
    taskRoleName: `${p}-app-task`,
    taskRoleArn: `arn:aws:iam::${account}:role/${p}-app-task`,
    replicationRoleName: `${p}-s3-replication`,
    stateMachineName,
    stateMachineArn: `arn:aws:states:${region}:${account}:stateMachine:${stateMachineName}`,
    topicName: `${p}-failover-events`,
    regionalRecordName: `${role}.${config.dns.recordName}`,
  };
}

/** All deterministic names of a project. */
export function projectNames(config: ProjectConfig): ProjectNames {
  return {
    project: config.project,
    globalClusterIdentifier: `${config.project}-global`,
    globalClusterArn: `arn:aws:rds::${config.regions.main.account}:global-cluster:${config.project}-global`,
    dbSecretName: `${config.project}/aurora/master`,
    dnsStack: `${config.project}-dns`,
    regions: { main: regionNames(config, 'main'), dr: regionNames(config, 'dr') },
  };
}
