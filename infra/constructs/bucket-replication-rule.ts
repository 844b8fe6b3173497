import type { BucketNames } from '../config/names';

/** One rule of `PutBucketReplication`'s `ReplicationConfiguration`, in the S3 API's own shape. */
export interface S3ReplicationRule {
  readonly ID: string;
  readonly Priority: number;
  readonly Status: 'Enabled';
  readonly Filter: { readonly Prefix: string };
  readonly DeleteMarkerReplication: { readonly Status: 'Enabled' };
  readonly SourceSelectionCriteria: { readonly ReplicaModifications: { readonly Status: 'Enabled' } };
  readonly Destination: {
    readonly Bucket: string;
    readonly Metrics: { readonly Status: 'Enabled'; readonly EventThreshold?: { readonly Minutes: 15 } };
    readonly ReplicationTime?: { readonly Status: 'Enabled'; readonly Time: { readonly Minutes: 15 } };
  };
}

/**
 * The rule (`ruleId`) replicating a bucket to `destination`, the same as the main bucket's rule the
 * storage stack declares through CloudFormation: priority 1, an empty prefix filter (a V2 rule, which
 * replica-modification sync requires), delete markers and replica modifications replicated, metrics
 * on (`OperationsPendingReplication` per `RuleId`), and S3 RTC when asked (it then needs the metrics'
 * 15-minute event threshold; RTC is charged per GB replicated).
 */
export function replicationRule(ruleId: string, destination: BucketNames): S3ReplicationRule {
  const { replicationTimeControl } = destination;
  return {
    ID: ruleId,
    Priority: 1,
    Status: 'Enabled',
    Filter: { Prefix: '' },
    DeleteMarkerReplication: { Status: 'Enabled' },
    SourceSelectionCriteria: { ReplicaModifications: { Status: 'Enabled' } },
    Destination: {
      Bucket: destination.bucketArn,
      Metrics: replicationTimeControl
        ? { Status: 'Enabled', EventThreshold: { Minutes: 15 } }
        : { Status: 'Enabled' },
      ...(replicationTimeControl ? { ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } } } : {}),
    },
  };
}
