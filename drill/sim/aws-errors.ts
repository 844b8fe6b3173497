/**
 * Errors shaped like the SDK's own: modeled faults are instances of the client's exception classes;
 * unmodeled codes (Throttling, ValidationError) are the client's base ServiceException with that
 * name. Both carry `$metadata.httpStatusCode` and `$fault`, as a real response would.
 */

interface ServiceExceptionLike extends Error {
  readonly $metadata: { httpStatusCode?: number };
}

type ModeledCtor<E> = new (opts: {
  $metadata: { httpStatusCode?: number; requestId?: string };
  message: string;
}) => E;

type BaseCtor<E> = new (opts: {
  name: string;
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode?: number; requestId?: string };
  message?: string;
}) => E;

let requestCounter = 0;
function requestId(): string {
  requestCounter += 1;
  return `drill-${requestCounter.toString(16).padStart(8, '0')}`;
}

/** An instance of a modeled exception class (e.g. `DBInstanceAlreadyExistsFault`). */
export function modeledError<E extends ServiceExceptionLike>(
  ctor: ModeledCtor<E>,
  message: string,
  httpStatusCode = 400,
): E {
  return new ctor({ $metadata: { httpStatusCode, requestId: requestId() }, message });
}

/** The service's base exception carrying an unmodeled error code as its name (e.g. `Throttling`). */
export function serviceError<E extends ServiceExceptionLike>(
  base: BaseCtor<E>,
  name: string,
  message: string,
  httpStatusCode = 400,
): E {
  return new base({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: requestId() },
    message,
  });
}

/** What Node's HTTP stack throws when the endpoint never answers: no status, a socket error code. */
export function connectTimeoutError(host: string): Error {
  const err = new Error(`connect ETIMEDOUT ${host}:443`);
  return Object.assign(err, {
    code: 'ETIMEDOUT',
    errno: -110,
    syscall: 'connect',
    $metadata: { attempts: 1, totalRetryDelay: 0 },
  });
}

/** What the SDK throws when the caller's abort signal fires first. */
export function abortError(): Error {
  const err = new Error('Request aborted');
  err.name = 'AbortError';
  return err;
}
