import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type Env, parseIntVar, requireEnv } from '../shared/env';
import { awsCall, InvalidInputError } from '../shared/errors';
import { withTimeout } from '../shared/timeout';

/** Not a failover step: it gets TARGET_REGION (where it publishes) but no role or source region. */
export interface HealthProbeSettings {
  /** The region the probe runs and publishes in. */
  readonly targetRegion: string;
  /** The main application's health URL, requested from the promoting region. */
  readonly probeUrl: string;
  readonly probeTimeoutMs: number;
  readonly metricNamespace: string;
  readonly metricName: string;
  /** Value of the `Project` dimension. */
  readonly project: string;
}

export interface HealthProbeClients {
  /** CloudWatch in the target region: the alarm lives there, not in the region it watches. */
  readonly cloudWatch: CloudWatchClient;
  readonly fetch: typeof fetch;
}

export interface HealthProbeResult {
  /** The URL answered 2xx/3xx within the timeout. */
  readonly healthy: boolean;
  /** Absent when there was no HTTP answer (timeout, DNS, connection refused). */
  readonly statusCode?: number;
  readonly latencyMs: number;
}

/** Read the health-probe settings; throws InvalidInputError naming missing or malformed variables. */
export function readHealthProbeSettings(env: Env): HealthProbeSettings {
  const raw = requireEnv(
    ['TARGET_REGION', 'PROBE_URL', 'PROBE_TIMEOUT_MS', 'METRIC_NAMESPACE', 'METRIC_NAME', 'PROJECT'],
    env,
  );
  // A malformed URL would read as "unhealthy" forever and trigger a failover: reject it here.
  if (!/^https?:\/\/[^/\s]+/.test(raw.PROBE_URL) || !URL.canParse(raw.PROBE_URL)) {
    throw new InvalidInputError(
      `environment variable PROBE_URL: expected an http(s) URL, got '${raw.PROBE_URL}'`,
    );
  }
  return {
    targetRegion: raw.TARGET_REGION,
    probeUrl: raw.PROBE_URL,
    probeTimeoutMs: parseIntVar('PROBE_TIMEOUT_MS', raw.PROBE_TIMEOUT_MS, 1),
    metricNamespace: raw.METRIC_NAMESPACE,
    metricName: raw.METRIC_NAME,
    project: raw.PROJECT,
  };
}

async function request(settings: HealthProbeSettings, fetchFn: typeof fetch): Promise<number | undefined> {
  try {
    return await withTimeout(
      async (signal) => {
        // A redirect is an answer from the target; following it would probe another host.
        const res = await fetchFn(settings.probeUrl, { method: 'GET', redirect: 'manual', signal });
        await res.body?.cancel();
        return res.status;
      },
      settings.probeTimeoutMs,
      `GET ${settings.probeUrl}`,
    );
  } catch {
    // No answer in time is exactly what the probe measures: it is data, not a failure.
    return undefined;
  }
}

/**
 * GET the probe URL with a timeout and publish 1 (2xx/3xx) or 0 (anything else, or no answer) to
 * CloudWatch with dimension Project. Never throws on an unhealthy target.
 *
 * @throws TransientAwsError PutMetricData throttled or failed with 5xx; other PutMetricData errors as-is
 */
export async function probeHealth(
  settings: HealthProbeSettings,
  clients: HealthProbeClients,
): Promise<HealthProbeResult> {
  const started = Date.now();
  const statusCode = await request(settings, clients.fetch);
  const latencyMs = Date.now() - started;
  const healthy = statusCode !== undefined && statusCode >= 200 && statusCode < 400;
  await awsCall('PutMetricData', () =>
    clients.cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: settings.metricNamespace,
        MetricData: [
          {
            MetricName: settings.metricName,
            Dimensions: [{ Name: 'Project', Value: settings.project }],
            Value: healthy ? 1 : 0,
            Unit: 'Count',
            Timestamp: new Date(),
          },
        ],
      }),
    ),
  );
  return { healthy, ...(statusCode === undefined ? {} : { statusCode }), latencyMs };
}
