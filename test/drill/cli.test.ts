import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseDrillArgs, usage } from '../../drill/cli';
import { DrillUsageError } from '../../drill/errors';
import { FAULT_NAMES } from '../../drill/faults';

const projects = ['base', 'other'];

describe('parseDrillArgs', () => {
  it('defaults to the base project, planned mode, the DR region and drill-out/', () => {
    expect(parseDrillArgs([], projects)).toEqual({
      project: 'base',
      mode: 'planned',
      role: 'dr',
      out: 'drill-out',
      faults: [],
      help: false,
    });
  });

  it('reads every flag, repeated faults with arguments, and --flag=value', () => {
    const args = parseDrillArgs(
      [
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
      ],
      projects,
    );

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

  it.each([
    [['--fault', 'nope'], /unknown fault 'nope' \(valid: rds-throttling, .*rerun-after-failure\)/],
    [['--mode', 'fast'], /unknown mode 'fast' \(valid: planned, unplanned, auto\)/],
    [['--project', 'prod'], /unknown project 'prod' \(available: base, other\)/],
    [['--role', 'west'], /unknown role 'west' \(valid: main, dr\)/],
    [['--seed', '-1'], /--seed: expected a non-negative integer/],
    [['--verbose'], /unknown argument '--verbose'/],
    [['--mode'], /--mode needs a value/],
    [['--fault', 'instance-capacity:3'], /takes no argument/],
    [['--fault', 'route53-control-plane-down:soon'], /expected a positive number/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseDrillArgs(argv, projects)).toThrow(DrillUsageError);
    expect(() => parseDrillArgs(argv, projects)).toThrow(message);
  });

  it('lists every fault in the usage text', () => {
    const text = usage(projects);

    for (const name of FAULT_NAMES) expect(text).toContain(name);
  });
});

describe('npm run drill (process)', () => {
  it('exits 2 with a usage message and no stack trace on an unknown fault', () => {
    const root = join(__dirname, '..', '..');
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'drill/cli.ts', '--fault', 'meteor'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );

    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: unknown fault 'meteor' (valid: rds-throttling");
    expect(r.stderr).toContain('usage: npm run drill');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
