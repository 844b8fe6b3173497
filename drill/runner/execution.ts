import type { StateMachine } from 'aws-local-stepfunctions';
import type { TimedEvent } from '../sim/sfn/sfn';
import type { LocalTaskHandler } from './lambda-emulation';
import type { StateEvent } from './progress';

/**
 * One execution in aws-local-stepfunctions, with every interpreter event captured at its
 * simulated time: what the report, the analysis and the tests read.
 */

/** One execution of the state machine during the drill. */
export interface ExecutionRecord {
  readonly index: number;
  readonly name: string;
  readonly executionArn: string;
  readonly input: unknown;
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly events: readonly TimedEvent[];
}

/** Who is running, and as what: the execution's identity and the context object it sees. */
export interface ExecutionIdentity {
  readonly index: number;
  readonly name: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** The role the execution runs as. */
  readonly roleArn: string;
  /**
   * `$$.Task.Token` for the execution's callback Tasks. One per execution: the local interpreter's
   * context is fixed for the run (AWS issues a token per Task attempt).
   */
  readonly taskToken?: string;
}

/** One execution to run: the interpreter, who runs, the input, and each Task's local handler. */
export interface ExecutionRequest {
  readonly machine: StateMachine;
  readonly identity: ExecutionIdentity;
  readonly input: unknown;
  /** Simulated second the execution starts at. */
  readonly startedAt: number;
  /** Local handlers of every Task state, by state name. */
  readonly handlers: Readonly<Record<string, LocalTaskHandler>>;
  /** `Date.now()` at simulated second 0. */
  readonly epochMs: number;
  /** Called for each state-level event as it happens (progress lines). */
  readonly onStateEvent?: (event: StateEvent) => void;
  /** The array to capture into, read live by the simulated GetExecutionHistory. @default a new one */
  readonly events?: TimedEvent[];
}

type RunInput = Parameters<StateMachine['run']>[0];
type EventLogs = ReturnType<StateMachine['run']>['eventLogs'];

/** Read the interpreter's event log into `events` until it ends. */
async function capture(logs: EventLogs, request: ExecutionRequest, events: TimedEvent[]): Promise<void> {
  for await (const ev of logs) {
    const at = (ev.timestamp - request.epochMs) / 1000;
    const state = 'state' in ev ? ev.state : undefined;
    const timed: TimedEvent = {
      at,
      type: ev.type,
      ...(state === undefined ? {} : { state: state.name, stateType: state.type }),
      ...(state?.output === undefined ? {} : { output: state.output }),
      ...('Error' in ev ? { error: ev.Error, cause: String(ev.Cause) } : {}),
    };
    events.push(timed);
    if (state !== undefined) request.onStateEvent?.({ ...timed, state: state.name, stateType: state.type });
  }
}

/** Run one execution to its end; `now` reads simulated seconds. A failed execution is a record, not a throw. */
export async function runExecution(request: ExecutionRequest, now: () => number): Promise<ExecutionRecord> {
  const { identity, input, startedAt } = request;
  const run = request.machine.run(input as RunInput, {
    overrides: { taskResourceLocalHandlers: { ...request.handlers } },
    context: {
      Execution: { Id: identity.executionArn, Name: identity.name, RoleArn: identity.roleArn },
      StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
      ...(identity.taskToken === undefined ? {} : { Task: { Token: identity.taskToken } }),
    },
  });
  const events: TimedEvent[] = request.events ?? [];
  const consumed = capture(run.eventLogs, request, events);
  const { index, name, executionArn } = identity;
  const base = { index, name, executionArn, input, startedAt, events };
  try {
    const output = await run.result;
    await consumed;
    return { ...base, stoppedAt: now(), status: 'SUCCEEDED', output };
  } catch (err: unknown) {
    await consumed;
    const failed = [...events].reverse().find((e) => e.type === 'ExecutionFailed');
    const timedOut = events.some((e) => e.type === 'ExecutionTimeout');
    return {
      ...base,
      stoppedAt: now(),
      status: timedOut ? 'TIMED_OUT' : 'FAILED',
      error: failed?.error ?? (err instanceof Error ? err.name : 'Error'),
      cause: failed?.cause ?? (err instanceof Error ? err.message : String(err)),
    };
  }
}
