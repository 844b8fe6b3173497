import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  CLAIM_ALARM,
  type ClaimRole,
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  TRAFFIC_CLAIM_PERIOD_SECONDS,
  TRAFFIC_CLAIM_THRESHOLD,
} from '../../lambdas/shared/traffic-claim';

/** The CDK enum member of each comparison {@link CLAIM_ALARM} names. */
const COMPARISON = {
  LessThanThreshold: 'LESS_THAN_THRESHOLD',
  GreaterThanOrEqualToThreshold: 'GREATER_THAN_OR_EQUAL_TO_THRESHOLD',
} as const satisfies Record<
  (typeof CLAIM_ALARM)[ClaimRole]['comparisonOperator'],
  keyof typeof cloudwatch.ComparisonOperator
>;

export interface TrafficClaimAlarmProps {
  /** `config.project`: the metric's `Project` dimension. */
  readonly project: string;
  /** The region whose claim this alarm reads: the stack's own region, where its state machine publishes. */
  readonly role: ClaimRole;
  /** Deterministic (`names.regions[role].trafficClaimAlarmName`): the DNS stack's health check names it. */
  readonly alarmName: string;
}

/**
 * The alarm over one region's traffic claim (`lambdas/shared/traffic-claim.ts`): `PilotLight/TrafficClaim`
 * {Project, Role}, Maximum over 60 s, 1 of 1 against a threshold of 1, compared per role as
 * {@link CLAIM_ALARM} says, so the alarm is in ALARM exactly when its Route 53 health check must be
 * unhealthy. Missing data is ignored: a claim is published once and then holds.
 *
 * It has no actions: the DNS stack's health check reads its state, and the state machine that
 * publishes the claim reports the cutover itself.
 */
export class TrafficClaimAlarm extends Construct {
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: TrafficClaimAlarmProps) {
    super(scope, id);
    const semantics = CLAIM_ALARM[props.role];
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      alarmDescription:
        `pilot-light ${props.project}: ${props.role} traffic claim. OK = ${semantics.healthyMeans}; ` +
        'read by the Route 53 health checks of the application record (DNS stack).',
      metric: new cloudwatch.Metric({
        namespace: TRAFFIC_CLAIM_NAMESPACE,
        metricName: TRAFFIC_CLAIM_METRIC,
        dimensionsMap: { Project: props.project, Role: props.role },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.seconds(TRAFFIC_CLAIM_PERIOD_SECONDS),
      }),
      threshold: TRAFFIC_CLAIM_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator[COMPARISON[semantics.comparisonOperator]],
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // The claim is published when it changes, not every period: the last value must hold.
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
  }
}
