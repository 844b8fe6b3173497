import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { bucketPairs, type RegionNames } from '../config/names';
import { grantBucketReplication } from './bucket-replication-policy';
import { replicationRule } from './bucket-replication-rule';
import { entryIdSuffix } from './entry-id';

/** Props of {@link BucketReplication}. */
export interface BucketReplicationProps {
  /** The region whose buckets replicate (they must exist, in this stack's region). */
  readonly source: RegionNames;
  /** The region whose buckets receive the replicas (they must exist before this deploys). */
  readonly destination: RegionNames;
}

/**
 * Sets the replication configuration of buckets another stack owns, each with an
 * `AwsCustomResource`: `PutBucketReplication` on create and update, `DeleteBucketReplication` on
 * delete; and the one role S3 assumes for all of them (named `source.replicationRoleName`). Each
 * bucket's rule carries its own Replication Time Control setting (`buckets[].replicationTimeControl`).
 *
 * Why not the bucket's own `ReplicationConfiguration`: the DR buckets are created before the main
 * buckets (main's rules need them), and S3 rejects a rule whose destination does not exist, so the
 * rules back can only be set after both. The trade-off: the configuration lives outside the bucket's
 * template (drift detection does not see it, and the stack owning the bucket must never declare a
 * `ReplicationConfiguration`, which would overwrite this one). Deleting a bucket's custom resource
 * removes its rule.
 */
export class BucketReplication extends Construct {
  /** The role S3 assumes to replicate. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    const { source, destination } = props;
    const pairs = bucketPairs(source, destination);

    this.role = new iam.Role(this, 'Role', {
      roleName: source.replicationRoleName,
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com'),
      description:
        pairs.length === 1
          ? `Replicates ${pairs[0]?.source.bucketName} to ${pairs[0]?.destination.bucketName}`
          : `Replicates the ${source.role} buckets to their ${destination.role} pairs`,
    });
    grantBucketReplication(this.role, pairs);

    // The provider's own role and log group, so it gets write access to that log group only (the
    // default role carries the AWSLambdaBasicExecutionRole managed policy: every log group).
    const providerLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const providerRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        pairs.length === 1
          ? `Sets the replication configuration of ${pairs[0]?.source.bucketName}`
          : `Sets the replication configuration of the ${source.role} buckets`,
    });
    providerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [providerLogs.logGroupArn],
      }),
    );
    // Both calls need s3:PutReplicationConfiguration; Put also passes the role to S3.
    const policy = cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({
        actions: ['s3:PutReplicationConfiguration'],
        resources: pairs.map((p) => p.source.bucketArn),
      }),
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [source.replicationRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 's3.amazonaws.com' } },
      }),
    ]);
    for (const [i, pair] of pairs.entries()) {
      const bucket = pair.source.bucketName;
      const put: cr.AwsSdkCall = {
        service: 'S3',
        action: 'PutBucketReplication',
        parameters: {
          Bucket: bucket,
          ReplicationConfiguration: {
            Role: source.replicationRoleArn,
            Rules: [replicationRule(source.replicationRuleId, pair.destination)],
          },
        },
        region: source.region,
        physicalResourceId: cr.PhysicalResourceId.of(`${bucket}/replication`),
      };
      const apply = new cr.AwsCustomResource(this, `Configuration${entryIdSuffix(i, pair.source.entry)}`, {
        role: providerRole,
        logGroup: providerLogs,
        onCreate: put,
        onUpdate: put,
        onDelete: {
          service: 'S3',
          action: 'DeleteBucketReplication',
          parameters: { Bucket: bucket },
          region: source.region,
        },
        policy,
        installLatestAwsSdk: false,
      });
      // S3 checks the role when the rule is put: create it (with its policy) first.
      apply.node.addDependency(this.role);
    }
  }
}
