import {
  type DescribeExecutionCommandInput,
  ExecutionDoesNotExist,
  type ExecutionListItem,
  InvalidArn,
  type ListExecutionsCommandInput,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { modeledError } from './aws-errors';
import type { SimApi } from './calls';
import type { World } from './world';

/** Step Functions: the state machines of both regions and the executions the drill ran (or seeded). */

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
}

/** The simulated Step Functions state. */
export class SfnModel {
  readonly stateMachines = new Set<string>();
  /** By execution ARN. */
  readonly executions = new Map<string, SimExecution>();

  /** Record an execution (one the drill starts, or history from before it). */
  add(execution: SimExecution): void {
    this.executions.set(execution.executionArn, execution);
  }
}

/** ListExecutions pages hold at most this many items unless `maxResults` says otherwise. */
const DEFAULT_PAGE = 100;

function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3];
}

function listItem(world: World, e: SimExecution): ExecutionListItem {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: world.clock.dateAt(e.startDate),
    ...(e.stopDate === undefined ? {} : { stopDate: world.clock.dateAt(e.stopDate) }),
  };
}

/** The simulated Step Functions API, answering from the execution records. */
export const sfnApi: SimApi = {
  ListExecutions: (raw, world, region) => {
    const input = raw as ListExecutionsCommandInput;
    const arn = input.stateMachineArn ?? '';
    if (!arn.startsWith('arn:')) throw modeledError(InvalidArn, `Invalid Arn: '${arn}'`);
    if (!world.sfn.stateMachines.has(arn) || regionOfArn(arn) !== region) {
      throw modeledError(StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
    }
    const all = [...world.sfn.executions.values()]
      .filter((e) => e.stateMachineArn === arn)
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .sort((a, b) => b.startDate - a.startDate);
    const max = input.maxResults === undefined || input.maxResults === 0 ? DEFAULT_PAGE : input.maxResults;
    const offset = input.nextToken === undefined ? 0 : Number(input.nextToken);
    const page = all.slice(offset, offset + max);
    const more = offset + max < all.length;
    return {
      executions: page.map((e) => listItem(world, e)),
      ...(more ? { nextToken: String(offset + max) } : {}),
    };
  },

  DescribeExecution: (raw, world, region) => {
    const input = raw as DescribeExecutionCommandInput;
    const e = world.sfn.executions.get(input.executionArn ?? '');
    if (e === undefined || regionOfArn(e.executionArn) !== region) {
      throw modeledError(ExecutionDoesNotExist, `Execution Does Not Exist: '${String(input.executionArn)}'`);
    }
    return {
      ...listItem(world, e),
      input: e.input,
      ...(e.output === undefined ? {} : { output: e.output }),
    };
  },
};
