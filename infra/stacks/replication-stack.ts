import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RegionNames } from '../config/names';
import { BucketReplication } from '../constructs/bucket-replication';

/** Props of {@link ReplicationStack}. */
export interface ReplicationStackProps extends StackProps {
  /** The DR region: its buckets replicate back. */
  readonly source: RegionNames;
  /** The main region: its buckets receive the replicas. */
  readonly destination: RegionNames;
}

/**
 * The DR buckets' replication back to main (`<project>-dr-replication`, in the DR region): with it,
 * what the application writes in DR after a failover reaches main before a failback moves traffic
 * back. Deployed after main's storage stack, because S3 rejects a rule whose destination does not
 * exist; see {@link BucketReplication} for why the rule is not in the DR storage stack.
 */
export class ReplicationStack extends Stack {
  /** The replication configuration and its role. */
  public readonly replication: BucketReplication;

  constructor(scope: Construct, id: string, props: ReplicationStackProps) {
    super(scope, id, props);
    this.replication = new BucketReplication(this, 'DrToMain', {
      source: props.source,
      destination: props.destination,
    });
  }
}
