import { READINESS_ENV, readinessEnvironment, readReadinessSettings } from '../../lambdas/readiness/env';
import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import { InvalidInputError } from '../../lambdas/shared/errors';
import { SETTINGS } from './readiness-fixtures';

describe('readiness environment', () => {
  it('round-trips: what infra writes is what the Lambda reads', () => {
    const env = readinessEnvironment(SETTINGS);
    expect(Object.keys(env).sort()).toEqual([...READINESS_ENV].sort());
    // Only the lists of the team's resources and the unused certificate reference may be empty ('': none).
    const empty = Object.entries(env)
      .filter(([, v]) => v === '')
      .map(([k]) => k);
    expect(empty.sort()).toEqual([
      'ATTACHED_RECORD_NAMES',
      'CERTIFICATE_ARN',
      'TEAM_BUCKETS',
      'UNROUTED_SERVICES',
    ]);
    expect(readReadinessSettings(env)).toEqual(SETTINGS);
  });

  it('round-trips a configured certificate, and none', () => {
    const { certificate: _none, ...unknown } = SETTINGS;
    const given = { ...SETTINGS, certificate: { arn: 'arn:aws:acm:us-west-2:123456789012:certificate/x' } };
    expect(readReadinessSettings(readinessEnvironment(given))).toEqual(given);
    expect(readReadinessSettings(readinessEnvironment(unknown))).toEqual(unknown);
  });

  it('rejects both a certificate ARN and a parameter', () => {
    const env = {
      ...readinessEnvironment(SETTINGS),
      CERTIFICATE_ARN: 'arn:aws:acm:us-west-2:1:certificate/x',
    };
    expect(() => readReadinessSettings(env)).toThrow(
      /CERTIFICATE_ARN and CERTIFICATE_PARAMETER: expected at most one/,
    );
  });

  it('keeps a fractional lag bound and a zero ASG minimum', () => {
    const settings = {
      ...SETTINGS,
      maxReplicationLagSeconds: 0.5,
      promotion: { ...SETTINGS.promotion, asgMinCapacity: 0 },
    };
    expect(readReadinessSettings(readinessEnvironment(settings))).toEqual(settings);
  });

  it('round-trips several hostnames in config order', () => {
    const settings = { ...SETTINGS, recordNames: ['app.example.com', 'api.example.com', 'www.example.com'] };
    const env = readinessEnvironment(settings);
    expect(env.RECORD_NAMES).toBe('app.example.com,api.example.com,www.example.com');
    expect(readReadinessSettings(env)).toEqual(settings);
  });

  it('round-trips the team’s record pairs, and none as an empty list', () => {
    const attached = { ...SETTINGS, attachedRecordNames: ['api.example.com'] };
    expect(readinessEnvironment(SETTINGS).ATTACHED_RECORD_NAMES).toBe('');
    expect(readReadinessSettings(readinessEnvironment(SETTINGS))).toEqual(SETTINGS);
    expect(readReadinessSettings(readinessEnvironment(attached))).toEqual(attached);
  });

  it('round-trips three buckets a region, paired by index in config order', () => {
    const settings = {
      ...SETTINGS,
      buckets: {
        own: {
          ...SETTINGS.buckets.own,
          names: ['proj-dr-data', 'proj-dr-media', 'proj-dr-exports'],
          ruleIds: ['data-back', 'media-back', 'exports-back'],
        },
        other: {
          ...SETTINGS.buckets.other,
          names: ['proj-main-data', 'proj-main-media', 'proj-main-exports'],
          ruleIds: ['data-out', 'media-out', 'exports-out'],
        },
        team: ['proj-dr-media', 'proj-main-media'],
      },
    };
    const env = readinessEnvironment(settings);
    expect(env.TEAM_BUCKETS).toBe('proj-dr-media,proj-main-media');
    expect(env.OWN_BUCKETS).toBe('proj-dr-data,proj-dr-media,proj-dr-exports');
    expect(env.OTHER_BUCKETS).toBe('proj-main-data,proj-main-media,proj-main-exports');
    expect(env.OWN_REPLICATION_RULE_IDS).toBe('data-back,media-back,exports-back');
    expect(env.OTHER_REPLICATION_RULE_IDS).toBe('data-out,media-out,exports-out');
    expect(readReadinessSettings(env)).toEqual(settings);
  });

  it('round-trips the existing flag of a database and a service the team deployed', () => {
    const settings = {
      ...SETTINGS,
      databases: [{ ...SETTINGS.databases[0], existing: true }],
      services: [{ ...SETTINGS.services[0], existing: true }],
    } as ReadinessSettings;
    const env = readinessEnvironment(settings);
    expect(JSON.parse(env.SERVICES)).toEqual([expect.objectContaining({ existing: true })]);
    expect(readReadinessSettings(env)).toEqual(settings);
  });

  it('rejects OWN_BUCKETS and OTHER_BUCKETS of different lengths, naming the four lists', () => {
    const env = { ...readinessEnvironment(SETTINGS), OWN_BUCKETS: 'proj-dr-data,proj-dr-media' };
    expect(() => readReadinessSettings(env)).toThrow(
      new InvalidInputError(
        'environment variables OWN_BUCKETS (2), OTHER_BUCKETS (1), OWN_REPLICATION_RULE_IDS (1) and OTHER_REPLICATION_RULE_IDS (1): expected lists of the same length (entry i of each goes with entry i of the others)',
      ),
    );
  });

  it('rejects a rule id list shorter than its buckets, naming it', () => {
    const env = {
      ...readinessEnvironment(SETTINGS),
      OWN_BUCKETS: 'proj-dr-data,proj-dr-media',
      OTHER_BUCKETS: 'proj-main-data,proj-main-media',
      OTHER_REPLICATION_RULE_IDS: 'main-to-dr,main-to-dr',
    };
    expect(() => readReadinessSettings(env)).toThrow(/OWN_REPLICATION_RULE_IDS \(1\)/);
  });

  it('trims the hostnames of RECORD_NAMES', () => {
    const env = { ...readinessEnvironment(SETTINGS), RECORD_NAMES: 'app.example.com , api.example.com' };
    expect(readReadinessSettings(env).recordNames).toEqual(['app.example.com', 'api.example.com']);
  });

  it('names RECORD_NAMES when it is empty', () => {
    const env = { ...readinessEnvironment(SETTINGS), RECORD_NAMES: '' };
    expect(() => readReadinessSettings(env)).toThrow(
      new InvalidInputError('missing environment variable(s): RECORD_NAMES'),
    );
  });

  it('names every missing variable', () => {
    const { DATABASES: _a, OWN_BUCKETS: _b, ...env } = readinessEnvironment(SETTINGS);
    expect(() => readReadinessSettings(env)).toThrow(
      new InvalidInputError('missing environment variable(s): OWN_BUCKETS, DATABASES'),
    );
  });

  it.each([
    ['PROMOTION_ASG_MIN_CAPACITY', '-1', "expected a non-negative integer, got '-1'"],
    ['PROMOTION_ASG_MIN_CAPACITY', '2.5', "expected a non-negative integer, got '2.5'"],
    ['SERVICES', 'app', "expected a JSON list, got 'app'"],
    ['DATABASES', '{}', 'DATABASES: expected list, got an object'],
    ['MAX_REPLICATION_LAG_SECONDS', '0', "expected a number > 0, got '0'"],
    ['MAX_REPLICATION_LAG_SECONDS', 'ten', "expected a number > 0, got 'ten'"],
    ['AVAILABILITY_ZONES', 'us-west-2a,,us-west-2b', 'expected a comma-separated list without empty items'],
    [
      'RECORD_NAMES',
      'app.example.com,',
      "expected a comma-separated list without empty items, got 'app.example.com,'",
    ],
    ['RECORD_NAMES', ' ', "expected a comma-separated list without empty items, got ' '"],
    [
      'OWN_BUCKETS',
      'proj-dr-data,,proj-dr-media',
      "expected a comma-separated list without empty items, got 'proj-dr-data,,proj-dr-media'",
    ],
    [
      'OTHER_BUCKETS',
      'proj-main-data,',
      "expected a comma-separated list without empty items, got 'proj-main-data,'",
    ],
    [
      'OWN_REPLICATION_RULE_IDS',
      'dr-to-main,',
      "expected a comma-separated list without empty items, got 'dr-to-main,'",
    ],
    ['TARGET_ROLE', 'primary', "expected 'main' or 'dr', got 'primary'"],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    const env = { ...readinessEnvironment(SETTINGS), [name]: value };
    let thrown: unknown;
    try {
      readReadinessSettings(env);
    } catch (err: unknown) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect((thrown as Error).message).toContain(`environment variable ${name}: ${message}`);
  });
});
