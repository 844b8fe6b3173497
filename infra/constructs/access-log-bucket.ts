import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * A bucket receiving S3 server access logs (AwsSolutions-S1 for the buckets that log to it): private,
 * TLS only, logs kept 90 days, retained with its stack. A function rather than a construct, so the
 * bucket keeps the construct path (and logical id) it had when each stack declared it inline.
 */
export function accessLogBucket(scope: Construct, id: string): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    // S3 server access logging is granted by the LogDeliveryWrite ACL here, which needs ACLs on.
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(90) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-log bucket itself; logging it to itself would loop.',
  });
  return bucket;
}
