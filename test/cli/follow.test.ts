import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../../infra/cli/run';
import { awsError } from '../lambdas/helpers';
import { DR_EXEC, DR_SM, makeDeps, NOW } from './helpers';

const sfnMock = mockClient(SFNClient);
const MAIN_EXEC = 'arn:aws:states:us-east-1:111111111111:execution:sonar-proj-1-main-failover:drill';

function makeDescription(
  overrides: Partial<DescribeExecutionCommandOutput> = {},
): DescribeExecutionCommandOutput {
  return {
    $metadata: {},
    executionArn: DR_EXEC,
    stateMachineArn: DR_SM,
    startDate: NOW,
    status: 'SUCCEEDED',
    ...overrides,
  };
}

function makeEvent(overrides: Partial<HistoryEvent> & Pick<HistoryEvent, 'type'>): HistoryEvent {
  return { id: 1, timestamp: NOW, ...overrides };
}

const notFound = () => new ExecutionDoesNotExist({ message: 'no such execution', $metadata: {} });

describe('follow', () => {
  beforeEach(() => sfnMock.reset());

  it('prints each finished state once, polling until the end, then the state left', async () => {
    // Prepare
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce(makeDescription({ status: 'RUNNING' }))
      .resolves(
        makeDescription({ status: 'SUCCEEDED', output: '{"outcome":"DRY_RUN","message":"would promote"}' }),
      );
    const e1 = makeEvent({ id: 1, type: 'TaskStateExited', stateExitedEventDetails: { name: 'Preflight' } });
    const e2 = makeEvent({ id: 2, type: 'TaskStateExited', stateExitedEventDetails: { name: 'FlipDns' } });
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: [e1] })
      .resolves({ events: [e1, e2] });
    const { deps, out, sleeps } = makeDeps({});
    // Act
    const code = await runCli(['follow', DR_EXEC], deps);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([
      `following ${DR_EXEC}`,
      '10:00:00  ✓ Preflight',
      '10:00:00  ✓ FlipDns',
      'execution SUCCEEDED',
      '  outcome: DRY_RUN',
      '  message: would promote',
    ]);
    expect(sleeps).toEqual([5000]);
  });

  it('prints failed tasks, skips events with nothing to show, and ends with the error on stderr', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves(
      makeDescription({
        status: 'FAILED',
        error: 'WaitTimeoutError',
        cause: 'service not stable',
        output: 'plain',
      }),
    );
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({
        events: [
          makeEvent({ id: 1, type: 'ExecutionStarted' }),
          makeEvent({
            id: 2,
            type: 'TaskFailed',
            taskFailedEventDetails: {
              resourceType: 'lambda',
              resource: 'invoke',
              error: 'WaitTimeoutError',
              cause: 'not stable',
            },
          }),
          makeEvent({
            id: 3,
            type: 'TaskFailed',
            taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke' },
          }),
        ],
        nextToken: 'page-2',
      })
      .resolves({
        events: [
          makeEvent({
            id: 4,
            type: 'ExecutionFailed',
            timestamp: undefined,
            executionFailedEventDetails: { error: 'States.TaskFailed' },
          }),
          makeEvent({ id: 5, type: 'ExecutionFailed', executionFailedEventDetails: {} }),
        ],
      });
    const { deps, out, err } = makeDeps();
    // Act
    const code = await runCli(['follow', DR_EXEC], deps);
    // Assess
    expect(code).toBe(1);
    expect(out.slice(1)).toEqual([
      '10:00:00  ✗ task failed: WaitTimeoutError not stable',
      '10:00:00  ✗ task failed:  ',
      '--:--:--  ✗ execution failed: States.TaskFailed ',
      '10:00:00  ✗ execution failed:  ',
      'execution FAILED',
      '  output: plain',
    ]);
    expect(err).toEqual(['WaitTimeoutError: service not stable']);
    const tokens = sfnMock.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.nextToken);
    expect(tokens).toEqual([undefined, 'page-2']);
  });

  it('exits 1 without an error line for a run that ended with neither error nor cause', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves(makeDescription({ status: 'ABORTED', output: '42' }));
    sfnMock.on(GetExecutionHistoryCommand).resolves({});
    const { deps, out, err } = makeDeps();
    expect(await runCli(['follow', DR_EXEC], deps)).toBe(1);
    expect(out.slice(1)).toEqual(['execution ABORTED', '  output: 42']);
    expect(err).toEqual([]);
  });

  it('finds an execution by name in the region whose state machine ran it', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand, { executionArn: MAIN_EXEC }).rejects(notFound());
    sfnMock.on(DescribeExecutionCommand, { executionArn: DR_EXEC }).resolves(makeDescription());
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { deps, out } = makeDeps();
    // Act
    const code = await runCli(['follow', 'drill', '--profile', 'ops'], deps);
    // Assess
    expect(code).toBe(0);
    expect(out[0]).toBe(`following ${DR_EXEC}`);
  });

  it('asks for --region when both regions have the name', async () => {
    sfnMock.on(DescribeExecutionCommand).resolves(makeDescription());
    const { deps, err } = makeDeps();
    expect(await runCli(['follow', 'drill'], deps)).toBe(1);
    expect(err).toEqual(['error: both regions have an execution named drill: pass --region']);
  });

  it('says where it looked, and which region did not answer, when the name is nowhere', async () => {
    sfnMock
      .on(DescribeExecutionCommand, { executionArn: MAIN_EXEC })
      .rejects(awsError('TimeoutError', 'timed out', 500));
    sfnMock.on(DescribeExecutionCommand, { executionArn: DR_EXEC }).rejects(notFound());
    const { deps, err } = makeDeps();
    expect(await runCli(['follow', 'drill'], deps)).toBe(1);
    expect(err).toEqual([
      'error: no execution named drill in main (us-east-1) or dr (us-west-2) (main (us-east-1) did not answer)',
    ]);
  });

  it('reports the error of the one region asked with --region', async () => {
    sfnMock.on(DescribeExecutionCommand).rejects(awsError('AccessDeniedException', 'no', 403));
    const { deps, err } = makeDeps();
    expect(await runCli(['follow', 'drill', '--region', 'dr'], deps)).toBe(1);
    expect(err).toEqual(['error: AccessDeniedException: no']);
  });

  it('refuses an ARN of another project', async () => {
    const { deps, err } = makeDeps();
    const arn = 'arn:aws:states:us-west-2:111111111111:execution:other-dr-failover:x';
    expect(await runCli(['follow', arn], deps)).toBe(1);
    expect(err).toEqual([`error: ${arn} is not an execution of sonar-proj-1's state machines (--project?)`]);
  });

  it('stops following with what to do when the credentials expire mid-run', async () => {
    // Prepare
    sfnMock
      .on(DescribeExecutionCommand)
      .resolvesOnce(makeDescription({ status: 'RUNNING' }))
      .rejects(awsError('ExpiredTokenException', 'The security token included in the request is expired'));
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
    const { deps, err } = makeDeps();
    // Act
    const code = await runCli(['follow', DR_EXEC, '--profile', 'ops'], deps);
    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^error: no usable AWS credentials .*aws sso login --profile ops/),
      `  only the following stopped, not the execution; see it with: npm run failover -- follow ${DR_EXEC}`,
    ]);
  });

  it('stops following on any other read error, saying the execution was not stopped', async () => {
    sfnMock.on(DescribeExecutionCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));
    const { deps, err } = makeDeps();
    expect(await runCli(['follow', DR_EXEC], deps)).toBe(1);
    expect(err[0]).toBe(`error: stopped following ${DR_EXEC}: ThrottlingException: Rate exceeded`);
  });
});
