import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ProjectNames } from '../config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import type { FailoverStepFunctions } from './failover-state-machine';
import { type Grant, StepFunction } from './step-function';

export interface FailoverStepsProps {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  /** The region these steps promote (the stack's own region). */
  readonly role: RegionRole;
}

/**
 * The five step Lambdas of the failover workflow, each with exactly the APIs it calls on this
 * project's resources. Every wildcard carries its reason (`why`), which is also its cdk-nag
 * acknowledgement.
 */
export class FailoverSteps extends Construct {
  readonly functions: FailoverStepFunctions;

  constructor(scope: Construct, id: string, props: FailoverStepsProps) {
    super(scope, id);
    const { config, names, role } = props;
    const target = names.regions[role];
    const source = names.regions[otherRole(role)];
    const promotion = config.regions[role].promotion;
    const { account, region } = target;
    const hostedZoneArn = `arn:aws:route53:::hostedzone/${config.dns.hostedZoneId}`;
    const common = { TARGET_ROLE: role, TARGET_REGION: target.region, SOURCE_REGION: source.region };

    const describeInstances: Grant = {
      actions: ['rds:DescribeDBInstances'],
      resources: [`arn:aws:rds:${region}:${account}:db:*`],
      why: 'DescribeDBInstances filtered by cluster is authorized on the db resource type; read-only.',
    };
    const describeGlobal: Grant = {
      actions: ['rds:DescribeGlobalClusters'],
      resources: [names.globalClusterArn],
    };
    const describeAsg: Grant = {
      actions: ['autoscaling:DescribeAutoScalingGroups'],
      resources: ['*'],
      why: 'DescribeAutoScalingGroups has no resource-level permissions; read-only.',
    };
    const describeService: Grant = { actions: ['ecs:DescribeServices'], resources: [target.ecsServiceArn] };
    const readRecords: Grant = { actions: ['route53:ListResourceRecordSets'], resources: [hostedZoneArn] };

    const preflight = new StepFunction(this, 'Preflight', {
      entry: 'lambdas/preflight',
      description: 'Validate input, enforce single flight and cool-down, read what is already done',
      timeout: Duration.seconds(60),
      environment: {
        ...common,
        GLOBAL_CLUSTER_ID: names.globalClusterIdentifier,
        TARGET_CLUSTER_ID: target.dbClusterIdentifier,
        SOURCE_CLUSTER_ID: source.dbClusterIdentifier,
        DB_INSTANCE_COUNT: String(promotion.dbInstances),
        ASG_NAME: target.asgName,
        ASG_MIN_CAPACITY: String(promotion.asgMinCapacity),
        ECS_CLUSTER: target.ecsClusterName,
        ECS_SERVICE: target.ecsServiceName,
        SERVICE_DESIRED_COUNT: String(promotion.serviceDesiredCount),
        HOSTED_ZONE_ID: config.dns.hostedZoneId,
        RECORD_NAME: config.dns.recordName,
        TARGET_RECORD_NAME: target.regionalRecordName,
        COOL_DOWN_MINUTES: String(config.failover.coolDownMinutes),
        SOURCE_PROBE_TIMEOUT_MS: String(config.failover.sourceProbeTimeoutSeconds * 1000),
        TIMINGS: JSON.stringify({
          database: config.failover.database,
          service: config.failover.service,
          promotion: config.failover.promotion,
          dns: config.failover.dns,
        }),
      },
      statements: [
        { actions: ['states:ListExecutions'], resources: [target.stateMachineArn] },
        {
          actions: ['states:DescribeExecution'],
          resources: [`arn:aws:states:${region}:${account}:execution:${target.stateMachineName}:*`],
          why: 'Execution names are chosen at start time; scoped to executions of this state machine.',
        },
        describeGlobal,
        { actions: ['rds:DescribeDBClusters'], resources: [target.dbClusterArn, source.dbClusterArn] },
        describeInstances,
        describeAsg,
        describeService,
        readRecords,
      ],
    });

    const instanceClass = promotion.dbInstanceClass ?? config.database.instanceClass;
    const scaleDatabase = new StepFunction(this, 'ScaleDatabase', {
      entry: 'lambdas/scale-database',
      description: 'Add instances to this region’s (headless) Aurora cluster; report when all are available',
      environment: {
        ...common,
        TARGET_CLUSTER_ID: target.dbClusterIdentifier,
        DB_INSTANCE_COUNT: String(promotion.dbInstances),
        DB_INSTANCE_CLASS: instanceClass,
      },
      statements: [
        { actions: ['rds:DescribeDBClusters'], resources: [target.dbClusterArn] },
        describeInstances,
        {
          actions: ['rds:CreateDBInstance', 'rds:AddTagsToResource'],
          resources: [
            `arn:aws:rds:${region}:${account}:db:${target.dbClusterIdentifier}-*`,
            target.dbClusterArn,
            `arn:aws:rds:${region}:${account}:subgrp:${target.dbSubnetGroupName}`,
            `arn:aws:rds:${region}:${account}:pg:*`,
            `arn:aws:rds:${region}:${account}:og:*`,
          ],
          why:
            'New instances are named <cluster>-<n> (the prefix is this project’s cluster); CreateDBInstance also ' +
            'authorizes the parameter and option groups the instance inherits from the engine defaults.',
        },
      ],
    });

    const scaleService = new StepFunction(this, 'ScaleService', {
      entry: 'lambdas/scale-service',
      description:
        'Raise this region’s ASG and ECS service (never scales in); report when the service is stable',
      environment: {
        ...common,
        ASG_NAME: target.asgName,
        ASG_MIN_CAPACITY: String(promotion.asgMinCapacity),
        ECS_CLUSTER: target.ecsClusterName,
        ECS_SERVICE: target.ecsServiceName,
        SERVICE_DESIRED_COUNT: String(promotion.serviceDesiredCount),
      },
      statements: [
        describeAsg,
        {
          actions: ['autoscaling:UpdateAutoScalingGroup'],
          resources: [target.asgArnPattern],
          why: 'An ASG ARN embeds a generated id; the pattern pins the group name to this project’s ASG.',
        },
        { actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [target.ecsServiceArn] },
      ],
    });

    const promoteDatabase = new StepFunction(this, 'PromoteDatabase', {
      entry: 'lambdas/promote-database',
      description: 'Switch over (planned) or fail over (unplanned) the global database to this region',
      environment: {
        ...common,
        GLOBAL_CLUSTER_ID: names.globalClusterIdentifier,
        TARGET_CLUSTER_ID: target.dbClusterIdentifier,
        TARGET_CLUSTER_ARN: target.dbClusterArn,
      },
      statements: [
        describeGlobal,
        {
          actions: ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
          resources: [names.globalClusterArn, target.dbClusterArn, source.dbClusterArn],
        },
      ],
    });

    const flipDns = new StepFunction(this, 'FlipDns', {
      entry: 'lambdas/flip-dns',
      description: 'Point the application record at this region and wait until Route 53 is INSYNC',
      environment: {
        ...common,
        HOSTED_ZONE_ID: config.dns.hostedZoneId,
        RECORD_NAME: config.dns.recordName,
        TARGET_RECORD_NAME: target.regionalRecordName,
      },
      statements: [
        readRecords,
        {
          actions: ['route53:ChangeResourceRecordSets'],
          resources: [hostedZoneArn],
          conditions: {
            'ForAllValues:StringEquals': {
              'route53:ChangeResourceRecordSetsNormalizedRecordNames': [config.dns.recordName],
              'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
              'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
            },
          },
        },
        {
          actions: ['route53:GetChange'],
          resources: ['arn:aws:route53:::change/*'],
          why: 'Change ids are generated by Route 53 per request; GetChange is read-only.',
        },
      ],
    });

    this.functions = {
      preflight: preflight.function,
      scaleDatabase: scaleDatabase.function,
      scaleService: scaleService.function,
      promoteDatabase: promoteDatabase.function,
      flipDns: flipDns.function,
    };
  }
}
