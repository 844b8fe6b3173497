import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { BucketPair } from '../config/names';

/**
 * Give `role` what S3 replication of every source bucket of `pairs` to its destination needs, with
 * the deterministic ARNs (not `grantReplicationPermission`) so the policy and its acknowledged
 * wildcards are literal and reviewable. The buckets are SSE-S3: no KMS grant is needed.
 */
export function grantBucketReplication(role: iam.Role, pairs: readonly BucketPair[]): void {
  const sourceObjects = pairs.map((p) => `${p.source.bucketArn}/*`);
  const replicaObjects = pairs.map((p) => `${p.destination.bucketArn}/*`);
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      resources: pairs.map((p) => p.source.bucketArn),
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      resources: sourceObjects,
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      resources: replicaObjects,
    }),
  );
  Validations.of(role).acknowledge(
    ...sourceObjects.map((objects) => ({
      id: `AwsSolutions-IAM5[Resource::${objects}]`,
      reason: 'Replication reads every object version of the source bucket.',
    })),
    ...replicaObjects.map((objects) => ({
      id: `AwsSolutions-IAM5[Resource::${objects}]`,
      reason: 'Replication writes every object of the replica bucket.',
    })),
  );
}
