import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { parseCliArgs, runCli, UsageError } from '../../infra/cli/failover';
import { MAX_REASON_LENGTH } from '../../lambdas/shared/contracts';

const sfnMock = mockClient(SFNClient);
const SM_ARN = 'arn:aws:states:us-west-2:111111111111:stateMachine:sonar-proj-1-dr-failover';
const EXEC_ARN = `arn:aws:states:us-west-2:111111111111:execution:sonar-proj-1-dr-failover:drill`;

function makeDeps() {
  const out: string[] = [];
  const err: string[] = [];
  const regions: string[] = [];
  return {
    out,
    err,
    regions,
    deps: {
      sfnFor: (region: string) => {
        regions.push(region);
        return new SFNClient({ region });
      },
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      sleep: async () => {},
      pollMs: 1,
    },
  };
}

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
  ])('rejects %j, naming the flag', (argv, message) => {
    // Act
    const act = () => parseCliArgs(argv);
    // Assess
    expect(act).toThrow(UsageError);
    expect(act).toThrow(message);
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
