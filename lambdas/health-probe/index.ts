import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { invoke } from '../shared/handler';
import { HEALTH_PROBE_ENV } from './env';
import { type HealthProbeResult, probeHealth, readHealthProbeSettings } from './health-probe';

const logger = new Logger({ serviceName: 'pilot-light-health-probe' });

/**
 * Scheduled (EventBridge) probe feeding the failover alarm: GET PROBE_URL within PROBE_TIMEOUT_MS and
 * publish METRIC_NAMESPACE/METRIC_NAME = 1 (healthy) or 0, dimension Project=PROJECT, in TARGET_REGION
 * (env: {@link HEALTH_PROBE_ENV}). The scheduled event's content is ignored. Throws only when the
 * metric cannot be published.
 */
export async function handler(_event: unknown, context?: Context): Promise<HealthProbeResult> {
  return invoke(logger, context, undefined, () => {
    const settings = readHealthProbeSettings(requireEnv(HEALTH_PROBE_ENV));
    return probeHealth(settings, {
      cloudWatch: clientFor(CloudWatchClient, settings.targetRegion),
      fetch: globalThis.fetch,
    });
  });
}
