import type { StepEvent, StepResult } from '../../lambdas/shared/contracts';
import { InvalidStateError, TransientAwsError } from '../../lambdas/shared/errors';
import { LOOP_SAFETY_MARGIN_MS, type LoopRuntime, reconcileUntilReady } from '../../lambdas/shared/step-loop';
import { makePrevious, WAIT } from './helpers';

/** A runtime on a fake clock: sleeping advances it; the Lambda deadline is `remainingAtStartMs` away. */
function fakeRuntime(remainingAtStartMs = Number.POSITIVE_INFINITY) {
  let now = 0;
  const slept: number[] = [];
  const runtime: LoopRuntime = {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    remainingMs: () => remainingAtStartMs - now,
  };
  return { runtime, slept };
}

/** A reconcile that reports PENDING `pendingCalls` times, then READY; `failOn` call numbers throw. */
function reconciler(pendingCalls: number, failOn: ReadonlyMap<number, Error> = new Map()) {
  const seen: StepEvent[] = [];
  const reconcile = async (event: StepEvent): Promise<StepResult> => {
    seen.push(event);
    const n = seen.length;
    const failure = failOn.get(n);
    if (failure !== undefined) throw failure;
    return makePrevious('database', { attempt: n, status: n > pendingCalls ? 'READY' : 'PENDING' });
  };
  return { reconcile, seen };
}

describe('reconcileUntilReady', () => {
  it('polls every pollSeconds until READY, passing each result as previous', async () => {
    // Prepare
    const { runtime, slept } = fakeRuntime();
    const { reconcile, seen } = reconciler(3);

    // Act
    const result = await reconcileUntilReady({ wait: WAIT }, reconcile, runtime);

    // Assess
    expect(result.status).toBe('READY');
    expect(seen).toHaveLength(4);
    expect(slept).toEqual([3000, 3000, 3000]);
    expect(seen[1]?.previous?.attempt).toBe(1);
    expect(seen[3]?.previous?.attempt).toBe(3);
  });

  it('waits what pollSeconds says before each next call, when the step gives it', async () => {
    // Prepare: the step reads faster after its second call.
    const { runtime, slept } = fakeRuntime();
    const { reconcile, seen } = reconciler(3);

    // Act
    const result = await reconcileUntilReady({ wait: WAIT }, reconcile, runtime, () =>
      seen.length >= 2 ? 1 : WAIT.pollSeconds,
    );

    // Assess
    expect(result.status).toBe('READY');
    expect(slept).toEqual([3000, 1000, 1000]);
  });

  it('returns PENDING when the window leaves no room for another poll', async () => {
    // Prepare: a 30 s window, 3 s polls, never ready.
    const { runtime, slept } = fakeRuntime();
    const { reconcile, seen } = reconciler(1000);

    // Act
    const result = await reconcileUntilReady({ wait: { ...WAIT, windowSeconds: 30 } }, reconcile, runtime);

    // Assess
    expect(result.status).toBe('PENDING');
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(30_000);
    expect(seen).toHaveLength(11);
  });

  it('stops before the Lambda deadline, keeping the safety margin', async () => {
    // Prepare: the function times out 40 s from now, the window is 240 s.
    const { runtime, slept } = fakeRuntime(40_000);
    const { reconcile } = reconciler(1000);

    // Act
    await reconcileUntilReady({ wait: WAIT }, reconcile, runtime);

    // Assess
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(40_000 - LOOP_SAFETY_MARGIN_MS);
  });

  it('skips a transient error while waiting and carries on from the last result', async () => {
    // Prepare: the second call is throttled.
    const { runtime } = fakeRuntime();
    const { reconcile, seen } = reconciler(2, new Map([[2, new TransientAwsError('Throttling')]]));

    // Act
    const result = await reconcileUntilReady({ wait: WAIT }, reconcile, runtime);

    // Assess
    expect(result.status).toBe('READY');
    expect(seen[2]?.previous?.attempt).toBe(1);
  });

  it('lets the first call’s errors and any permanent error through (the state machine decides)', async () => {
    // Prepare
    const first = reconciler(1, new Map([[1, new TransientAwsError('Throttling')]]));
    const later = reconciler(5, new Map([[3, new InvalidStateError('left the global cluster')]]));

    // Act / Assess
    await expect(reconcileUntilReady({ wait: WAIT }, first.reconcile, fakeRuntime().runtime)).rejects.toThrow(
      TransientAwsError,
    );
    await expect(reconcileUntilReady({ wait: WAIT }, later.reconcile, fakeRuntime().runtime)).rejects.toThrow(
      InvalidStateError,
    );
  });
});
