import type { Outage } from './outages';
import type { World } from './world';

/**
 * The protected region's application as the health probe sees it over HTTP: when it stops
 * answering (the drill's outage, from second 0), whether some requests fail (a partial outage),
 * and the probe's `fetch` answered from that, on the virtual clock, for the drill's lifetime.
 */

/** How the protected application answers over the drill. */
export interface AppHealthPlan {
  /** Intervals in which the application refuses connections (default: down from 0 for good). */
  readonly down: readonly Outage[];
  /** A partial outage: request k (1-based) answers 503 unless k is a multiple of this. */
  readonly okEvery?: number;
}

/** One request the probe made, as the application saw it. */
export interface ProbeRequest {
  readonly at: number;
  readonly url: string;
  /** 200, 503, or how it failed (`ECONNREFUSED`, `timeout`). */
  readonly answer: number | 'ECONNREFUSED' | 'timeout';
}

function covers(o: Outage, t: number): boolean {
  return t >= o.from && (o.until === undefined || t < o.until);
}

/** The application's answers over the drill. */
export class AppHealth {
  readonly requests: ProbeRequest[] = [];
  constructor(readonly plan: AppHealthPlan) {}

  /** Whether the application refuses connections at `t`. */
  downAt(t: number): boolean {
    return this.plan.down.some((o) => covers(o, t));
  }

  /** The last instant its health changes (start or end of an interval). */
  lastChange(): number {
    const edges = this.plan.down.flatMap((o) => [o.from, ...(o.until === undefined ? [] : [o.until])]);
    return Math.max(0, ...edges);
  }
}

function pause(seconds: number): Promise<void> {
  return new Promise((r) => setTimeout(r, seconds * 1000));
}

/** What undici throws for a refused connection: a TypeError whose cause carries the socket's code. */
function refused(host: string): Error {
  const cause = Object.assign(new Error(`connect ECONNREFUSED ${host}:80`), { code: 'ECONNREFUSED' });
  return new TypeError('fetch failed', { cause });
}

function abortError(): Error {
  const err = new Error('This operation was aborted');
  err.name = 'AbortError';
  return err;
}

/**
 * Whether the protected region's load balancer has a healthy target to send a request for `url`'s
 * host to: its listener routes the host to a service's target group (a hostname's rule, else the
 * first service's, as `main.<first hostname>` is), and a group without healthy targets answers 503.
 */
function routedHealthy(world: World, protectedRegion: string, url: string): boolean {
  const role = (['main', 'dr'] as const).find((r) => world.regionOf(r) === protectedRegion);
  const group = role === undefined ? undefined : world.elb.route(role, new URL(url).hostname);
  return group !== undefined && world.elb.healthyCount(group) > 0;
}

/**
 * Answer every `fetch` from `app` and `world` until the returned function restores the real one:
 * the protected region down (world.outages) → no answer until the caller aborts; the application
 * down → connection refused; a partial outage's failing request, or a request the load balancer
 * routes to a service with no healthy target → 503; else 200. Each answer takes the modeled
 * cross-region latency.
 */
export function installProbeFetch(world: World, app: AppHealth, protectedRegion: string): () => void {
  const real = globalThis.fetch;
  const fake = async (resource: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url =
      typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    const at = world.clock.now();
    const signal = init?.signal ?? undefined;
    if (world.outages.regionDown(protectedRegion, at)) {
      app.requests.push({ at, url, answer: 'timeout' });
      return new Promise<Response>((_resolve, reject) => {
        if (signal?.aborted === true) reject(abortError());
        signal?.addEventListener('abort', () => reject(abortError()), { once: true });
      });
    }
    await pause(world.timings.apiLatencySeconds + world.timings.crossRegionLatencySeconds);
    if (signal?.aborted === true) throw abortError();
    if (app.downAt(at)) {
      app.requests.push({ at, url, answer: 'ECONNREFUSED' });
      throw refused(new URL(url).host);
    }
    const k = app.requests.length + 1;
    const every = app.plan.okEvery;
    const failing = every !== undefined && k % every !== 0;
    const status = failing || !routedHealthy(world, protectedRegion, url) ? 503 : 200;
    app.requests.push({ at, url, answer: status });
    return new Response(null, { status });
  };
  globalThis.fetch = fake as typeof fetch;
  return () => {
    globalThis.fetch = real;
  };
}
