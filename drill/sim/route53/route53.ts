import type { ProjectNames } from '../../../infra/config/names';
import type { RegionRole } from '../../../infra/config/schema';

/**
 * One Route 53 hosted zone: its records, and the changes made to it (each PENDING until it has
 * reached every name server, then INSYNC).
 */

/** Route 53's control plane (ChangeResourceRecordSets, GetChange, ...) is served from here. */
export const ROUTE53_CONTROL_PLANE_REGION = 'us-east-1';

/** One record set of the zone (plain values or an alias). */
export interface SimRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly values?: readonly string[];
  readonly alias?: {
    readonly hostedZoneId: string;
    readonly dnsName: string;
    readonly evaluateTargetHealth: boolean;
  };
}

/** One accepted ChangeResourceRecordSets and when it reaches each state. */
export interface SimChange {
  readonly id: string;
  readonly submittedAt: number;
  /** Until then the zone refuses further changes (PriorRequestNotComplete). */
  readonly processedAt: number;
  readonly insyncAt: number;
  readonly comment?: string;
  readonly execution?: string;
}

/** The hosted zone: its records and every change made to it. */
export interface SimZone {
  readonly id: string;
  readonly name: string;
  /** Keyed by `normalized-name|TYPE`. */
  readonly records: Map<string, SimRecord>;
  readonly changes: Map<string, SimChange>;
}

/** Where a name resolves to: a region's load balancer, or a name the model cannot place. */
export interface DnsAnswer {
  readonly role?: RegionRole;
  readonly target: string;
}

/** Aliases are followed at most this deep, as a resolver bounds its chase. */
const MAX_ALIAS_HOPS = 5;

/** Lower-case, no trailing dot: how names are compared. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/** The key of a record in {@link SimZone.records}. */
export function recordKey(name: string, type: string): string {
  return `${normalizeName(name)}|${type.toUpperCase()}`;
}

/**
 * A failover record pair (PRIMARY and SECONDARY) for one hostname: answered by health-check status,
 * in Route 53's data plane ({@link TrafficDataPlane}; every hostname's pair by the same checks).
 */
export interface SimFailoverPair {
  /** The name both records share. */
  readonly name: string;
  /** The role whose regional record the name answers now. */
  answer(): RegionRole;
  /**
   * The team's own pair (a `dns.records[].existing: attach` hostname): its members' set identifiers
   * and alias targets, its PRIMARY carrying pilot-light's traffic health check all the same.
   * @default the DNS stack's pair: set identifiers `main`/`dr`, each aliasing its regional record
   */
  readonly members?: FailoverMembers;
}

/** Each member of a failover pair: its set identifier and the name it aliases (in that name's zone). */
export type FailoverMembers = Readonly<
  Record<
    RegionRole,
    { readonly setIdentifier: string; readonly aliasDnsName: string; readonly aliasZoneId: string }
  >
>;

/** The simulated hosted zone of the application's hostnames. */
export class Route53Model {
  /** Failover pairs by normalized name: they answer before any plain record of the same name. */
  readonly failoverPairs = new Map<string, SimFailoverPair>();

  constructor(
    readonly zone: SimZone,
    private readonly names: ProjectNames,
  ) {}

  /** Answer `pair.name` from its health checks from now on. */
  addFailoverPair(pair: SimFailoverPair): void {
    this.failoverPairs.set(normalizeName(pair.name), pair);
  }

  /** The change made for `execution`, if any. */
  changeOf(execution: string): SimChange | undefined {
    return [...this.zone.changes.values()].find((c) => c.execution === execution);
  }

  /**
   * The region `recordName` resolves to (following failover pairs and aliases within the zone, to a
   * regional record or a region's load balancer).
   */
  resolve(recordName: string): DnsAnswer {
    let name = normalizeName(recordName);
    for (let hops = 0; hops < MAX_ALIAS_HOPS; hops++) {
      for (const role of ['main', 'dr'] as const) {
        if (name === normalizeName(this.names.regions[role].regionalRecordName))
          return { role, target: name };
      }
      const pair = this.failoverPairs.get(name);
      if (pair !== undefined) {
        const role = pair.answer();
        name = normalizeName(
          pair.members?.[role].aliasDnsName ?? this.names.regions[role].regionalRecordName,
        );
        continue;
      }
      const balancer = this.loadBalancerAnswer(name);
      if (balancer !== undefined) return balancer;
      const record = this.zone.records.get(`${name}|A`) ?? this.zone.records.get(`${name}|CNAME`);
      if (record === undefined) return { target: `${name} (missing)` };
      const next = record.alias?.dnsName ?? record.values?.[0];
      if (next === undefined) return { target: name };
      name = normalizeName(next);
    }
    return { target: name };
  }

  /** A load balancer's name (`[dualstack.]….<region>.elb.amazonaws.com`) answers its region. */
  private loadBalancerAnswer(name: string): DnsAnswer | undefined {
    const n = name.replace(/^dualstack\./, '');
    const m = /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.elb\.amazonaws\.com$/.exec(n);
    if (m?.[1] === undefined) return undefined;
    const role = this.roleOfRegion(m[1]);
    return role === undefined ? { target: n } : { role, target: n };
  }

  private roleOfRegion(region: string): RegionRole | undefined {
    return (['main', 'dr'] as const).find((role) => this.names.regions[role].region === region);
  }
}
