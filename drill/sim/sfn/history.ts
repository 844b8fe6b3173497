import type { HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { World } from '../world';
import type { TimedEvent } from './sfn';

/**
 * An execution's history as Step Functions writes it, from the drill interpreter's events as they
 * happen (live: a Lambda reading its own execution's history mid-run sees every event so far). Each
 * event gets an id, the id of the event before it in its state (a Lambda's scheduled, started,
 * failed or succeeded events chain back to the Task's entry, as in AWS), a timestamp on the
 * virtual clock and the type AWS uses.
 */

/** What the translation needs of an execution besides its events. */
export interface InterpreterExecution {
  readonly executionArn: string;
  readonly startDate: number;
  readonly input: string;
  /** The interpreter's events so far (the array the execution keeps appending to). */
  readonly interpreterEvents: readonly TimedEvent[];
  /** Task states whose Resource is a Lambda function ARN (the rest are service integrations). */
  readonly lambdaTasks: ReadonlySet<string>;
  readonly roleArn?: string;
}

const ENDS: Readonly<Record<string, HistoryEventType>> = {
  ExecutionSucceeded: 'ExecutionSucceeded',
  ExecutionFailed: 'ExecutionFailed',
  ExecutionTimeout: 'ExecutionTimedOut',
  ExecutionAborted: 'ExecutionAborted',
};

/** `Task` → `TaskStateEntered`; the interpreter's state types are ASL's. */
function stateEvent(stateType: string, phase: 'Entered' | 'Exited'): HistoryEventType {
  return `${stateType}State${phase}` as HistoryEventType;
}

/** What a service-integration Task's `TaskScheduled` says (resource, parameters), when the simulator knows. */
export type ScheduledDetails = (state: string, at: number) => Partial<HistoryEvent> | undefined;

/**
 * The history of `e` so far. `includeData`: each event's input and output, as
 * GetExecutionHistory's `includeExecutionData` asks; `scheduled`: the details of an integration
 * Task's scheduling (a callback Task's token is in its parameters).
 */
export function interpreterHistory(
  world: World,
  e: InterpreterExecution,
  includeData: boolean,
  scheduled?: ScheduledDetails,
): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  const lastOfState = new Map<string, number>();
  const add = (type: HistoryEventType, at: number, previous: number, extra: Partial<HistoryEvent> = {}) => {
    const id = out.length + 1;
    out.push({ id, previousEventId: previous, timestamp: world.clock.dateAt(at), type, ...extra });
    return id;
  };
  const data = (value: unknown) => (includeData ? JSON.stringify(value ?? null) : undefined);
  add('ExecutionStarted', e.startDate, 0, {
    executionStartedEventDetails: {
      ...(includeData ? { input: e.input } : {}),
      ...(e.roleArn === undefined ? {} : { roleArn: e.roleArn }),
    },
  });
  const invoke = (state: string, at: number, previous: number): number => {
    const lambda = e.lambdaTasks.has(state);
    const details = lambda ? undefined : scheduled?.(state, at);
    const id = add(lambda ? 'LambdaFunctionScheduled' : 'TaskScheduled', at, previous, details ?? {});
    return add(lambda ? 'LambdaFunctionStarted' : 'TaskStarted', at, id);
  };
  for (const ev of e.interpreterEvents) {
    const last = out.length;
    const end = ENDS[ev.type];
    if (end !== undefined) {
      add(end, ev.at, last, {
        ...(end === 'ExecutionSucceeded'
          ? { executionSucceededEventDetails: includeData ? { output: data(ev.output) } : {} }
          : {}),
        ...(end === 'ExecutionFailed'
          ? { executionFailedEventDetails: { error: ev.error, cause: ev.cause } }
          : {}),
      });
      continue;
    }
    const name = ev.state;
    if (name === undefined || ev.stateType === undefined) continue;
    const isTask = ev.stateType === 'Task';
    const lambda = e.lambdaTasks.has(name);
    const mine = lastOfState.get(name) ?? last;
    let id: number | undefined;
    switch (ev.type) {
      case 'StateEntered':
        id = add(stateEvent(ev.stateType, 'Entered'), ev.at, last, {
          stateEnteredEventDetails: { name },
        });
        if (isTask) id = invoke(name, ev.at, id);
        break;
      case 'StateRetried':
        if (isTask) id = invoke(name, ev.at, mine);
        break;
      case 'StateFailed': {
        if (!isTask) break;
        const timedOut = ev.error === 'States.Timeout' || ev.error === 'Sandbox.Timedout';
        const details = {
          ...(ev.error === undefined ? {} : { error: ev.error }),
          ...(ev.cause === undefined ? {} : { cause: ev.cause }),
        };
        if (lambda) {
          id = timedOut
            ? add('LambdaFunctionTimedOut', ev.at, mine, { lambdaFunctionTimedOutEventDetails: details })
            : add('LambdaFunctionFailed', ev.at, mine, { lambdaFunctionFailedEventDetails: details });
        } else {
          id = timedOut
            ? add('TaskTimedOut', ev.at, mine, {
                taskTimedOutEventDetails: { resourceType: 'states', resource: name, ...details },
              })
            : add('TaskFailed', ev.at, mine, {
                taskFailedEventDetails: { resourceType: 'states', resource: name, ...details },
              });
        }
        break;
      }
      case 'StateExited': {
        let previous = mine;
        if (isTask) previous = add(lambda ? 'LambdaFunctionSucceeded' : 'TaskSucceeded', ev.at, mine);
        id = add(stateEvent(ev.stateType, 'Exited'), ev.at, previous, {
          stateExitedEventDetails: { name, ...(includeData ? { output: data(ev.output) } : {}) },
        });
        break;
      }
      default:
        break;
    }
    if (id !== undefined) lastOfState.set(name, id);
  }
  return out;
}

/**
 * The `TaskScheduled` details of the execution's callback Tasks (resource, region, the parameters
 * carrying the task token, the timeout), as the simulated Step Functions scheduled them: the first
 * scheduled at or after the Task's entry `at`.
 */
export function callbackScheduled(world: World, executionArn: string): ScheduledDetails {
  return (state, at) => {
    const tasks = [...world.sfn.tasks.byToken.values()]
      .filter((t) => t.executionArn === executionArn && t.stateName === state)
      .sort((a, b) => a.scheduledAt - b.scheduledAt);
    const t = tasks.find((x) => x.scheduledAt >= at) ?? tasks[tasks.length - 1];
    if (t === undefined) return undefined;
    return {
      taskScheduledEventDetails: {
        resourceType: t.resourceType,
        resource: t.resource,
        region: t.region,
        parameters: t.parameters,
        ...(t.timeoutSeconds === undefined ? {} : { timeoutInSeconds: t.timeoutSeconds }),
      },
    };
  };
}
