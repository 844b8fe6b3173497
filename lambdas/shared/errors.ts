/**
 * Named errors. Lambda reports `error.name` as the error type, which the state machine's Retry and
 * Catch match on: `TransientAwsError` is retried with backoff; every other name is permanent and
 * caught into the failure notification.
 */

import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

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
/** CloudWatch refused a query of a GetMetricData request (its StatusCode `Forbidden`): retrying will not help. */
export class MetricQueryError extends NamedError {}

/**
 * Transient here although the SDK's classification says otherwise. Each entry names its reason; the
 * SDK's own lists (throttling codes such as Route 53's `PriorRequestNotComplete`, 500/502/503/504,
 * `TimeoutError`, Node's socket and DNS error codes) are not repeated here.
 */
const PROJECT_TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  // The SDK treats an abort as the caller giving up. The only abort signal the Lambdas pass is
  // withTimeout's deadline, so an abort means the endpoint did not answer in time, like TimeoutError.
  'AbortError',
]);

type SdkError = Parameters<typeof isTransientError>[0];

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
  return isThrottlingError(asError(err) as SdkError);
}

/**
 * Whether an SDK or network error is worth retrying: what the SDK itself classifies as throttling, a
 * transient error or a server error (any 5xx), plus {@link PROJECT_TRANSIENT_NAMES}. A project error
 * other than {@link TransientAwsError} is a decision already made, so it is never transient, whatever
 * its cause.
 */
export function isTransient(err: unknown): boolean {
  const e = asError(err);
  if (e instanceof TransientAwsError) return true;
  if (e instanceof NamedError) return false;
  if (PROJECT_TRANSIENT_NAMES.has(e.name)) return true;
  const sdkError = e as SdkError;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
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

/**
 * The source probe got an answer that says nothing of an outage (AccessDenied, a missing cluster, a
 * bad parameter): a misconfiguration, which must never make `auto` choose a failover with data loss.
 */
export class SourceProbeError extends NamedError {}
/** Mode planned was requested but the source region does not answer: a switchover cannot run there. */
export class SourceUnreachableError extends NamedError {}
