import { readPreflightSettings } from '../../lambdas/preflight/settings';
import { InvalidInputError } from '../../lambdas/shared/errors';
import {
  API_SERVICE,
  APP_DB,
  asRead,
  ENV,
  listsEnv,
  makeSettings,
  ORDERS_DB,
  serviceAsRead,
  TIMINGS,
  WEB_SERVICE,
} from './preflight-fixtures';

describe('readPreflightSettings', () => {
  it('parses every variable', () => {
    // Act
    const settings = readPreflightSettings(ENV);
    // Assess
    expect(settings).toEqual(makeSettings({ sourceProbeTimeoutMs: 5000 }));
  });

  it('reads every database and service, in order, with only the fields it reads', () => {
    // Act
    const settings = readPreflightSettings({
      ...ENV,
      ...listsEnv([APP_DB, ORDERS_DB], [WEB_SERVICE, API_SERVICE]),
    });
    // Assess
    expect(settings.databases).toEqual([asRead(APP_DB), asRead(ORDERS_DB)]);
    expect(settings.services).toEqual([serviceAsRead(WEB_SERVICE), serviceAsRead(API_SERVICE)]);
  });

  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readPreflightSettings({ ...ENV, DATABASES: '', TIMINGS: undefined });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('missing environment variable(s): DATABASES, TIMINGS');
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'DATABASES not JSON',
      { DATABASES: 'proj-global' },
      "environment variable DATABASES: expected a JSON list, got 'proj-global'",
    ],
    [
      'a database without its source cluster',
      { DATABASES: JSON.stringify([asRead(APP_DB), { ...asRead(ORDERS_DB), sourceClusterId: undefined }]) },
      'environment variable DATABASES: DATABASES[1].sourceClusterId: expected string (missing)',
    ],
    [
      'a database with a field preflight does not read',
      { DATABASES: JSON.stringify([{ ...asRead(APP_DB), instanceClass: 'db.r6g.large' }]) },
      "environment variable DATABASES: DATABASES[0]: unknown key 'instanceClass'",
    ],
    [
      'two databases of one name',
      { DATABASES: JSON.stringify([asRead(APP_DB), { ...asRead(ORDERS_DB), name: 'app' }]) },
      'environment variable DATABASES: expected unique names, app repeats',
    ],
    [
      'a service without its ECS service',
      {
        SERVICES: JSON.stringify([
          serviceAsRead(API_SERVICE),
          { ...serviceAsRead(WEB_SERVICE), ecsService: '' },
        ]),
      },
      "environment variable SERVICES: SERVICES[1].ecsService: expected a non-empty string, got ''",
    ],
    [
      'a service with a field preflight does not read',
      { SERVICES: JSON.stringify([{ ...serviceAsRead(WEB_SERVICE), sourceEcsService: 'proj-main-app' }]) },
      "environment variable SERVICES: SERVICES[0]: unknown key 'sourceEcsService'",
    ],
  ])('throws InvalidInputError naming the variable, entry and field for %s', (_case, vars, message) => {
    // Act
    const act = () => readPreflightSettings({ ...ENV, ...vars });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(message);
  });

  it('parses RECORD_NAMES into the hostnames, trimmed, in order', () => {
    // Act
    const settings = readPreflightSettings({
      ...ENV,
      RECORD_NAMES: 'app.example.com, api.example.com ,www.example.com',
    });
    // Assess
    expect(settings.recordNames).toEqual(['app.example.com', 'api.example.com', 'www.example.com']);
  });

  it.each([
    ['an empty entry', 'app.example.com,,api.example.com'],
    ['a trailing comma', 'app.example.com,'],
    ['only blanks', ' '],
  ])('throws InvalidInputError naming RECORD_NAMES for %s', (_case, value) => {
    // Act
    const act = () => readPreflightSettings({ ...ENV, RECORD_NAMES: value });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      `environment variable RECORD_NAMES: expected a comma-separated list without empty items, got '${value}'`,
    );
  });

  it('throws InvalidInputError naming RECORD_NAMES when it is empty', () => {
    // Act
    const act = () => readPreflightSettings({ ...ENV, RECORD_NAMES: '' });
    // Assess
    expect(act).toThrow(new InvalidInputError('missing environment variable(s): RECORD_NAMES'));
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
