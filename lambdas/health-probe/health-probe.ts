import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type Env, parseIntVar, requireEnv } from '../shared/env';
import { awsCall, InvalidInputError } from '../shared/errors';
import { withTimeout } from '../shared/timeout';
import { classifyRequestError, type ProbeFailure, type ProbeFailureReason } from './failure-reason';

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
  /** Absent when there was no HTTP answer (timeout, DNS, TLS, connection). */
  readonly statusCode?: number;
  readonly latencyMs: number;
  /** Why it is unhealthy (absent when healthy): published as the `Reason` of {@link failureMetricName}. */
  readonly reason?: ProbeFailureReason;
  /** The HTTP status or the error behind {@link reason}. */
  readonly detail?: string;
}

/**
 * The second metric: 1 per unhealthy probe, dimensions Project and `Reason` (dns, timeout, tls,
 * connection, status). Named after the alarm's metric, so the same namespace condition covers it.
 */
export function failureMetricName(metricName: string): string {
  return `${metricName}Failure`;
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

type Answer = { readonly statusCode: number } | { readonly failure: ProbeFailure };

async function request(settings: HealthProbeSettings, fetchFn: typeof fetch): Promise<Answer> {
  try {
    const statusCode = await withTimeout(
      async (signal) => {
        // A redirect is an answer from the target; following it would probe another host.
        const res = await fetchFn(settings.probeUrl, { method: 'GET', redirect: 'manual', signal });
        await res.body?.cancel();
        return res.status;
      },
      settings.probeTimeoutMs,
      `GET ${settings.probeUrl}`,
    );
    return { statusCode };
  } catch (err: unknown) {
    // No answer in time is exactly what the probe measures: it is data, not a failure.
    return { failure: classifyRequestError(err) };
  }
}

function judge(answer: Answer): Pick<HealthProbeResult, 'healthy' | 'statusCode' | 'reason' | 'detail'> {
  if ('failure' in answer) return { healthy: false, ...answer.failure };
  const { statusCode } = answer;
  if (statusCode >= 200 && statusCode < 400) return { healthy: true, statusCode };
  return { healthy: false, statusCode, reason: 'status', detail: `HTTP ${statusCode}` };
}

/**
 * GET the probe URL with a timeout and publish 1 (2xx/3xx) or 0 (anything else, or no answer) to
 * CloudWatch with dimension Project; when unhealthy, also 1 to {@link failureMetricName} with
 * dimension `Reason`, and the reason and its detail in the result (which the handler logs). Never
 * throws on an unhealthy target.
 *
 * @throws TransientAwsError PutMetricData throttled or failed with 5xx; other PutMetricData errors as-is
 */
export async function probeHealth(
  settings: HealthProbeSettings,
  clients: HealthProbeClients,
): Promise<HealthProbeResult> {
  const started = Date.now();
  const answer = await request(settings, clients.fetch);
  const latencyMs = Date.now() - started;
  const verdict = judge(answer);
  const timestamp = new Date();
  const project = { Name: 'Project', Value: settings.project };
  await awsCall('PutMetricData', () =>
    clients.cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: settings.metricNamespace,
        MetricData: [
          {
            MetricName: settings.metricName,
            Dimensions: [project],
            Value: verdict.healthy ? 1 : 0,
            Unit: 'Count',
            Timestamp: timestamp,
          },
          ...(verdict.reason === undefined
            ? []
            : [
                {
                  MetricName: failureMetricName(settings.metricName),
                  Dimensions: [project, { Name: 'Reason', Value: verdict.reason }],
                  Value: 1,
                  Unit: 'Count' as const,
                  Timestamp: timestamp,
                },
              ]),
        ],
      }),
    ),
  );
  return { ...verdict, latencyMs };
}
