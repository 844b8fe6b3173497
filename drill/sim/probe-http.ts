import { deploysServices } from '../../infra/config/schema';
import { certificateOfRole } from './acm/api';
import type { Outage } from './outages';
import type { World } from './world';

/**
 * The protected region's application as the health probe sees it over HTTP(S): when it stops
 * answering (the drill's outage, from second 0), whether some requests fail (a partial outage, a
 * lossy network), whether the probing region itself can reach the outside, and the probe's `fetch`
 * answered from that, on the virtual clock, for the drill's lifetime.
 */

/** How the protected application answers over the drill. */
export interface AppHealthPlan {
  /** Intervals in which the application refuses connections (default: down from 0 for good). */
  readonly down: readonly Outage[];
  /** A partial outage: request k (1-based, to main) answers 503 unless k is a multiple of this. */
  readonly okEvery?: number;
  /** A lossy path: request k (1-based, to main) whose k is a multiple of this gets its connection reset. */
  readonly lossEvery?: number;
}

/** One request the probe made, as the application (or a control) saw it. */
export interface ProbeRequest {
  readonly at: number;
  readonly url: string;
  /** A request to one of the probe's controls, not to main. */
  readonly control: boolean;
  /** The status, or how it failed (`ECONNREFUSED`, `ECONNRESET`, `timeout`, a TLS verification code). */
  readonly answer: number | 'ECONNREFUSED' | 'ECONNRESET' | 'timeout' | TlsCode;
}

/** Where the probe's requests go and what stands between them and the outside. */
export interface ProbeFetchOptions {
  /** The region the probe watches (main's, for the DR probe). */
  readonly protectedRegion: string;
  /** The probe's own region. */
  readonly probingRegion: string;
  /** The probe's URL: every other URL is a control (an HTTP answer of whatever status says the probing region sees out). */
  readonly mainUrl: string;
  /** Intervals in which the probing region reaches nothing outside: every request goes unanswered. */
  readonly egressDown?: readonly Outage[];
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

/** What undici throws for a refused or reset connection: a TypeError whose cause carries the socket's code. */
function socketError(code: 'ECONNREFUSED' | 'ECONNRESET', host: string): Error {
  const message = code === 'ECONNREFUSED' ? `connect ECONNREFUSED ${host}:80` : 'read ECONNRESET';
  const cause = Object.assign(new Error(message), { code });
  return new TypeError('fetch failed', { cause });
}

/** The TLS verification codes the drill's handshakes fail with (`AcmModel.handshake`). */
type TlsCode = NonNullable<ReturnType<World['acm']['handshake']>>['code'];

/** What undici throws for a failed TLS verification: a TypeError whose cause carries OpenSSL's code. */
function tlsError(code: TlsCode, message: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
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

function roleOf(world: World, region: string): 'main' | 'dr' | undefined {
  return (['main', 'dr'] as const).find((r) => world.regionOf(r) === region);
}

/**
 * How the load balancer of `region` meets a request for `url` before routing it: an HTTPS
 * request's handshake fails when the region's certificate does not cover the host, expired, or
 * was never issued (`AcmModel.handshake`); a plain HTTP request to pilot-light's listener gets its
 * permanent redirect to HTTPS. Undefined: the request goes on to a target group. A region whose
 * load balancer is the team's and whose certificate the config does not name is not judged.
 */
function listenerAnswer(
  world: World,
  region: string,
  url: URL,
  at: number,
): { readonly tls: TlsCode; readonly message: string } | { readonly status: number } | undefined {
  const role = roleOf(world, region);
  if (role === undefined) return undefined;
  if (url.protocol === 'https:') {
    const cert = certificateOfRole(world, role);
    if (cert === undefined) return undefined;
    const failure = world.acm.handshake(region, cert.arn, url.hostname, at);
    return failure === undefined ? undefined : { tls: failure.code, message: failure.message };
  }
  return deploysServices(world.config) ? { status: 301 } : undefined;
}

/** A request nobody answers: it fails only when the caller aborts (the probe's timeout). */
function unanswered(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise<Response>((_resolve, reject) => {
    if (signal?.aborted === true) reject(abortError());
    signal?.addEventListener('abort', () => reject(abortError()), { once: true });
  });
}

/**
 * Answer every `fetch` from `app` and `world` until the returned function restores the real one.
 * The probing region's egress down → no request is answered. A control URL (anything but
 * `mainUrl`): its region's load balancer answers its listener's redirect (plain HTTP) or 200 or 503
 * as {@link routedHealthy} says, every other host 200. Before routing, HTTPS requests meet the
 * region's certificate ({@link listenerAnswer}): a handshake that fails is a TLS error. Main: its region down (world.outages) → no answer until the caller aborts; the
 * application down → connection refused; a lost request → connection reset; a partial outage's
 * failing request, or a request the load balancer routes to a service with no healthy target →
 * 503; else 200. Each answer takes the modeled cross-region latency.
 */
export function installProbeFetch(world: World, app: AppHealth, o: ProbeFetchOptions): () => void {
  const real = globalThis.fetch;
  const mainHost = new URL(o.mainUrl).host;
  let mainRequests = 0;
  const fake = async (resource: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url =
      typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    const at = world.clock.now();
    const signal = init?.signal ?? undefined;
    const control = new URL(url).host !== mainHost;
    const egressDown = (o.egressDown ?? []).some((x) => covers(x, at));
    if (egressDown || (!control && world.outages.regionDown(o.protectedRegion, at))) {
      app.requests.push({ at, url, control, answer: 'timeout' });
      return unanswered(signal);
    }
    await pause(world.timings.apiLatencySeconds + (control ? 0 : world.timings.crossRegionLatencySeconds));
    if (signal?.aborted === true) throw abortError();
    if (control) {
      const aws = new URL(url).hostname.endsWith('.amazonaws.com');
      const listener = aws ? undefined : listenerAnswer(world, o.probingRegion, new URL(url), at);
      if (listener !== undefined && 'tls' in listener) {
        app.requests.push({ at, url, control, answer: listener.tls });
        throw tlsError(listener.tls, listener.message);
      }
      const status = listener?.status ?? (aws ? 200 : routedHealthy(world, o.probingRegion, url) ? 200 : 503);
      app.requests.push({ at, url, control, answer: status });
      return new Response(null, { status });
    }
    mainRequests += 1;
    const k = mainRequests;
    if (app.downAt(at)) {
      app.requests.push({ at, url, control, answer: 'ECONNREFUSED' });
      throw socketError('ECONNREFUSED', new URL(url).host);
    }
    if (app.plan.lossEvery !== undefined && k % app.plan.lossEvery === 0) {
      app.requests.push({ at, url, control, answer: 'ECONNRESET' });
      throw socketError('ECONNRESET', new URL(url).host);
    }
    const listener = listenerAnswer(world, o.protectedRegion, new URL(url), at);
    if (listener !== undefined && 'tls' in listener) {
      app.requests.push({ at, url, control, answer: listener.tls });
      throw tlsError(listener.tls, listener.message);
    }
    if (listener !== undefined) {
      app.requests.push({ at, url, control, answer: listener.status });
      return new Response(null, { status: listener.status });
    }
    const every = app.plan.okEvery;
    const failing = every !== undefined && k % every !== 0;
    const status = failing || !routedHealthy(world, o.protectedRegion, url) ? 503 : 200;
    app.requests.push({ at, url, control, answer: status });
    return new Response(null, { status });
  };
  globalThis.fetch = fake as typeof fetch;
  return () => {
    globalThis.fetch = real;
  };
}
