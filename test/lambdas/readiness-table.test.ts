import { redChecksLine, renderReadinessTable, verdict, wrap } from '../../lambdas/readiness/table';
import type { ReadinessReport } from '../../lambdas/shared/readiness-contract';

const REPORT: ReadinessReport = {
  role: 'dr',
  region: 'us-west-2',
  evaluatedAt: '2026-01-01T12:00:00.000Z',
  ready: false,
  replicationLagSeconds: 1.2,
  replicationLagAt: '2026-01-01T11:59:00.000Z',
  checks: [
    { id: 'global-cluster', status: 'PASS', what: 'proj-dr-aurora is a secondary of proj-global' },
    {
      id: 'instance-class',
      status: 'FAIL',
      what: 'db.r6g.large orderable',
      why: 'db.r6g.large is not orderable in us-west-2c',
      fix: 'regions.dr.promotion.dbInstanceClass',
    },
    {
      id: 'quotas',
      status: 'UNKNOWN',
      what: 'quotas leave room',
      why: 'servicequotas:GetServiceQuota failed: Throttling',
      fix: 'retry',
    },
  ],
};

describe('wrap', () => {
  it('breaks at spaces and cuts words longer than the width', () => {
    expect(wrap('aa bb cc', 5)).toEqual(['aa bb', 'cc']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('', 4)).toEqual(['']);
  });
});

describe('renderReadinessTable', () => {
  it('prints a header, the lag and one aligned row per check with why and fix', () => {
    expect(renderReadinessTable(REPORT, { what: 24, detail: 40 })).toBe(
      [
        'Readiness of dr (us-west-2) at 2026-01-01T12:00:00.000Z: NOT READY (2 of 3 checks not PASS)',
        'Replication lag: 1.2 s at 2026-01-01T11:59:00.000Z',
        '',
        'check          | status  | what                     | why / fix',
        '---------------+---------+--------------------------+-----------------------------------------',
        'global-cluster | PASS    | proj-dr-aurora is a',
        '               |         | secondary of proj-global',
        'instance-class | FAIL    | db.r6g.large orderable   | why: db.r6g.large is not orderable in',
        '               |         |                          | us-west-2c',
        '               |         |                          | fix:',
        '               |         |                          | regions.dr.promotion.dbInstanceClass',
        'quotas         | UNKNOWN | quotas leave room        | why: servicequotas:GetServiceQuota',
        '               |         |                          | failed: Throttling',
        '               |         |                          | fix: retry',
      ].join('\n'),
    );
  });

  it('says READY and omits the lag line when none was read', () => {
    const ready: ReadinessReport = {
      role: 'main',
      region: 'us-east-1',
      evaluatedAt: 'T',
      ready: true,
      checks: [{ id: 'orchestrator', status: 'PASS', what: 'ok' }],
    };
    const lines = renderReadinessTable(ready).split('\n');
    expect(lines[0]).toBe('Readiness of main (us-east-1) at T: READY');
    expect(lines[1]).toBe('');
    expect(verdict(ready)).toBe('READY');
  });
});

describe('redChecksLine', () => {
  it('lists the checks not PASS with their reason', () => {
    expect(redChecksLine(REPORT)).toBe(
      'not ready: instance-class (db.r6g.large is not orderable in us-west-2c), quotas (UNKNOWN: servicequotas:GetServiceQuota failed: Throttling)',
    );
  });

  it('cuts long reasons and says ready when all pass', () => {
    const long = {
      ...REPORT,
      checks: [{ id: 'quotas' as const, status: 'FAIL' as const, what: 'q', why: 'x'.repeat(300) }],
    };
    expect(redChecksLine(long)).toBe(`not ready: quotas (${'x'.repeat(99)}…)`);
    expect(
      redChecksLine({ ...REPORT, ready: true, checks: [{ id: 'quotas', status: 'PASS', what: 'q' }] }),
    ).toBe('ready: all 1 checks PASS');
  });
});
