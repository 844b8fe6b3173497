import type { StepEvent, StepResult } from './contracts';
import { TransientAwsError } from './errors';

/**
 * Polling inside one invocation. A step's reconcile call is idempotent (it reads first and acts
 * only when its goal needs it), so calling it again every `pollSeconds` is safe; doing so inside
 * the Lambda ends the step within seconds of AWS finishing, at two state transitions per
 * invocation window instead of three per poll (`README.md`, "Waiting on AWS").
 */

/** What a loop needs from its runtime: Lambda's clock and deadline, or the tests' and drill's. */
export interface LoopRuntime {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds left before the Lambda times out (`context.getRemainingTimeInMillis`). */
  readonly remainingMs: () => number;
}

/**
 * Time kept back from the Lambda's deadline: one more reconcile call (a few SDK reads, each with
 * the SDK's own retries) must fit after the last sleep.
 */
export const LOOP_SAFETY_MARGIN_MS = 30_000;

/** The runtime of a real invocation. */
export function lambdaRuntime(context: { getRemainingTimeInMillis(): number } | undefined): LoopRuntime {
  return {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    // Without a context (a local call) the window alone bounds the loop.
    remainingMs: () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY,
  };
}

/**
 * Call `reconcile` until it reports READY, or until the invocation window (`event.wait.windowSeconds`,
 * cut short by the Lambda's deadline) leaves no room for another poll; return the last result.
 * The first call's errors propagate unchanged (the state machine's Retry resumes from the last result
 * it holds); a later call's `TransientAwsError` is skipped until the next poll. `pollSeconds`: the
 * wait before the next call, when a step polls faster at times (default: `event.wait.pollSeconds`).
 */
export async function reconcileUntilReady<E extends StepEvent>(
  event: E,
  reconcile: (event: E) => Promise<StepResult>,
  runtime: LoopRuntime,
  pollSeconds: () => number = () => event.wait.pollSeconds,
): Promise<StepResult> {
  const windowEnds = runtime.now() + event.wait.windowSeconds * 1000;
  let result = await reconcile(event);
  while (result.status === 'PENDING') {
    const pollMs = pollSeconds() * 1000;
    const roomMs = Math.min(windowEnds - runtime.now(), runtime.remainingMs() - LOOP_SAFETY_MARGIN_MS);
    if (roomMs < pollMs) break;
    await runtime.sleep(pollMs);
    try {
      result = await reconcile({ ...event, previous: result });
    } catch (err: unknown) {
      // A throttled or failed read while waiting is worth the next poll, not the invocation: each
      // call reads before it acts, so calling again is safe. Past the window, the state machine's
      // Retry takes over with the last result it holds.
      if (!(err instanceof TransientAwsError)) throw err;
    }
  }
  return result;
}
