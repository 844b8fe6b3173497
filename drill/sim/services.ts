import type { PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import {
  type DescribeExecutionCommandInput,
  ExecutionDoesNotExist,
  type ExecutionListItem,
  InvalidArn,
  type ListExecutionsCommandInput,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { InvalidParameterException, NotFoundException, type PublishCommandInput } from '@aws-sdk/client-sns';
import { modeledError } from './aws-errors';
import type { SimHandler } from './rds';
import type { SimExecution, World } from './world';

function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3];
}

function listItem(world: World, e: SimExecution): ExecutionListItem {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: world.dateAt(e.startDate),
    ...(e.stopDate === undefined ? {} : { stopDate: world.dateAt(e.stopDate) }),
  };
}

/** The simulated Step Functions API, answering from the drill's own execution records. */
export const sfnHandlers: Readonly<Record<string, SimHandler>> = {
  ListExecutions: (raw, world, region) => {
    const input = raw as ListExecutionsCommandInput;
    const arn = input.stateMachineArn ?? '';
    if (!arn.startsWith('arn:')) throw modeledError(InvalidArn, `Invalid Arn: '${arn}'`);
    if (!world.stateMachines.has(arn) || regionOfArn(arn) !== region) {
      throw modeledError(StateMachineDoesNotExist, `State Machine Does Not Exist: '${arn}'`);
    }
    const all = [...world.executions.values()]
      .filter((e) => e.stateMachineArn === arn)
      .filter((e) => input.statusFilter === undefined || e.status === input.statusFilter)
      .sort((a, b) => b.startDate - a.startDate);
    const max = input.maxResults === undefined || input.maxResults === 0 ? 100 : input.maxResults;
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
    const e = world.executions.get(input.executionArn ?? '');
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

/** The simulated SNS API: publishes are recorded for the report and the invariants. */
export const snsHandlers: Readonly<Record<string, SimHandler>> = {
  Publish: (raw, world, region, call) => {
    const input = raw as PublishCommandInput;
    const arn = input.TopicArn ?? '';
    const topicRegion = world.topics.get(arn);
    if (topicRegion === undefined) throw modeledError(NotFoundException, 'Topic does not exist', 404);
    if (topicRegion !== region) {
      throw modeledError(InvalidParameterException, 'Invalid parameter: TopicArn');
    }
    if (input.Message === undefined || input.Message === '') {
      throw modeledError(InvalidParameterException, 'Invalid parameter: Empty message');
    }
    world.published.push({
      at: world.now(),
      topicArn: arn,
      ...(input.Subject === undefined ? {} : { subject: input.Subject }),
      message: input.Message,
      ...(call.execution === undefined ? {} : { execution: call.execution }),
      ...(call.state === undefined ? {} : { state: call.state }),
    });
    return { MessageId: world.uuid() };
  },
};

/** The simulated CloudWatch API: metric data is recorded. */
export const cloudWatchHandlers: Readonly<Record<string, SimHandler>> = {
  PutMetricData: (raw, world, region) => {
    const input = raw as PutMetricDataCommandInput;
    world.metrics.push({
      at: world.now(),
      region,
      namespace: input.Namespace ?? '',
      count: input.MetricData?.length ?? 0,
    });
    return {};
  },
};
