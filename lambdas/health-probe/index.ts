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
 * Scheduled (EventBridge) probe feeding the failover alarm: REQUESTS_PER_PERIOD GETs of PROBE_URL
 * spread over PERIOD_SECONDS (each within PROBE_TIMEOUT_MS; after a failure, the CONTROL_URLS), then
 * METRIC_NAMESPACE/METRIC_NAME = the share that succeeded, plus heartbeat, blind and failure
 * reasons, dimension Project=PROJECT, in TARGET_REGION (env: {@link HEALTH_PROBE_ENV}). The
 * scheduled event's content is ignored. Throws only when the metrics cannot be published.
 */
export async function handler(_event: unknown, context?: Context): Promise<HealthProbeResult> {
  return invoke(logger, context, undefined, () => {
    const settings = readHealthProbeSettings(requireEnv(HEALTH_PROBE_ENV, process.env, ['CONTROL_URLS']));
    return probeHealth(settings, {
      cloudWatch: clientFor(CloudWatchClient, settings.targetRegion),
      fetch: globalThis.fetch,
    });
  });
}
