import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { asError, hasErrorName, InvalidStateError, rethrow } from '../shared/errors';
import {
  type ClaimRole,
  TRAFFIC_CLAIM_METRIC,
  TRAFFIC_CLAIM_NAMESPACE,
  trafficClaimDimensions,
} from '../shared/traffic-claim';

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
 * Publish `project`'s `role` traffic claim (1 = claim, 0 = release) through `cloudwatch`, which
 * must be the client of the region `role` runs in (`lambdas/shared/traffic-claim.ts`).
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
  options: { readonly abortSignal?: AbortSignal } = {},
): Promise<void> {
  try {
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: TRAFFIC_CLAIM_NAMESPACE,
        MetricData: [
          {
            MetricName: TRAFFIC_CLAIM_METRIC,
            Dimensions: trafficClaimDimensions(project, role),
            Value: value,
            Unit: 'Count',
            StorageResolution: 60,
            Timestamp: new Date(),
          },
        ],
      }),
      options,
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
