import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import type { RegionCheckSpec } from '../check-spec';
import { combine, fail, failPart, isReadErrorNamed, type Part, part, passPart, read } from '../outcome';
import type { ReadinessReads } from '../reads';

const LAMBDA_ARN = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/;

/**
 * Every Lambda a state machine definition calls: a `Resource` that is a Lambda ARN (direct
 * invocation) and each `FunctionName` given literally (`arn:…:states:::lambda:invoke` in
 * `Parameters` or `Arguments`), at any depth (Parallel branches, Map processors, nested states).
 * Paths (`FunctionName.$`) and JSONata expressions are chosen at run time and cannot be checked.
 */
export function lambdaFunctionsOf(definition: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') {
        if (key === 'Resource' && LAMBDA_ARN.test(value)) found.add(value);
        if (key === 'FunctionName' && !value.startsWith('{%')) found.add(value);
      } else {
        walk(value);
      }
    }
  };
  walk(definition);
  return [...found].sort();
}

async function functionPart(reads: ReadinessReads, name: string): Promise<Part> {
  const fix = "deploy this region's orchestrator stack";
  try {
    const out = await read('lambda:GetFunction', () =>
      reads.clients.lambda.send(new GetFunctionCommand({ FunctionName: name })),
    );
    const state = out.Configuration?.State;
    const update = out.Configuration?.LastUpdateStatus;
    if (state !== 'Active') {
      return failPart(
        `function ${name} is ${state ?? 'in an unknown state'}${out.Configuration?.StateReason ? ` (${out.Configuration.StateReason})` : ''}`,
        `${fix}; aws lambda get-function --function-name ${name}`,
      );
    }
    if (update === 'Failed') {
      return failPart(
        `function ${name}: its last update failed${out.Configuration?.LastUpdateStatusReason ? ` (${out.Configuration.LastUpdateStatusReason})` : ''}`,
        `${fix}; aws lambda get-function --function-name ${name}`,
      );
    }
    return passPart;
  } catch (err: unknown) {
    if (isReadErrorNamed(err, 'ResourceNotFoundException'))
      return failPart(`function ${name} does not exist`, fix);
    throw err;
  }
}

/**
 * `orchestrator`: this region's failover state machine is ACTIVE and every Lambda its definition
 * calls exists, is Active and its last update did not fail.
 */
export const orchestratorCheck: RegionCheckSpec = {
  id: 'orchestrator',
  scope: 'region',
  what: (s) =>
    `state machine ${s.stateMachineArn.split(':').pop() ?? s.stateMachineArn} ACTIVE with every Lambda it calls Active`,
  run: async (s, reads) => {
    const what = orchestratorCheck.what(s);
    const fix = `deploy this region's orchestrator stack (aws stepfunctions describe-state-machine --state-machine-arn ${s.stateMachineArn})`;
    let sm: { status?: string; definition?: string };
    try {
      sm = await read('states:DescribeStateMachine', () =>
        reads.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: s.stateMachineArn })),
      );
    } catch (err: unknown) {
      if (isReadErrorNamed(err, 'StateMachineDoesNotExist')) {
        return fail('orchestrator', what, `state machine ${s.stateMachineArn} does not exist`, fix);
      }
      throw err;
    }
    if (sm.status !== 'ACTIVE') {
      return fail('orchestrator', what, `state machine is ${sm.status ?? 'in an unknown state'}`, fix);
    }
    let definition: unknown;
    try {
      definition = JSON.parse(sm.definition ?? '');
    } catch {
      return fail('orchestrator', what, 'the state machine definition is not JSON', fix);
    }
    const functions = lambdaFunctionsOf(definition);
    if (functions.length === 0) {
      return fail(
        'orchestrator',
        what,
        'the definition calls no Lambda: it is not the failover definition',
        fix,
      );
    }
    const parts = await Promise.all(functions.map((f) => part(() => functionPart(reads, f))));
    return combine('orchestrator', `${what} (${functions.length} functions)`, parts);
  },
};
