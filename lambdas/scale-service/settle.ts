import { asError, isTransient } from '../shared/errors';

/**
 * `err` with `label: ` before its message, e.g. `service api: UpdateService: …`: the same object,
 * so its class and `name` (what the state machine's Retry and Catch match) stay as they were.
 */
export function namingEntry(label: string, err: unknown): Error {
  const e = asError(err);
  if (!e.message.startsWith(`${label}: `)) e.message = `${label}: ${e.message}`;
  return e;
}

/**
 * Await every one of `promises` (one per resource, run in parallel) and return their values in
 * order. When any rejected, throws the first rejection that is not transient, in the order given,
 * else the first: a permanent error (which a retry cannot fix) must not hide behind a throttled
 * read of another resource.
 */
export async function allOrFirstError<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failures = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => s.reason as unknown);
  if (failures.length > 0) throw failures.find((e) => !isTransient(e)) ?? failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
