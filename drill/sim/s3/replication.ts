import type { RegionNames } from '../../../infra/config/names';
import type { RegionRole } from '../../../infra/config/schema';
import { replicationRule, type S3ReplicationRule } from '../../../infra/constructs/bucket-replication-rule';

/**
 * The application buckets' replication configurations, as the storage and replication stacks put
 * them (infra/constructs/bucket-replication-rule.ts builds both the stacks' rules and these): each
 * bucket (`buckets[]`, one per region) replicates to its pair in the other region under the
 * region's one replication role, by a rule of the same id in every bucket; an existing pair
 * (`buckets[].existing`) by the team's role and each bucket's own rule id. A fault can disable a
 * rule or remove a configuration.
 */

export interface SimBucket {
  readonly name: string;
  /** Its entry in `buckets[]` (the pair it belongs to). */
  readonly entry: string;
  readonly region: string;
  readonly role: RegionRole;
  /** Undefined: no replication configuration (GetBucketReplication's ReplicationConfigurationNotFoundError). */
  replication?: { readonly roleArn: string; rules: S3ReplicationRule[] };
}

export class BucketModel {
  /** By bucket name. */
  readonly buckets = new Map<string, SimBucket>();

  /**
   * Remove `role`'s bucket of entry `entry`, as if deleted outside pilot-light (a fault:
   * `missing-resource`); returns the bucket removed, if there was one.
   */
  remove(role: RegionRole, entry: string): SimBucket | undefined {
    const bucket = [...this.buckets.values()].find((b) => b.role === role && b.entry === entry);
    if (bucket !== undefined) this.buckets.delete(bucket.name);
    return bucket;
  }

  /** Add `own`'s buckets, each replicating to its pair (the same entry) among `other`'s. */
  seed(own: RegionNames, other: RegionNames): void {
    for (const [i, bucket] of own.buckets.entries()) {
      const pair = other.buckets[i];
      if (pair === undefined) throw new Error(`bucket entry ${bucket.entry} has no pair in ${other.role}`);
      this.buckets.set(bucket.bucketName, {
        name: bucket.bucketName,
        entry: bucket.entry,
        region: own.region,
        role: own.role,
        replication: {
          // An existing pair replicates under the team's role; the rule's id is the one the config names.
          roleArn: bucket.existing
            ? `arn:${own.partition}:iam::${own.account}:role/${bucket.bucketName}-replication`
            : own.replicationRoleArn,
          rules: [replicationRule(bucket.replicationRuleId, pair)],
        },
      });
    }
  }
}
