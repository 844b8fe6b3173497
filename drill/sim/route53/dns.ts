import { Resolver } from 'node:dns/promises';
import type { RegionRole } from '../../../infra/config/schema';
import type { SimCall } from '../calls';
import { currentInvocation } from '../invocation';
import type { World } from '../world';
import { normalizeName, type Route53Model, recordKey } from './route53';

/**
 * DNS as the handlers see it through `node:dns/promises`: `Resolver.prototype.resolveNs`,
 * `resolve4` and `setServers` are replaced for the drill's lifetime and answer from Route 53's
 * data plane in the model (the zone's name servers, each region's ALB, the failover pair). DNS is
 * Route 53's data plane: it answers during a control-plane outage and any regional outage. Each
 * query takes {@link DNS_QUERY_SECONDS} of simulated time and is recorded in `world.calls`
 * (service `dns`, region {@link DNS_REGION}).
 */

/** A query to an anycast authoritative name server: tens of milliseconds. */
export const DNS_QUERY_SECONDS = 0.02;
/** The region recorded for a DNS query: Route 53's name servers are global. */
export const DNS_REGION = 'global';

/** Deterministic ALB addresses per region (RFC 5737 documentation ranges). */
export const ALB_ADDRESSES: Readonly<Record<RegionRole, readonly string[]>> = {
  main: ['198.51.100.10', '198.51.100.11'],
  dr: ['203.0.113.10', '203.0.113.11'],
};
/** The name servers' addresses, in order of the zone's NS values (RFC 5737 192.0.2.0/24). */
const NAME_SERVER_NET = '192.0.2.';

/** The error `node:dns` gives for a name with no answer. */
export function dnsError(code: 'ENOTFOUND' | 'ENODATA', syscall: string, hostname: string): Error {
  return Object.assign(new Error(`${syscall} ${code} ${hostname}`), { code, syscall, hostname });
}

function nameServers(route53: Route53Model): string[] {
  const ns = route53.zone.records.get(recordKey(route53.zone.name, 'NS'));
  return (ns?.values ?? []).map(normalizeName);
}

/** The A answer for `name`, or undefined when the model has none. */
export function answerA(world: World, name: string): string[] | undefined {
  const n = normalizeName(name);
  const servers = nameServers(world.route53);
  const ns = servers.indexOf(n);
  if (ns >= 0) return [`${NAME_SERVER_NET}${ns + 1}`];
  const zone = normalizeName(world.route53.zone.name);
  if (n !== zone && !n.endsWith(`.${zone}`)) return undefined;
  const answer = world.route53.resolve(n);
  return answer.role === undefined ? undefined : [...ALB_ADDRESSES[answer.role]];
}

/** The NS answer for `name`, or undefined. */
export function answerNs(world: World, name: string): string[] | undefined {
  return normalizeName(name) === normalizeName(world.route53.zone.name)
    ? nameServers(world.route53)
    : undefined;
}

function record(world: World, command: string, input: unknown, error?: string): void {
  const invocation = currentInvocation();
  const call: SimCall = {
    seq: world.calls.length + 1,
    service: 'dns',
    command,
    region: DNS_REGION,
    at: world.clock.now(),
    input,
    ...(invocation === undefined ? {} : { execution: invocation.executionArn, state: invocation.stateName }),
    ...(error === undefined ? {} : { error }),
  };
  world.calls.push(call);
}

function pause(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

type Patched = 'resolveNs' | 'resolve4' | 'setServers';
const PATCHED: readonly Patched[] = ['resolveNs', 'resolve4', 'setServers'];

/**
 * Answer `Resolver` queries from `world` until the returned function restores `node:dns/promises`.
 */
export function installSimulatedDns(world: World): () => void {
  const proto = Resolver.prototype as unknown as Record<Patched, unknown>;
  const saved = PATCHED.map((k) => [k, Object.getOwnPropertyDescriptor(proto, k)] as const);
  const servers = new WeakMap<object, string[]>();
  const query = (command: string, answer: (name: string) => string[] | undefined, syscall: string) =>
    async function (this: object, name: string): Promise<string[]> {
      const input = { name, servers: servers.get(this) ?? [] };
      world.clock.sync();
      const out = answer(name);
      record(world, command, input, out === undefined ? 'ENOTFOUND' : undefined);
      await pause(DNS_QUERY_SECONDS);
      if (out === undefined) throw dnsError('ENOTFOUND', syscall, name);
      return out;
    };
  Object.defineProperty(proto, 'resolveNs', {
    configurable: true,
    writable: true,
    value: query('resolveNs', (n) => answerNs(world, n), 'queryNs'),
  });
  Object.defineProperty(proto, 'resolve4', {
    configurable: true,
    writable: true,
    value: query('resolve4', (n) => answerA(world, n), 'queryA'),
  });
  Object.defineProperty(proto, 'setServers', {
    configurable: true,
    writable: true,
    value: function (this: object, list: readonly string[]): void {
      servers.set(this, [...list]);
    },
  });
  return () => {
    for (const [k, d] of saved) {
      if (d === undefined) delete proto[k];
      else Object.defineProperty(proto, k, d);
    }
  };
}
