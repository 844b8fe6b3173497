import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { RegionNames } from '../config/names';
import { grantBucketReplication } from './bucket-replication-policy';
import { replicationRule } from './bucket-replication-rule';

/** Props of {@link BucketReplication}. */
export interface BucketReplicationProps {
  /** The region whose bucket replicates (its bucket must exist, in this stack's region). */
  readonly source: RegionNames;
  /** The region whose bucket receives the replicas (it must exist before this deploys). */
  readonly destination: RegionNames;
  /**
   * S3 Replication Time Control on the rule (charged per GB replicated).
   * @default false
   */
  readonly replicationTimeControl?: boolean;
}

/**
 * Sets the replication configuration of a bucket another stack owns, with an `AwsCustomResource`:
 * `PutBucketReplication` on create and update, `DeleteBucketReplication` on delete, and the
 * replication role S3 assumes (named `source.replicationRoleName`).
 *
 * Why not the bucket's own `ReplicationConfiguration`: the DR bucket is created before the main
 * bucket (main's rule needs it), and S3 rejects a rule whose destination does not exist, so the
 * rule back can only be set after both. The trade-off: the configuration lives outside the bucket's
 * template (drift detection does not see it, and the stack owning the bucket must never declare a
 * `ReplicationConfiguration`, which would overwrite this one). Deleting this construct removes the rule.
 */
export class BucketReplication extends Construct {
  /** The role S3 assumes to replicate. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const { source, destination, replicationTimeControl = false } = props;

    this.role = new iam.Role(this, 'Role', {
      roleName: source.replicationRoleName,
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description: `Replicates ${source.bucketName} to ${destination.bucketName}`,
    });
    grantBucketReplication(this.role, source, destination);

    const put: cr.AwsSdkCall = {
      service: 'S3',
      action: 'PutBucketReplication',
      parameters: {
        Bucket: source.bucketName,
        ReplicationConfiguration: {
          Role: source.replicationRoleArn,
          Rules: [replicationRule(source, destination, replicationTimeControl)],
        },
      },
      region: source.region,
      physicalResourceId: cr.PhysicalResourceId.of(`${source.bucketName}/replication`),
    };
    // The provider's own role and log group, so it gets write access to that log group only (the
    // default role carries the AWSLambdaBasicExecutionRole managed policy: every log group).
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const providerRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Sets the replication configuration of ${source.bucketName}`,
    });
    providerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [providerLogs.logGroupArn],
      }),
    );
    const apply = new cr.AwsCustomResource(this, 'Configuration', {
      role: providerRole,
      logGroup: providerLogs,
      onCreate: put,
      onUpdate: put,
      onDelete: {
        service: 'S3',
        action: 'DeleteBucketReplication',
        parameters: { Bucket: source.bucketName },
        region: source.region,
      },
      // Both calls need s3:PutReplicationConfiguration; Put also passes the role to S3.
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['s3:PutReplicationConfiguration'],
          resources: [source.bucketArn],
        }),
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [source.replicationRoleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' } },
        }),
      ]),
      installLatestAwsSdk: false,
    });
    // S3 checks the role when the rule is put: create it (with its policy) first.
    apply.node.addDependency(this.role);
  }
}
