import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EC2_STANDARD_VCPU_QUOTA } from '../../lambdas/readiness/checks/quotas';
import { READINESS_ENV, readinessEnvironment } from '../../lambdas/readiness/env';
import { READINESS_METRIC, READINESS_NAMESPACE } from '../../lambdas/shared/readiness-contract';
import { READINESS } from '../../lambdas/shared/steps';
import type { ProjectNames, RegionNames } from '../config/names';
import { readinessSettingsOf } from '../config/readiness-settings';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { type Grant, StepLambda } from './step-lambda';

/**
 * A CloudWatch alarm may look back at most one day: evaluation periods × period ≤ 86,400 s
 * (PutMetricAlarm). Periods are whole minutes here, always a valid alarm period.
 */
const MAX_ALARM_RANGE_SECONDS = 86_400;

/** Room for every check's reads, each with the SDK's own retry, in one invocation. */
const EVALUATION_TIMEOUT = Duration.seconds(60);

export interface ReadinessEvaluatorProps {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  /** The region whose promotion it judges: the stack's own. */
  readonly role: RegionRole;
  /** The region's failover topic: the alarm's actions publish there. */
  readonly topic: sns.ITopic;
  /** The topic's key: CloudWatch must be allowed to use it to publish to the encrypted topic. */
  readonly topicKey: kms.IKey;
  /**
   * The orchestrator's Lambdas the `orchestrator` check reads (`lambda:GetFunction`): the steps, the
   * notifier, the run recorder (this function itself is added here). Exact ARNs; the evaluator
   * never invokes them.
   */
  readonly functions: readonly lambda.IFunction[];
}

/**
 * The scheduled readiness evaluation of one region (`lambdas/readiness`): every
 * `failover.readiness.scheduleMinutes` it runs read-only checks of whether this region could be
 * promoted now and publishes `PilotLight/Readiness` `Ready` per check and overall. An alarm on the
 * overall metric notifies the region's topic when the region is not ready, when it is ready again,
 * and when the evaluator stops reporting.
 *
 * The Lambda names the state machine by its deterministic ARN, never by reference: the state
 * machine takes this function as a definition substitution, so a reference back would be a cycle.
 */
export class ReadinessEvaluator extends Construct {
  readonly function: lambda.IFunction;
  readonly alarm: cloudwatch.Alarm;
  readonly schedule: events.Rule;

  constructor(scope: Construct, id: string, props: ReadinessEvaluatorProps) {
    super(scope, id);
    const { config, names, role } = props;
    const own = names.regions[role];
    const other = names.regions[otherRole(role)];
    const settings = readinessSettingsOf(config, names, role);
    const { scheduleMinutes } = config.failover.readiness;
    const readOnly = (api: string) => `${api} has no resource-level permissions; read-only.`;

    this.function = new StepLambda(this, READINESS.label, {
      entry: READINESS.folder,
      description: 'Read-only checks of whether this region could be promoted now; publishes Ready metrics',
      timeout: EVALUATION_TIMEOUT,
      envNames: READINESS_ENV,
      environment: readinessEnvironment(settings),
      statements: [
        // global-cluster, replication-lag
        { actions: ['rds:DescribeGlobalClusters'], resources: own.databases.map((d) => d.globalClusterArn) },
        { actions: ['rds:DescribeDBClusters'], resources: own.databases.map((d) => d.dbClusterArn) },
        {
          actions: ['cloudwatch:GetMetricData'],
          resources: ['*'],
          why: readOnly('GetMetricData'),
        },
        // instance-class, quotas (DB instances: DescribeAccountAttributes' DBInstances usage and max)
        {
          actions: ['rds:DescribeOrderableDBInstanceOptions', 'rds:DescribeAccountAttributes'],
          resources: ['*'],
          why: readOnly('DescribeOrderableDBInstanceOptions and DescribeAccountAttributes'),
        },
        // launch-template, capacity-limits, capacity-reservations, quotas (vCPUs of the instance type)
        {
          actions: [
            'autoscaling:DescribeAutoScalingGroups',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypeOfferings',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeCapacityReservations',
          ],
          resources: ['*'],
          why: readOnly('DescribeAutoScalingGroups and the EC2 Describe* actions'),
        },
        // GetServiceQuota is authorized on the quota itself (`<service>/<quota code>`).
        {
          actions: ['servicequotas:GetServiceQuota'],
          resources: [
            own.arn(
              'servicequotas',
              `${EC2_STANDARD_VCPU_QUOTA.ServiceCode}/${EC2_STANDARD_VCPU_QUOTA.QuotaCode}`,
            ),
          ],
        },
        // capacity-limits, task-definition
        { actions: ['ecs:DescribeServices'], resources: own.services.map((s) => s.ecsServiceArn) },
        {
          // capacity-limits: the services place their tasks through a provider on the region's ASG.
          actions: ['ecs:DescribeCapacityProviders'],
          resources: [own.arn('ecs', 'capacity-provider/*')],
          why: "Read-only, this region's capacity providers: named by CloudFormation (pilot-light's cluster) or by the team, and the config holds neither name.",
        },
        {
          actions: ['ecs:DescribeTaskDefinition'],
          resources: ['*'],
          why: readOnly('DescribeTaskDefinition'),
        },
        // traffic-routing
        {
          actions: ['elasticloadbalancing:DescribeTargetGroups'],
          resources: ['*'],
          why: readOnly('Elastic Load Balancing DescribeTargetGroups'),
        },
        {
          actions: ['route53:ListResourceRecordSets'],
          resources: [`arn:${names.partition}:route53:::hostedzone/${config.dns.hostedZoneId}`],
        },
        {
          actions: ['route53:GetHealthCheck'],
          resources: [`arn:${names.partition}:route53:::healthcheck/*`],
          why: 'Health check ids are generated by Route 53 (the DNS stack’s); read-only.',
        },
        // certificate
        ...certificateStatements(own),
        // orchestrator
        { actions: ['states:DescribeStateMachine'], resources: [own.stateMachineArn] },
        { actions: ['lambda:GetFunction'], resources: props.functions.map((f) => f.functionArn) },
        // s3-replication: both directions
        {
          actions: ['s3:GetReplicationConfiguration'],
          resources: [...own.buckets, ...other.buckets].map((b) => b.bucketArn),
        },
        // backups: the copies in this region's vault
        ...(config.backups.enabled
          ? [{ actions: ['backup:ListRecoveryPointsByBackupVault'], resources: [own.backupVaultArn] }]
          : []),
        {
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': READINESS_NAMESPACE } },
          why: 'PutMetricData has no resource-level permissions; the namespace condition scopes it.',
        },
      ],
    }).function;
    // The definition calls this function too (CheckReadiness). A grant on its own ARN in its role's
    // default policy would be a cycle: the function waits for that policy, which would name the
    // function. A policy of its own is attached after the function exists.
    const fnRole = this.function.role;
    if (fnRole === undefined) throw new Error(`${this.node.path}: the readiness function has no role`);
    new iam.Policy(this, 'ReadSelf', {
      roles: [fnRole],
      statements: [
        new iam.PolicyStatement({ actions: ['lambda:GetFunction'], resources: [this.function.functionArn] }),
      ],
    });

    this.schedule = new events.Rule(this, 'Schedule', {
      description: `Evaluates ${role}'s readiness every ${scheduleMinutes} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(scheduleMinutes)),
    });
    // The next run comes on schedule: no retry. The target is bound by hand because the Lambda
    // target's own permission takes a logical id from the stack's construct id, which must not
    // leak into logical ids (stack ids are stack names).
    const fn = this.function;
    this.schedule.addTarget({
      bind: () => ({ arn: fn.functionArn, retryPolicy: { maximumRetryAttempts: 0 } }),
    });
    fn.addPermission('ScheduleInvoke', {
      principal: new iam.ServicePrincipal('events.amazonaws.com'),
      sourceArn: this.schedule.ruleArn,
    });

    const period = Duration.minutes(scheduleMinutes);
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: own.readinessAlarmName,
      alarmDescription:
        `pilot-light ${config.project}: ${role} (${own.region}) could not be promoted now (a readiness check is red), ` +
        `or its evaluator stopped reporting (INSUFFICIENT_DATA). Details: npm run readiness -- --region ${role}`,
      metric: new cloudwatch.Metric({
        namespace: READINESS_NAMESPACE,
        metricName: READINESS_METRIC,
        dimensionsMap: { Project: config.project, Role: role },
        statistic: cloudwatch.Stats.MINIMUM,
        period,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      // One evaluation per period. Any red evaluation among the last two periods is ALARM at once
      // (1 of 2), and ready again once two periods hold no red one. Missing data stays missing: a
      // run that lands in the next period (schedule jitter, a slow check) leaves one period empty,
      // which the other period covers; only an evaluator silent for both periods turns the alarm
      // INSUFFICIENT_DATA, which is notified too. A schedule over 12 h fits one period in the
      // alarm's one-day range: there, a single late run is reported as silence.
      evaluationPeriods: Math.min(2, Math.floor(MAX_ALARM_RANGE_SECONDS / period.toSeconds())),
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    const notify = new cloudwatchActions.SnsAction(props.topic);
    this.alarm.addAlarmAction(notify);
    this.alarm.addOkAction(notify);
    this.alarm.addInsufficientDataAction(notify);
    // The alarm's deterministic ARN: the key's policy is part of the key, which the alarm's topic
    // depends on, so a reference to the alarm there would be a cycle.
    allowAlarmToPublish(props, own.arn('cloudwatch', `alarm:${own.readinessAlarmName}`), own.account);
  }
}

/**
 * The `certificate` check's reads: DescribeCertificate on the configured certificate; for one the
 * service stack requests, ACM picks the ARN at deploy time, so the function reads it from the
 * stack's parameter and may describe the region's certificates (read-only).
 */
function certificateStatements(own: RegionNames): Grant[] {
  const cert = own.certificate;
  if (cert === undefined) return [];
  if ('arn' in cert) return [{ actions: ['acm:DescribeCertificate'], resources: [cert.arn] }];
  return [
    { actions: ['ssm:GetParameter'], resources: [cert.parameterArn] },
    {
      actions: ['acm:DescribeCertificate'],
      resources: [own.arn('acm', 'certificate/*')],
      why: "ACM names a requested certificate at deploy time (the service stack's parameter holds it); read-only, this region's certificates.",
    },
  ];
}

/**
 * CloudWatch publishes alarm actions as its service principal: the topic's policy (replaced by
 * the topic's own TLS-only policy) and the key of the SSE-KMS topic must both allow it, for this
 * alarm only (confused-deputy conditions on the alarm's ARN and account).
 */
function allowAlarmToPublish(props: ReadinessEvaluatorProps, alarmArn: string, account: string): void {
  const principal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
  const conditions = {
    ArnEquals: { 'aws:SourceArn': alarmArn },
    StringEquals: { 'aws:SourceAccount': account },
  };
  props.topic.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [props.topic.topicArn],
      conditions,
    }),
  );
  props.topicKey.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      // In a key policy, `*` is the key itself.
      resources: ['*'],
      conditions,
    }),
  );
}
