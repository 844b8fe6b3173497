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
      'a fractional budget',
      { ...TIMINGS, service: { ...TIMINGS.service, budgetMinutes: 1.5 } },
      'TIMINGS.service.budgetMinutes: expected integer, got 1.5',
    ],
    [
      'a promotion without its window',
      { ...TIMINGS, promotion: { budgetMinutes: 20, pollSeconds: 3 } },
      'TIMINGS.promotion.windowSeconds: expected number (missing)',
    ],
    [
      'a setting of the old wait contract',
      { ...TIMINGS, dns: { ...TIMINGS.dns, maxAttempts: 60 } },
      "TIMINGS.dns: unknown key 'maxAttempts'",
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
