import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/health-probe';
import {
  type HealthProbeSettings,
  probeHealth,
  readHealthProbeSettings,
} from '../../lambdas/health-probe/health-probe';
import { InvalidInputError, TransientAwsError } from '../../lambdas/shared/errors';
import { TARGET_REGION, throttled, withEnv } from './helpers';

const cwMock = mockClient(CloudWatchClient);

function makeSettings(overrides: Partial<HealthProbeSettings> = {}): HealthProbeSettings {
  return {
    targetRegion: TARGET_REGION,
    probeUrl: 'https://main.app.example.com/health',
    probeTimeoutMs: 50,
    metricNamespace: 'PilotLight',
    metricName: 'MainHealthy',
    project: 'proj',
    ...overrides,
  };
}

function makeClients(fetchImpl: () => Promise<Response>) {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>(fetchImpl);
  return {
    fetchMock,
    clients: { cloudWatch: new CloudWatchClient({ region: TARGET_REGION }), fetch: fetchMock },
  };
}

function expectMetric(value: number): void {
  expect(cwMock).toHaveReceivedCommandWith(PutMetricDataCommand, {
    Namespace: 'PilotLight',
    MetricData: [
      expect.objectContaining({
        MetricName: 'MainHealthy',
        Dimensions: [{ Name: 'Project', Value: 'proj' }],
        Value: value,
      }),
    ],
  });
}

beforeEach(() => {
  cwMock.reset();
  cwMock.on(PutMetricDataCommand).resolves({});
});

describe('probeHealth', () => {
  it('publishes 1 when the URL answers 200', async () => {
    // Prepare
    const { clients, fetchMock } = makeClients(async () => new Response('ok', { status: 200 }));
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toMatchObject({ healthy: true, statusCode: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fetchMock).toHaveBeenCalledWith(
      'https://main.app.example.com/health',
      expect.objectContaining({ method: 'GET', redirect: 'manual' }),
    );
    expectMetric(1);
  });

  it('counts a 3xx answer as healthy', async () => {
    // Prepare
    const { clients } = makeClients(
      async () => new Response(null, { status: 302, headers: { location: '/x' } }),
    );
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result.healthy).toBe(true);
    expectMetric(1);
  });

  it('publishes 0 and does not throw when the URL answers 503', async () => {
    // Prepare
    const { clients } = makeClients(async () => new Response('down', { status: 503 }));
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toMatchObject({ healthy: false, statusCode: 503 });
    expectMetric(0);
  });

  it('publishes 0 without a status code when the connection fails', async () => {
    // Prepare
    const { clients } = makeClients(async () => {
      throw new TypeError('fetch failed');
    });
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result.healthy).toBe(false);
    expect(result).not.toHaveProperty('statusCode');
    expectMetric(0);
  });

  it('publishes 0 when the URL does not answer within the timeout', async () => {
    // Prepare
    const { clients } = makeClients(() => new Promise<Response>(() => undefined));
    // Act
    const result = await probeHealth(makeSettings({ probeTimeoutMs: 20 }), clients);
    // Assess
    expect(result.healthy).toBe(false);
    expectMetric(0);
  });

  it('throws TransientAwsError when PutMetricData is throttled', async () => {
    // Prepare
    cwMock.on(PutMetricDataCommand).rejects(throttled());
    const { clients } = makeClients(async () => new Response('ok', { status: 200 }));
    // Act / Assess
    await expect(probeHealth(makeSettings(), clients)).rejects.toThrow(TransientAwsError);
  });
});

const ENV = {
  TARGET_REGION,
  PROBE_URL: 'https://main.app.example.com/health',
  PROBE_TIMEOUT_MS: '5000',
  METRIC_NAMESPACE: 'PilotLight',
  METRIC_NAME: 'MainHealthy',
  PROJECT: 'proj',
};

describe('readHealthProbeSettings', () => {
  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readHealthProbeSettings({ TARGET_REGION });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('PROBE_URL, PROBE_TIMEOUT_MS, METRIC_NAMESPACE, METRIC_NAME, PROJECT');
  });

  it('rejects a PROBE_URL that is not http(s), which would otherwise read as unhealthy forever', () => {
    expect(() => readHealthProbeSettings({ ...ENV, PROBE_URL: 'main.app.example.com/health' })).toThrow(
      /PROBE_URL: expected an http\(s\) URL/,
    );
  });
});

describe('health-probe handler', () => {
  it('probes with global fetch and publishes in TARGET_REGION', async () => {
    // Prepare
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 204 }));
    try {
      // Act
      const result = await withEnv(ENV, () => handler({}));
      // Assess
      expect(result).toMatchObject({ healthy: true, statusCode: 204 });
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      expectMetric(1);
      expect(await cwMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
