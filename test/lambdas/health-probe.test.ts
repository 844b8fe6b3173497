import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/health-probe';
import {
  type HealthProbeSettings,
  probeHealth,
  readHealthProbeSettings,
} from '../../lambdas/health-probe/health-probe';
import { tally } from '../../lambdas/health-probe/tally';
import { InvalidInputError, TransientAwsError } from '../../lambdas/shared/errors';
import { TARGET_REGION, throttled, withEnv } from './helpers';

const cwMock = mockClient(CloudWatchClient);

const MAIN = 'https://main.app.example.com/health';
const CONTROLS = ['http://dr.app.example.com/', 'https://sts.us-west-2.amazonaws.com/'];

function makeSettings(overrides: Partial<HealthProbeSettings> = {}): HealthProbeSettings {
  return {
    targetRegion: TARGET_REGION,
    probeUrl: MAIN,
    probeTimeoutMs: 50,
    metricNamespace: 'PilotLight',
    metricName: 'MainHealthy',
    project: 'proj',
    periodSeconds: 60,
    requestsPerPeriod: 1,
    controlUrls: CONTROLS,
    ...overrides,
  };
}

/** A fetch answering main with `main` (called per request) and every control with `control`. */
function makeClients(main: () => Promise<Response>, control: () => Promise<Response> = ok) {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>(async (url) =>
    String(url) === MAIN ? main() : control(),
  );
  const sleep = jest.fn(async (_ms: number) => undefined);
  return {
    fetchMock,
    sleep,
    clients: { cloudWatch: new CloudWatchClient({ region: TARGET_REGION }), fetch: fetchMock, sleep },
  };
}

async function ok(): Promise<Response> {
  return new Response('ok', { status: 200 });
}

/** A fetch that fails the way Node's fetch does: "fetch failed", with the socket's error as `cause`. */
function fetchFailure(code: string, message: string, name: string): () => Promise<Response> {
  return async () => {
    const cause = Object.assign(new Error(message), { code, name });
    throw new TypeError('fetch failed', { cause });
  };
}

/** Main answering from `statuses` in turn (a number: that status; `x`: connection refused). */
function sequence(statuses: readonly (number | 'x')[]): () => Promise<Response> {
  let i = 0;
  return async () => {
    const s = statuses[i++ % statuses.length];
    if (s === 'x') return fetchFailure('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443', 'Error')();
    return new Response(null, { status: s });
  };
}

/** The one PutMetricData's data, by metric name (the failure metric by `Failure:<reason>`). */
function published(): Record<string, number | undefined> {
  expect(cwMock).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  const input = cwMock.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
  expect(input?.Namespace).toBe('PilotLight');
  const out: Record<string, number | undefined> = {};
  for (const d of input?.MetricData ?? []) {
    const reason = d.Dimensions?.find((x) => x.Name === 'Reason')?.Value;
    out[reason === undefined ? String(d.MetricName) : `${d.MetricName}:${reason}`] = d.Value;
  }
  return out;
}

beforeEach(() => {
  cwMock.reset();
  cwMock.on(PutMetricDataCommand).resolves({});
});

describe('probeHealth: the rate', () => {
  it('spreads requestsPerPeriod requests over the period and publishes the share that succeeded', async () => {
    // Prepare: 2 of 6 answered (a gray failure).
    const { clients, sleep, fetchMock } = makeClients(sequence([503, 503, 200]));
    // Act
    const result = await probeHealth(makeSettings({ requestsPerPeriod: 6 }), clients);
    // Assess
    expect(result).toMatchObject({ outcome: 'measured', requests: 6, succeeded: 2, failed: 4, blind: 0 });
    expect(result.share).toBeCloseTo(1 / 3);
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(fetchMock.mock.calls.filter(([u]) => String(u) === MAIN)).toHaveLength(6);
    expect(published()).toEqual({
      MainHealthyHeartbeat: 1,
      MainHealthyBlind: 0,
      MainHealthy: 1 / 3,
      'MainHealthyFailure:status': 4,
    });
  });

  it('publishes share 1, heartbeat and blind 0, no failure, and asks no control when every request answers', async () => {
    // Prepare
    const { clients, fetchMock } = makeClients(ok);
    // Act
    const result = await probeHealth(makeSettings({ requestsPerPeriod: 6 }), clients);
    // Assess
    expect(result).toEqual({
      outcome: 'measured',
      share: 1,
      requests: 6,
      succeeded: 6,
      failed: 0,
      blind: 0,
      reasons: {},
    });
    expect(fetchMock).toHaveBeenCalledTimes(6);
    expect(fetchMock).toHaveBeenCalledWith(
      MAIN,
      expect.objectContaining({ method: 'GET', redirect: 'manual' }),
    );
    expect(published()).toEqual({ MainHealthyHeartbeat: 1, MainHealthyBlind: 0, MainHealthy: 1 });
  });

  it('counts the reasons of each failed request', async () => {
    // Prepare
    const { clients } = makeClients(sequence([503, 'x', 200]));
    // Act
    const result = await probeHealth(makeSettings({ requestsPerPeriod: 3 }), clients);
    // Assess
    expect(result.reasons).toEqual({ status: 1, connection: 1 });
    expect(result.detail).toBe('HTTP 503');
    expect(published()).toMatchObject({ 'MainHealthyFailure:status': 1, 'MainHealthyFailure:connection': 1 });
  });

  it('counts a 3xx answer as healthy', async () => {
    // Prepare
    const { clients } = makeClients(
      async () => new Response(null, { status: 302, headers: { location: '/x' } }),
    );
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result.share).toBe(1);
  });
});

describe('probeHealth: the controls', () => {
  it('counts a failure as main’s when a control answers HTTP at all (DR’s own 503 included)', async () => {
    // Prepare
    const { clients, fetchMock } = makeClients(
      sequence(['x']),
      async () => new Response(null, { status: 503 }),
    );
    // Act
    const result = await probeHealth(makeSettings({ requestsPerPeriod: 2 }), clients);
    // Assess
    expect(result).toMatchObject({ outcome: 'measured', share: 0, failed: 2, blind: 0 });
    expect(fetchMock.mock.calls.map(([u]) => String(u)).sort()).toEqual(
      [...CONTROLS, ...CONTROLS, MAIN, MAIN].sort(),
    );
    expect(published()).toMatchObject({ MainHealthy: 0, MainHealthyBlind: 0 });
  });

  it('publishes blind and no share when main and every control fail: this region cannot see out', async () => {
    // Prepare
    const { clients } = makeClients(
      () => new Promise<Response>(() => undefined),
      () => new Promise<Response>(() => undefined),
    );
    // Act
    const result = await probeHealth(makeSettings({ requestsPerPeriod: 3, probeTimeoutMs: 10 }), clients);
    // Assess
    expect(result).toMatchObject({ outcome: 'blind', failed: 0, blind: 3, reasons: { timeout: 3 } });
    expect(result).not.toHaveProperty('share');
    expect(published()).toEqual({
      MainHealthyHeartbeat: 1,
      MainHealthyBlind: 1,
      'MainHealthyFailure:timeout': 3,
    });
  });

  it('is not blind when one control still answers', async () => {
    // Prepare
    const { clients } = makeClients(sequence(['x']), async (): Promise<Response> => {
      throw new TypeError('fetch failed');
    });
    const settings = makeSettings({ controlUrls: [...CONTROLS, 'https://example.org/'] });
    let n = 0;
    clients.fetch.mockImplementation(async (url) => {
      if (String(url) === MAIN) return sequence(['x'])();
      n += 1;
      if (n % 3 === 0) return new Response(null, { status: 403 });
      throw new TypeError('fetch failed');
    });
    // Act
    const result = await probeHealth(settings, clients);
    // Assess
    expect(result).toMatchObject({ outcome: 'measured', share: 0 });
  });

  it('takes the share over the requests that could tell when fewer than half were blind', () => {
    const failure = { reason: 'timeout', detail: 'x' } as const;
    const t = tally([
      {},
      {},
      {},
      { failure, sighted: true },
      { failure, sighted: false },
      { failure, sighted: false },
    ]);
    expect(t).toMatchObject({ outcome: 'measured', share: 3 / 4, failed: 1, blind: 2 });
    expect(tally([{}, { failure, sighted: false }, { failure, sighted: false }]).outcome).toBe('blind');
  });

  it('never judges itself blind without control URLs', async () => {
    // Prepare
    const { clients } = makeClients(sequence(['x']));
    // Act
    const result = await probeHealth(makeSettings({ controlUrls: [] }), clients);
    // Assess
    expect(result).toMatchObject({ outcome: 'measured', share: 0 });
  });
});

describe('probeHealth: why a request failed', () => {
  it('reads reason status and the HTTP status when the URL answers 503, without throwing', async () => {
    // Prepare
    const { clients } = makeClients(async () => new Response('down', { status: 503 }));
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toMatchObject({ share: 0, reasons: { status: 1 }, detail: 'HTTP 503' });
  });

  it('reads reason timeout when the URL does not answer within the timeout', async () => {
    // Prepare
    const { clients } = makeClients(() => new Promise<Response>(() => undefined));
    // Act
    const result = await probeHealth(makeSettings({ probeTimeoutMs: 20 }), clients);
    // Assess
    expect(result).toMatchObject({ share: 0, reasons: { timeout: 1 } });
    expect(result.detail).toContain('no answer within 20 ms');
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
  ])('reads reason %s when fetch fails with %s', async (reason, code, message, name) => {
    // Prepare
    const { clients } = makeClients(fetchFailure(code, message, name));
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toMatchObject({ share: 0, reasons: { [reason]: 1 }, detail: `${code}: ${message}` });
    expect(published()).toMatchObject({ [`MainHealthyFailure:${reason}`]: 1 });
  });

  it('reads reason connection when fetch fails without saying why', async () => {
    // Prepare
    const { clients } = makeClients(async () => {
      throw new TypeError('fetch failed');
    });
    // Act
    const result = await probeHealth(makeSettings(), clients);
    // Assess
    expect(result).toMatchObject({ reasons: { connection: 1 }, detail: 'TypeError: fetch failed' });
  });

  it('classifies what Node’s own fetch throws for a refused connection', async () => {
    // Prepare: a port that was just free.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const url = `http://127.0.0.1:${port}/health`;
    const settings = makeSettings({ probeUrl: url, probeTimeoutMs: 5000, controlUrls: [] });
    // Act
    const result = await probeHealth(settings, {
      cloudWatch: new CloudWatchClient({ region: TARGET_REGION }),
      fetch: globalThis.fetch,
    });
    // Assess
    expect(result).toMatchObject({ share: 0, reasons: { connection: 1 } });
    expect(result.detail).toMatch(/^ECONNREFUSED: /);
  });

  it('classifies a failed TLS handshake of Node’s own fetch as tls (HTTPS to a plain HTTP server)', async () => {
    // Prepare: a server that answers HTTP where the probe speaks TLS.
    const server = createHttpServer((_req, res) => res.end('plain'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const settings = makeSettings({
      probeUrl: `https://127.0.0.1:${port}/health`,
      probeTimeoutMs: 5000,
      controlUrls: [],
    });
    try {
      // Act
      const result = await probeHealth(settings, {
        cloudWatch: new CloudWatchClient({ region: TARGET_REGION }),
        fetch: globalThis.fetch,
      });
      // Assess
      expect(result).toMatchObject({ share: 0, reasons: { tls: 1 } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('probeHealth: publishing', () => {
  it('stamps every data point with the run’s start, so it lands in the period it measured', async () => {
    // Prepare
    const before = Date.now();
    const { clients } = makeClients(ok);
    // Act
    await probeHealth(makeSettings({ requestsPerPeriod: 2 }), clients);
    // Assess
    const data = cwMock.commandCalls(PutMetricDataCommand)[0]?.args[0].input.MetricData ?? [];
    const stamps = new Set(data.map((d) => d.Timestamp?.getTime()));
    expect(stamps.size).toBe(1);
    expect([...stamps][0]).toBeGreaterThanOrEqual(before);
  });

  it('throws TransientAwsError when PutMetricData is throttled: no heartbeat, which the probe alarm sees', async () => {
    // Prepare
    cwMock.on(PutMetricDataCommand).rejects(throttled());
    const { clients } = makeClients(ok);
    // Act / Assess
    await expect(probeHealth(makeSettings(), clients)).rejects.toThrow(TransientAwsError);
  });
});

const ENV = {
  TARGET_REGION,
  PROBE_URL: MAIN,
  PROBE_TIMEOUT_MS: '5000',
  METRIC_NAMESPACE: 'PilotLight',
  METRIC_NAME: 'MainHealthy',
  PROJECT: 'proj',
  PERIOD_SECONDS: '60',
  REQUESTS_PER_PERIOD: '1',
  CONTROL_URLS: CONTROLS.join(' '),
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

  it('reads the control URLs; an empty list means none', () => {
    expect(readHealthProbeSettings(ENV).controlUrls).toEqual(CONTROLS);
    expect(readHealthProbeSettings({ ...ENV, CONTROL_URLS: '' }).controlUrls).toEqual([]);
    expect(() => readHealthProbeSettings({ ...ENV, CONTROL_URLS: 'sts' })).toThrow(/CONTROL_URLS/);
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
      expect(result).toMatchObject({ outcome: 'measured', share: 1 });
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      expect(published()).toMatchObject({ MainHealthy: 1, MainHealthyHeartbeat: 1 });
      expect(await cwMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
