import { Resolver } from 'node:dns/promises';
import { TransientAwsError } from './errors';

/**
 * Route 53's data plane as a Lambda sees it: what the zone's authoritative name servers answer for
 * a name right now. No call to Route 53's control plane (us-east-1): the name servers answer from
 * anywhere, whatever region is down, and they answer failover records by health-check status.
 */
export interface DnsAnswers {
  /** The IPv4 addresses the zone's name servers answer for `name` (sorted, de-duplicated). */
  resolve4(name: string): Promise<string[]>;
}

/** Codes `node:dns` gives for a name with no A answer: an answer, not an error of the lookup. */
const NO_ANSWER = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/** How long one DNS query may take, and how many times `node:dns` tries it. */
export interface DnsQueryOptions {
  readonly timeoutMs: number;
  readonly tries: number;
}

export const DEFAULT_DNS_QUERY: DnsQueryOptions = { timeoutMs: 2000, tries: 2 };

function transient(err: unknown, what: string): TransientAwsError {
  const code = (err as { code?: unknown } | null)?.code;
  return new TransientAwsError(`DNS ${what} failed${typeof code === 'string' ? ` (${code})` : ''}`, {
    cause: err,
  });
}

/**
 * Answers from `zoneName`'s authoritative name servers (found through the default resolver, then
 * asked directly, so no resolver cache or TTL delays what the step sees).
 *
 * @throws TransientAwsError a lookup timed out or was refused (the step's poll reads again)
 */
export function authoritativeAnswers(zoneName: string, options = DEFAULT_DNS_QUERY): DnsAnswers {
  const query = { timeout: options.timeoutMs, tries: options.tries };
  let servers: Promise<Resolver> | undefined;
  const authoritative = async (): Promise<Resolver> => {
    const lookup = new Resolver(query);
    let hosts: string[];
    try {
      hosts = await lookup.resolveNs(zoneName);
    } catch (err: unknown) {
      throw transient(err, `NS lookup of ${zoneName}`);
    }
    const addresses = (
      await Promise.all(hosts.map((h) => lookup.resolve4(h).catch((): string[] => [])))
    ).flat();
    if (addresses.length === 0) throw new TransientAwsError(`no name server of ${zoneName} has an address`);
    const resolver = new Resolver(query);
    resolver.setServers(addresses);
    return resolver;
  };
  return {
    async resolve4(name: string): Promise<string[]> {
      servers ??= authoritative().catch((err: unknown) => {
        servers = undefined;
        throw err;
      });
      const resolver = await servers;
      try {
        return [...new Set(await resolver.resolve4(name))].sort();
      } catch (err: unknown) {
        const code = (err as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && NO_ANSWER.has(code)) return [];
        throw transient(err, `A lookup of ${name}`);
      }
    },
  };
}
