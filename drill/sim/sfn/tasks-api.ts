import {
  ExecutionDoesNotExist,
  type GetExecutionHistoryCommandInput,
  type HistoryEvent,
  type HistoryEventType,
  InvalidOutput,
  InvalidToken,
  type SendTaskFailureCommandInput,
  type SendTaskSuccessCommandInput,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { World } from '../world';
import { callbackScheduled, interpreterHistory } from './history';
import { DRILL_TOKEN_PREFIX, type SimCallbackTask } from './tasks';

/** The waiting Task of `token`, or the error SendTask* answers with (API reference). */
function waitingTask(world: World, token: string | undefined): SimCallbackTask {
  if (token === undefined || !token.startsWith(DRILL_TOKEN_PREFIX)) {
    throw modeledError(InvalidToken, `Invalid Token: '${String(token)}'`);
  }
  const task = world.sfn.tasks.byToken.get(token);
  if (task?.status === 'TIMED_OUT') throw modeledError(TaskTimedOut, 'Task Timed Out');
  if (task === undefined || task.status !== 'WAITING') {
    throw modeledError(TaskDoesNotExist, 'Task Does Not Exist');
  }
  return task;
}

const EXECUTION_END: Readonly<Record<string, HistoryEventType>> = {
  SUCCEEDED: 'ExecutionSucceeded',
  FAILED: 'ExecutionFailed',
  TIMED_OUT: 'ExecutionTimedOut',
  ABORTED: 'ExecutionAborted',
};
const TASK_END: Readonly<Record<SimCallbackTask['status'], HistoryEventType | undefined>> = {
  WAITING: undefined,
  SUCCEEDED: 'TaskSucceeded',
  FAILED: 'TaskFailed',
  TIMED_OUT: 'TaskTimedOut',
};
/** GetExecutionHistory's default page (API reference: up to 1000 per page; 100 by default). */
const DEFAULT_HISTORY_PAGE = 100;

/**
 * The events of `executionArn` the drill models: its start, each callback Task's life (entered,
 * scheduled with its parameters, started, submitted, answered, exited) and its end. Other states'
 * events are not modeled; a Task's answer is followed by its exit, so a reader sees it passed.
 */
function history(world: World, executionArn: string): HistoryEvent[] {
  const e = world.sfn.executions.get(executionArn);
  if (e === undefined) return [];
  const out: HistoryEvent[] = [];
  const add = (type: HistoryEventType, at: number, extra: Partial<HistoryEvent> = {}) =>
    out.push({
      id: out.length + 1,
      previousEventId: out.length,
      type,
      timestamp: world.clock.dateAt(at),
      ...extra,
    });
  add('ExecutionStarted', e.startDate);
  const tasks = [...world.sfn.tasks.byToken.values()]
    .filter((t) => t.executionArn === executionArn)
    .sort((a, b) => a.scheduledAt - b.scheduledAt);
  for (const t of tasks) {
    add('TaskStateEntered', t.scheduledAt, { stateEnteredEventDetails: { name: t.stateName } });
    add('TaskScheduled', t.scheduledAt, {
      taskScheduledEventDetails: {
        resourceType: t.resourceType,
        resource: t.resource,
        region: t.region,
        parameters: t.parameters,
        ...(t.timeoutSeconds === undefined ? {} : { timeoutInSeconds: t.timeoutSeconds }),
      },
    });
    add('TaskStarted', t.scheduledAt);
    add('TaskSubmitted', t.scheduledAt);
    const end = TASK_END[t.status];
    if (end !== undefined && t.answeredAt !== undefined) {
      add(end, t.answeredAt);
      add('TaskStateExited', t.answeredAt, { stateExitedEventDetails: { name: t.stateName } });
    }
  }
  const ended = EXECUTION_END[e.status];
  if (ended !== undefined) add(ended, e.stopDate ?? world.clock.now());
  return out;
}

/** SendTaskSuccess, SendTaskFailure and GetExecutionHistory, answering from {@link SfnTasks}. */
export const sfnTaskApi: SimApi = {
  SendTaskSuccess: (raw, world) => {
    const input = raw as SendTaskSuccessCommandInput;
    const task = waitingTask(world, input.taskToken);
    try {
      JSON.parse(input.output ?? '');
    } catch {
      throw modeledError(InvalidOutput, 'Invalid Output: the output is not valid JSON');
    }
    world.sfn.tasks.settle(task.token, { output: input.output ?? '' }, world.clock.now());
    return {};
  },

  SendTaskFailure: (raw, world) => {
    const input = raw as SendTaskFailureCommandInput;
    const task = waitingTask(world, input.taskToken);
    world.sfn.tasks.settle(
      task.token,
      { error: input.error ?? '', cause: input.cause ?? '' },
      world.clock.now(),
    );
    return {};
  },

  GetExecutionHistory: (raw, world, region) => {
    const input = raw as GetExecutionHistoryCommandInput;
    const arn = input.executionArn ?? '';
    const e = world.sfn.executions.get(arn);
    if (e === undefined || arn.split(':')[3] !== region) {
      throw modeledError(ExecutionDoesNotExist, `Execution Does Not Exist: '${arn}'`);
    }
    // A drill execution's history is its interpreter's events (live); seeded ones have only this model's.
    const live = e.interpreterEvents;
    const events =
      live === undefined
        ? history(world, arn)
        : interpreterHistory(
            world,
            { ...e, interpreterEvents: live, lambdaTasks: e.lambdaTasks ?? new Set() },
            input.includeExecutionData === true,
            callbackScheduled(world, arn),
          );
    if (input.reverseOrder === true) events.reverse();
    const offset = input.nextToken === undefined ? 0 : Number(input.nextToken);
    if (!Number.isInteger(offset) || offset < 0)
      throw modeledError(InvalidToken, `Invalid Token: '${input.nextToken}'`);
    const size =
      input.maxResults === undefined || input.maxResults === 0 ? DEFAULT_HISTORY_PAGE : input.maxResults;
    const more = offset + size < events.length;
    return {
      events: events.slice(offset, offset + size),
      ...(more ? { nextToken: String(offset + size) } : {}),
    };
  },
};
