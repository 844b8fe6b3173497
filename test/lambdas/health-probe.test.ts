import { type AddressInfo, createServer } from 'node:net';
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

/** A fetch that fails the way Node's fetch does: "fetch failed", with the socket's error as `cause`. */
function fetchFailure(code: string, message: string, name: string): () => Promise<Response> {
  return async () => {
    const cause = Object.assign(new Error(message), { code, name });
    throw new TypeError('fetch failed', { cause });
  };
}

/** What was published: the alarm's metric (`value`) and, when unhealthy, 1 for the failure's `reason`. */
function expectMetrics(value: number, reason?: string): void {
  const healthy = expect.objectContaining({
    MetricName: 'MainHealthy',
    Dimensions: [{ Name: 'Project', Value: 'proj' }],
    Value: value,
    Unit: 'Count',
  });
  const failure = expect.objectContaining({
    MetricName: 'MainHealthyFailure',
    Dimensions: [
      { Name: 'Project', Value: 'proj' },
      { Name: 'Reason', Value: reason },
    ],
    Value: 1,
    Unit: 'Count',
  });
  expect(cwMock).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  expect(cwMock).toHaveReceivedCommandWith(PutMetricDataCommand, {
    Namespace: 'PilotLight',
    MetricData: reason === undefined ? [healthy] : [healthy, failure],
  });
}

beforeEach(() => {
  cwMock.reset();
  cwMock.on(PutMetricDataCommand).resolves({});
});

describe('probeHealth', () => {
  it('publishes 1 and no failure when the URL answers 200', async () => {
    // Prepare
    const { clients, fetchMock } = makeClients(async () => new Response('ok', { status: 200 }));
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toEqual({ healthy: true, statusCode: 200, latencyMs: expect.any(Number) });
    expect(fetchMock).toHaveBeenCalledWith(
      'https://main.app.example.com/health',
      expect.objectContaining({ method: 'GET', redirect: 'manual' }),
    );
    expectMetrics(1);
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
    expectMetrics(1);
  });

  it('publishes 0 with reason status and the HTTP status when the URL answers 503, without throwing', async () => {
    // Prepare
    const { clients } = makeClients(async () => new Response('down', { status: 503 }));
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toMatchObject({ healthy: false, statusCode: 503, reason: 'status', detail: 'HTTP 503' });
    expectMetrics(0, 'status');
  });

  it('publishes 0 with reason timeout when the URL does not answer within the timeout', async () => {
    // Prepare
    const { clients } = makeClients(() => new Promise<Response>(() => undefined));
    // Act
    const result = await probeHealth(makeSettings({ probeTimeoutMs: 20 }), clients);
    // Assess
    expect(result).toMatchObject({ healthy: false, reason: 'timeout' });
    expect(result.detail).toContain('no answer within 20 ms');
    expect(result).not.toHaveProperty('statusCode');
    expectMetrics(0, 'timeout');
  });

  it.each<[string, string, string, string]>([
    ['dns', 'ENOTFOUND', 'getaddrinfo ENOTFOUND main.app.example.com', 'Error'],
    ['dns', 'EAI_AGAIN', 'getaddrinfo EAI_AGAIN main.app.example.com', 'Error'],
    ['tls', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'Error'],
    ['tls', 'CERT_HAS_EXPIRED', 'certificate has expired', 'Error'],
    ['tls', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'Error'],
    ['tls', 'ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", 'Error'],
    ['tls', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ssl3_get_record:wrong version number', 'Error'],
    ['connection', 'ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443', 'Error'],
    ['connection', 'ECONNRESET', 'read ECONNRESET', 'Error'],
    ['connection', 'UND_ERR_SOCKET', 'other side closed', 'SocketError'],
    ['timeout', 'UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error', 'ConnectTimeoutError'],
  ])('publishes 0 with reason %s when fetch fails with %s', async (reason, code, message, name) => {
    // Prepare
    const { clients } = makeClients(fetchFailure(code, message, name));
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toEqual({
      healthy: false,
      latencyMs: expect.any(Number),
      reason,
      detail: `${code}: ${message}`,
    });
    expectMetrics(0, reason);
  });

  it('publishes 0 with reason connection when fetch fails without saying why', async () => {
    // Prepare
    const { clients } = makeClients(async () => {
      throw new TypeError('fetch failed');
    });
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toMatchObject({ healthy: false, reason: 'connection', detail: 'TypeError: fetch failed' });
    expectMetrics(0, 'connection');
  });

  it('classifies what Node’s own fetch throws for a refused connection', async () => {
    // Prepare: a port that was just free.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const settings = makeSettings({ probeUrl: `http://127.0.0.1:${port}/health`, probeTimeoutMs: 5000 });
    // Act
    const result = await probeHealth(settings, {
      cloudWatch: new CloudWatchClient({ region: TARGET_REGION }),
      fetch: globalThis.fetch,
    });
    // Assess
    expect(result).toMatchObject({ healthy: false, reason: 'connection' });
    expect(result.detail).toMatch(/^ECONNREFUSED: /);
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
      expectMetrics(1);
      expect(await cwMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
