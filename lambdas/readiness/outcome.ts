import { asError, hasErrorName, isThrottling, isTransient } from '../shared/errors';
import type { ReadinessCheck, ReadinessCheckId, ReadinessStatus } from '../shared/readiness-contract';

/** The latest replication lag read by the `replication-lag` check. */
export interface LagReading {
  readonly seconds: number;
  /** ISO time of the datapoint. */
  readonly at: string;
}

/** What a check returns: its finding, and for `replication-lag` the lag it read. */
export interface CheckOutcome extends ReadinessCheck {
  readonly replicationLag?: LagReading;
}

/** One part of a check that verifies several things (e.g. the AMI, then the instance type offerings). */
export interface Part {
  readonly status: ReadinessStatus;
  readonly why?: string;
  readonly fix?: string;
}

/**
 * A read that failed (SDK error, throttling, access denied). `action` is the IAM action of the
 * call (`rds:DescribeGlobalClusters`), so the finding can say which permission or API failed.
 * Never leaves the readiness Lambda: a failed read makes its check UNKNOWN.
 */
export class ReadError extends Error {
  constructor(
    readonly action: string,
    override readonly cause: Error,
  ) {
    super(`${action}: ${cause.name}: ${cause.message}`, { cause });
    this.name = 'ReadError';
  }
}

/** Await one AWS read named by its IAM `action`; any error becomes a {@link ReadError}. */
export async function read<T>(action: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err: unknown) {
    throw new ReadError(action, asError(err));
  }
}

/** Whether `err` is a failed read whose AWS error is one of `names` (a definite "does not exist"). */
export function isReadErrorNamed(err: unknown, ...names: readonly string[]): boolean {
  return err instanceof ReadError && hasErrorName(err.cause, ...names);
}

export const pass = (id: ReadinessCheckId, what: string): CheckOutcome => ({ id, status: 'PASS', what });

export const fail = (id: ReadinessCheckId, what: string, why: string, fix: string): CheckOutcome => ({
  id,
  status: 'FAIL',
  what,
  why,
  fix,
});

export const unknown = (id: ReadinessCheckId, what: string, why: string, fix: string): CheckOutcome => ({
  id,
  status: 'UNKNOWN',
  what,
  why,
  fix,
});

function isAccessDenied(err: Error): boolean {
  return (
    hasErrorName(
      err,
      'AccessDenied',
      'AccessDeniedException',
      'UnauthorizedOperation',
      'AuthorizationError',
    ) || /not authorized|access denied/i.test(err.message)
  );
}

/** The part a failed read leaves: UNKNOWN, why (the API's error), and what to do about it. */
export function partOfError(err: unknown): Part {
  if (err instanceof ReadError) {
    const cause = err.cause;
    let fix: string;
    if (isAccessDenied(cause)) {
      fix = `grant ${err.action} to the readiness function's role (or to the credentials of npm run readiness)`;
    } else if (isThrottling(cause) || isTransient(cause)) {
      fix = 'transient: the next evaluation reads it again; if it persists, check the AWS Health Dashboard';
    } else {
      fix = `an unexpected answer from ${err.action} (see why); npm run readiness re-runs the checks with your credentials`;
    }
    return { status: 'UNKNOWN', why: `${err.action} failed: ${cause.name}: ${cause.message}`, fix };
  }
  const e = asError(err);
  if (e.name === 'TimeoutError') {
    return {
      status: 'UNKNOWN',
      why: `timed out: ${e.message}`,
      fix: 'transient: the next evaluation reads it again; if it persists, the API is slow or unreachable from the function',
    };
  }
  return {
    status: 'UNKNOWN',
    why: `the check failed: ${e.name}: ${e.message}`,
    fix: 'a bug in the readiness check: report it with this finding',
  };
}

/** Run one part; a failed read becomes an UNKNOWN part instead of ending the whole check. */
export async function part(work: () => Promise<Part>): Promise<Part> {
  try {
    return await work();
  } catch (err: unknown) {
    return partOfError(err);
  }
}

export const passPart: Part = { status: 'PASS' };
export const failPart = (why: string, fix: string): Part => ({ status: 'FAIL', why, fix });
export const unknownPart = (why: string, fix: string): Part => ({ status: 'UNKNOWN', why, fix });

/** `p` with its why naming `entry` (`service api: …`), when it has one: a part about one resource of several. */
export function namedPart(entry: string, p: Part): Part {
  return p.why === undefined || p.why.startsWith(`${entry}: `) ? p : { ...p, why: `${entry}: ${p.why}` };
}

/**
 * One finding from several parts: FAIL when any part failed (a definite negative outweighs what
 * could not be read), else UNKNOWN when any part is, else PASS. The why and fix of every part that
 * is not PASS are kept, in order.
 */
export function combine(id: ReadinessCheckId, what: string, parts: readonly Part[]): CheckOutcome {
  const bad = parts.filter((p) => p.status !== 'PASS');
  if (bad.length === 0) return pass(id, what);
  const status: ReadinessStatus = bad.some((p) => p.status === 'FAIL') ? 'FAIL' : 'UNKNOWN';
  const join = (xs: readonly (string | undefined)[]) =>
    [...new Set(xs.filter((x): x is string => x !== undefined))].join('; ');
  return {
    id,
    status,
    what,
    why: join(bad.map((p) => p.why)),
    fix: join(bad.map((p) => p.fix)),
  };
}

/** A finding from a single part. */
export function outcomeOf(id: ReadinessCheckId, what: string, p: Part): CheckOutcome {
  return combine(id, what, [p]);
}

/** Sorted, comma-separated. */
export function listOf(items: Iterable<string>): string {
  return [...items].sort().join(', ');
}
