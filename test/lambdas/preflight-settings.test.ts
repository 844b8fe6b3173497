import { readPreflightSettings } from '../../lambdas/preflight/settings';
import { InvalidInputError } from '../../lambdas/shared/errors';
import { ENV, makeSettings, TIMINGS } from './preflight-fixtures';

describe('readPreflightSettings', () => {
  it('parses every variable', () => {
    // Act
    const settings = readPreflightSettings(ENV);
    // Assess
    expect(settings).toEqual(makeSettings({ sourceProbeTimeoutMs: 5000 }));
  });

  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readPreflightSettings({ ...ENV, SOURCE_CLUSTER_ID: '', TIMINGS: undefined });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('SOURCE_CLUSTER_ID, TIMINGS');
  });

  it('throws InvalidInputError when TIMINGS is not JSON', () => {
    // Act / Assess
    expect(() => readPreflightSettings({ ...ENV, TIMINGS: '{database' })).toThrow(/TIMINGS: expected JSON/);
  });

  it.each<[string, unknown, string]>([
    [
      'a poll interval below 1 s',
      { ...TIMINGS, dns: { ...TIMINGS.dns, pollSeconds: 0 } },
      'TIMINGS.dns.pollSeconds: expected >= 1, got 0',
    ],
    [
      'a fractional attempt count',
      { ...TIMINGS, service: { ...TIMINGS.service, maxAttempts: 1.5 } },
      'TIMINGS.service.maxAttempts: expected integer, got 1.5',
    ],
    [
      'a promotion without its unplanned wait',
      { ...TIMINGS, promotion: TIMINGS.dns },
      'TIMINGS.promotion.unplannedExpectedWaitSeconds: expected number (missing)',
    ],
    ['an unknown step', { ...TIMINGS, capacity: TIMINGS.service }, "TIMINGS: unknown key 'capacity'"],
  ])('throws InvalidInputError naming the bad TIMINGS field for %s', (_case, timings, message) => {
    // Act
    const act = () => readPreflightSettings({ ...ENV, TIMINGS: JSON.stringify(timings) });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(`environment variable TIMINGS: ${message}`);
  });
});
