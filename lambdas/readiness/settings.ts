import type { RegionSettings } from '../shared/env';

/**
 * What the readiness checks compare AWS against: the project's own resources and the sizes a
 * promotion of this region needs. The Lambda reads it from its environment (`env.ts`); the CLI
 * (`npm run readiness`) and the drill build it from the config, so all three check the same.
 */
export interface ReadinessSettings extends RegionSettings {
  readonly project: string;
  readonly globalClusterId: string;
  /** This region's cluster (a member of the global cluster). */
  readonly dbClusterId: string;
  /** `aurora-postgresql` */
  readonly engine: string;
  /** `database.engineVersion`, e.g. `16.6`. */
  readonly engineVersion: string;
  /** `database.instanceClass`: the class promotion instances are created with. */
  readonly dbInstanceClass: string;
  /** This region's configured availability zones. */
  readonly availabilityZones: readonly string[];
  /** `regions.<role>.promotion`: what a promotion scales this region to. */
  readonly promotion: {
    readonly dbInstances: number;
    readonly asgMinCapacity: number;
    readonly serviceDesiredCount: number;
  };
  readonly asgName: string;
  readonly ecsClusterName: string;
  readonly ecsServiceName: string;
  /** `app.image`: the image the task definition must run. */
  readonly appImage: string;
  readonly hostedZoneId: string;
  /**
   * `dns.records[].recordName`, in config order: the application's hostnames, each a failover pair
   * (PRIMARY → `main.<first>`, SECONDARY → `dr.<first>`) on the same claim health checks.
   */
  readonly recordNames: readonly string[];
  /** `<role>.<recordNames[0]>`: this region's alias to its ALB. */
  readonly regionalRecordName: string;
  /** This region's failover state machine. */
  readonly stateMachineArn: string;
  /** Both replication rules: this region's bucket to the other's, and back. */
  readonly buckets: {
    readonly own: BucketRule;
    readonly other: BucketRule;
  };
  readonly maxReplicationLagSeconds: number;
}

/** A bucket, its region, and the id of its replication rule to the other region's bucket. */
export interface BucketRule {
  readonly name: string;
  readonly region: string;
  readonly ruleId: string;
}
