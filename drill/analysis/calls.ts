import type { SimCall } from '../sim/calls';

/** The drill's AWS calls counted: per service, with errors, and at their busiest minute. */

/**
 * The window the request-rate goal is stated over (issue 9: requests per service in any minute).
 * Throttling quotas are per second (Route 53 ~5/s, RDS ~12/s sustained, design §4); a minute shows
 * a polling loop's rate without flagging a burst of a few retries.
 */
export const RATE_WINDOW_SECONDS = 60;

/** API calls and errors per service. */
export function callCounts(calls: readonly SimCall[]): {
  readonly calls: Record<string, number>;
  readonly errors: Record<string, number>;
} {
  const counts = { calls: {} as Record<string, number>, errors: {} as Record<string, number> };
  for (const c of calls) {
    counts.calls[c.service] = (counts.calls[c.service] ?? 0) + 1;
    if (c.error !== undefined) counts.errors[c.service] = (counts.errors[c.service] ?? 0) + 1;
  }
  return counts;
}

/** A service's busiest window: how many requests, and when it began (simulated seconds). */
export interface PeakRate {
  readonly requests: number;
  readonly from: number;
}

/**
 * Per service, the most requests in any sliding window of {@link RATE_WINDOW_SECONDS} (every
 * window that starts at a call; a window holds the calls at `t` ≤ at < `t` + 60). Errors count:
 * a refused request still spends the quota.
 */
export function busiestWindow(
  calls: readonly SimCall[],
  windowSeconds: number = RATE_WINDOW_SECONDS,
): Record<string, PeakRate> {
  const byService = new Map<string, number[]>();
  for (const c of calls) {
    const times = byService.get(c.service) ?? [];
    times.push(c.at);
    byService.set(c.service, times);
  }
  const peaks: Record<string, PeakRate> = {};
  for (const [service, unsorted] of byService) {
    const times = [...unsorted].sort((a, b) => a - b);
    let best: PeakRate = { requests: 0, from: times[0] ?? 0 };
    let end = 0;
    for (let start = 0; start < times.length; start++) {
      const from = times[start] ?? 0;
      while (end < times.length && (times[end] ?? 0) < from + windowSeconds) end++;
      if (end - start > best.requests) best = { requests: end - start, from };
    }
    peaks[service] = best;
  }
  return peaks;
}
