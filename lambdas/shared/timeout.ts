/**
 * Run `work` with a deadline of `ms` milliseconds. On expiry the signal handed to `work` is
 * aborted and the returned promise rejects with an error named `TimeoutError` (transient).
 * Built on setTimeout rather than AbortSignal.timeout so the drill's fake clock drives it.
 */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      const err = new Error(`${what}: no answer within ${ms} ms`);
      err.name = 'TimeoutError';
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
