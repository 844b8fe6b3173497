import { SfnTasks } from './tasks';

/** Step Functions: the state machines of both regions and the executions the drill ran (or seeded). */

/** One interpreter event with its simulated time. */
export interface TimedEvent {
  /** Simulated seconds since the drill started. */
  readonly at: number;
  readonly type: string;
  readonly state?: string;
  readonly stateType?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly output?: unknown;
}

export interface SimExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** Simulated seconds (negative: before the drill started). */
  readonly startDate: number;
  stopDate?: number;
  readonly input: string;
  output?: string;
  /** The interpreter's events as they happen (drill executions): GetExecutionHistory translates them. */
  readonly interpreterEvents?: readonly TimedEvent[];
  /** Task states whose Resource is a Lambda function (the rest are service integrations). */
  readonly lambdaTasks?: ReadonlySet<string>;
  readonly roleArn?: string;
}

/** The simulated Step Functions state. */
export class SfnModel {
  readonly stateMachines = new Set<string>();
  /** By execution ARN. */
  readonly executions = new Map<string, SimExecution>();
  /** Callback Tasks waiting on a task token (the approval gate), and how they ended. */
  readonly tasks = new SfnTasks();

  /** Record an execution (one the drill starts, or history from before it). */
  add(execution: SimExecution): void {
    this.executions.set(execution.executionArn, execution);
  }
}
