import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type HistoryEventType,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { approvalToken, runDecide } from '../../infra/cli/approve';
import type { DecideCommand } from '../../infra/cli/args';
import { runCli } from '../../infra/cli/run';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { APPROVAL_DENIED_ERROR } from '../../lambdas/shared/approval';
import { DR_EXEC, makeDeps, NOW } from './helpers';

const sfnMock = mockClient(SFNClient);
const config = loadConfig('base');
const names = projectNames(config);
const TOKEN = 'AAAAKgAAAAIAAAAAAAAAAQ-approval-token';

let id = 0;
function event(type: HistoryEventType, extra: Partial<HistoryEvent> = {}): HistoryEvent {
  id += 1;
  return { id, type, timestamp: NOW, ...extra };
}

/** The TaskScheduled of AwaitApproval as Step Functions records it (parameters: a JSON string). */
function scheduled(kind = 'APPROVAL_REQUESTED', token = TOKEN): HistoryEvent {
  return event('TaskScheduled', {
    taskScheduledEventDetails: {
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: 'us-west-2',
      parameters: JSON.stringify({
        FunctionName: 'arn:aws:lambda:us-west-2:111111111111:function:notify',
        Payload: { kind, taskToken: token, executionArn: DR_EXEC },
      }),
    },
  });
}

function waiting(): void {
  sfnMock.on(DescribeExecutionCommand).resolves({ executionArn: DR_EXEC, status: 'RUNNING' });
  sfnMock.on(GetExecutionHistoryCommand).resolves({
    events: [event('TaskSubmitted'), event('TaskStarted'), scheduled(), event('TaskStateEntered')],
  });
}

function command(overrides: Partial<DecideCommand> = {}): DecideCommand {
  return {
    command: 'approve',
    project: 'base',
    profile: undefined,
    execution: DR_EXEC,
    roles: ['dr'],
    ...overrides,
  };
}

describe('approvalToken', () => {
  beforeEach(() => sfnMock.reset());

  it('reads the token from the newest TaskScheduled of the approval request, newest first', async () => {
    // Prepare
    waiting();

    // Act
    const token = await approvalToken(new SFNClient({}), DR_EXEC);

    // Assess
    expect(token).toBe(TOKEN);
    expect(sfnMock).toHaveReceivedCommandWith(GetExecutionHistoryCommand, {
      executionArn: DR_EXEC,
      reverseOrder: true,
      includeExecutionData: true,
    });
  });

  it('pages on with nextToken until it finds the request', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: [event('TaskStarted')], nextToken: 'p2' })
      .resolvesOnce({ events: [scheduled()] });

    // Act
    const token = await approvalToken(new SFNClient({}), DR_EXEC);

    // Assess
    expect(token).toBe(TOKEN);
    expect(sfnMock.commandCalls(GetExecutionHistoryCommand)[1]?.args[0].input.nextToken).toBe('p2');
  });

  it('refuses an execution that has ended', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' });

    // Act / Assess
    await expect(approvalToken(new SFNClient({}), DR_EXEC)).rejects.toThrow(
      `${DR_EXEC} is SUCCEEDED: it is not waiting for approval`,
    );
    expect(sfnMock).not.toHaveReceivedCommand(GetExecutionHistoryCommand);
  });

  it('refuses a running execution past the gate (a later event than the request)', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [event('TaskSucceeded'), scheduled()] });

    // Act / Assess
    await expect(approvalToken(new SFNClient({}), DR_EXEC)).rejects.toThrow(
      /is not waiting for approval \(its latest event is TaskSucceeded\)/,
    );
  });

  it('ignores a waitForTaskToken Task that is not an approval request', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [scheduled('OTHER')] });

    // Act / Assess
    await expect(approvalToken(new SFNClient({}), DR_EXEC)).rejects.toThrow(/latest event is TaskScheduled/);
  });

  it('says so when the history ends without a request', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [event('TaskStarted')] });

    // Act / Assess
    await expect(approvalToken(new SFNClient({}), DR_EXEC)).rejects.toThrow('has not asked for approval');
  });
});

describe('runDecide', () => {
  beforeEach(() => sfnMock.reset());

  it('approve: SendTaskSuccess with who approved, why and when', async () => {
    // Prepare
    waiting();
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    const { deps, out } = makeDeps();

    // Act
    const code = await runDecide(
      { deps, config, names, profile: undefined },
      command({ reason: 'main is gone' }),
      'alice',
    );

    // Assess
    expect(code).toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: TOKEN,
      output: JSON.stringify({
        outcome: 'APPROVED',
        approver: 'alice',
        reason: 'main is gone',
        approvedAt: NOW.toISOString(),
      }),
    });
    expect(out).toEqual([`approved ${DR_EXEC} as alice: the failover proceeds`]);
  });

  it('deny: SendTaskFailure with the approval-denied error and who denied why as the cause', async () => {
    // Prepare
    waiting();
    sfnMock.on(SendTaskFailureCommand).resolves({});
    const { deps, out } = makeDeps();

    // Act
    const code = await runDecide(
      { deps, config, names, profile: undefined },
      command({ command: 'deny', reason: 'main is recovering' }),
      'bob',
    );

    // Assess
    expect(code).toBe(0);
    expect(sfnMock).toHaveReceivedCommandWith(SendTaskFailureCommand, {
      taskToken: TOKEN,
      error: APPROVAL_DENIED_ERROR,
      cause: 'denied by bob: main is recovering',
    });
    expect(out[0]).toMatch(/^denied .* as bob: the run ends without changing anything$/);
  });

  it.each([
    [new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }), /timed out before this answer arrived/],
    [new TaskDoesNotExist({ message: 'Task does not exist', $metadata: {} }), /no longer open/],
    [new InvalidToken({ message: 'Invalid token', $metadata: {} }), /no longer open .*InvalidToken/],
  ])('explains %p on one line, exit 1', async (error, line) => {
    // Prepare
    waiting();
    sfnMock.on(SendTaskSuccessCommand).rejects(error);
    const { deps, err } = makeDeps();

    // Act
    const code = await runDecide({ deps, config, names, profile: undefined }, command(), 'alice');

    // Assess
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(line);
  });

  it('refuses clearly, exit 1, when the execution is not waiting (through runCli, by name)', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).resolves({ executionArn: DR_EXEC, status: 'FAILED' });
    const { deps, err } = makeDeps();

    // Act
    const code = await runCli(['approve', 'drill', '--region', 'dr'], deps);

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([`error: ${DR_EXEC} is FAILED: it is not waiting for approval`]);
    expect(sfnMock).not.toHaveReceivedCommand(SendTaskSuccessCommand);
  });

  it('reports an execution name found in neither region', async () => {
    // Prepare
    sfnMock.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', $metadata: {} }));
    const { deps, err } = makeDeps();

    // Act
    const code = await runCli(['deny', 'nope', '--reason', 'x'], deps);

    // Assess
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^error: no execution named nope in /);
  });
});
