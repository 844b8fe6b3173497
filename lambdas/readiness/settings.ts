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
  /**
   * Both directions of replication: each of this region's buckets to its pair in the other region,
   * and back. `own.names[i]` pairs with `other.names[i]` (config order).
   */
  readonly buckets: {
    readonly own: RegionBuckets;
    readonly other: RegionBuckets;
  };
  readonly maxReplicationLagSeconds: number;
}

/**
 * A region's application buckets, the region, and the id of the replication rule each bucket has
 * to its pair in the other region (the same id in every bucket's configuration).
 */
export interface RegionBuckets {
  /** In config order, aligned with the other region's. */
  readonly names: readonly string[];
  readonly region: string;
  readonly ruleId: string;
}
