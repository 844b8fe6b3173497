import { GetBucketReplicationCommand, type S3Client } from '@aws-sdk/client-s3';
import { InvalidInputError } from '../../shared/errors';
import type { RegionCheckSpec } from '../check-spec';
import { combine, failPart, isReadErrorNamed, type Part, part, passPart, read } from '../outcome';
import type { ReadinessSettings, RegionBuckets } from '../settings';

/** One bucket's rule to check: the bucket, its region, the rule id, and the pair it must replicate to. */
interface BucketRule {
  readonly name: string;
  readonly region: string;
  readonly ruleId: string;
  /** The other region's bucket at the same index. */
  readonly pair?: string;
  /** The team runs this pair (`buckets[].existing`): the fix is in its own tooling. */
  readonly team: boolean;
}

/** A rule's destination is the bucket's ARN (`arn:<partition>:s3:::<name>`); bucket names hold no colon. */
const bucketOfArn = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

async function rulePart(client: S3Client, rule: BucketRule): Promise<Part> {
  const check = `check with aws s3api get-bucket-replication --bucket ${rule.name} --region ${rule.region}`;
  const fix = rule.team
    ? `fix bucket ${rule.name}'s replication rule ${rule.ruleId} to ${rule.pair ?? 'its pair'} in the tool that manages it (pilot-light does not deploy it); ${check}`
    : `deploy the storage stacks (main's, DR's, then DR's replication stack); ${check}`;
  try {
    const out = await read('s3:GetReplicationConfiguration', () =>
      client.send(new GetBucketReplicationCommand({ Bucket: rule.name })),
    );
    const found = out.ReplicationConfiguration?.Rules?.find((r) => r.ID === rule.ruleId);
    if (found === undefined)
      return failPart(`bucket ${rule.name} has no replication rule ${rule.ruleId}`, fix);
    if (found.Status !== 'Enabled') {
      return failPart(
        `replication rule ${rule.ruleId} of ${rule.name} is ${found.Status ?? 'without a status'}`,
        fix,
      );
    }
    const destination = found.Destination?.Bucket;
    if (rule.pair !== undefined && (destination === undefined || bucketOfArn(destination) !== rule.pair)) {
      return failPart(
        `replication rule ${rule.ruleId} of ${rule.name} replicates to ${destination ?? 'no bucket'}, not to its pair ${rule.pair}`,
        fix,
      );
    }
    return passPart;
  } catch (err: unknown) {
    if (isReadErrorNamed(err, 'ReplicationConfigurationNotFoundError')) {
      return failPart(`bucket ${rule.name} has no replication configuration`, fix);
    }
    if (isReadErrorNamed(err, 'NoSuchBucket')) return failPart(`bucket ${rule.name} does not exist`, fix);
    throw err;
  }
}

/** {@link rulePart}, a failed read (UNKNOWN) naming the bucket it was for. */
async function bucketPart(client: S3Client, rule: BucketRule): Promise<Part> {
  const p = await part(() => rulePart(client, rule));
  return p.status === 'UNKNOWN' ? { ...p, why: `bucket ${rule.name}: ${p.why}` } : p;
}

/**
 * Each bucket of `from` with its own rule to the bucket at the same index of `to`.
 *
 * @throws InvalidInputError a bucket without a rule id (settings built with unaligned lists; the
 * environment reader refuses those): the check is then UNKNOWN, saying so
 */
function rulesOf(from: RegionBuckets, to: RegionBuckets, team: readonly string[]): BucketRule[] {
  return from.names.map((name, i) => {
    const pair = to.names[i];
    const ruleId = from.ruleIds[i];
    if (ruleId === undefined) {
      throw new InvalidInputError(
        `buckets in ${from.region}: ${from.names.length} bucket(s) but ${from.ruleIds.length} rule id(s)`,
      );
    }
    return {
      name,
      region: from.region,
      ruleId,
      team: team.includes(name),
      ...(pair === undefined ? {} : { pair }),
    };
  });
}

/** `r` when every bucket's rule is `r`, else `3 rules`. */
function idsText(buckets: RegionBuckets): string {
  const ids = new Set(buckets.ruleIds);
  const [only] = ids;
  return ids.size === 1 && only !== undefined ? only : `${ids.size} rules`;
}

function what(s: ReadinessSettings): string {
  const { own, other } = s.buckets;
  if (own.names.length === 1 && other.names.length === 1) {
    return `replication rules ${own.ruleIds[0]} (${own.names[0]}) and ${other.ruleIds[0]} (${other.names[0]}) enabled`;
  }
  return `replication rules ${idsText(own)} (${own.names.length} bucket(s) in ${own.region}) and ${idsText(other)} (${other.names.length} in ${other.region}) enabled, each to its pair`;
}

/**
 * `s3-replication`: every bucket's replication rule is enabled and replicates to its pair: each of
 * this region's buckets to the other region's at the same index (what a failback drains) and each
 * of the other's back (what a failover relies on). One GetBucketReplication per bucket, all at once
 * (2 × the buckets listed); a failure names the bucket and gives its check command.
 */
export const s3ReplicationCheck: RegionCheckSpec = {
  id: 's3-replication',
  scope: 'region',
  what,
  run: async (s, reads) => {
    const parts = await Promise.all([
      ...rulesOf(s.buckets.own, s.buckets.other, s.buckets.team).map((r) =>
        bucketPart(reads.clients.s3.own, r),
      ),
      ...rulesOf(s.buckets.other, s.buckets.own, s.buckets.team).map((r) =>
        bucketPart(reads.clients.s3.other, r),
      ),
    ]);
    return combine('s3-replication', what(s), parts);
  },
};
