/**
 * Step Functions' callback Tasks (`.waitForTaskToken`): the token each one waits on, answered by
 * SendTaskSuccess / SendTaskFailure, or timed out. GetExecutionHistory lists what a person (the
 * failover CLI's `approve`/`deny`) reads of them.
 */

/** Every token the drill issues starts so: anything else is not a token (`InvalidToken`). */
export const DRILL_TOKEN_PREFIX = 'drill-task-token-';

export type SimTaskAnswer =
  | { readonly output: string }
  | { readonly error: string; readonly cause: string }
  | { readonly timedOut: true };

/** One callback Task as it waits or ended. */
export interface SimCallbackTask {
  readonly token: string;
  readonly executionArn: string;
  readonly stateName: string;
  /** `lambda` and `invoke.waitForTaskToken`, as TaskScheduled records them. */
  readonly resourceType: string;
  readonly resource: string;
  readonly region: string;
  /** The Task's resolved `Parameters` (JSON), as TaskScheduled records them. */
  readonly parameters: string;
  readonly timeoutSeconds?: number;
  /** Simulated second the Task was scheduled. */
  readonly scheduledAt: number;
  status: 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  answeredAt?: number;
  answer?: SimTaskAnswer;
}

/** The callback Tasks of the simulated Step Functions, by token. */
export class SfnTasks {
  readonly byToken = new Map<string, SimCallbackTask>();
  private readonly settlers = new Map<string, (answer: SimTaskAnswer) => void>();
  private readonly listeners: ((task: SimCallbackTask) => void)[] = [];

  /** Call `listener` with each Task as it is scheduled (the drill's approver). */
  onScheduled(listener: (task: SimCallbackTask) => void): void {
    this.listeners.push(listener);
  }

  /** A Task now waits on its token; `settle` ends it in the interpreter. A retry replaces the earlier one. */
  schedule(task: SimCallbackTask, settle: (answer: SimTaskAnswer) => void): void {
    this.byToken.set(task.token, task);
    this.settlers.set(task.token, settle);
    for (const l of this.listeners) l(task);
  }

  /** End the Task with `answer` at `at`; false when it no longer waits. */
  settle(token: string, answer: SimTaskAnswer, at: number): boolean {
    const task = this.byToken.get(token);
    if (task === undefined || task.status !== 'WAITING') return false;
    task.status = 'timedOut' in answer ? 'TIMED_OUT' : 'output' in answer ? 'SUCCEEDED' : 'FAILED';
    task.answeredAt = at;
    task.answer = answer;
    this.settlers.get(token)?.(answer);
    this.settlers.delete(token);
    return true;
  }
}
