import {
  SECOND_OPINION_GAP_MS,
  secondOpinion,
  wantsSecondOpinion,
} from '../../lambdas/preflight/second-opinion';

const URL_ = 'https://main.app.example.com/health';
const SETTINGS = { sourceHealthUrl: URL_, sourceHealthRequests: 6, sourceHealthTimeoutMs: 50 };

function clients(answers: readonly (number | 'refused' | 'hang' | 'expired')[]) {
  let i = 0;
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>(async () => {
    const a = answers[Math.min(i++, answers.length - 1)];
    if (a === 'refused') {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:80'), { code: 'ECONNREFUSED' }),
      });
    }
    if (a === 'expired') {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
      });
    }
    if (a === 'hang') return new Promise<Response>(() => undefined);
    return new Response(null, { status: a });
  });
  const sleep = jest.fn(async (_ms: number) => undefined);
  return { fetchMock, sleep, clients: { fetch: fetchMock, sleep } };
}

describe('wantsSecondOpinion', () => {
  it('asks for one only when the failover alarm started the run', () => {
    expect(
      wantsSecondOpinion({
        mode: 'auto',
        reason: 'r',
        trigger: { source: 'alarm', alarmName: 'a', alarmAt: 't' },
      }),
    ).toBe(true);
    expect(wantsSecondOpinion({ mode: 'auto', reason: 'r' })).toBe(false);
  });
});

describe('secondOpinion', () => {
  it('says healthy when every request answers 2xx/3xx, a second apart', async () => {
    // Prepare
    const { clients: c, fetchMock, sleep } = clients([200, 200, 302, 200, 204, 200]);
    // Act
    const opinion = await secondOpinion(SETTINGS, c);
    // Assess
    expect(opinion).toEqual({ healthy: true, detail: `${URL_} answered 6 of 6 requests` });
    expect(fetchMock).toHaveBeenCalledTimes(6);
    expect(sleep.mock.calls.every(([ms]) => ms === SECOND_OPINION_GAP_MS)).toBe(true);
  });

  it("counts main's expired certificate as a failure with reason tls", async () => {
    // Prepare
    const { clients: c } = clients(['expired']);
    // Act
    const opinion = await secondOpinion(SETTINGS, c);
    // Assess
    expect(opinion).toEqual({
      healthy: false,
      detail: `${URL_}: request 1 of 6 failed (tls: CERT_HAS_EXPIRED: certificate has expired)`,
    });
  });

  it('stops at the first failure: main still fails, the run acts', async () => {
    // Prepare
    const { clients: c, fetchMock } = clients([200, 503, 200]);
    // Act
    const opinion = await secondOpinion(SETTINGS, c);
    // Assess
    expect(opinion.healthy).toBe(false);
    expect(opinion.detail).toBe(`${URL_}: request 2 of 6 failed (status: HTTP 503)`);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('counts a refused connection and no answer within the timeout as failures, without throwing', async () => {
    expect((await secondOpinion(SETTINGS, clients(['refused']).clients)).detail).toContain(
      'connection: ECONNREFUSED',
    );
    expect((await secondOpinion(SETTINGS, clients(['hang']).clients)).detail).toContain('timeout');
  });
});
