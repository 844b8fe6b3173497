import { DEFAULT_LIST_LIMIT, parseCommand } from '../../infra/cli/args';
import { UsageError } from '../../infra/cli/flags';
import {
  APPROVE_USAGE,
  DENY_USAGE,
  FOLLOW_USAGE,
  GLOBAL_USAGE,
  LIST_USAGE,
  START_USAGE,
  STATUS_USAGE,
} from '../../infra/cli/usage';
import { MAX_REASON_LENGTH } from '../../lambdas/shared/contracts';
import { NOW } from './helpers';

/** The problems a UsageError lists for `argv`. */
function problemsOf(argv: string[]): readonly string[] {
  try {
    parseCommand(argv, NOW);
  } catch (err: unknown) {
    if (err instanceof UsageError) return err.problems;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommand: start', () => {
  it('reads the documented flags, with or without the start command', () => {
    // Prepare
    const flags = ['--project', 'base', '--region', 'dr', '--mode', 'planned', '--dry-run', '--follow'];
    const expected = {
      command: 'start',
      project: 'base',
      profile: undefined,
      role: 'dr',
      mode: 'planned',
      reason: 'manual planned failover from the CLI',
      dryRun: true,
      follow: true,
      name: 'cli-planned-2026-11-24T10-00-00-000Z',
      yes: false,
    };
    // Act / Assess
    expect(parseCommand(flags, NOW)).toEqual(expected);
    expect(parseCommand(['start', ...flags], NOW)).toEqual(expected);
  });

  it('defaults the project to base, and keeps --name, --reason and --profile', () => {
    // Act
    const cmd = parseCommand(
      ['--region=main', '--mode', 'auto', '--name', 'n_1-a', '--reason', 'drill', '--profile', 'ops'],
      NOW,
    );
    // Assess
    expect(cmd).toMatchObject({
      project: 'base',
      role: 'main',
      name: 'n_1-a',
      reason: 'drill',
      profile: 'ops',
      dryRun: false,
      follow: false,
    });
  });

  it('accepts a reason of MAX_REASON_LENGTH characters, as preflight does', () => {
    const reason = 'x'.repeat(MAX_REASON_LENGTH);
    expect(parseCommand(['--region', 'dr', '--mode', 'auto', '--reason', reason], NOW)).toMatchObject({
      reason,
    });
  });

  it('reports every problem at once, one per line, in one style', () => {
    // Act
    const problems = problemsOf([
      'start',
      '--region',
      'eu',
      '--mode',
      'fast',
      '--name',
      'a b',
      '--force',
      '--dry-run=yes',
      'now',
      '--project',
      'no/such',
      '--profile',
    ]);
    // Assess
    expect(problems).toEqual([
      '--force: unknown option',
      '--dry-run: takes no value',
      "'now': unexpected argument",
      '--profile: expected a value',
      "--project: expected letters, digits, - or _, got 'no/such'",
      "--region: expected main or dr, got 'eu'",
      "--mode: expected planned, unplanned or auto, got 'fast'",
      "--name: expected 1-80 letters, digits, - or _, got 'a b'",
    ]);
  });

  it.each([
    [[], ['missing command']],
    [
      ['--project', 'base'],
      ['--region: expected main or dr (missing)', '--mode: expected planned, unplanned or auto (missing)'],
    ],
    [['--region', 'dr', '--mode', 'auto', '--reason', '  '], ['--reason: expected a non-empty string']],
    [
      ['--region', 'dr', '--mode', 'auto', '--reason', 'x'.repeat(MAX_REASON_LENGTH + 1)],
      [
        `--reason: expected at most ${MAX_REASON_LENGTH} characters, got a string of ${MAX_REASON_LENGTH + 1} characters`,
      ],
    ],
    [
      ['--region', 'dr', '--mode', 'auto', '--name', 'n'.repeat(81)],
      ['--name: expected 1-80 letters, digits, - or _, got a'],
    ],
    [['--region', 'dr', '--mode', 'auto', '--profile', ''], ["--profile: expected a profile name, got ''"]],
    [
      ['--region', '--mode', 'auto'],
      ['--region: expected a value', '--region: expected main or dr (missing)'],
    ],
    [
      ['sideways'],
      ['sideways: unknown command, expected start, status, list, follow, approve, deny or backups'],
    ],
  ])('rejects %j', (argv, expected) => {
    const problems = problemsOf(argv);
    expect(problems).toHaveLength(expected.length);
    for (const [i, e] of expected.entries()) expect(problems[i]).toContain(e);
  });
});

describe('parseCommand: status, list, follow', () => {
  it('reads status with its project and profile', () => {
    expect(parseCommand(['status', '--project', 'base', '--profile', 'ops'], NOW)).toEqual({
      command: 'status',
      project: 'base',
      profile: 'ops',
    });
  });

  it('lists both regions and ten executions by default', () => {
    expect(parseCommand(['list'], NOW)).toMatchObject({ roles: ['main', 'dr'], limit: DEFAULT_LIST_LIMIT });
    expect(parseCommand(['list', '--region', 'dr', '--limit', '3'], NOW)).toMatchObject({
      roles: ['dr'],
      limit: 3,
    });
  });

  it.each(['0', '1001', '2.5', 'ten', '1e2'])('rejects --limit %s', (limit) => {
    expect(problemsOf(['list', '--limit', limit])).toEqual([
      `--limit: expected a whole number from 1 to 1000, got '${limit}'`,
    ]);
  });

  it('follows an execution in both regions unless --region narrows it', () => {
    expect(parseCommand(['follow', 'drill'], NOW)).toMatchObject({
      execution: 'drill',
      roles: ['main', 'dr'],
    });
    expect(parseCommand(['follow', 'drill', '--region', 'main'], NOW)).toMatchObject({ roles: ['main'] });
  });

  it('says which execution is missing, and refuses a second one', () => {
    expect(problemsOf(['follow'])).toEqual(['<execution-arn-or-name>: missing']);
    expect(problemsOf(['follow', 'a', 'b', '--region', 'x'])).toEqual([
      "'b': unexpected argument",
      "--region: expected main or dr, got 'x'",
    ]);
  });

  it('rejects the flags of another command', () => {
    expect(problemsOf(['status', '--region', 'dr'])).toEqual([
      '--region: unknown option',
      "'dr': unexpected argument",
    ]);
  });
});

describe('parseCommand: help', () => {
  it.each([
    [['--help'], GLOBAL_USAGE],
    [['-h'], GLOBAL_USAGE],
    [['--mode', 'sideways', '--help'], GLOBAL_USAGE],
    [['start', '-h'], START_USAGE],
    [['status', '--help'], STATUS_USAGE],
    [['list', '--help', '--limit', 'x'], LIST_USAGE],
    [['follow', '-h'], FOLLOW_USAGE],
  ])('%j asks for help, whatever else is given', (argv, usage) => {
    expect(parseCommand(argv, NOW)).toEqual({ command: 'help', usage });
  });
});

describe('parseCommand: approve and deny', () => {
  it('reads approve <execution> with an optional reason, in both regions by default', () => {
    // Act / Assess
    expect(parseCommand(['approve', 'cli-auto-1', '--reason', ' main is gone '], NOW)).toEqual({
      command: 'approve',
      project: 'base',
      profile: undefined,
      execution: 'cli-auto-1',
      roles: ['main', 'dr'],
      reason: 'main is gone',
    });
    expect(parseCommand(['approve', 'arn:aws:states:x', '--region', 'dr'], NOW)).toMatchObject({
      roles: ['dr'],
    });
  });

  it('requires a reason to deny, and the execution for both', () => {
    // Act / Assess
    expect(problemsOf(['deny', 'cli-auto-1'])).toEqual(['--reason: required to deny (the notice says why)']);
    expect(problemsOf(['approve', '--reason', 'x'])).toEqual(['<execution-arn-or-name>: missing']);
    expect(problemsOf(['deny', 'e', '--reason', ' '])).toEqual([
      "--reason: expected a non-empty text, got ' '",
    ]);
  });

  it('prints the command usage for --help', () => {
    // Act / Assess
    expect(parseCommand(['deny', '--help'], NOW)).toEqual({ command: 'help', usage: DENY_USAGE });
    expect(parseCommand(['approve', '-h'], NOW)).toEqual({ command: 'help', usage: APPROVE_USAGE });
  });
});

describe('parseCommand: start --mode unplanned', () => {
  it('requires --reason (it may lose data), except for a dry run', () => {
    // Act / Assess
    expect(problemsOf(['--region', 'dr', '--mode', 'unplanned'])).toEqual([
      '--reason: required with --mode unplanned (it may lose data; say why)',
    ]);
    expect(parseCommand(['--region', 'dr', '--mode', 'unplanned', '--dry-run'], NOW)).toMatchObject({
      dryRun: true,
    });
  });

  it('reads --yes', () => {
    // Act / Assess
    expect(
      parseCommand(['--region', 'dr', '--mode', 'unplanned', '--reason', 'outage', '--yes'], NOW),
    ).toMatchObject({ mode: 'unplanned', reason: 'outage', yes: true });
  });
});
