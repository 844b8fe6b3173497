import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { accessLogBucket } from './access-log-bucket';

/** The prefix the recorder writes under (`runs/<yyyy>/<mm>/<dd>/<execution>.json|.md`). */
export const RUN_RECORD_PREFIX = 'runs/';

export interface RunRecordBucketProps {
  /** Deterministic (`names.ts` `runRecordBucketName`): the recorder's environment and IAM name it. */
  readonly bucketName: string;
  /**
   * How long a record's overwritten versions are kept (a rerun of the recorder overwrites the
   * current one; the first record of a run stays recoverable this long).
   * @default Duration.days(365)
   */
  readonly noncurrentVersionExpiration?: Duration;
}

/**
 * The region's bucket of run records. Encrypted with S3-managed keys (SSE-S3): a record holds what
 * the execution history already holds (no secrets), the readers are operators in the console, and
 * a KMS key would add a key policy, a per-request cost and a Decrypt grant for every reader
 * without protecting anything the history does not already expose; the policy refuses any put that
 * does not ask for SSE-S3. Versioned, never public, TLS only, and retained when the stack is
 * deleted: records of real runs outlive the stack. Server access logs go to a small bucket of its
 * own (as the storage stack's data bucket does), expiring after 90 days.
 */
export class RunRecordBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: RunRecordBucketProps) {
    super(scope, id);
    this.accessLogs = accessLogBucket(this, 'AccessLogs');
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'run-records/',
      // Current records never expire (each is the account of a real run, and small); only the
      // versions a rerun overwrote do.
      lifecycleRules: [
        { noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(365) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'RequireSseS3',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
      }),
    );
  }
}
