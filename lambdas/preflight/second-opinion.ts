import { failureOf, request } from '../health-probe/request';
import type { ExecutionInput } from '../shared/contracts';

/** Pause between the re-check's requests: a blip of a second or two is not a recovery. */
export const SECOND_OPINION_GAP_MS = 1000;

export interface SecondOpinionSettings {
  /** Main's application health URL, as the alarm's probe requests it. */
  readonly sourceHealthUrl: string;
  /** Requests the re-check sends; every one must answer healthily. */
  readonly sourceHealthRequests: number;
  readonly sourceHealthTimeoutMs: number;
}

export interface SecondOpinionClients {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default setTimeout (which the drill's virtual clock drives) */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What the re-check found. */
export interface SecondOpinion {
  /** Every request answered 2xx/3xx: the failure the alarm saw is gone. */
  readonly healthy: boolean;
  readonly detail: string;
}

/** Only a run the failover alarm started gets a second opinion: a person who starts one has decided. */
export function wantsSecondOpinion(input: ExecutionInput): boolean {
  return input.trigger?.source === 'alarm';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Re-check main's application before acting on the alarm: `sourceHealthRequests` GETs of the health
 * URL, {@link SECOND_OPINION_GAP_MS} apart, each within the probe's timeout. The first failure ends
 * it (main still fails: act); only an unbroken run of healthy answers says the alarm's evidence is
 * gone. Never throws: no answer is an answer.
 */
export async function secondOpinion(
  settings: SecondOpinionSettings,
  clients: SecondOpinionClients,
): Promise<SecondOpinion> {
  const fetchFn = clients.fetch ?? globalThis.fetch;
  const sleep = clients.sleep ?? defaultSleep;
  const n = settings.sourceHealthRequests;
  const url = settings.sourceHealthUrl;
  for (let i = 0; i < n; i++) {
    if (i > 0) await sleep(SECOND_OPINION_GAP_MS);
    const failure = failureOf(await request(url, settings.sourceHealthTimeoutMs, fetchFn));
    if (failure !== undefined) {
      return {
        healthy: false,
        detail: `${url}: request ${i + 1} of ${n} failed (${failure.reason}: ${failure.detail})`,
      };
    }
  }
  return { healthy: true, detail: `${url} answered ${n} of ${n} requests` };
}
