import {
  type GetHealthCheckCommandInput,
  type HealthCheck,
  InvalidInput,
  NoSuchHealthCheck,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { RegionRole } from '../../../infra/config/schema';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { World } from '../world';
import type { SimHealthCheck } from './health-checks';
import { normalizeName, type SimFailoverPair } from './route53';

/**
 * What the DNS stack deploys in Route 53 besides plain records, as the control plane lists it: each
 * application hostname's failover pair (PRIMARY `main` with the calculated health check, SECONDARY
 * `dr`; the same checks on every hostname; the team's own pair for an `attach` hostname), and the
 * three health checks (GetHealthCheck). Their
 * answers are Route 53's data plane (health-checks.ts); these are their configurations.
 */

/** A listed record with its set identifier (failover records share a name and type). */
export interface ListedRecord {
  readonly name: string;
  readonly type: string;
  readonly setIdentifier?: string;
  readonly rrs: ResourceRecordSet;
}

/**
 * Every failover pair the zone answers (one per hostname) as ListResourceRecordSets shows it, pair
 * by pair in seeding order (the API sorts them): the DNS stack's primary and secondary record of
 * each hostname (dns-stack.ts), or the team's own pair of an `attach` hostname (its set identifiers
 * and alias targets, pilot-light's traffic health check on its PRIMARY all the same).
 */
export function failoverRecordSets(world: World): ListedRecord[] {
  const record = (
    pair: SimFailoverPair,
    role: RegionRole,
    failover: 'PRIMARY' | 'SECONDARY',
  ): ListedRecord => {
    const name = `${normalizeName(pair.name)}.`;
    const member = pair.members?.[role];
    const setIdentifier = member?.setIdentifier ?? role;
    return {
      name,
      type: 'A',
      setIdentifier,
      rrs: {
        Name: name,
        Type: 'A',
        SetIdentifier: setIdentifier,
        Failover: failover,
        ...(failover === 'PRIMARY' ? { HealthCheckId: world.traffic.checks.calculated.id } : {}),
        AliasTarget: {
          HostedZoneId: member?.aliasZoneId ?? world.config.dns.hostedZoneId,
          DNSName: `${normalizeName(member?.aliasDnsName ?? world.names.regions[role].regionalRecordName)}.`,
          EvaluateTargetHealth: false,
        },
      },
    };
  };
  return [...world.route53.failoverPairs.values()].flatMap((pair) => [
    record(pair, 'main', 'PRIMARY'),
    record(pair, 'dr', 'SECONDARY'),
  ]);
}

function describeCheck(world: World, c: SimHealthCheck): HealthCheck {
  const config =
    c.type === 'CALCULATED'
      ? {
          Type: 'CALCULATED' as const,
          HealthThreshold: 1,
          ChildHealthChecks: [world.traffic.checks.main.id, world.traffic.checks.dr.id],
          Inverted: false,
          Disabled: false,
        }
      : {
          Type: 'CLOUDWATCH_METRIC' as const,
          AlarmIdentifier: {
            Region: world.regionOf(c.alarmRole ?? 'main') as never,
            Name: world.names.regions[c.alarmRole ?? 'main'].trafficClaimAlarmName,
          },
          InsufficientDataHealthStatus: c.insufficientDataHealthStatus,
          Inverted: false,
          Disabled: false,
        };
  return {
    Id: c.id,
    CallerReference: `${world.names.dnsStack}-${c.id.slice(0, 8)}`,
    HealthCheckConfig: config,
    HealthCheckVersion: 1,
  };
}

export const route53ReadinessApi: SimApi = {
  GetHealthCheck: (raw, world) => {
    const input = raw as GetHealthCheckCommandInput;
    const id = input.HealthCheckId ?? '';
    if (id === '') throw modeledError(InvalidInput, 'HealthCheckId is required.');
    const check = Object.values(world.traffic.checks).find((c) => c.id === id);
    if (check === undefined) {
      throw modeledError(NoSuchHealthCheck, `A health check with id ${id} does not exist.`, 404);
    }
    return { HealthCheck: describeCheck(world, check) };
  },
};
