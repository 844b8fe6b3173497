import { isTransient } from './errors';

/**
 * Await every one of `work` (one per resource, run in parallel) and return the values in order.
 * When one or more rejected, throw the first rejection that is not transient (in the order given), else the
 * first: nothing is left running behind a thrown error, which error is reported does not depend on
 * timing, and a permanent error (which a retry cannot fix) does not hide behind another resource's
 * throttled call.
 */
export async function settleAll<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failures = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => s.reason as unknown);
  if (failures.length > 0) throw failures.find((e) => !isTransient(e)) ?? failures[0];
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}
