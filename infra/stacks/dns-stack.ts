import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { CLAIM_ALARM } from '../../lambdas/shared/traffic-claim';
import type { ProjectNames, RegionNames } from '../config/names';
import { type ProjectConfig, REGION_ROLES, type RegionRole } from '../config/schema';
import { entryIdSuffix } from '../constructs/entry-id';

/** Props of {@link DnsStack}. */
export interface DnsStackProps extends StackProps {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
}

/** Construct ids of the per-region health checks: literals, so logical ids never follow config. */
const CLAIM_HEALTH_CHECK_ID: Readonly<Record<RegionRole, string>> = {
  main: 'MainClaimHealthCheck',
  dr: 'DrClaimHealthCheck',
};

/** One hostname's failover pair. */
export interface HostnameRecords {
  /** The entry's `name` in `dns.records`. */
  readonly name: string;
  readonly recordName: string;
  /** PRIMARY: the main region, while the calculated health check is healthy. */
  readonly primary: route53.CfnRecordSet;
  /** SECONDARY: the DR region, whenever PRIMARY is unhealthy. */
  readonly secondary: route53.CfnRecordSet;
}

/**
 * The application's hostnames, `dns.records`, each as a Route 53 failover pair that moves traffic
 * through Route 53's data plane (`lambdas/shared/traffic-claim.ts` defines the protocol). Every pair
 * hangs on the same health checks, so all hostnames move together: one claim per region decides
 * for the whole application. For each hostname:
 *
 * - PRIMARY (set identifier `main`) aliases `main.<first hostname>` and carries a CALCULATED health
 *   check, healthy while at least one of its two children is: "DR stands by" (DR's claim alarm is
 *   OK) or "main claims" (main's claim alarm is OK). Each child is a CLOUDWATCH_METRIC health check
 *   on the claim alarm of its region, created by that region's orchestrator stack.
 * - SECONDARY (set identifier `dr`) aliases `dr.<first hostname>`, with no health check: it answers
 *   whenever PRIMARY is unhealthy.
 *
 * The failover state machine moves traffic by publishing its region's claim in its own region;
 * Route 53 re-evaluates the health checks and answers the other record, with no call to the
 * control plane in us-east-1 and no deploy. Neither alias evaluates target health: an unhealthy
 * ALB must never move traffic by itself, only a promotion does. A deploy of this stack changes
 * nothing about where traffic goes.
 *
 * The first hostname's pair keeps the construct ids `PrimaryRecord` and `SecondaryRecord` (the seed's
 * logical ids); every further hostname's ids carry its entry `name` (`PrimaryRecordApi`, …), which
 * the schema keeps unique, short and DNS-safe: renaming an entry replaces its records.
 *
 * Upgrading from the former simple record (`AppRecord`, pointed by `dns.activeRegion`): Route 53
 * refuses a failover record beside a simple record of the same name and type, and CloudFormation
 * creates the pair before it deletes the old record. Delete the old record first (destroy this
 * stack, then deploy it: the name does not resolve in between), then deploy.
 */
export class DnsStack extends Stack {
  /** Each hostname's failover pair, in `dns.records` order (none for an `attach` hostname: the team's own). */
  public readonly hostnameRecords: readonly HostnameRecords[];
  /**
   * `main.<first hostname>` and `dr.<first hostname>`, aliases to the team's load balancers, when the
   * services are existing (pilot-light's service stacks own them otherwise).
   */
  public readonly regionalRecords?: Readonly<Record<RegionRole, route53.CfnRecordSet>>;
  /** One CLOUDWATCH_METRIC health check per region's claim alarm. */
  public readonly claimHealthChecks: Readonly<Record<RegionRole, route53.CfnHealthCheck>>;
  /** CALCULATED, on PRIMARY: healthy while DR stands by or main claims. */
  public readonly trafficHealthCheck: route53.CfnHealthCheck;

  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, props);
    const { config, names } = props;

    const claimHealthCheck = (role: RegionRole) => {
      const region = names.regions[role];
      const semantics = CLAIM_ALARM[role];
      return new route53.CfnHealthCheck(this, CLAIM_HEALTH_CHECK_ID[role], {
        healthCheckConfig: {
          type: 'CLOUDWATCH_METRIC',
          alarmIdentifier: { name: region.trafficClaimAlarmName, region: region.region },
          insufficientDataHealthStatus: semantics.insufficientDataHealthStatus,
        },
        healthCheckTags: [{ key: 'Name', value: `${names.project} ${role}: ${semantics.healthyMeans}` }],
      });
    };
    this.claimHealthChecks = { main: claimHealthCheck('main'), dr: claimHealthCheck('dr') };

    this.trafficHealthCheck = new route53.CfnHealthCheck(this, 'TrafficHealthCheck', {
      healthCheckConfig: {
        type: 'CALCULATED',
        healthThreshold: 1,
        childHealthChecks: REGION_ROLES.map((role) => this.claimHealthChecks[role].attrHealthCheckId),
      },
      healthCheckTags: [{ key: 'Name', value: `${names.project}: main takes traffic` }],
    });

    const record = (
      recordId: string,
      recordName: string,
      target: RegionNames,
      failover: 'PRIMARY' | 'SECONDARY',
    ) =>
      new route53.CfnRecordSet(this, recordId, {
        hostedZoneId: config.dns.hostedZoneId,
        name: `${recordName}.`,
        type: 'A',
        failover,
        setIdentifier: target.role,
        ...(failover === 'PRIMARY' ? { healthCheckId: this.trafficHealthCheck.attrHealthCheckId } : {}),
        aliasTarget: {
          dnsName: `${target.regionalRecordName}.`,
          hostedZoneId: config.dns.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    this.hostnameRecords = config.dns.records.flatMap(({ name, recordName, existing }, i) => {
      // An `attach` hostname: the team's own pair carries the traffic health check (output below).
      if (existing !== undefined) return [];
      const suffix = entryIdSuffix(i, name);
      return [
        {
          name,
          recordName,
          primary: record(`PrimaryRecord${suffix}`, recordName, names.regions.main, 'PRIMARY'),
          secondary: record(`SecondaryRecord${suffix}`, recordName, names.regions.dr, 'SECONDARY'),
        },
      ];
    });

    const teamLoadBalancer = (role: RegionRole) => config.regions[role].capacity.existing?.loadBalancer;
    const main = teamLoadBalancer('main');
    const dr = teamLoadBalancer('dr');
    if (main !== undefined && dr !== undefined) {
      const regional = (role: RegionRole, lb: { dnsName: string; canonicalHostedZoneId: string }) =>
        new route53.CfnRecordSet(this, `RegionalRecord${role === 'main' ? 'Main' : 'Dr'}`, {
          hostedZoneId: config.dns.hostedZoneId,
          name: `${names.regions[role].regionalRecordName}.`,
          type: 'A',
          aliasTarget: {
            dnsName: `${lb.dnsName}.`,
            hostedZoneId: lb.canonicalHostedZoneId,
            evaluateTargetHealth: false,
          },
        });
      this.regionalRecords = { main: regional('main', main), dr: regional('dr', dr) };
    }

    new CfnOutput(this, 'TrafficHealthCheckId', {
      value: this.trafficHealthCheck.attrHealthCheckId,
      description:
        'Put on the PRIMARY record of a failover pair the team manages (dns.records[].existing: attach): the pair then moves with the traffic claims',
    });
  }
}
