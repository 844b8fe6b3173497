import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CredentialsProviderError } from '@smithy/core/config';
import { mockClient } from 'aws-sdk-client-mock';
import {
  HelpRequestedError,
  main,
  parseCliArgs,
  processDeps,
  runCli,
  USAGE,
  UsageError,
} from '../../infra/cli/failover';
import { MAX_REASON_LENGTH } from '../../lambdas/shared/contracts';
import { awsError } from '../lambdas/helpers';

const sfnMock = mockClient(SFNClient);
const SM_ARN = 'arn:aws:states:us-west-2:111111111111:stateMachine:sonar-proj-1-dr-failover';
const EXEC_ARN = `arn:aws:states:us-west-2:111111111111:execution:sonar-proj-1-dr-failover:drill`;

function makeDeps(overrides: { pollMs?: number; configDir?: string } = { pollMs: 1 }) {
  const out: string[] = [];
  const err: string[] = [];
  const regions: string[] = [];
  const sleeps: number[] = [];
  return {
    out,
    err,
    regions,
    sleeps,
    deps: {
      sfnFor: (region: string) => {
        regions.push(region);
        return new SFNClient({ region });
      },
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      ...overrides,
    },
  };
}

/** A DescribeExecution answer for the execution under test. */
function makeDescription(
  overrides: Partial<DescribeExecutionCommandOutput> = {},
): DescribeExecutionCommandOutput {
  return {
    $metadata: {},
    executionArn: EXEC_ARN,
    stateMachineArn: SM_ARN,
    startDate: new Date('2026-11-24T10:00:00Z'),
    status: 'SUCCEEDED',
    ...overrides,
  };
}

/** A history event with an id, at 10:00:00 UTC unless overridden. */
function makeHistoryEvent(overrides: Partial<HistoryEvent> & Pick<HistoryEvent, 'type'>): HistoryEvent {
  return { id: 1, timestamp: new Date('2026-11-24T10:00:00Z'), ...overrides };
}

const FOLLOW_ARGV = ['--project', 'base', '--region', 'dr', '--mode', 'auto', '--follow'];

describe('parseCliArgs', () => {
  it('accepts the documented flags', () => {
    const opts = parseCliArgs(
      ['--project', 'base', '--region', 'dr', '--mode', 'planned', '--dry-run', '--follow'],
      new Date('2026-11-24T10:00:00Z'),
    );
    expect(opts).toEqual({
      project: 'base',
      role: 'dr',
      mode: 'planned',
      reason: 'manual planned failover from the CLI',
      dryRun: true,
      follow: true,
      name: 'cli-planned-2026-11-24T10-00-00-000Z',
    });
  });

  it.each([
    [['--region', 'dr', '--mode', 'auto'], '--project is required'],
    [
      ['--project', 'base', '--region', 'eu', '--mode', 'auto'],
      "--region: expected one of 'main', 'dr', got 'eu'",
    ],
    [
      ['--project', 'base', '--region', 'dr'],
      "--mode: expected one of 'planned', 'unplanned', 'auto' (missing)",
    ],
    [
      ['--project', 'base', '--region', 'dr', '--mode', 'fast'],
      "--mode: expected one of 'planned', 'unplanned', 'auto', got 'fast'",
    ],
    [
      ['--project', 'base', '--region', 'dr', '--mode', 'auto', '--reason', '  '],
      '--reason: expected a non-empty string',
    ],
    [
      [
        '--project',
        'base',
        '--region',
        'dr',
        '--mode',
        'auto',
        '--reason',
        'x'.repeat(MAX_REASON_LENGTH + 1),
      ],
      `--reason: expected at most ${MAX_REASON_LENGTH} characters`,
    ],
    [['--project', 'base', '--region', 'dr', '--mode', 'auto', '--force'], "Unknown option '--force'"],
    [['--project', 'base', '--region', 'dr', '--mode', 'auto', '--name', 'a b'], '--name must be'],
    [['--project', 'base', '--region', 'dr', '--mode', 'auto', '--name', 'n'.repeat(81)], '--name must be'],
    [['--project', '', '--region', 'dr', '--mode', 'auto'], '--project is required'],
    [['--project', 'base', '--mode', 'auto'], "--region: expected one of 'main', 'dr' (missing)"],
    [['--project', 'base', '--region', 'dr', '--mode', 'auto', 'now'], "Unexpected argument 'now'"],
  ])('rejects %j, naming the flag', (argv, message) => {
    // Act
    const act = () => parseCliArgs(argv);
    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
  });

  it('defaults to no dry run and no following, and keeps a given --name', () => {
    // Act
    const opts = parseCliArgs([
      '--project',
      'base',
      '--region',
      'main',
      '--mode',
      'planned',
      '--name',
      'n_1-a',
    ]);
    // Assess
    expect(opts).toMatchObject({ role: 'main', dryRun: false, follow: false, name: 'n_1-a' });
  });

  it('throws HelpRequestedError (not a usage error) for --help, whatever else is given', () => {
    // Act
    const act = () => parseCliArgs(['--help', '--mode', 'sideways']);
    // Assess
    expect(act).toThrow(HelpRequestedError);
  });

  it('accepts a reason of MAX_REASON_LENGTH characters, as preflight does', () => {
    // Prepare
    const reason = 'x'.repeat(MAX_REASON_LENGTH);
    // Act
    const opts = parseCliArgs(['--project', 'base', '--region', 'dr', '--mode', 'auto', '--reason', reason]);
    // Assess
    expect(opts.reason).toBe(reason);
  });
});

describe('runCli', () => {
  beforeEach(() => sfnMock.reset());

  it('starts the state machine of the requested region with the validated input', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXEC_ARN, startDate: new Date() });
    const { deps, out, regions } = makeDeps();
    // Act
    const code = await runCli(
      ['--project', 'base', '--region', 'dr', '--mode', 'unplanned', '--name', 'drill'],
      deps,
    );
    // Assess
    expect(code).toBe(0);
    expect(regions).toEqual(['us-west-2']);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: SM_ARN,
      name: 'drill',
      input: JSON.stringify({ mode: 'unplanned', reason: 'manual unplanned failover from the CLI' }),
    });
    expect(out[0]).toBe(`started ${EXEC_ARN}`);
  });

  it('fails back through the main region state machine', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
    const { deps, regions } = makeDeps();
    await runCli(['--project', 'base', '--region', 'main', '--mode', 'planned'], deps);
    expect(regions).toEqual(['us-east-1']);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:sonar-proj-1-main-failover',
    });
  });

  it('follows the execution, printing each finished state once, and exits 0 on success', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXEC_ARN, startDate: new Date() });
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce({
        status: 'RUNNING',
        executionArn: EXEC_ARN,
        stateMachineArn: SM_ARN,
        startDate: new Date(),
      })
      .resolves({
        status: 'SUCCEEDED',
        executionArn: EXEC_ARN,
        stateMachineArn: SM_ARN,
        startDate: new Date(),
        output: '{"outcome":"PROMOTED"}',
      });
    const t = new Date('2026-11-24T10:00:00Z');
    const e1 = {
      id: 1,
      type: 'TaskStateExited' as const,
      timestamp: t,
      stateExitedEventDetails: { name: 'Preflight' },
    };
    const e2 = {
      id: 2,
      type: 'TaskStateExited' as const,
      timestamp: t,
      stateExitedEventDetails: { name: 'FlipDns' },
    };
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: [e1] })
      .resolves({ events: [e1, e2] });
    const { deps, out } = makeDeps();

    const code = await runCli(['--project', 'base', '--region', 'dr', '--mode', 'auto', '--follow'], deps);

    expect(code).toBe(0);
    expect(out.filter((l) => l.includes('✓'))).toEqual(['10:00:00  ✓ Preflight', '10:00:00  ✓ FlipDns']);
    expect(out).toContain('execution SUCCEEDED');
  });

  it('exits 1 and prints the error when the followed execution fails', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXEC_ARN, startDate: new Date() });
    sfnMock.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      executionArn: EXEC_ARN,
      stateMachineArn: SM_ARN,
      startDate: new Date(),
      error: 'WaitTimeoutError',
      cause: 'service not stable',
    });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { deps, err } = makeDeps();
    const code = await runCli(['--project', 'base', '--region', 'dr', '--mode', 'auto', '--follow'], deps);
    expect(code).toBe(1);
    expect(err).toEqual(['WaitTimeoutError: service not stable']);
  });

  it('prints usage and exits 2 without calling AWS on a bad flag', async () => {
    const { deps, err } = makeDeps();
    const code = await runCli(['--project', 'base', '--region', 'dr', '--mode', 'sideways'], deps);
    expect(code).toBe(2);
    expect(err[0]).toContain("--mode: expected one of 'planned', 'unplanned', 'auto', got 'sideways'");
    expect(err[0]).toContain('usage: npm run failover');
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('names the available projects for an unknown project', async () => {
    const { deps, err } = makeDeps();
    const code = await runCli(['--project', 'nope', '--region', 'dr', '--mode', 'auto'], deps);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/unknown project 'nope'.*available: .*base/);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('refuses to reuse an execution name with a different input', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const { deps, err } = makeDeps();
    const code = await runCli(['--project', 'base', '--region', 'dr', '--mode', 'auto', '--name', 'x'], deps);
    expect(code).toBe(2);
    expect(err[0]).toContain('already exists');
  });
});

describe('runCli: flags', () => {
  beforeEach(() => sfnMock.reset());

  it('prints the usage on stdout and exits 0 for --help, without calling AWS', async () => {
    // Prepare
    const { deps, out, err, regions } = makeDeps();
    // Act
    const code = await runCli(['--help'], deps);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([USAGE]);
    expect(err).toEqual([]);
    expect(regions).toEqual([]);
  });

  it('passes dryRun in the input and says so, for --dry-run', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXEC_ARN, startDate: new Date() });
    const { deps, out } = makeDeps();
    // Act
    const code = await runCli(
      ['--project', 'base', '--region', 'dr', '--mode', 'planned', '--reason', 'test', '--dry-run'],
      deps,
    );
    // Assess
    expect(code).toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      input: JSON.stringify({ mode: 'planned', reason: 'test', dryRun: true }),
    });
    expect(out).toEqual([`started ${EXEC_ARN}`, '  promoting dr (us-west-2), mode planned, dry run']);
    expect(sfnMock).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  it('says no project is available when the config directory holds none', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'pilot-light-cli-'));
    const { deps, err } = makeDeps({ configDir: dir });
    try {
      // Act
      const code = await runCli(['--project', 'base', '--region', 'dr', '--mode', 'auto'], deps);
      // Assess
      expect(code).toBe(2);
      expect(err).toEqual(["error: unknown project 'base': no project-config/base.yml (available: none)"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runCli: AWS errors', () => {
  beforeEach(() => sfnMock.reset());

  const ARGV = ['--project', 'base', '--region', 'dr', '--mode', 'auto', '--name', 'x'];

  it('says to sign in to the project account when the SDK finds no credentials', async () => {
    // Prepare
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new CredentialsProviderError('Could not load credentials from any providers'));
    const { deps, err } = makeDeps();
    // Act
    const code = await runCli(ARGV, deps);
    // Assess
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toBe(
      `error: could not start ${SM_ARN} in us-west-2: CredentialsProviderError: Could not load credentials from any providers\n` +
        '  no usable AWS credentials: sign in to account 111111111111 (aws sso login, or set AWS_PROFILE, ' +
        'or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and run the same command again',
    );
  });

  it.each(['ExpiredTokenException', 'UnrecognizedClientException', 'InvalidSignatureException'])(
    'says to sign in again when AWS refuses the credentials (%s)',
    async (name) => {
      // Prepare
      sfnMock.on(StartExecutionCommand).rejects(awsError(name, 'The security token is invalid'));
      const { deps, err } = makeDeps();
      // Act
      const code = await runCli(ARGV, deps);
      // Assess
      expect(code).toBe(1);
      expect(err[0]).toContain(`${name}: The security token is invalid\n  no usable AWS credentials`);
    },
  );

  it('names the permissions the CLI needs when access is denied', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).rejects(awsError('AccessDeniedException', 'not authorized', 403));
    const { deps, err } = makeDeps();
    // Act
    const code = await runCli(ARGV, deps);
    // Assess
    expect(code).toBe(1);
    expect(err[0]).toMatch(
      /AccessDeniedException: not authorized\n {2}the credentials in use need states:StartExecution/,
    );
    expect(err[0]).not.toContain('no usable AWS credentials');
  });

  it('reports any other start error by name and message, without advice it cannot give', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).rejects(awsError('StateMachineDoesNotExist', 'no such machine'));
    const { deps, err, out } = makeDeps();
    // Act
    const code = await runCli(ARGV, deps);
    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([
      `error: could not start ${SM_ARN} in us-west-2: StateMachineDoesNotExist: no such machine`,
    ]);
    expect(out).toEqual([]);
  });

  it('derives the execution ARN from the state machine ARN when the answer leaves it out', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({});
    sfnMock.on(DescribeExecutionCommand).resolves(makeDescription());
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { deps, out } = makeDeps();
    // Act
    await runCli([...ARGV, '--follow'], deps);
    // Assess
    const expected = 'arn:aws:states:us-west-2:111111111111:execution:sonar-proj-1-dr-failover:x';
    expect(out[0]).toBe(`started ${expected}`);
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: expected });
  });

  it('stops following with what to do when the credentials expire mid-run, saying the execution was not stopped', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXEC_ARN, startDate: new Date() });
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce(makeDescription({ status: 'RUNNING' }))
      .rejects(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { deps, err } = makeDeps();
    // Act
    const code = await runCli(FOLLOW_ARGV, deps);
    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: stopped following ${EXEC_ARN}: ExpiredTokenException: .*\n  no usable AWS credentials`,
        ),
      ),
      `  only the following stopped, not the execution; see it with: aws stepfunctions describe-execution --region us-west-2 --execution-arn ${EXEC_ARN}`,
    ]);
  });
});

describe('runCli: --follow', () => {
  beforeEach(() => {
    sfnMock.reset();
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: EXEC_ARN, startDate: new Date() });
  });

  it('prints failed tasks and a failed execution, and skips events that carry nothing to show', async () => {
    // Prepare
    sfnMock
      .on(DescribeExecutionCommand)
      .resolves(makeDescription({ status: 'FAILED', error: 'States.TaskFailed', cause: 'see history' }));
    sfnMock.on(GetExecutionHistoryCommand).resolves({
      events: [
        makeHistoryEvent({ id: 1, type: 'ExecutionStarted' }),
        makeHistoryEvent({
          id: 2,
          type: 'TaskFailed',
          taskFailedEventDetails: {
            resourceType: 'lambda',
            resource: 'invoke',
            error: 'WaitTimeoutError',
            cause: 'not stable after 20 min',
          },
        }),
        makeHistoryEvent({
          id: 3,
          type: 'TaskFailed',
          taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke' },
        }),
        makeHistoryEvent({
          id: 4,
          type: 'ExecutionFailed',
          timestamp: undefined,
          executionFailedEventDetails: { error: 'States.TaskFailed' },
        }),
        makeHistoryEvent({ id: 5, type: 'ExecutionFailed', executionFailedEventDetails: {} }),
      ],
    });
    const { deps, out } = makeDeps();
    // Act
    const code = await runCli(FOLLOW_ARGV, deps);
    // Assess
    expect(code).toBe(1);
    expect(out.slice(2)).toEqual([
      '10:00:00  ✗ task failed: WaitTimeoutError not stable after 20 min',
      '10:00:00  ✗ task failed:  ',
      '--:--:--  ✗ execution failed: States.TaskFailed ',
      '10:00:00  ✗ execution failed:  ',
      'execution FAILED',
    ]);
  });

  it('reads every page of the history before the next poll', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves(makeDescription());
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({
        events: [
          makeHistoryEvent({ id: 1, type: 'TaskStateExited', stateExitedEventDetails: { name: 'A' } }),
        ],
        nextToken: 'page-2',
      })
      .resolves({
        events: [
          makeHistoryEvent({ id: 2, type: 'TaskStateExited', stateExitedEventDetails: { name: 'B' } }),
        ],
      });
    const { deps, out } = makeDeps();
    // Act
    await runCli(FOLLOW_ARGV, deps);
    // Assess
    expect(out.filter((l) => l.includes('✓'))).toEqual(['10:00:00  ✓ A', '10:00:00  ✓ B']);
    const tokens = sfnMock.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.nextToken);
    expect(tokens).toEqual([undefined, 'page-2']);
  });

  it('polls every 5 s unless told otherwise', async () => {
    // Prepare
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce(makeDescription({ status: 'RUNNING' }))
      .resolvesOnce(makeDescription({ status: 'RUNNING' }))
      .resolves(makeDescription());
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { deps, sleeps } = makeDeps({});
    // Act
    const code = await runCli(FOLLOW_ARGV, deps);
    // Assess
    expect(code).toBe(0);
    expect(sleeps).toEqual([5000, 5000]);
  });

  it('exits 1 without an error line for an execution that ended with neither error nor cause', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves(makeDescription({ status: 'ABORTED' }));
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { deps, out, err } = makeDeps();
    // Act
    const code = await runCli(FOLLOW_ARGV, deps);
    // Assess
    expect(code).toBe(1);
    expect(out.at(-1)).toBe('execution ABORTED');
    expect(err).toEqual([]);
  });
});

describe('main', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pilot-light-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports an unexpected error as one error line and exits 1', async () => {
    // Prepare: a project "file" that cannot be read (a directory).
    mkdirSync(join(dir, 'odd.yml'));
    const { deps, err } = makeDeps({ configDir: dir });
    // Act
    const code = await main(['--project', 'odd', '--region', 'dr', '--mode', 'auto'], deps);
    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^error: .*EISDIR: illegal operation on a directory/)]);
  });

  it('returns what runCli returns otherwise', async () => {
    // Prepare
    const { deps } = makeDeps();
    // Act
    const code = await main(['--project', 'base'], deps);
    // Assess
    expect(code).toBe(2);
  });
});

describe('processDeps', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('keeps one SFN client per region', async () => {
    // Prepare
    const deps = processDeps();
    // Act
    const west = deps.sfnFor('us-west-2');
    const again = deps.sfnFor('us-west-2');
    const east = deps.sfnFor('us-east-1');
    // Assess
    expect(again).toBe(west);
    expect(east).not.toBe(west);
    await expect(west.config.region()).resolves.toBe('us-west-2');
    await expect(east.config.region()).resolves.toBe('us-east-1');
  });

  it('writes each line to stdout or stderr', () => {
    // Prepare
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const deps = processDeps();
    // Act
    deps.out('to stdout');
    deps.err('to stderr');
    // Assess
    expect(stdout).toHaveBeenCalledWith('to stdout\n');
    expect(stderr).toHaveBeenCalledWith('to stderr\n');
  });

  it('sleeps for the given time', async () => {
    // Prepare
    jest.useFakeTimers();
    let done = false;
    // Act
    const sleeping = processDeps()
      .sleep(5000)
      .then(() => {
        done = true;
      });
    await jest.advanceTimersByTimeAsync(4999);
    const before = done;
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;
    // Assess
    expect(before).toBe(false);
    expect(done).toBe(true);
  });
});

describe('failover.ts as a process', () => {
  const ROOT = resolve(__dirname, '..', '..');
  const run = (args: string[]) =>
    spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['infra/cli/failover.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('exits 0 with the usage on stdout for --help', () => {
    // Act
    const result = run(['--help']);
    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${USAGE}\n`);
    expect(result.stderr).toBe('');
  });

  it('exits 2 with the error and the usage on stderr for a bad flag', () => {
    // Act
    const result = run(['--project', 'base', '--region', 'eu', '--mode', 'auto']);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: --region: expected one of 'main', 'dr', got 'eu'\n\nusage: /);
  });
});
