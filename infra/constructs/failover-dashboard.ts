import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { blindMetricName, failureMetricName, heartbeatMetricName } from '../../lambdas/health-probe/metrics';
import {
  READINESS_CHECK_IDS,
  READINESS_METRIC,
  READINESS_NAMESPACE,
} from '../../lambdas/shared/readiness-contract';
import {
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  TRAFFIC_CLAIM_PERIOD_SECONDS,
  trafficClaimDimensions,
} from '../../lambdas/shared/traffic-claim';
import type { RegionRole } from '../config/schema';

/** Readiness runs every 30 minutes by default: a finer period would draw mostly gaps. */
const READINESS_PERIOD = Duration.minutes(30);
/** Executions are rare: an hour per point keeps each run visible as one bar. */
const RUNS_PERIOD = Duration.hours(1);
const LAG_PERIOD = Duration.minutes(1);
const WIDTH = 24;
const HALF = 12;
const HEIGHT = 6;

export interface FailoverDashboardProps {
  /** Deterministic and global to the account (`triggerNames(own).dashboardName`). */
  readonly dashboardName: string;
  readonly project: string;
  /** The region this dashboard's stack promotes. */
  readonly role: RegionRole;
  /** Both regions: each traffic claim is published in its own region. */
  readonly regions: Readonly<Record<RegionRole, string>>;
  /** The health probe's metrics, when this region runs the probe. */
  readonly probe?: {
    readonly namespace: string;
    readonly metricName: string;
    readonly periodSeconds: number;
  };
  /** Shown with their state: the failover alarm, the probe's, the dead-letter alarm, readiness, the claim. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  readonly stateMachine: sfn.IStateMachine;
  /** This region's member cluster of each global database (`AuroraGlobalDBReplicationLag` is per cluster). */
  readonly clusterIdentifiers: readonly string[];
}

/**
 * One region's DR posture on one CloudWatch dashboard, beside the alarms it shows: the alarms'
 * states; the probe's share of answered requests, its blind runs, heartbeat and failure reasons;
 * readiness per check; the replication lag of this region's clusters; both regions' traffic claims;
 * and this state machine's runs by outcome.
 */
export class FailoverDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: FailoverDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(6),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms: failover, probe broken or blind, failover not started, readiness, traffic claim',
        alarms: [...props.alarms],
        width: WIDTH,
        height: 3,
      }),
    );
    if (props.probe !== undefined) this.dashboard.addWidgets(...probeWidgets(props.project, props.probe));
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Readiness of ${props.role} per check (1 ready, 0 not)`,
        left: READINESS_CHECK_IDS.map(
          (check) =>
            new cloudwatch.Metric({
              namespace: READINESS_NAMESPACE,
              metricName: READINESS_METRIC,
              dimensionsMap: { Project: props.project, Role: props.role, Check: check },
              statistic: cloudwatch.Stats.MINIMUM,
              period: READINESS_PERIOD,
              label: check,
            }),
        ),
        leftYAxis: { min: 0, max: 1 },
        width: HALF,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Aurora global replication lag (ms), this region’s clusters',
        left: props.clusterIdentifiers.map(
          (id) =>
            new cloudwatch.Metric({
              namespace: 'AWS/RDS',
              metricName: 'AuroraGlobalDBReplicationLag',
              dimensionsMap: { DBClusterIdentifier: id },
              statistic: cloudwatch.Stats.MAXIMUM,
              period: LAG_PERIOD,
              label: id,
            }),
        ),
        width: HALF,
        height: HEIGHT,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Traffic claims (1 claims, 0 releases): the health checks send the names where they point',
        left: (['main', 'dr'] as const).map(
          (role) =>
            new cloudwatch.Metric({
              namespace: TRAFFIC_CLAIM_NAMESPACE,
              metricName: TRAFFIC_CLAIM_METRIC,
              dimensionsMap: Object.fromEntries(
                trafficClaimDimensions(props.project, role).map((d) => [d.Name, d.Value]),
              ),
              statistic: cloudwatch.Stats.MAXIMUM,
              period: Duration.seconds(TRAFFIC_CLAIM_PERIOD_SECONDS),
              // Each claim is published in its own region.
              region: props.regions[role],
              label: `${role} claim (${props.regions[role]})`,
            }),
        ),
        leftYAxis: { min: 0, max: 1 },
        width: HALF,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Failover runs by outcome (per hour)',
        left: [
          props.stateMachine.metricStarted({ period: RUNS_PERIOD, label: 'started' }),
          props.stateMachine.metricSucceeded({ period: RUNS_PERIOD, label: 'succeeded' }),
          props.stateMachine.metricFailed({ period: RUNS_PERIOD, label: 'failed' }),
          props.stateMachine.metricTimedOut({ period: RUNS_PERIOD, label: 'timed out' }),
          props.stateMachine.metricAborted({ period: RUNS_PERIOD, label: 'aborted' }),
        ],
        stacked: false,
        width: HALF,
        height: HEIGHT,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          'A run that ends without acting (single flight, cool-down, main answered again) also counts as ' +
          '*succeeded*: its notice and run record say which. Where each name answers right now (DNS, not a ' +
          'metric): `npm run failover -- status`.',
        width: WIDTH,
        height: 2,
      }),
    );
  }
}

/** The probe's row: share and blind runs, then heartbeat and why requests failed. */
function probeWidgets(
  project: string,
  probe: NonNullable<FailoverDashboardProps['probe']>,
): cloudwatch.IWidget[] {
  const period = Duration.seconds(probe.periodSeconds);
  const metric = (metricName: string, statistic: string, label: string) =>
    new cloudwatch.Metric({
      namespace: probe.namespace,
      metricName,
      dimensionsMap: { Project: project },
      statistic,
      period,
      label,
    });
  return [
    new cloudwatch.GraphWidget({
      title: 'Probe: share of requests main answered; blind runs',
      left: [metric(probe.metricName, cloudwatch.Stats.AVERAGE, 'share answered')],
      right: [metric(blindMetricName(probe.metricName), cloudwatch.Stats.MAXIMUM, 'blind')],
      leftYAxis: { min: 0, max: 1 },
      rightYAxis: { min: 0, max: 1 },
      leftAnnotations: [{ value: 0.5, label: 'breaching at or below', color: cloudwatch.Color.RED }],
      width: HALF,
      height: HEIGHT,
    }),
    new cloudwatch.GraphWidget({
      title: 'Probe: runs (heartbeat) and failed requests by reason',
      left: [metric(heartbeatMetricName(probe.metricName), cloudwatch.Stats.SAMPLE_COUNT, 'runs')],
      right: [
        new cloudwatch.MathExpression({
          expression: `SEARCH('{${probe.namespace},Project,Reason} MetricName="${failureMetricName(probe.metricName)}" Project="${project}"', 'Sum', ${probe.periodSeconds})`,
          label: 'failed',
          period,
        }),
      ],
      width: HALF,
      height: HEIGHT,
    }),
  ];
}
