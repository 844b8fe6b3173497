import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DRAIN_REPLICATION_ENV } from '../../lambdas/drain-replication/env';
import { FENCE_SOURCE_ENV, FENCE_SOURCE_SERVICE_FIELDS } from '../../lambdas/fence-source/env';
import { FLIP_DNS_ENV } from '../../lambdas/flip-dns/env';
import {
  PREFLIGHT_DATABASE_FIELDS,
  PREFLIGHT_ENV,
  PREFLIGHT_SERVICE_FIELDS,
} from '../../lambdas/preflight/env';
import {
  PROMOTE_DATABASE_DATABASE_FIELDS,
  PROMOTE_DATABASE_ENV,
  PROMOTE_DATABASE_SERVICE_FIELDS,
} from '../../lambdas/promote-database/env';
import { SCALE_DATABASE_DATABASE_FIELDS, SCALE_DATABASE_ENV } from '../../lambdas/scale-database/env';
import { SCALE_SERVICE_ENV, SCALE_SERVICE_SERVICE_FIELDS } from '../../lambdas/scale-service/env';
import {
  DATABASES_ENV,
  type DatabaseField,
  databasesEnvironment,
  SERVICES_ENV,
  type ServiceField,
  servicesEnvironment,
} from '../../lambdas/shared/resources';
import { POLLED_STEP_KEYS, STEPS, type StepKey } from '../../lambdas/shared/steps';
import { TRAFFIC_CLAIM_NAMESPACE } from '../../lambdas/shared/traffic-claim';
import type { ProjectNames } from '../config/names';
import { regionResources } from '../config/resources';
import { capacityInstanceTypes, otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { probeUrlOf } from '../config/trigger-names';
import type { FailoverStepFunctions } from './failover-state-machine';
import { type Grant, StepLambda, type StepLambdaProps } from './step-lambda';

export interface FailoverStepsProps {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  /** The region these steps promote (the stack's own region). */
  readonly role: RegionRole;
}

/** Lambda timeout beyond a polled step's window: one more read, with the SDK's own retry, fits. */
const POLL_TIMEOUT_HEADROOM_SECONDS = 60;

/**
 * The step Lambdas of the failover workflow, one per step of `lambdas/shared/steps.ts` (construct id
 * = the step's label, code = its folder), each with exactly the APIs it calls on this project's
 * resources. Every wildcard carries its reason (`why`), which is also its cdk-nag acknowledgement.
 * No step holds a Route 53 permission: traffic moves by each region's claim metric
 * (`lambdas/shared/traffic-claim.ts`) and is read back from DNS.
 */
export class FailoverSteps extends Construct {
  readonly functions: FailoverStepFunctions;

  constructor(scope: Construct, id: string, props: FailoverStepsProps) {
    super(scope, id);
    const { config, names, role } = props;
    const target = names.regions[role];
    const source = names.regions[otherRole(role)];
    const capacity = config.regions[role].capacity.promotion;
    const common = { TARGET_ROLE: role, TARGET_REGION: target.region, SOURCE_REGION: source.region };
    const resources = regionResources(config, names, role);
    // Each function's lists hold only the fields its env.ts says it reads (Lambda's 4 KB environment).
    const databasesVar = (fields: readonly DatabaseField[]) =>
      ({ [DATABASES_ENV]: databasesEnvironment(resources.databases, fields) }) as Record<'DATABASES', string>;
    const servicesVar = (fields: readonly ServiceField[]) =>
      ({ [SERVICES_ENV]: servicesEnvironment(resources.services, fields) }) as Record<'SERVICES', string>;
    const sharedCapacity = {
      ASG_NAME: target.asgName,
      ASG_MIN_CAPACITY: String(capacity.minCapacity),
      ECS_CLUSTER: target.ecsClusterName,
    };
    const arns = {
      globalClusters: target.databases.map((d) => d.globalClusterArn),
      targetClusters: target.databases.map((d) => d.dbClusterArn),
      sourceClusters: source.databases.map((d) => d.dbClusterArn),
      targetServices: target.services.map((s) => s.ecsServiceArn),
      sourceServices: source.services.map((s) => s.ecsServiceArn),
    };
    // A polled step's Lambda reads AWS for up to its window; the headroom covers the last read.
    const pollTimeout = (key: StepKey) =>
      key === 'preflight'
        ? {}
        : { timeout: Duration.seconds(config.failover[key].windowSeconds + POLL_TIMEOUT_HEADROOM_SECONDS) };
    const step = <N extends string>(key: StepKey, props: Omit<StepLambdaProps<N>, 'entry'>) =>
      new StepLambda(this, STEPS[key].label, { ...pollTimeout(key), ...props, entry: STEPS[key].folder })
        .function;

    const describeInstances: Grant = {
      actions: ['rds:DescribeDBInstances'],
      resources: [target.arn('rds', 'db:*')],
      why: 'DescribeDBInstances filtered by cluster is authorized on the db resource type; read-only.',
    };
    const describeGlobal: Grant = {
      actions: ['rds:DescribeGlobalClusters'],
      resources: arns.globalClusters,
    };
    const describeAsg: Grant = {
      actions: ['autoscaling:DescribeAutoScalingGroups'],
      resources: ['*'],
      why: 'DescribeAutoScalingGroups has no resource-level permissions; read-only.',
    };
    const describeService: Grant = { actions: ['ecs:DescribeServices'], resources: arns.targetServices };
    const describeTargetHealth: Grant = {
      actions: ['elasticloadbalancing:DescribeTargetHealth'],
      resources: ['*'],
      why: 'Elastic Load Balancing Describe* actions have no resource-level permissions; read-only.',
    };
    // Traffic moves by the claim metric (lambdas/shared/traffic-claim.ts), never by a Route 53 change.
    const publishClaim: Grant = {
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': TRAFFIC_CLAIM_NAMESPACE } },
      why: 'PutMetricData has no resource-level permissions; the namespace condition scopes it.',
    };

    const preflight = step('preflight', {
      description: 'Validate input, enforce single flight and cool-down, read what is already done',
      timeout: Duration.seconds(60),
      envNames: PREFLIGHT_ENV,
      environment: {
        ...common,
        ...databasesVar(PREFLIGHT_DATABASE_FIELDS),
        ...servicesVar(PREFLIGHT_SERVICE_FIELDS),
        ...sharedCapacity,
        ZONE_NAME: config.dns.zoneName,
        RECORD_NAMES: names.hostnames.join(','),
        TARGET_RECORD_NAME: target.regionalRecordName,
        SOURCE_RECORD_NAME: source.regionalRecordName,
        COOL_DOWN_MINUTES: String(config.failover.coolDownMinutes),
        SOURCE_PROBE_TIMEOUT_MS: String(config.failover.sourceProbeTimeoutSeconds * 1000),
        // An alarm-started run re-checks what the alarm's probe requests, as the probe does (no VPC:
        // the function reaches main over the internet, like the probe).
        SOURCE_HEALTH_URL: probeUrlOf(config, source),
        SOURCE_HEALTH_REQUESTS: String(config.failover.alarm.requestsPerPeriod),
        SOURCE_HEALTH_TIMEOUT_MS: String(config.failover.alarm.probeTimeoutSeconds * 1000),
        TIMINGS: JSON.stringify(Object.fromEntries(POLLED_STEP_KEYS.map((k) => [k, config.failover[k]]))),
        APPROVAL_REQUIRED: config.failover.approval.required,
        APPROVAL_TIMEOUT_SECONDS: String(config.failover.approval.timeoutMinutes * 60),
        APPROVAL_ON_TIMEOUT: config.failover.approval.onTimeout,
      },
      statements: [
        { actions: ['states:ListExecutions'], resources: [target.stateMachineArn] },
        {
          actions: ['states:DescribeExecution'],
          resources: [target.arn('states', `execution:${target.stateMachineName}:*`)],
          why: 'Execution names are chosen at start time; scoped to executions of this state machine.',
        },
        describeGlobal,
        { actions: ['rds:DescribeDBClusters'], resources: [...arns.targetClusters, ...arns.sourceClusters] },
        describeInstances,
        describeAsg,
        describeService,
        describeTargetHealth,
      ],
    });

    const database = step('database', {
      description: 'Add instances to this region’s (headless) Aurora clusters; report when all are available',
      envNames: SCALE_DATABASE_ENV,
      environment: { ...common, ...databasesVar(SCALE_DATABASE_DATABASE_FIELDS) },
      statements: [
        { actions: ['rds:DescribeDBClusters'], resources: arns.targetClusters },
        describeInstances,
        {
          // No rds:AddTagsToResource: RDS authorizes it only for a create that passes tags, and
          // scale-database passes none (its test pins the request).
          actions: ['rds:CreateDBInstance'],
          resources: [
            ...target.databases.map((d) => target.arn('rds', `db:${d.dbClusterIdentifier}-*`)),
            ...arns.targetClusters,
            // An existing cluster's instances join its own subnet group, whose name the config does not hold.
            target.databases.some((d) => d.existing)
              ? target.arn('rds', 'subgrp:*')
              : target.arn('rds', `subgrp:${target.dbSubnetGroupName}`),
            target.arn('rds', 'pg:default.*'),
            target.arn('rds', 'og:default:*'),
          ],
          why:
            'New instances are named <cluster>-<n> (the prefix is one of this project’s clusters); the request names ' +
            'no parameter or option group, so the instance gets the engine defaults, which RDS authorizes too ' +
            '(AWS’s own CreateDBInstance example grants og:default* and pg:default*); an existing cluster’s ' +
            'instance joins that cluster’s own subnet group, which the config does not name (subgrp:*).',
        },
      ],
    });

    const service = step('service', {
      description:
        'Raise this region’s ASG and ECS service (never scales in); report when the service is stable',
      envNames: SCALE_SERVICE_ENV,
      environment: {
        ...common,
        ...servicesVar(SCALE_SERVICE_SERVICE_FIELDS),
        ...sharedCapacity,
        // Empty when the services are existing: the team's tool owns their capacity.
        ASG_MIN_CAPACITY_PARAMETER: target.capacityParameters?.asgMinCapacity ?? '',
        // The group's types in order, to report what it launched instead of the first; unknown for the team's group.
        INSTANCE_TYPES:
          config.regions[role].capacity.existing === undefined
            ? capacityInstanceTypes(config.regions[role].capacity).join(',')
            : '',
      },
      statements: [
        // The step records its targets where the service stack deploys them from (read first: raise only).
        ...(target.capacityParameterArns === undefined
          ? []
          : [
              {
                actions: ['ssm:GetParameter', 'ssm:PutParameter'],
                resources: [
                  target.capacityParameterArns.asgMinCapacity,
                  ...target.capacityParameterArns.serviceDesiredCounts,
                ],
              },
            ]),
        describeAsg,
        {
          // The refused launches (InsufficientInstanceCapacity) the step reports.
          actions: ['autoscaling:DescribeScalingActivities'],
          resources: ['*'],
          why: 'DescribeScalingActivities has no resource-level permissions; read-only.',
        },
        {
          actions: ['autoscaling:UpdateAutoScalingGroup'],
          resources: [target.asgArnPattern],
          why: 'An ASG ARN embeds a generated id; the pattern pins the group name to this project’s ASG.',
        },
        { actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: arns.targetServices },
        describeTargetHealth,
      ],
    });

    const promotion = step('promotion', {
      description: 'Switch over (planned) or fail over (unplanned) the global database to this region',
      envNames: PROMOTE_DATABASE_ENV,
      environment: {
        ...common,
        ...databasesVar(PROMOTE_DATABASE_DATABASE_FIELDS),
        ...servicesVar(PROMOTE_DATABASE_SERVICE_FIELDS),
        ...sharedCapacity,
      },
      statements: [
        describeGlobal,
        // Done is read in this region: this cluster is the writer and available.
        { actions: ['rds:DescribeDBClusters'], resources: arns.targetClusters },
        // A planned switchover waits until this region's service is ready.
        describeAsg,
        describeService,
        describeTargetHealth,
        {
          // The switchover is sent to the source (primary) region, the failover to this one; IAM is
          // global, so one statement covers both calls on the two clusters.
          actions: ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'],
          resources: [...arns.globalClusters, ...arns.targetClusters, ...arns.sourceClusters],
        },
      ],
    });

    const dns = step('dns', {
      description:
        'Publish this region’s traffic claim; report when the application name answers with this region',
      envNames: FLIP_DNS_ENV,
      environment: {
        ...common,
        PROJECT: config.project,
        ZONE_NAME: config.dns.zoneName,
        RECORD_NAMES: names.hostnames.join(','),
        TARGET_RECORD_NAME: target.regionalRecordName,
        SOURCE_RECORD_NAME: source.regionalRecordName,
      },
      // The answer is read from the zone's name servers (DNS), which needs no IAM.
      statements: [publishClaim],
    });

    const fence = step('fence', {
      description:
        'After traffic moved: stop the old region’s service (unplanned) and release its traffic claim',
      envNames: FENCE_SOURCE_ENV,
      environment: {
        ...common,
        PROJECT: config.project,
        ...servicesVar(FENCE_SOURCE_SERVICE_FIELDS),
        SOURCE_ECS_CLUSTER: source.ecsClusterName,
        SOURCE_CLAIM_ALARM_NAME: source.trafficClaimAlarmName,
      },
      statements: [
        publishClaim,
        // Unplanned: the old service's deployed count is recorded as 0 before the service is stopped.
        ...(source.capacityParameterArns === undefined
          ? []
          : [
              {
                actions: ['ssm:GetParameter', 'ssm:PutParameter'],
                resources: source.capacityParameterArns.serviceDesiredCounts,
              },
            ]),
        // DescribeAlarms is authorized per metric alarm (only composite alarms need `*`).
        { actions: ['cloudwatch:DescribeAlarms'], resources: [source.trafficClaimAlarmArn] },
        { actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: arns.sourceServices },
      ],
    });

    const replication = step('replication', {
      description:
        'Failback: wait until the DR buckets’ S3 replication backlog to main is 0; failover: report main’s backlog',
      envNames: DRAIN_REPLICATION_ENV,
      environment: {
        ...common,
        SOURCE_BUCKETS: source.buckets.map((b) => b.bucketName).join(','),
        TARGET_BUCKETS: target.buckets.map((b) => b.bucketName).join(','),
        SOURCE_REPLICATION_RULE_IDS: source.buckets.map((b) => b.replicationRuleId).join(','),
      },
      statements: [
        {
          actions: ['cloudwatch:GetMetricData'],
          resources: ['*'],
          why: 'GetMetricData has no resource-level permissions; read-only (the AWS/S3 replication metrics of every bucket, one request).',
        },
      ],
    });

    this.functions = { preflight, database, service, replication, promotion, dns, fence };
  }
}
