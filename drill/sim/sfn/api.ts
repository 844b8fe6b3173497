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
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { World } from '../world';
import type { SimExecution } from './sfn';
import { sfnTaskApi } from './tasks-api';

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
