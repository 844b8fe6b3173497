import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { RegionNames } from '../config/names';
import { accessLogBucket } from '../constructs/access-log-bucket';
import { grantBucketReplication } from '../constructs/bucket-replication-policy';

/** Props of {@link StorageStack}. */
export interface StorageStackProps extends StackProps {
  /** Deterministic names of this region (bucket, task role, replication role). */
  readonly names: RegionNames;
  /**
   * Deterministic names of the bucket this region's bucket replicates to. The destination bucket
   * must already exist, so the stack that owns it has to be deployed first.
   * @default - no replication (the DR replica bucket)
   */
  readonly replicateTo?: RegionNames;
  /**
   * S3 Replication Time Control on the replication rule (`storage.replicationTimeControl`): charged
   * per GB replicated, on top of replication itself.
   * @default false
   */
  readonly replicationTimeControl?: boolean;
}

/**
 * One region's application bucket (versioned, SSE-S3, public access blocked, TLS only, server
 * access logs) and its access-log bucket. The main bucket replicates to the DR bucket, addressed by
 * its deterministic name, not by a CDK cross-region reference.
 *
 * The rule: priority 1, an empty prefix filter (every object; a filter makes it a V2 rule, which
 * replica-modification sync needs), delete markers replicated, replica modifications replicated (so
 * metadata changes made on the DR copy after a failover follow back), replication metrics on (the
 * `AWS/S3` `OperationsPendingReplication` a failover reports and a failback waits on) and, behind
 * `replicationTimeControl`, S3 RTC. The buckets use SSE-S3, not KMS: the rule needs no key grants
 * and replicates no `SseKmsEncryptedObjects`.
 *
 * The DR bucket's rule back to main is not here: S3 rejects a rule whose destination does not exist,
 * and the DR storage stack deploys before main's. `ReplicationStack` sets it once both exist; the DR
 * storage stack must therefore never declare a `ReplicationConfiguration` itself (a CloudFormation
 * update of that property would overwrite or remove the rule the replication stack set).
 *
 * The bucket policy grants the region's application task role, whose ARN is computed from config:
 * the role is created later by the service stack, and a policy naming a role that does not exist
 * yet is rejected by S3 ("Invalid principal"), so the statement names the account and matches the
 * role with `aws:PrincipalArn`.
 */
export class StorageStack extends Stack {
  /** The application bucket. */
  public readonly bucket: s3.Bucket;
  /** Receives the application bucket's server access logs and the ALB's access logs. */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { names, replicateTo, replicationTimeControl = false } = props;

    this.accessLogsBucket = accessLogBucket(this, 'AccessLogs');

    const replica = replicateTo
      ? s3.Bucket.fromBucketAttributes(this, 'ReplicaBucket', {
          bucketName: replicateTo.bucketName,
          bucketArn: replicateTo.bucketArn,
          region: replicateTo.region,
          account: replicateTo.account,
        })
      : undefined;
    const replicationRole = replicateTo
      ? new iam.Role(this, 'ReplicationRole', {
          roleName: names.replicationRoleName,
          assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
          description: `Replicates ${names.bucketName} to ${replicateTo.bucketName}`,
        })
      : undefined;

    this.bucket = new s3.Bucket(this, 'Data', {
      bucketName: names.bucketName,
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
      replicationRole,
      replicationRules: replica
        ? [
            {
              id: names.replicationRuleId,
              priority: 1,
              filter: { prefix: '' },
              destination: replica,
              deleteMarkerReplication: true,
              replicaModifications: true,
              metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
              replicationTimeControl: replicationTimeControl
                ? s3.ReplicationTimeValue.FIFTEEN_MINUTES
                : undefined,
            },
          ]
        : undefined,
    });
    if (replicateTo && replicationRole) grantBucketReplication(replicationRole, names, replicateTo);

    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AppTaskRoleReadWrite',
        principals: [new iam.AccountPrincipal(names.account)],
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
        resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        conditions: { ArnEquals: { 'aws:PrincipalArn': names.taskRoleArn } },
      }),
    );
  }
}
