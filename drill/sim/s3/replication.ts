import type { RegionNames } from '../../../infra/config/names';
import type { RegionRole } from '../../../infra/config/schema';
import { replicationRule, type S3ReplicationRule } from '../../../infra/constructs/bucket-replication-rule';

/**
 * The application buckets' replication configurations, as the storage and replication stacks put
 * them (infra/constructs/bucket-replication-rule.ts builds both the stacks' rules and these): each
 * bucket replicates to the other region's under the replication role. A fault can disable a rule or
 * remove the configuration.
 */

export interface SimBucket {
  readonly name: string;
  readonly region: string;
  readonly role: RegionRole;
  /** Undefined: no replication configuration (GetBucketReplication's ReplicationConfigurationNotFoundError). */
  replication?: { readonly roleArn: string; rules: S3ReplicationRule[] };
}

export class BucketModel {
  /** By bucket name. */
  readonly buckets = new Map<string, SimBucket>();

  /** Add `own`'s bucket replicating to `other`'s. */
  seed(own: RegionNames, other: RegionNames, replicationTimeControl: boolean): void {
    this.buckets.set(own.bucketName, {
      name: own.bucketName,
      region: own.region,
      role: own.role,
      replication: {
        roleArn: own.replicationRoleArn,
        rules: [replicationRule(own, other, replicationTimeControl)],
      },
    });
  }
}
