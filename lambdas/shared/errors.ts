/**
 * Named errors. Lambda reports `error.name` as the error type, which the state machine's Retry and
 * Catch match on: `TransientAwsError` is retried with backoff; every other name is permanent and
 * caught into the failure notification.
 */

abstract class NamedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Throttling, 5xx, timeouts, an unreachable endpoint: worth retrying. */
export class TransientAwsError extends NamedError {}
/** The execution input or a Lambda's environment is not what the contract says. */
export class InvalidInputError extends NamedError {}
/** A resource the project expects (cluster, service, record, zone) does not exist. */
export class ResourceNotFoundError extends NamedError {}
/** A resource is in a state the step cannot act from (e.g. the target cluster left the global cluster). */
export class InvalidStateError extends NamedError {}
/** A DB instance could not be created or went to a failed state. */
export class InstanceCreationFailedError extends NamedError {}
/** A planned switchover was refused (the source region is unhealthy or unreachable). */
export class SwitchoverRefusedError extends NamedError {}
/** A poll loop used its attempt budget before the goal was met. */
export class WaitTimeoutError extends NamedError {}

const THROTTLING_NAMES = [
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
] as const;

const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  ...THROTTLING_NAMES,
  'PriorRequestNotComplete',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'AbortError',
]);

/** Narrow an unknown thrown value to an Error. */
export function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === 'string' ? err : JSON.stringify(err));
}

function errorCode(err: Error): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether `err` is an AWS (or Node) error whose name or code is one of `names`. */
export function hasErrorName(err: unknown, ...names: readonly string[]): boolean {
  const e = asError(err);
  const code = errorCode(e);
  return names.includes(e.name) || (code !== undefined && names.includes(code));
}

/** Whether `err` is throttling (retry it) rather than a failure of the service behind the call. */
export function isThrottling(err: unknown): boolean {
  const e = asError(err);
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 429 || hasErrorName(e, ...THROTTLING_NAMES);
}

/** Whether an SDK or network error is worth retrying. */
export function isTransient(err: unknown): boolean {
  const e = asError(err);
  if (e instanceof TransientAwsError) return true;
  if (TRANSIENT_NAMES.has(e.name)) return true;
  const code = errorCode(e);
  if (code !== undefined && TRANSIENT_NAMES.has(code)) return true;
  const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const status = meta?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  const retryable = (e as { $retryable?: unknown }).$retryable;
  return retryable !== undefined && retryable !== null;
}

/**
 * Rethrow an SDK error from `action` so the state machine can route it: transient ones become
 * {@link TransientAwsError}; named project errors and other SDK errors pass through unchanged.
 */
export function rethrow(err: unknown, action: string): never {
  const e = asError(err);
  if (e instanceof NamedError) throw e;
  if (isTransient(e)) throw new TransientAwsError(`${action}: ${e.name}: ${e.message}`, { cause: e });
  throw e;
}

/** Await one SDK call named `action`, routing its errors through {@link rethrow}. */
export async function awsCall<T>(action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err: unknown) {
    rethrow(err, action);
  }
}
