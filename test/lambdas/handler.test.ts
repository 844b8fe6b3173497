import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { invoke } from '../../lambdas/shared/handler';
import { withEnv } from './helpers';

/** A Logger that records what `invoke` asks of it. */
function makeLogger() {
  const calls = {
    resetKeys: jest.fn(),
    addContext: jest.fn(),
    appendKeys: jest.fn(),
    info: jest.fn(),
    error: jest.fn(),
  };
  return { calls, logger: calls as unknown as Logger };
}

function makeContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'proj-dr-preflight',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-west-2:111111111111:function:proj-dr-preflight',
    memoryLimitInMB: '256',
    awsRequestId: 'req-1',
    logGroupName: '/aws/lambda/proj-dr-preflight',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}

/** Runs `fn` with TARGET_REGION and TARGET_ROLE absent from the environment. */
async function withoutRegionEnv<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { region: process.env.TARGET_REGION, role: process.env.TARGET_ROLE };
  delete process.env.TARGET_REGION;
  delete process.env.TARGET_ROLE;
  try {
    return await fn();
  } finally {
    if (saved.region !== undefined) process.env.TARGET_REGION = saved.region;
    if (saved.role !== undefined) process.env.TARGET_ROLE = saved.role;
  }
}

describe('invoke', () => {
  it('resets the keys a warm container kept, then tags the logs with the context, execution and region', async () => {
    // Prepare
    const { calls, logger } = makeLogger();
    const context = makeContext();
    // Act
    const result = await withEnv({ TARGET_REGION: 'us-west-2', TARGET_ROLE: 'dr' }, () =>
      invoke(logger, context, 'arn:exec', async () => ({ status: 'READY' })),
    );
    // Assess
    expect(result).toEqual({ status: 'READY' });
    expect(calls.addContext).toHaveBeenCalledWith(context);
    expect(calls.appendKeys).toHaveBeenCalledWith({ execution: 'arn:exec', region: 'us-west-2', role: 'dr' });
    expect(calls.resetKeys.mock.invocationCallOrder[0]).toBeLessThan(
      calls.appendKeys.mock.invocationCallOrder[0] ?? 0,
    );
    expect(calls.info).toHaveBeenCalledWith('completed', { result: { status: 'READY' } });
  });

  it('marks what it does not know (no context, execution or region) instead of failing', async () => {
    // Prepare
    const { calls, logger } = makeLogger();
    // Act
    const result = await withoutRegionEnv(() => invoke(logger, undefined, undefined, async () => 1));
    // Assess
    expect(result).toBe(1);
    expect(calls.addContext).not.toHaveBeenCalled();
    expect(calls.appendKeys).toHaveBeenCalledWith({ execution: 'unknown', region: 'unset', role: 'unset' });
  });

  it('logs the error and rethrows it unchanged, so the state machine can match its name', async () => {
    // Prepare
    const { calls, logger } = makeLogger();
    const failure = Object.assign(new Error('cluster is gone'), { name: 'ResourceNotFoundError' });
    // Act
    const run = invoke(logger, undefined, 'arn:exec', async () => {
      throw failure;
    });
    // Assess
    await expect(run).rejects.toBe(failure);
    expect(calls.error).toHaveBeenCalledWith('failed', failure);
    expect(calls.info).not.toHaveBeenCalled();
  });
});
