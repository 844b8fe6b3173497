import { readFileSync } from 'node:fs';
import { criticalPath, seedRunbook } from '../../drill/analysis/analyze';
import { DNS_SHAPE, SHAPES } from '../../drill/analysis/critical-path';
import { DrillUsageError } from '../../drill/errors';
import {
  applyTimingOverrides,
  DEFAULT_TIMING_FILE,
  loadTimingModel,
  parseTimingModel,
  RUNBOOK_TIMING_KEYS,
  sampleTimings,
  scaleTimings,
  TIMING_KEYS,
} from '../../drill/timing';

/** The message of the DrillUsageError `act` throws. */
function errorOf(act: () => unknown): string {
  try {
    act();
  } catch (err: unknown) {
    if (err instanceof DrillUsageError) return err.message;
    throw err;
  }
  throw new Error('expected a DrillUsageError');
}

describe('timing model', () => {
  it('bundles a valid model where every duration has a source or is marked an assumption', () => {
    const model = loadTimingModel();

    for (const key of TIMING_KEYS) {
      const e = model[key];
      expect(e.source !== undefined || e.assumption === true).toBe(true);
      expect(e.default).toBeGreaterThanOrEqual(e.range[0]);
      expect(e.default).toBeLessThanOrEqual(e.range[1]);
    }
  });

  it("reproduces design §4's model: 600 + 120 s, then DNS through the data plane (half a minute expected, 20 s evaluation, 30 s lag); 300 s ASG + ECS (+ 35 s target health); 1,080 s in sequence", () => {
    const t = sampleTimings(loadTimingModel());

    const cp = criticalPath(t, 'planned');

    expect(cp.seconds).toBe(600 + 120 + 30 + 20 + 30);
    expect(cp.parts.service).toBe(300 + 35);
    expect(cp.branch).toBe('database');
    expect(seedRunbook(t, 'planned').awsOnlySeconds).toBe(1080);
  });

  it('draws the same values for the same seed, within each range', () => {
    const model = loadTimingModel();

    const a = sampleTimings(model, 7);
    const b = sampleTimings(model, 7);
    const c = sampleTimings(model, 8);

    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const key of TIMING_KEYS) {
      expect(a[key]).toBeGreaterThanOrEqual(model[key].range[0]);
      expect(a[key]).toBeLessThanOrEqual(model[key].range[1]);
    }
  });

  it('applies overrides: a bare number or an object', () => {
    const base = loadTimingModel();

    const model = applyTimingOverrides(
      base,
      'dbInstanceCreateSeconds: 1000\nfailoverSeconds: { default: 90, range: [60, 120], assumption: true }\n',
      'mine.yml',
    );

    expect(model.dbInstanceCreateSeconds.default).toBe(1000);
    expect(model.dbInstanceCreateSeconds.range[1]).toBe(1000);
    expect(model.failoverSeconds).toMatchObject({ default: 90, range: [60, 120] });
    expect(model.switchoverSeconds).toEqual(base.switchoverSeconds);
  });

  it('names the file and the key of an unknown override, and lists the known keys', () => {
    // Act
    const message = errorOf(() =>
      applyTimingOverrides(loadTimingModel(), 'dbInstanceCreate: 5\n', 'mine.yml'),
    );
    // Assess
    expect(message).toMatch(
      /^mine\.yml: invalid timing model\n {2}- \(top level\): unknown key 'dbInstanceCreate'\n/,
    );
    expect(message).toContain(`known keys: ${TIMING_KEYS.join(', ')}`);
  });

  it.each<[string, string, string]>([
    ['a string', 'failoverSeconds: ten', "failoverSeconds: expected number or object, got 'ten'"],
    ['null', 'failoverSeconds: null', 'failoverSeconds: expected number or object, got null'],
    ['an empty value', 'failoverSeconds:', 'failoverSeconds: expected number or object, got null'],
    ['.nan', 'failoverSeconds: .nan', 'failoverSeconds: expected number or object, got NaN'],
    ['.inf', 'failoverSeconds: .inf', 'failoverSeconds: expected number or object, got Infinity'],
    ['a list', 'failoverSeconds: [60, 120]', 'failoverSeconds: expected number or object, got a list of 2'],
    ['a negative number', 'failoverSeconds: -1', 'failoverSeconds: expected >= 0, got -1'],
    ['more than a day', 'failoverSeconds: 100000', 'failoverSeconds: expected <= 86400, got 100000'],
    [
      'a string default',
      'failoverSeconds: { default: ten }',
      "failoverSeconds.default: expected number, got 'ten'",
    ],
    [
      'a null default',
      'failoverSeconds: { default: null }',
      'failoverSeconds.default: expected number, got null',
    ],
    [
      'a .nan default',
      'failoverSeconds: { default: .nan }',
      'failoverSeconds.default: expected number, got NaN',
    ],
    [
      'a list default',
      'failoverSeconds: { default: [1] }',
      'failoverSeconds.default: expected number, got a list of 1',
    ],
    [
      'a one-value range',
      'failoverSeconds: { default: 1, range: [1] }',
      'failoverSeconds.range: expected at least 2 items, got a list of 1',
    ],
    [
      'a string range',
      'failoverSeconds: { default: 1, range: "1-2" }',
      "failoverSeconds.range: expected list, got '1-2'",
    ],
    [
      'a .nan in a range',
      'failoverSeconds: { default: 1, range: [1, .nan] }',
      'failoverSeconds.range[1]: expected number, got NaN',
    ],
  ])('gives one line naming the key for an override with %s', (_case, yaml, line) => {
    // Act
    const message = errorOf(() => applyTimingOverrides(loadTimingModel(), `${yaml}\n`, 'mine.yml'));
    // Assess
    expect(message.split('\n')).toEqual(['mine.yml: invalid timing model', `  - ${line}`]);
  });

  it.each<[string, string, string]>([
    ['a string', 'ten', "expected number, got 'ten'"],
    ['null', 'null', 'expected number, got null'],
    ['.nan', '.nan', 'expected number, got NaN'],
    ['a list', '[0.05]', 'expected number, got a list of 1'],
  ])('gives one line naming the key for a model default that is %s', (_case, value, problem) => {
    // Prepare
    const text = readFileSync(DEFAULT_TIMING_FILE, 'utf8').replace(
      /(apiLatencySeconds:\n {2}default: )0\.05\n/,
      `$1${value}\n`,
    );
    // Act
    const message = errorOf(() => parseTimingModel(text, 'model.yml'));
    // Assess
    expect(message.split('\n')).toEqual([
      'model.yml: invalid timing model',
      `  - apiLatencySeconds.default: ${problem}`,
    ]);
  });

  it('names the file and the position of a YAML syntax error, on one line', () => {
    // Act
    const message = errorOf(() =>
      applyTimingOverrides(loadTimingModel(), 'failoverSeconds: [1\n', 'mine.yml'),
    );
    // Assess
    expect(message).toMatch(/^mine\.yml: invalid YAML \(line \d+, column \d+\): /);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('names the key whose default lies outside its range', () => {
    expect(() =>
      applyTimingOverrides(
        loadTimingModel(),
        'failoverSeconds: { default: 500, range: [1, 2] }\n',
        'mine.yml',
      ),
    ).toThrow(/mine\.yml[\s\S]*failoverSeconds\.default: expected a value within range \[1, 2\]/);
  });

  it('rejects a model entry with neither source nor assumption, naming it', () => {
    const text = readFileSync(DEFAULT_TIMING_FILE, 'utf8').replace(
      /apiLatencySeconds:\n {2}default: 0\.05\n {2}range: \[0\.02, 0\.3\]\n {2}source: .*\n {2}assumption: true\n/,
      'apiLatencySeconds:\n  default: 0.05\n  range: [0.02, 0.3]\n',
    );

    expect(() => parseTimingModel(text, 'model.yml')).toThrow(DrillUsageError);
    expect(() => parseTimingModel(text, 'model.yml')).toThrow(/model\.yml[\s\S]*apiLatencySeconds\.source/);
  });

  it('reports a missing overrides file as a usage error', () => {
    expect(() => loadTimingModel('/nonexistent/timing.yml')).toThrow(/--timing: no such file/);
  });
});

describe('lower bound per shape', () => {
  const drawn = {
    ...sampleTimings(loadTimingModel()),
    dbInstanceCreateSeconds: 500,
    asgInstanceLaunchSeconds: 240,
    ecsInstanceRegistrationSeconds: 120,
    taskStartSeconds: 180,
    switchoverSeconds: 100,
    failoverSeconds: 50,
    replicationLagSeconds: 2,
    route53PropagationSeconds: 40,
    targetHealthySeconds: 35,
    alarmEvaluationDelaySeconds: 15,
    route53HealthCheckLagSeconds: 25,
  };
  /** DNS through the data plane with the claim half a minute from its period's end (no clock given). */
  const dns = 30 + 15 + 25;

  it('planned: the switchover waits for both branches: max(DB add, capacity + target health) + switchover + DNS', () => {
    // Act
    const cp = criticalPath(drawn, 'planned');

    // Assess
    expect(cp.seconds).toBe(Math.max(500, 540 + 35) + 100 + dns);
    expect(cp.branch).toBe('service');
    expect(cp.shape).toBe(`${SHAPES.planned}; ${DNS_SHAPE}`);
  });

  it('unplanned: the failover follows the instances alone: max(DB add + failover, capacity) + DNS', () => {
    // Act
    const cp = criticalPath(drawn, 'unplanned');

    // Assess
    expect(cp.seconds).toBe(Math.max(500 + 50, 540 + 35) + dns);
    expect(cp.branch).toBe('service');
    expect(cp.shape).toBe(`${SHAPES.unplanned}; ${DNS_SHAPE}`);
  });

  it('a planned switchover never ends before the replication lag', () => {
    // Act
    const cp = criticalPath({ ...drawn, switchoverSeconds: 1, replicationLagSeconds: 4 }, 'planned');

    // Assess
    expect(cp.parts.promotion).toBe(4);
  });

  it('counts the capacity EC2 did not have: the wait for refused instances lengthens the service branch', () => {
    // Act
    const cp = criticalPath(drawn, 'planned', {}, undefined, undefined, { waitSeconds: 200 });

    // Assess
    expect(cp.parts.service).toBe(540 + 200 + 35);
    expect(cp.seconds).toBe(540 + 200 + 35 + 100 + dns);
  });

  it('failback: the promotion waits for S3 to report the drained backlog, alongside the instances', () => {
    // Act
    const late = criticalPath(
      drawn,
      'planned',
      { database: true, service: true },
      undefined,
      undefined,
      undefined,
      {
        readySeconds: 120,
      },
    );
    const early = criticalPath(drawn, 'unplanned', {}, undefined, undefined, undefined, { readySeconds: 60 });

    // Assess
    expect(late.parts.replication).toBe(120);
    expect(late.seconds).toBe(120 + 100 + dns);
    // Read before the instances are there: the drain costs nothing.
    expect(early.seconds).toBe(criticalPath(drawn, 'unplanned').seconds);
  });

  it('failback: what is already there counts 0 (instances and capacity in place)', () => {
    // Act
    const planned = criticalPath(drawn, 'planned', { database: true, service: true });
    const unplanned = criticalPath(drawn, 'unplanned', { database: true, service: true });

    // Assess
    expect(planned.seconds).toBe(100 + dns);
    expect(unplanned.seconds).toBe(50 + dns);
    expect(planned.parts).toEqual({ database: 0, service: 0, replication: 0, promotion: 100, dns, fence: 0 });
  });

  it("waits for the end of the claim's minute as the execution's start places it", () => {
    // Act: ready at 500 + ... = 675 s after a start at epoch second 1,000,020 → 1,000,695 → 45 s to the minute's end
    const cp = criticalPath(drawn, 'planned', {}, { startedAtEpochSeconds: 1_000_020 });
    const onTheMinute = criticalPath(drawn, 'planned', {}, { startedAtEpochSeconds: 1_000_005 });

    // Assess
    expect(cp.claimMinuteWaitSeconds).toBe(45);
    expect(cp.seconds).toBe(675 + 45 + 15 + 25);
    // A claim exactly on a boundary lands in the next period: a whole minute.
    expect(onTheMinute.claimMinuteWaitSeconds).toBe(60);
  });
});

describe('--scale', () => {
  it('multiplies every AWS duration after seeding and leaves the runbook people and tooling as they are', () => {
    // Prepare
    const drawn = sampleTimings(loadTimingModel(), 5);

    // Act
    const half = scaleTimings(drawn, 0.5);

    // Assess
    for (const key of TIMING_KEYS) {
      const expected = RUNBOOK_TIMING_KEYS.includes(key) ? drawn[key] : drawn[key] * 0.5;
      expect(half[key]).toBeCloseTo(expected, 9);
    }
    // CloudWatch's minute does not scale: all but the claim's wait for its period's end halves.
    const scaled = (cp: ReturnType<typeof criticalPath>) => cp.seconds - cp.claimMinuteWaitSeconds;
    expect(scaled(criticalPath(half, 'planned'))).toBeCloseTo(scaled(criticalPath(drawn, 'planned')) / 2, 9);
    expect(seedRunbook(half, 'planned').awsOnlySeconds).toBeCloseTo(
      seedRunbook(drawn, 'planned').awsOnlySeconds / 2,
      9,
    );
  });
});
