import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { RegionNames } from '../config/names';

/**
 * Give `role` what S3 replication of `source`'s bucket to `destination`'s bucket needs, with the
 * deterministic ARNs (not `grantReplicationPermission`) so the policy and its acknowledged
 * wildcards are literal and reviewable. Both buckets are SSE-S3: no KMS grant is needed.
 */
export function grantBucketReplication(role: iam.Role, source: RegionNames, destination: RegionNames): void {
  const sourceObjects = `${source.bucketArn}/*`;
  const replicaObjects = `${destination.bucketArn}/*`;
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      resources: [source.bucketArn],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      resources: [sourceObjects],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      resources: [replicaObjects],
    }),
  );
  Validations.of(role).acknowledge(
    {
      id: `AwsSolutions-IAM5[Resource::${sourceObjects}]`,
      reason: 'Replication reads every object version of the source bucket.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::${replicaObjects}]`,
      reason: 'Replication writes every object of the replica bucket.',
    },
  );
}
