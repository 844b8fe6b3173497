import type { PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import type { SimApi } from './calls';

/** CloudWatch: metric data the handlers put, recorded by region and namespace. */

export interface SimMetricPut {
  readonly at: number;
  readonly region: string;
  readonly namespace: string;
  /** Data points in the put. */
  readonly count: number;
}

/** The simulated CloudWatch state. */
export class CloudWatchModel {
  readonly metrics: SimMetricPut[] = [];
}

/** The simulated CloudWatch API. */
export const cloudWatchApi: SimApi = {
  PutMetricData: (raw, world, region) => {
    const input = raw as PutMetricDataCommandInput;
    world.cloudwatch.metrics.push({
      at: world.clock.now(),
      region,
      namespace: input.Namespace ?? '',
      count: input.MetricData?.length ?? 0,
    });
    return {};
  },
};
