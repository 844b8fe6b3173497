import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { type Env, parseIntVar, requireEnv } from '../shared/env';
import { awsCall, InvalidInputError } from '../shared/errors';
import { HEALTH_PROBE_ENV } from './env';
import { blindMetricName, failureMetricName, heartbeatMetricName } from './metrics';
import { failureOf, request } from './request';
import { type RequestOutcome, type RunTally, tally } from './tally';

/** Not a failover step: it gets TARGET_REGION (where it publishes) but no role or source region. */
export interface HealthProbeSettings {
  /** The region the probe runs and publishes in. */
  readonly targetRegion: string;
  /** The main application's health URL, requested from the promoting region. */
  readonly probeUrl: string;
  readonly probeTimeoutMs: number;
  readonly metricNamespace: string;
  /** The share's metric; the others are named after it (see metrics.ts). */
  readonly metricName: string;
  /** Value of the `Project` dimension. */
  readonly project: string;
  /** The schedule's period: the requests are spread over it. */
  readonly periodSeconds: number;
  readonly requestsPerPeriod: number;
  /**
   * URLs that say this region reaches the outside (an HTTP answer of whatever status counts): checked after each
   * failed request to main. Empty: the probe never judges itself blind.
   */
  readonly controlUrls: readonly string[];
}

export interface HealthProbeClients {
  /** CloudWatch in the target region: the alarm lives there, not in the region it watches. */
  readonly cloudWatch: CloudWatchClient;
  readonly fetch: typeof fetch;
  /** Waits between requests. @default setTimeout (which the drill's virtual clock drives) */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What the run measured and published. */
export type HealthProbeResult = RunTally;

const HTTP_URL = /^https?:\/\/[^/\s]+/;

function checkUrl(name: string, url: string): string {
  // A malformed URL would read as "unhealthy" (or "blind") forever: reject it here.
  if (!HTTP_URL.test(url) || !URL.canParse(url)) {
    throw new InvalidInputError(`environment variable ${name}: expected an http(s) URL, got '${url}'`);
  }
  return url;
}

/** Read the health-probe settings; throws InvalidInputError naming missing or malformed variables. */
export function readHealthProbeSettings(env: Env): HealthProbeSettings {
  const raw = requireEnv(HEALTH_PROBE_ENV, env, ['CONTROL_URLS']);
  return {
    targetRegion: raw.TARGET_REGION,
    probeUrl: checkUrl('PROBE_URL', raw.PROBE_URL),
    probeTimeoutMs: parseIntVar('PROBE_TIMEOUT_MS', raw.PROBE_TIMEOUT_MS, 1),
    metricNamespace: raw.METRIC_NAMESPACE,
    metricName: raw.METRIC_NAME,
    project: raw.PROJECT,
    periodSeconds: parseIntVar('PERIOD_SECONDS', raw.PERIOD_SECONDS, 1),
    requestsPerPeriod: parseIntVar('REQUESTS_PER_PERIOD', raw.REQUESTS_PER_PERIOD, 1),
    controlUrls: raw.CONTROL_URLS.split(/[\s,]+/)
      .filter((u) => u !== '')
      .map((u) => checkUrl('CONTROL_URLS', u)),
  };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One request to main; on a failure, whether a control answers (they run at once). */
async function probeOnce(settings: HealthProbeSettings, fetchFn: typeof fetch): Promise<RequestOutcome> {
  const failure = failureOf(await request(settings.probeUrl, settings.probeTimeoutMs, fetchFn));
  if (failure === undefined) return {};
  if (settings.controlUrls.length === 0) return { failure, sighted: true };
  const controls = await Promise.all(
    settings.controlUrls.map((u) => request(u, settings.probeTimeoutMs, fetchFn)),
  );
  return { failure, sighted: controls.some((c) => 'statusCode' in c) };
}

/** The run's data points, all stamped with the run's start so they land in the period it measured. */
export function metricData(settings: HealthProbeSettings, t: RunTally, timestamp: Date): MetricDatum[] {
  const project = { Name: 'Project', Value: settings.project };
  const datum = (MetricName: string, Value: number, unit: 'Count' | 'None' = 'Count'): MetricDatum => ({
    MetricName,
    Dimensions: [project],
    Value,
    Unit: unit,
    Timestamp: timestamp,
  });
  const reasons = Object.entries(t.reasons).map(
    ([reason, count]): MetricDatum => ({
      ...datum(failureMetricName(settings.metricName), count ?? 0),
      Dimensions: [project, { Name: 'Reason', Value: reason }],
    }),
  );
  return [
    datum(heartbeatMetricName(settings.metricName), 1),
    datum(blindMetricName(settings.metricName), t.outcome === 'blind' ? 1 : 0),
    ...(t.share === undefined ? [] : [datum(settings.metricName, t.share, 'None')]),
    ...reasons,
  ];
}

/**
 * Send `requestsPerPeriod` GETs to the probe URL, one every period ÷ requestsPerPeriod seconds (each
 * with the probe's timeout; after a failed one, the control URLs), then publish in one
 * PutMetricData: the heartbeat (1), blind (1 or 0), the share that succeeded (absent when blind: a
 * blind run can never start a failover) and the failed requests by `Reason`. Never throws on an
 * unhealthy target.
 *
 * @throws TransientAwsError PutMetricData throttled or failed with 5xx; other PutMetricData errors as-is
 */
export async function probeHealth(
  settings: HealthProbeSettings,
  clients: HealthProbeClients,
): Promise<HealthProbeResult> {
  const sleep = clients.sleep ?? defaultSleep;
  const started = new Date();
  const gapMs = (settings.periodSeconds * 1000) / settings.requestsPerPeriod;
  // Fixed slots, not back to back: a slow answer does not push the later requests out of the period.
  const outcomes = await Promise.all(
    Array.from({ length: settings.requestsPerPeriod }, async (_, i) => {
      if (i > 0) await sleep(i * gapMs);
      return probeOnce(settings, clients.fetch);
    }),
  );
  const result = tally(outcomes);
  await awsCall('PutMetricData', () =>
    clients.cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: settings.metricNamespace,
        MetricData: metricData(settings, result, started),
      }),
    ),
  );
  return result;
}
