import { GetBucketReplicationCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ReadinessCheckSpec } from '../check-spec';
import { combine, failPart, isReadErrorNamed, type Part, part, passPart, read } from '../outcome';
import type { BucketRule } from '../settings';

async function rulePart(client: S3Client, rule: BucketRule): Promise<Part> {
  const fix = `deploy the storage stacks (main's, DR's, then DR's replication stack); check with aws s3api get-bucket-replication --bucket ${rule.name} --region ${rule.region}`;
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
    return passPart;
  } catch (err: unknown) {
    if (isReadErrorNamed(err, 'ReplicationConfigurationNotFoundError')) {
      return failPart(`bucket ${rule.name} has no replication configuration`, fix);
    }
    if (isReadErrorNamed(err, 'NoSuchBucket')) return failPart(`bucket ${rule.name} does not exist`, fix);
    throw err;
  }
}

/**
 * `s3-replication`: both replication rules are enabled: this region's bucket to the other's (what
 * a failback drains) and the other's to this one (what a failover relies on).
 */
export const s3ReplicationCheck: ReadinessCheckSpec = {
  id: 's3-replication',
  what: (s) =>
    `replication rules ${s.buckets.own.ruleId} (${s.buckets.own.name}) and ${s.buckets.other.ruleId} (${s.buckets.other.name}) enabled`,
  run: async (s, reads) => {
    const parts = await Promise.all([
      part(() => rulePart(reads.clients.s3.own, s.buckets.own)),
      part(() => rulePart(reads.clients.s3.other, s.buckets.other)),
    ]);
    return combine('s3-replication', s3ReplicationCheck.what(s), parts);
  },
};
