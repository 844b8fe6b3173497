import {
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { WiringError } from '../../drill/errors';
import { DRILL_TOKEN_PREFIX, type SimCallbackTask, type SimTaskAnswer } from '../../drill/sim/sfn/tasks';
import type { World } from '../../drill/sim/world';
import { localDefinition, taskStates } from '../../drill/synth/wiring';
import { approvalToken } from '../../infra/cli/approve';
import { NOTIFIER } from '../../lambdas/shared/steps';
import { placeholder } from '../../statemachines/build/asl';
import { buildFailoverDefinition } from '../../statemachines/build/failover';
import { DR, inSimulation, makeWorld, rejectionOf } from './sim-helpers';

const SM = `arn:aws:states:${DR}:111111111111:stateMachine:failover`;
const EXEC = `arn:aws:states:${DR}:111111111111:execution:failover:drill-1`;
const TOKEN = `${DRILL_TOKEN_PREFIX}1-abc`;

/** A world with one running execution waiting at AwaitApproval; returns what settled it. */
function waitingWorld(): { world: World; answers: SimTaskAnswer[] } {
  const world = makeWorld();
  world.sfn.stateMachines.add(SM);
  world.sfn.add({
    executionArn: EXEC,
    stateMachineArn: SM,
    name: 'drill-1',
    status: 'RUNNING',
    startDate: 0,
    input: '{}',
  });
  const answers: SimTaskAnswer[] = [];
  const task: SimCallbackTask = {
    token: TOKEN,
    executionArn: EXEC,
    stateName: 'AwaitApproval',
    resourceType: 'lambda',
    resource: 'invoke.waitForTaskToken',
    region: DR,
    parameters: JSON.stringify({
      FunctionName: 'fn',
      Payload: { kind: 'APPROVAL_REQUESTED', taskToken: TOKEN },
    }),
    scheduledAt: 0,
    status: 'WAITING',
  };
  world.sfn.tasks.schedule(task, (a) => answers.push(a));
  return { world, answers };
}

const sfn = () => new SFNClient({ region: DR });

describe('simulated Step Functions: callback tasks', () => {
  it('SendTaskSuccess settles the waiting Task with its output, once', async () => {
    // Prepare
    const { world, answers } = waitingWorld();

    // Act
    const again = await inSimulation(world, async () => {
      await sfn().send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: '{"ok":true}' }));
      return rejectionOf(sfn().send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: '{}' })));
    });

    // Assess
    expect(answers).toEqual([{ output: '{"ok":true}' }]);
    expect(again.name).toBe('TaskDoesNotExist');
  });

  it('SendTaskFailure settles it with the error and cause', async () => {
    // Prepare
    const { world, answers } = waitingWorld();

    // Act
    await inSimulation(world, () =>
      sfn().send(
        new SendTaskFailureCommand({ taskToken: TOKEN, error: 'PilotLight.ApprovalDenied', cause: 'no' }),
      ),
    );

    // Assess
    expect(answers).toEqual([{ error: 'PilotLight.ApprovalDenied', cause: 'no' }]);
  });

  it('refuses as AWS does: a malformed token, output that is not JSON, a timed-out Task', async () => {
    // Prepare
    const { world } = waitingWorld();

    // Act
    const errors = await inSimulation(world, async () => {
      const bad = await rejectionOf(sfn().send(new SendTaskSuccessCommand({ taskToken: 'x', output: '{}' })));
      const notJson = await rejectionOf(
        sfn().send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: '{' })),
      );
      world.sfn.tasks.settle(TOKEN, { timedOut: true }, world.clock.now());
      const late = await rejectionOf(
        sfn().send(new SendTaskSuccessCommand({ taskToken: TOKEN, output: '{}' })),
      );
      return [bad.name, notJson.name, late.name];
    });

    // Assess
    expect(errors).toEqual(['InvalidToken', 'InvalidOutput', 'TaskTimedOut']);
  });

  it('GetExecutionHistory gives the TaskScheduled the CLI reads, newest first and paged', async () => {
    // Prepare
    const { world } = waitingWorld();

    // Act
    const { token, page } = await inSimulation(world, async () => ({
      token: await approvalToken(sfn(), EXEC),
      page: await sfn().send(
        new GetExecutionHistoryCommand({ executionArn: EXEC, reverseOrder: true, maxResults: 2 }),
      ),
    }));

    // Assess
    expect(token).toBe(TOKEN);
    expect(page.events?.map((e) => e.type)).toEqual(['TaskSubmitted', 'TaskStarted']);
    expect(page.nextToken).toBe('2');
  });

  it('shows an answered Task as exited: the CLI then refuses to answer again', async () => {
    // Prepare
    const { world } = waitingWorld();
    world.sfn.tasks.settle(TOKEN, { output: '{}' }, 5);

    // Act
    const refused = await inSimulation(world, () => rejectionOf(approvalToken(sfn(), EXEC)));

    // Assess
    expect(refused.message).toMatch(/not waiting for approval \(its latest event is TaskStateExited\)/);
  });
});

describe('localDefinition', () => {
  it("rewrites the approval Task's TimeoutSecondsPath to where Parameters carry it in the effective input", () => {
    // Prepare
    const definition = buildFailoverDefinition() as unknown as StateMachineDefinition;

    // Act
    const local = localDefinition(definition) as unknown as {
      States: Record<string, { TimeoutSecondsPath?: string }>;
    };

    // Assess
    expect(local.States.AwaitApproval?.TimeoutSecondsPath).toBe(
      '$.Payload.state.preflight.approval.timeoutSeconds',
    );
    expect(
      (definition as unknown as { States: Record<string, { TimeoutSecondsPath?: string }> }).States
        .AwaitApproval?.TimeoutSecondsPath,
    ).toBe('$.preflight.approval.timeoutSeconds');
    expect(taskStates(definition).find((t) => t.name === 'AwaitApproval')).toEqual({
      name: 'AwaitApproval',
      resource: placeholder(NOTIFIER.substitution),
      callback: true,
    });
  });

  it('refuses a TimeoutSecondsPath its Parameters do not carry', () => {
    // Prepare
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn',
          Parameters: { 'a.$': '$.a' },
          TimeoutSecondsPath: '$.b',
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;

    // Act / Assess
    expect(() => localDefinition(definition)).toThrow(WiringError);
  });
});
