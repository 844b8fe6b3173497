import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetHealthCheckCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { nameList } from '../../shared/name-list';
import type { RegionCheckSpec } from '../check-spec';
import { capacityKey } from '../fixes';
import {
  combine,
  failPart,
  isReadErrorNamed,
  namedPart,
  type Part,
  part,
  partOfError,
  passPart,
  read,
} from '../outcome';
import type { ReadinessReads } from '../reads';
import { capacityFix, missingServiceFix, targetGroupFix } from '../service-fixes';
import type { ReadinessService, ReadinessSettings } from '../settings';

/** Records read per name: the failover pair is two; a few more leave room for other types. */
const RECORDS_PER_NAME = 10;

/** Route 53 answers names with a trailing dot and may differ in case. */
const normalize = (name: string | undefined) => (name ?? '').toLowerCase().replace(/\.$/, '');

async function recordsNamed(reads: ReadinessReads, name: string): Promise<ResourceRecordSet[]> {
  const out = await read('route53:ListResourceRecordSets', () =>
    reads.clients.route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: reads.settings.hostedZoneId,
        StartRecordName: name,
        StartRecordType: 'A',
        MaxItems: RECORDS_PER_NAME,
      }),
    ),
  );
  return (out.ResourceRecordSets ?? []).filter(
    (r) => normalize(r.Name) === normalize(name) && r.Type === 'A',
  );
}

async function targetGroupPart(reads: ReadinessReads, svc: ReadinessService): Promise<Part> {
  const s = reads.settings;
  const fix = targetGroupFix(s, svc, false);
  const service = await reads.ecsService(svc);
  if (service === undefined) {
    return failPart(`ECS service ${reads.serviceLabel(svc)} does not exist`, missingServiceFix(s, svc));
  }
  const arns = (service.loadBalancers ?? [])
    .map((lb) => lb.targetGroupArn)
    .filter((a): a is string => a !== undefined);
  // A service no hostname routes to has no target group by design: it serves when its tasks run.
  if (arns.length === 0 && s.unroutedServices.includes(svc.name)) return passPart;
  if (arns.length === 0)
    return failPart(`ECS service ${reads.serviceLabel(svc)} is attached to no target group`, fix);
  try {
    const out = await read('elasticloadbalancing:DescribeTargetGroups', () =>
      reads.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns })),
    );
    const groups = out.TargetGroups ?? [];
    const problems = arns.flatMap((arn) => {
      const g = groups.find((x) => x.TargetGroupArn === arn);
      if (g === undefined) return [`target group ${arn} does not exist`];
      if (g.HealthCheckEnabled === false || !g.HealthCheckPath) {
        return [
          `target group ${g.TargetGroupName ?? arn} has no health check path: the ALB cannot tell healthy tasks`,
        ];
      }
      return [];
    });
    return problems.length === 0 ? passPart : failPart(problems.join('; '), targetGroupFix(s, svc, true));
  } catch (err: unknown) {
    if (isReadErrorNamed(err, 'TargetGroupNotFoundException', 'TargetGroupNotFound')) {
      return failPart(`target group ${arns.join(', ')} does not exist`, fix);
    }
    throw err;
  }
}

async function healthCheckPart(
  reads: ReadinessReads,
  id: string,
  role: string,
): Promise<{ part: Part; children: string[] }> {
  try {
    const out = await read('route53:GetHealthCheck', () =>
      reads.clients.route53.send(new GetHealthCheckCommand({ HealthCheckId: id })),
    );
    return { part: passPart, children: out.HealthCheck?.HealthCheckConfig?.ChildHealthChecks ?? [] };
  } catch (err: unknown) {
    if (isReadErrorNamed(err, 'NoSuchHealthCheck')) {
      return {
        part: failPart(
          `health check ${id} (${role}) does not exist`,
          'deploy the DNS stack (and both orchestrator stacks)',
        ),
        children: [],
      };
    }
    throw err;
  }
}

const dnsFix = (s: ReadinessSettings, name: string) =>
  `${
    s.attachedRecordNames.includes(name)
      ? `fix ${name}'s failover pair in the tool that manages it (pilot-light does not deploy it): this region's member aliases ${s.regionalRecordName} or its load balancer, PRIMARY carries the DNS stack's TrafficHealthCheckId`
      : 'deploy the DNS stack'
  }; check with aws route53 list-resource-record-sets --hosted-zone-id ${s.hostedZoneId} --query "ResourceRecordSets[?Name=='${name}.']"`;

/** One hostname's failover pair as read, and what is wrong with it. */
interface Pair {
  readonly name: string;
  readonly primary?: ResourceRecordSet;
  readonly secondary?: ResourceRecordSet;
  readonly parts: readonly Part[];
}

/** The failover pair of `name`: both members, this region's aliasing the regional record, PRIMARY with a health check. */
async function pairOf(s: ReadinessSettings, reads: ReadinessReads, name: string): Promise<Pair> {
  const fix = dnsFix(s, name);
  const pair = await recordsNamed(reads, name);
  const parts: Part[] = [];
  const primary = pair.find((r) => r.Failover === 'PRIMARY');
  const secondary = pair.find((r) => r.Failover === 'SECONDARY');
  if (primary === undefined || secondary === undefined) {
    const missing = [
      primary === undefined ? 'PRIMARY' : '',
      secondary === undefined ? 'SECONDARY' : '',
    ].filter(Boolean);
    parts.push(failPart(`failover record(s) ${missing.join(' and ')} of ${name} missing`, fix));
  }
  const own = s.targetRole === 'main' ? primary : secondary;
  const aliased = normalize(own?.AliasTarget?.DNSName);
  // pilot-light's pair aliases the regional record; a team's own pair (`attach`) may alias what the
  // regional record aliases (the region's load balancer) directly: both answer with this region.
  const regionalTarget = async () =>
    normalize((await recordsNamed(reads, s.regionalRecordName))[0]?.AliasTarget?.DNSName);
  if (
    own !== undefined &&
    aliased !== normalize(s.regionalRecordName) &&
    (aliased === '' || aliased !== (await regionalTarget()))
  ) {
    parts.push(
      failPart(
        `${own.Failover} record of ${name} aliases ${aliased || 'no alias'}, not ${s.regionalRecordName} or the load balancer it aliases`,
        fix,
      ),
    );
  }
  // The DNS stack puts the CALCULATED health check on PRIMARY only; its children are the claim health checks.
  if (primary !== undefined && primary.HealthCheckId === undefined) {
    parts.push(failPart(`PRIMARY record of ${name} has no health check: traffic could never move`, fix));
  }
  return {
    name,
    ...(primary !== undefined ? { primary } : {}),
    ...(secondary !== undefined ? { secondary } : {}),
    parts,
  };
}

/**
 * One claim decides for the whole application only when every PRIMARY hangs on the same health
 * check: a hostname on another one would answer a region of its own.
 */
function sameHealthCheckParts(s: ReadinessSettings, pairs: readonly Pair[]): Part[] {
  const withCheck = pairs.filter((p) => p.primary?.HealthCheckId !== undefined);
  const first = withCheck[0];
  if (first === undefined) return [];
  return withCheck
    .filter((p) => p.primary?.HealthCheckId !== first.primary?.HealthCheckId)
    .map((p) =>
      failPart(
        `PRIMARY record of ${p.name} carries health check ${p.primary?.HealthCheckId}, not ${first.primary?.HealthCheckId} like ${first.name}: the hostnames would not move together`,
        dnsFix(s, p.name),
      ),
    );
}

async function recordsPart(s: ReadinessSettings, reads: ReadinessReads): Promise<Part> {
  if (s.recordNames.length === 0) {
    return failPart('no application hostname to check', 'list the hostnames under dns.records in the config');
  }
  // One read per name (StartRecordName lists from that name on); a failed read leaves the other names' findings.
  const [regional, ...pairs] = await Promise.all([
    part(async () =>
      (await recordsNamed(reads, s.regionalRecordName)).length === 0
        ? failPart(
            `regional record ${s.regionalRecordName} (alias to this region's ALB) missing`,
            capacityFix(
              s,
              "deploy this region's service stack (it creates the regional alias)",
              () =>
                `deploy the DNS stack (with the team's services it creates the regional alias to ${capacityKey(s, 'loadBalancer')})`,
            ),
          )
        : passPart,
    ),
    ...s.recordNames.map(async (name): Promise<Pair> => {
      try {
        return await pairOf(s, reads, name);
      } catch (err: unknown) {
        return { name, parts: [partOfError(err)] };
      }
    }),
  ]);
  const ids = [
    ...new Set(
      pairs
        .flatMap((p) => [p.primary?.HealthCheckId, p.secondary?.HealthCheckId])
        .filter((x): x is string => x !== undefined),
    ),
  ];
  const tops = await Promise.all(
    ids.map(async (id) => {
      try {
        return await healthCheckPart(reads, id, 'failover record');
      } catch (err: unknown) {
        return { part: partOfError(err), children: [] };
      }
    }),
  );
  const childIds = [...new Set(tops.flatMap((t) => t.children))];
  const childParts = await Promise.all(
    childIds.map((id) => part(async () => (await healthCheckPart(reads, id, 'claim')).part)),
  );
  return combineParts([
    ...pairs.flatMap((p) => p.parts),
    regional,
    ...sameHealthCheckParts(s, pairs),
    ...tops.map((t) => t.part),
    ...childParts,
  ]);
}

function combineParts(parts: readonly Part[]): Part {
  const merged = combine('traffic-routing', '', parts);
  return merged.status === 'PASS' ? passPart : { status: merged.status, why: merged.why, fix: merged.fix };
}

/**
 * `traffic-routing`: what moves traffic to this region exists: each service's target group with a
 * health check path (a finding names the service), the failover pair of every hostname in
 * `recordNames` (PRIMARY with the CALCULATED health check, the same one on every hostname,
 * SECONDARY; this region's member aliasing `regionalRecordName`), the regional alias, and every
 * health check the pairs reference (the CALCULATED one and its claim children). Route 53 reads: one
 * ListResourceRecordSets per hostname and one for the regional alias, one GetHealthCheck per
 * distinct health check; one DescribeTargetGroups per service.
 */
export const trafficRoutingCheck: RegionCheckSpec = {
  id: 'traffic-routing',
  scope: 'region',
  what: (s) =>
    `target group of ${nameList(s.services.map((svc) => svc.ecsService))}, failover records of ${nameList(s.recordNames)}, ${s.regionalRecordName} and their health checks exist`,
  run: async (s, reads) => {
    const parts = await Promise.all([
      ...s.services.map((svc) =>
        part(() => targetGroupPart(reads, svc)).then((p) => namedPart(`service ${svc.name}`, p)),
      ),
      part(() => recordsPart(s, reads)),
    ]);
    return combine('traffic-routing', trafficRoutingCheck.what(s), parts);
  },
};
