import {
  type DescribeExecutionCommandInput,
  ExecutionDoesNotExist,
  type ExecutionListItem,
  InvalidArn,
  InvalidToken,
  type ListExecutionsCommandInput,
  StateMachineDoesNotExist,
  ValidationException,
} from '@aws-sdk/client-sfn';
import type { TimedEvent } from '../../runner/execution';
import { modeledError } from '../aws-errors';
import type { SimApi } from '../calls';
import type { World } from '../world';
import { SfnTasks, sfnTaskApi } from './tasks';

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

/** ListExecutions pages hold at most this many items unless `maxResults` says otherwise. */
const DEFAULT_PAGE = 100;
/** ListExecutions' `maxResults` range is 0 to this (API reference; 0 means the default page). */
const MAX_PAGE = 1000;
const STATUSES: readonly string[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];

/** The page `input` asks for: offset and size, or the API's refusal of a bad token or size. */
function pageOf(input: ListExecutionsCommandInput): { readonly offset: number; readonly size: number } {
  const { maxResults, nextToken } = input;
  if (
    maxResults !== undefined &&
    (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE)
  ) {
    throw modeledError(
      ValidationException,
      `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`,
    );
  }
  const offset = nextToken === undefined ? 0 : Number(nextToken);
  if (!Number.isInteger(offset) || offset < 0)
    throw modeledError(InvalidToken, `Invalid Token: '${nextToken}'`);
  return { offset, size: maxResults === undefined || maxResults === 0 ? DEFAULT_PAGE : maxResults };
}

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
  ...sfnTaskApi,
  ListExecutions: (raw, world, region) => {
    const input = raw as ListExecutionsCommandInput;
    const arn = input.stateMachineArn ?? '';
    if (!arn.startsWith('arn:')) throw modeledError(InvalidArn, `Invalid Arn: '${arn}'`);
    if (input.statusFilter !== undefined && !STATUSES.includes(input.statusFilter)) {
      throw modeledError(
        ValidationException,
        `1 validation error detected: Value '${input.statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`,
      );
    }
    const { offset, size: max } = pageOf(input);
    if (!world.sfn.stateMachines.has(arn) || regionOfArn(arn) !== region) {
      throw modeledError(StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
    }
    const all = [...world.sfn.executions.values()]
      .filter((e) => e.stateMachineArn === arn)
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .sort((a, b) => b.startDate - a.startDate);
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
