import { withTimeout } from '../shared/timeout';
import { classifyRequestError, type ProbeFailure } from './failure-reason';

/** What one GET got: an HTTP status, or why there was none. */
export type Answer = { readonly statusCode: number } | { readonly failure: ProbeFailure };

/** GET `url` within `timeoutMs`. Never throws: no answer in time is what the probe measures. */
export async function request(url: string, timeoutMs: number, fetchFn: typeof fetch): Promise<Answer> {
  try {
    const statusCode = await withTimeout(
      async (signal) => {
        // A redirect is an answer from the target; following it would probe another host.
        const res = await fetchFn(url, { method: 'GET', redirect: 'manual', signal });
        await res.body?.cancel();
        return res.status;
      },
      timeoutMs,
      `GET ${url}`,
    );
    return { statusCode };
  } catch (err: unknown) {
    return { failure: classifyRequestError(err) };
  }
}

/** Main's verdict on one answer: 2xx/3xx is healthy; another status or no answer is a failure. */
export function failureOf(answer: Answer): ProbeFailure | undefined {
  if ('failure' in answer) return answer.failure;
  const { statusCode } = answer;
  if (statusCode >= 200 && statusCode < 400) return undefined;
  return { reason: 'status', detail: `HTTP ${statusCode}` };
}
