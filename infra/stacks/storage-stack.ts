import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { bucketPairs, type RegionNames } from '../config/names';
import { accessLogBucket } from '../constructs/access-log-bucket';
import { grantBucketReplication } from '../constructs/bucket-replication-policy';
import { entryIdSuffix } from '../constructs/entry-id';

/** Props of {@link StorageStack}. */
export interface StorageStackProps extends StackProps {
  /** Deterministic names of this region (buckets, task role, replication role). */
  readonly names: RegionNames;
  /**
   * Deterministic names of the region this region's buckets replicate to. The destination buckets
   * must already exist, so the stack that owns them has to be deployed first.
   * @default - no replication (the DR replica buckets)
   */
  readonly replicateTo?: RegionNames;
}

/**
 * One region's application buckets (`buckets[]`: versioned, SSE-S3, public access blocked, TLS
 * only, server access logs) and their access-log bucket. Each main bucket replicates to its DR pair,
 * addressed by its deterministic name, not by a CDK cross-region reference, through one replication
 * role. The first bucket keeps the seed's construct ids (`Data`, `ReplicaBucket`); the others carry
 * their entry name (`DataMedia`, …), and their access logs go under `<entry>-bucket/`.
 *
 * The rule: priority 1, an empty prefix filter (every object; a filter makes it a V2 rule, which
 * replica-modification sync needs), delete markers replicated, replica modifications replicated (so
 * metadata changes made on the DR copy after a failover follow back), replication metrics on (the
 * `AWS/S3` `OperationsPendingReplication` a failover reports and a failback waits on) and, behind
 * the entry's `replicationTimeControl`, S3 RTC. The buckets use SSE-S3, not KMS: the rule needs no key grants
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
  /** The application buckets, in `buckets` order. */
  public readonly buckets: readonly s3.Bucket[];
  /** Receives the application buckets' server access logs and the ALB's access logs. */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { names, replicateTo } = props;

    this.accessLogsBucket = accessLogBucket(this, 'AccessLogs');

    const pairs = replicateTo ? bucketPairs(names, replicateTo) : [];
    const replicationRole =
      pairs.length > 0
        ? new iam.Role(this, 'ReplicationRole', {
            roleName: names.replicationRoleName,
            assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
            description:
              pairs.length === 1
                ? `Replicates ${pairs[0]?.source.bucketName} to ${pairs[0]?.destination.bucketName}`
                : `Replicates the ${names.role} buckets to their ${replicateTo?.role} pairs`,
          })
        : undefined;

    const taskRoleArns = names.services.filter((svc) => !svc.existing).map((svc) => svc.taskRoleArn);
    this.buckets = names.buckets.map((own, i) => {
      const suffix = entryIdSuffix(i, own.entry);
      const pair = pairs[i];
      const replica = pair
        ? s3.Bucket.fromBucketAttributes(this, `ReplicaBucket${suffix}`, {
            bucketName: pair.destination.bucketName,
            bucketArn: pair.destination.bucketArn,
            region: replicateTo?.region,
            account: replicateTo?.account,
          })
        : undefined;
      const bucket = new s3.Bucket(this, `Data${suffix}`, {
        bucketName: own.bucketName,
        versioned: true,
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        serverAccessLogsBucket: this.accessLogsBucket,
        serverAccessLogsPrefix: i === 0 ? 'data-bucket/' : `${own.entry}-bucket/`,
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
                replicationTimeControl: own.replicationTimeControl
                  ? s3.ReplicationTimeValue.FIFTEEN_MINUTES
                  : undefined,
              },
            ]
          : undefined,
      });
      // The team's tasks (existing services) get access from the team's own policies.
      if (taskRoleArns.length > 0) {
        bucket.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: 'AppTaskRoleReadWrite',
            principals: [new iam.AccountPrincipal(names.account)],
            actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
            resources: [bucket.bucketArn, bucket.arnForObjects('*')],
            conditions: { ArnEquals: { 'aws:PrincipalArn': taskRoleArns } },
          }),
        );
      }
      return bucket;
    });
    if (replicationRole) grantBucketReplication(replicationRole, pairs);
  }
}
