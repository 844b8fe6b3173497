import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { asError, hasErrorName, InvalidStateError, rethrow } from './errors';
import {
  type ClaimRole,
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  TRAFFIC_CLAIM_PERIOD_SECONDS,
  trafficClaimDimensions,
} from './traffic-claim';

/** PutMetricData's documented 400s: the request itself is wrong, so a retry cannot help. */
const REJECTED = [
  'InvalidParameterValueException',
  'InvalidParameterValue',
  'MissingRequiredParameterException',
  'MissingParameter',
  'InvalidParameterCombinationException',
  'InvalidParameterCombination',
];

/**
 * The alarm evaluates whole periods, a little after each ends: a claim published a few seconds into
 * a minute waits for that minute to end, although the region was ready before it began. So a claim
 * also carries a data point at the moment the region became ready (`since`), when that moment is in
 * an earlier, recent period; the data point at "now" stays, so the claim is never missed if that
 * period was already evaluated (missing data is ignored: a period without data changes nothing).
 */
function claimTimestamps(since: Date | undefined, now: Date): Date[] {
  if (since === undefined || Number.isNaN(since.getTime())) return [now];
  const period = TRAFFIC_CLAIM_PERIOD_SECONDS * 1000;
  const age = now.getTime() - since.getTime();
  const earlierPeriod = Math.floor(since.getTime() / period) < Math.floor(now.getTime() / period);
  return age > 0 && age <= period && earlierPeriod ? [since, now] : [now];
}

/**
 * Publish `project`'s `role` traffic claim (1 = claim, 0 = release) through `cloudwatch`, which
 * must be the client of the region `role` runs in (`lambdas/shared/traffic-claim.ts`). `since`:
 * when the region became ready to take traffic (a claim only; never earlier than that).
 *
 * @throws InvalidStateError CloudWatch rejected the request (InvalidParameterValue, MissingParameter,
 * InvalidParameterCombination)
 * @throws TransientAwsError InternalServiceFault, throttling, network errors
 */
export async function publishClaim(
  cloudwatch: CloudWatchClient,
  project: string,
  role: ClaimRole,
  value: 0 | 1,
  options: { readonly abortSignal?: AbortSignal; readonly since?: Date } = {},
): Promise<void> {
  const timestamps = value === 1 ? claimTimestamps(options.since, new Date()) : [new Date()];
  try {
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: TRAFFIC_CLAIM_NAMESPACE,
        MetricData: timestamps.map((Timestamp) => ({
          MetricName: TRAFFIC_CLAIM_METRIC,
          Dimensions: trafficClaimDimensions(project, role),
          Value: value,
          Unit: 'Count',
          StorageResolution: 60,
          Timestamp,
        })),
      }),
      options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
    );
  } catch (err: unknown) {
    if (hasErrorName(err, ...REJECTED)) {
      throw new InvalidStateError(`PutMetricData ${role} claim=${value} rejected: ${asError(err).message}`, {
        cause: err,
      });
    }
    rethrow(err, 'PutMetricData');
  }
}
