import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeAccountAttributesCommand } from '@aws-sdk/client-rds';
import { GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import type { RegionCheckSpec } from '../check-spec';
import { missingClusterFix } from '../database-fixes';
import { combine, failPart, type Part, part, passPart, read, unknownPart } from '../outcome';
import type { ReadinessReads } from '../reads';
import { missingAsgFix } from '../service-fixes';
import type { ReadinessDatabase, ReadinessSettings } from '../settings';

/**
 * EC2 "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", counted in vCPUs: the
 * quota the ASG's instances launch under.
 */
export const EC2_STANDARD_VCPU_QUOTA = { ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' } as const;
/** Usage metrics are published each minute; 15 minutes tolerate gaps. */
const USAGE_WINDOW_MINUTES = 15;

/** Instances already counted in the quota's usage: InService and Pending (with its hook states Pending:Wait, Pending:Proceed). */
const RUNNING_STATES = /^(InService|Pending)/;

/**
 * The DB instances a promotion adds to `db`'s cluster here (its `instanceCount` less the members
 * it has), or a part saying why not known.
 */
async function toAddOf(
  s: ReadinessSettings,
  reads: ReadinessReads,
  db: ReadinessDatabase,
): Promise<number | Part> {
  const cluster = await reads.dbCluster(db);
  if (cluster === undefined) {
    return unknownPart(
      `database ${db.name}: cluster ${db.clusterId} does not exist: instances to add unknown`,
      missingClusterFix(s, db),
    );
  }
  return Math.max(0, db.instanceCount - (cluster.DBClusterMembers?.length ?? 0));
}

/** RDS `DBInstances` is a per-region quota: the instances every database's promotion adds, summed. */
async function dbInstancesPart(
  s: ReadinessSettings,
  reads: ReadinessReads,
): Promise<{ part: Part; fact: string }> {
  const [adds, attrs] = await Promise.all([
    Promise.all(s.databases.map((db) => toAddOf(s, reads, db))),
    read('rds:DescribeAccountAttributes', () =>
      reads.clients.rds.send(new DescribeAccountAttributesCommand({})),
    ),
  ]);
  const unknown = adds.filter((a): a is Part => typeof a !== 'number');
  if (unknown.length > 0) {
    const first = unknown[0] as Part;
    return {
      part: unknownPart(unknown.map((u) => u.why).join('; '), first.fix ?? ''),
      fact: '',
    };
  }
  const quota = attrs.AccountQuotas?.find((q) => q.AccountQuotaName === 'DBInstances');
  if (quota?.Max === undefined || quota.Used === undefined) {
    return {
      part: unknownPart('RDS reports no DBInstances quota', 'aws rds describe-account-attributes'),
      fact: '',
    };
  }
  const counts = adds as number[];
  const toAdd = counts.reduce((a, b) => a + b, 0);
  const room = quota.Max - quota.Used;
  const each =
    s.databases.length > 1 ? ` (${s.databases.map((db, i) => `${db.name} ${counts[i]}`).join(', ')})` : '';
  const fact = `DB instances: ${toAdd} to add${each}, ${room} free (${quota.Used}/${quota.Max})`;
  if (room < toAdd) {
    return {
      part: failPart(
        `RDS DBInstances quota leaves room for ${room} instance(s) (${quota.Used} of ${quota.Max} used); a promotion adds ${toAdd}${each}`,
        `request an increase: aws service-quotas request-service-quota-increase --service-code rds --quota-code L-7B6409FD --desired-value ${quota.Used + toAdd} --region ${s.targetRegion}`,
      ),
      fact,
    };
  }
  return { part: passPart, fact };
}

async function latestUsage(
  reads: ReadinessReads,
  metric: {
    MetricNamespace?: string;
    MetricName?: string;
    MetricDimensions?: Record<string, string>;
    MetricStatisticRecommendation?: string;
  },
): Promise<number | undefined> {
  const end = reads.now();
  const out = await read('cloudwatch:GetMetricData', () =>
    reads.clients.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - USAGE_WINDOW_MINUTES * 60_000),
        EndTime: end,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: [
          {
            Id: 'usage',
            ReturnData: true,
            MetricStat: {
              Metric: {
                Namespace: metric.MetricNamespace,
                MetricName: metric.MetricName,
                Dimensions: Object.entries(metric.MetricDimensions ?? {}).map(([Name, Value]) => ({
                  Name,
                  Value,
                })),
              },
              Period: 60,
              Stat: metric.MetricStatisticRecommendation ?? 'Maximum',
            },
          },
        ],
      }),
    ),
  );
  const r = out.MetricDataResults?.find((x) => x.Id === 'usage');
  let best: { v: number; t: number } | undefined;
  (r?.Values ?? []).forEach((v, i) => {
    const t = r?.Timestamps?.[i]?.getTime();
    if (t !== undefined && (best === undefined || t > best.t)) best = { v, t };
  });
  return best?.v;
}

async function vcpuPart(s: ReadinessSettings, reads: ReadinessReads): Promise<{ part: Part; fact: string }> {
  const [spec, asg, quotaOut] = await Promise.all([
    reads.launchSpec(),
    reads.autoScalingGroup(),
    read('servicequotas:GetServiceQuota', () =>
      reads.clients.serviceQuotas.send(new GetServiceQuotaCommand(EC2_STANDARD_VCPU_QUOTA)),
    ),
  ]);
  if (!spec.ok || asg === undefined) {
    return {
      part: unknownPart(
        `vCPUs a promotion needs unknown: ${spec.ok ? `ASG ${s.asgName} does not exist` : spec.why}`,
        spec.ok ? missingAsgFix(s) : spec.fix,
      ),
      fact: '',
    };
  }
  const limit = quotaOut.Quota?.Value;
  const metric = quotaOut.Quota?.UsageMetric;
  if (limit === undefined || metric?.MetricName === undefined) {
    return {
      part: unknownPart(
        `Service Quotas returns no value or usage metric for ${EC2_STANDARD_VCPU_QUOTA.QuotaCode}`,
        'aws service-quotas get-service-quota --service-code ec2 --quota-code L-1216C47A',
      ),
      fact: '',
    };
  }
  const [types, usage] = await Promise.all([
    reads.instanceTypes(spec.instanceTypes),
    latestUsage(reads, metric),
  ]);
  // With several instance types any may launch: count the largest.
  const vcpus = Math.max(0, ...spec.instanceTypes.map((t) => types.get(t)?.VCpuInfo?.DefaultVCpus ?? 0));
  if (vcpus === 0) {
    return {
      part: unknownPart(
        `vCPUs of ${spec.instanceTypes.join(', ')} unknown to EC2`,
        `regions.${s.targetRole}.capacity.instanceType in the config`,
      ),
      fact: '',
    };
  }
  const running = (asg.Instances ?? []).filter((i) => RUNNING_STATES.test(i.LifecycleState ?? '')).length;
  const need = Math.max(0, s.promotion.asgMinCapacity - running) * vcpus;
  // Without a datapoint, nothing of the class ran in the window: CloudWatch publishes usage only while some does.
  const used = usage ?? 0;
  const room = limit - used;
  const fact = `EC2 vCPUs: ${need} to add, ${room} free (${used}${usage === undefined ? ' (no usage reported)' : ''}/${limit})`;
  if (room < need) {
    return {
      part: failPart(
        `EC2 On-Demand Standard vCPU quota leaves ${room} vCPU(s) (${used} of ${limit} used); a promotion launches ${s.promotion.asgMinCapacity - running} × ${vcpus} = ${need}`,
        `request an increase: aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-1216C47A --desired-value ${Math.ceil(used + need)} --region ${s.targetRegion}`,
      ),
      fact,
    };
  }
  return { part: passPart, fact };
}

/**
 * `quotas`: the account's quotas leave room for what a promotion adds: RDS `DBInstances` (the
 * instances still to add to every database's cluster here, summed: the quota is per region) and
 * EC2 On-Demand Standard vCPUs (the instances still to launch into the shared ASG × the instance
 * type's vCPUs), the latter read through Service Quotas and its usage metric.
 */
export const quotasCheck: RegionCheckSpec = {
  id: 'quotas',
  scope: 'region',
  what: () => 'RDS DBInstances and EC2 On-Demand Standard vCPU quotas leave room for the promotion',
  run: async (s, reads) => {
    const guarded = (work: () => Promise<{ part: Part; fact: string }>) =>
      work().catch(async (err: unknown) => ({ part: await part(() => Promise.reject(err)), fact: '' }));
    const [db, cpu] = await Promise.all([
      guarded(() => dbInstancesPart(s, reads)),
      guarded(() => vcpuPart(s, reads)),
    ]);
    const facts = [db.fact, cpu.fact].filter((f) => f !== '');
    const what = `${quotasCheck.what(s)}${facts.length > 0 ? ` (${facts.join('; ')})` : ''}`;
    return combine('quotas', what, [db.part, cpu.part]);
  },
};
