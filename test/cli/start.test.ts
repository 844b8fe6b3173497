import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CredentialsProviderError } from '@smithy/core/config';
import { mockClient } from 'aws-sdk-client-mock';
import type { StartCommand } from '../../infra/cli/args';
import { runCli } from '../../infra/cli/run';
import { runStart } from '../../infra/cli/start';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { awsError } from '../lambdas/helpers';
import { DR_EXEC, DR_SM, makeDeps, NOW } from './helpers';

const sfnMock = mockClient(SFNClient);
const ARGV = ['--project', 'base', '--region', 'dr', '--mode', 'auto', '--name', 'drill'];

describe('start', () => {
  beforeEach(() => sfnMock.reset());

  it('starts the state machine of the requested region with the validated input', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: DR_EXEC, startDate: NOW });
    const { deps, out, regions, profiles } = makeDeps();
    // Act
    const code = await runCli(
      ['start', ...ARGV, '--mode', 'unplanned', '--reason', 'main down', '--yes', '--profile', 'ops'],
      deps,
    );
    // Assess
    expect(code).toBe(0);
    expect(regions).toEqual(['us-west-2']);
    expect(profiles).toEqual(['ops']);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: DR_SM,
      name: 'drill',
      input: JSON.stringify({ mode: 'unplanned', reason: 'main down' }),
    });
    expect(out).toEqual([`started ${DR_EXEC}`, '  promoting dr (us-west-2), mode unplanned']);
  });

  it('fails back through the main region state machine, with dryRun in the input for --dry-run', async () => {
    sfnMock.on(StartExecutionCommand).resolves({});
    const { deps, out, regions } = makeDeps();
    await runCli(
      ['--region', 'main', '--mode', 'planned', '--name', 'x', '--reason', 'test', '--dry-run'],
      deps,
    );
    expect(regions).toEqual(['us-east-1']);
    expect(sfnMock).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:sonar-proj-1-main-failover',
      input: JSON.stringify({ mode: 'planned', reason: 'test', dryRun: true }),
    });
    expect(out).toEqual([
      'started arn:aws:states:us-east-1:111111111111:execution:sonar-proj-1-main-failover:x',
      '  promoting main (us-east-1), mode planned, dry run',
    ]);
  });

  it('follows the execution with --follow and reports the state it left', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: DR_EXEC, startDate: NOW });
    sfnMock.on(DescribeExecutionCommand).resolves({
      executionArn: DR_EXEC,
      stateMachineArn: DR_SM,
      status: 'SUCCEEDED',
      startDate: NOW,
      stopDate: new Date(NOW.getTime() + 789_000),
      output: '{"outcome":"PROMOTED","mode":"planned","targetRegion":"us-west-2"}',
    });
    sfnMock.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, type: 'TaskStateExited', timestamp: NOW, stateExitedEventDetails: { name: 'FlipDns' } },
      ],
    });
    const { deps, out } = makeDeps();
    // Act
    const code = await runCli([...ARGV, '--follow'], deps);
    // Assess
    expect(code).toBe(0);
    expect(out.slice(2)).toEqual([
      '10:00:00  ✓ FlipDns',
      'execution SUCCEEDED after 13m09s',
      '  outcome: PROMOTED',
      '  mode: planned',
      '  targetRegion: us-west-2',
    ]);
  });

  it('prints the problems and the usage and exits 2 without calling AWS on bad flags', async () => {
    const { deps, err, regions } = makeDeps();
    const code = await runCli(['--region', 'eu', '--mode', 'sideways'], deps);
    expect(code).toBe(2);
    expect(err[0]).toMatch(
      /^error: --region: expected main or dr, got 'eu'\nerror: --mode: expected planned, unplanned or auto, got 'sideways'\n\nusage: npm run failover -- \[start\]/,
    );
    expect(regions).toEqual([]);
  });

  it('names the available projects for an unknown project', async () => {
    const { deps, err } = makeDeps();
    const code = await runCli(['--project', 'nope', '--region', 'dr', '--mode', 'auto'], deps);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/unknown project 'nope'.*available: .*base/);
  });

  it('refuses to reuse an execution name with a different input', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const { deps, err } = makeDeps();
    expect(await runCli(ARGV, deps)).toBe(2);
    expect(err[0]).toContain('already exists');
  });

  it('says in one line how to sign in when the SDK finds no credentials', async () => {
    // Prepare
    sfnMock
      .on(StartExecutionCommand)
      .rejects(new CredentialsProviderError('Could not load credentials from any providers'));
    const { deps, err, out } = makeDeps();
    // Act
    const code = await runCli([...ARGV, '--profile', 'ops'], deps);
    // Assess
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'error: no usable AWS credentials for account 111111111111 (CredentialsProviderError: Could not load credentials from any providers): ' +
        'sign in with aws sso login --profile ops and run the same command again',
    ]);
  });

  it.each([
    'ExpiredTokenException',
    'ExpiredToken',
    'UnrecognizedClientException',
    'InvalidSignatureException',
  ])('says how to sign in when AWS refuses the credentials (%s)', async (name) => {
    sfnMock.on(StartExecutionCommand).rejects(awsError(name, 'The security token is invalid'));
    const { deps, err } = makeDeps();
    expect(await runCli(ARGV, deps)).toBe(1);
    expect(err).toEqual([
      `error: no usable AWS credentials for account 111111111111 (${name}: The security token is invalid): ` +
        'sign in (aws sso login --profile <name>, then pass --profile <name> or set AWS_PROFILE) and run the same command again',
    ]);
  });

  it('names the permissions the CLI needs when access is denied', async () => {
    sfnMock.on(StartExecutionCommand).rejects(awsError('AccessDeniedException', 'not authorized', 403));
    const { deps, err } = makeDeps();
    expect(await runCli(ARGV, deps)).toBe(1);
    expect(err[0]).toMatch(
      /AccessDeniedException: not authorized\n {2}the credentials in use need states:StartExecution/,
    );
  });

  it('reports any other start error by name and message', async () => {
    sfnMock.on(StartExecutionCommand).rejects(awsError('StateMachineDoesNotExist', 'no such machine'));
    const { deps, err } = makeDeps();
    expect(await runCli(ARGV, deps)).toBe(1);
    expect(err).toEqual([
      `error: could not start ${DR_SM} in us-west-2: StateMachineDoesNotExist: no such machine`,
    ]);
  });
});

describe('start --mode unplanned (confirmation)', () => {
  const config = loadConfig('base');
  const names = projectNames(config);
  const command = (overrides: Partial<StartCommand> = {}): StartCommand => ({
    command: 'start',
    project: 'base',
    profile: undefined,
    role: 'dr',
    mode: 'unplanned',
    reason: 'main is down',
    dryRun: false,
    follow: false,
    name: 'drill',
    yes: false,
    ...overrides,
  });

  beforeEach(() => {
    sfnMock.reset();
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: DR_EXEC });
  });

  it('starts once the operator typed the region name', async () => {
    // Prepare
    const { deps, out } = makeDeps();
    const asked: string[] = [];
    const prompt = async (q: string) => {
      asked.push(q);
      return ' us-west-2 ';
    };

    // Act
    const code = await runStart({ deps, config, names, profile: undefined }, command(), prompt);

    // Assess
    expect(code).toBe(0);
    expect(asked[0]).toContain('Type the region name (us-west-2) to confirm');
    expect(asked[0]).toContain('AllowDataLoss');
    expect(out[0]).toBe(`started ${DR_EXEC}`);
  });

  it('starts nothing when the typed name is another', async () => {
    // Prepare
    const { deps, err } = makeDeps();

    // Act
    const code = await runStart(
      { deps, config, names, profile: undefined },
      command(),
      async () => 'us-east-1',
    );

    // Assess
    expect(code).toBe(2);
    expect(err).toEqual(["error: not confirmed (typed 'us-east-1', expected 'us-west-2'): nothing started"]);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('refuses with exit 2 without a terminal, and says to pass --yes', async () => {
    // Prepare
    const { deps, err } = makeDeps();

    // Act
    const code = await runStart(
      { deps, config, names, profile: undefined },
      command(),
      async () => undefined,
    );

    // Assess
    expect(code).toBe(2);
    expect(err[0]).toMatch(/no terminal: pass --yes/);
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('asks nothing with --yes, for a dry run, or for a planned run', async () => {
    // Prepare
    const { deps } = makeDeps();
    const prompt = jest.fn(async () => undefined);
    const ctx = { deps, config, names, profile: undefined };

    // Act
    const codes = [
      await runStart(ctx, command({ yes: true }), prompt),
      await runStart(ctx, command({ dryRun: true }), prompt),
      await runStart(ctx, command({ mode: 'planned' }), prompt),
    ];

    // Assess
    expect(codes).toEqual([0, 0, 0]);
    expect(prompt).not.toHaveBeenCalled();
    expect(sfnMock).toHaveReceivedCommandTimes(StartExecutionCommand, 3);
  });

  it('refuses an unplanned start without --reason before asking AWS anything (runCli, no terminal in tests)', async () => {
    // Prepare
    const { deps, err } = makeDeps();

    // Act
    const code = await runCli(['start', ...ARGV, '--mode', 'unplanned', '--yes'], deps);

    // Assess
    expect(code).toBe(2);
    expect(err[0]).toContain('error: --reason: required with --mode unplanned');
    expect(sfnMock).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
