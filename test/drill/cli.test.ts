import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDrillArgs, usage } from '../../drill/cli/args';
import { DrillUsageError } from '../../drill/errors';
import { FAULT_NAMES } from '../../drill/faults/catalog';

const projects = ['base', 'other'];

describe('parseDrillArgs', () => {
  it('defaults to the base project, planned mode, the DR region and drill-out/', () => {
    // Act
    const args = parseDrillArgs([], projects);

    // Assess
    expect(args).toEqual({
      project: 'base',
      mode: 'planned',
      role: 'dr',
      out: 'drill-out',
      faults: [],
      help: false,
    });
  });

  it('reads every flag, repeated faults with arguments, and --flag=value', () => {
    // Prepare
    const argv = [
      '--project=other',
      '--mode',
      'auto',
      '--fault',
      'rds-throttling',
      '--fault',
      'route53-control-plane-down:5',
      '--timing',
      't.yml',
      '--seed',
      '42',
      '--out',
      'x',
      '--role',
      'main',
    ];

    // Act
    const args = parseDrillArgs(argv, projects);

    // Assess
    expect(args).toEqual({
      project: 'other',
      mode: 'auto',
      role: 'main',
      out: 'x',
      timing: 't.yml',
      seed: 42,
      help: false,
      faults: [{ name: 'rds-throttling' }, { name: 'route53-control-plane-down', argument: '5' }],
    });
  });

  it('reads a sweep with a scale', () => {
    // Act
    const args = parseDrillArgs(['--sweep', '40', '--scale=0.5', '--mode', 'unplanned'], projects);

    // Assess
    expect(args).toMatchObject({ sweep: 40, scale: 0.5, mode: 'unplanned' });
    expect(args.seed).toBeUndefined();
  });

  it.each([['-h'], ['--help']])('reads %s as a request for help', (flag) => {
    // Act
    const args = parseDrillArgs([flag], projects);

    // Assess
    expect(args.help).toBe(true);
  });

  it.each([
    [['--fault', 'nope'], `unknown fault 'nope' (valid: ${FAULT_NAMES.join(', ')})`],
    [['--mode', 'fast'], /unknown mode 'fast' \(valid: planned, unplanned, auto\)/],
    [['--project', 'prod'], /unknown project 'prod' \(available: base, other\)/],
    [['--role', 'west'], /unknown role 'west' \(valid: main, dr\)/],
    [['--seed', '-1'], /--seed: expected a non-negative integer/],
    [['--verbose'], /unknown argument '--verbose' \(flags: --project, .*, --help\)/],
    [['--verbose=1'], /unknown argument '--verbose=1'/],
    [['stray'], /unknown argument 'stray'/],
    [['--mode'], /--mode needs a value/],
    [['--mode', '--fault', 'rds-throttling'], /--mode needs a value/],
    [['--out='], /--out needs a value/],
    [['--sweep', '0'], /--sweep: expected a whole number from 1 to 1000, got '0'/],
    [['--sweep', '2.5'], /--sweep: expected a whole number from 1 to 1000, got '2.5'/],
    [['--sweep', '1001'], /--sweep: expected a whole number from 1 to 1000/],
    [['--sweep', '3', '--seed', '2'], /--seed and --sweep: a sweep runs seeds 1\.\.n/],
    [['--scale', '0'], /--scale: expected a number above 0 and at most 10, got '0'/],
    [['--scale', 'fast'], /--scale: expected a number above 0 and at most 10, got 'fast'/],
    [['--scale', '11'], /--scale: expected a number above 0 and at most 10, got '11'/],
    [['--fault', 'source-region-down:3'], /takes no argument/],
    [['--fault', 'instance-capacity:3'], /instance-capacity:3: expected a name/],
    [['--fault', 'switchover-server-error:orders:x'], /expected a positive number/],
    [['--fault', 'route53-control-plane-down:soon'], /expected a positive number/],
  ])('rejects %j', (argv, message) => {
    // Act
    const parse = () => parseDrillArgs(argv, projects);

    // Assess
    expect(parse).toThrow(DrillUsageError);
    expect(parse).toThrow(message);
  });

  it('lists every fault in the usage text', () => {
    // Act
    const text = usage(projects);

    // Assess
    for (const name of FAULT_NAMES) expect(text).toContain(name);
  });
});

describe('npm run drill (process)', () => {
  const root = join(__dirname, '..', '..');
  const drill = (...argv: string[]) =>
    spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'drill/cli/main.ts', ...argv],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );

  it('exits 2 with a usage message and no stack trace on an unknown fault', () => {
    // Act
    const r = drill('--fault', 'meteor');

    // Assess
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: unknown fault 'meteor' (valid: rds-throttling");
    expect(r.stderr).toContain('usage: npm run drill');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs a sweep from one synthesis: a report per seed, sweep.json, a table, exit 0', () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'drill-cli-sweep-'));

    // Act
    const r = drill('--sweep', '2', '--mode', 'unplanned', '--scale', '2', '--out', out);

    // Assess
    try {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.match(/Synthesizing/g)).toHaveLength(1);
      expect(r.stdout).toMatch(/seed 1\/2 {2}failover RTO .* · ratio \d\.\d{3}/);
      expect(r.stdout).toMatch(/Sweep: .* mode unplanned, seeds 1\.\.2 · every AWS duration ×2/);
      const summary = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as {
        seeds: number;
        scale: number;
      };
      expect(summary).toMatchObject({ seeds: 2, scale: 2 });
      for (const k of [1, 2]) expect(existsSync(join(out, `seed-${k}`, 'report.json'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('exits 0 with the usage text on --help', () => {
    // Act
    const r = drill('--help');

    // Assess
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: npm run drill');
    expect(r.stderr).toBe('');
  });
});
