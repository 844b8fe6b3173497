import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { asError } from './errors';

/**
 * Run one invocation of a handler: tag the logs with the execution and region (reset per
 * invocation, since a warm container serves many executions), log the result or the error, and
 * rethrow errors unchanged so Step Functions can match their names.
 */
export async function invoke<T>(
  logger: Logger,
  context: Context | undefined,
  executionArn: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  logger.resetKeys();
  if (context !== undefined) logger.addContext(context);
  logger.appendKeys({
    execution: executionArn ?? 'unknown',
    region: process.env.TARGET_REGION ?? 'unset',
    role: process.env.TARGET_ROLE ?? 'unset',
  });
  try {
    const result = await work();
    logger.info('completed', { result: result as Record<string, unknown> });
    return result;
  } catch (err: unknown) {
    logger.error('failed', asError(err));
    throw err;
  }
}
