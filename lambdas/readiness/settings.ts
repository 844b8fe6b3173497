import type { RegionSettings } from '../shared/env';
import type { DatabaseField, DatabaseOf, ServiceField, ServiceOf } from '../shared/resources';

/**
 * The fields of each `DATABASES` entry (besides `name`) the checks read: `readinessEnvironment`
 * writes exactly these. Only what is read, as Lambda allows 4 KB of environment per function and
 * the readiness function carries the buckets and hostnames too (10 services and 5 databases with
 * every field would not fit).
 */
export const READINESS_DATABASE_FIELDS = [
  'globalClusterId',
  'clusterId',
  'instanceCount',
  'instanceClass',
  'fallbackInstanceClasses',
  'engineVersion',
  'existing',
] as const satisfies readonly DatabaseField[];

/** The fields of each `SERVICES` entry (besides `name`) the checks read. */
export const READINESS_SERVICE_FIELDS = [
  'ecsService',
  'desiredCount',
  'image',
  'existing',
] as const satisfies readonly ServiceField[];

/** A `databases[]` entry with what the readiness checks read of it (`READINESS_DATABASE_FIELDS`). */
export type ReadinessDatabase = DatabaseOf<(typeof READINESS_DATABASE_FIELDS)[number]>;
/** A `services[]` entry with what the readiness checks read of it (`READINESS_SERVICE_FIELDS`). */
export type ReadinessService = ServiceOf<(typeof READINESS_SERVICE_FIELDS)[number]>;

/**
 * What the readiness checks compare AWS against: the project's own resources and the sizes a
 * promotion of this region needs. The Lambda reads it from its environment (`env.ts`); the CLI
 * (`npm run readiness`) and the drill build it from the config, so all three check the same.
 */
export interface ReadinessSettings extends RegionSettings {
  readonly project: string;
  /** `aurora-postgresql`: the engine of every database. */
  readonly engine: string;
  /**
   * `databases[]`, resolved to this region: each global cluster, this region's member cluster, and
   * what a promotion adds to it (`instanceCount` instances of `instanceClass`, `engineVersion`).
   * The database checks run once per entry. Whole `DatabaseResource`s fit (infra passes them).
   * `existing: true` marks one the team deployed: its findings' fixes are in the team's terms.
   */
  readonly databases: readonly ReadinessDatabase[];
  /** This region's configured availability zones. */
  readonly availabilityZones: readonly string[];
  /** `regions.<role>.capacity.promotion`: what a promotion raises the shared ASG to. */
  readonly promotion: {
    readonly asgMinCapacity: number;
    /**
     * Instances kept in On-Demand Capacity Reservations for the promotion
     * (`regions.<role>.capacity.reservation.instances`); 0: none, the headless default.
     */
    readonly reservedInstances: number;
  };
  /** The region's Auto Scaling group: the ECS cluster's instances, shared by every service. */
  readonly asgName: string;
  readonly ecsClusterName: string;
  /**
   * `services[]`, resolved to this region: each ECS service (in `ecsClusterName`), the desired count
   * a promotion raises it to and the image its task definition must run. The service checks run
   * once per entry. `existing: true` marks one the team deployed (then so are `ecsClusterName` and
   * `asgName`: one cluster runs every service): fixes in the team's terms.
   */
  readonly services: readonly ReadinessService[];
  /**
   * The `services[]` names no hostname routes to (none is the first): behind no load balancer, so
   * `traffic-routing` expects no target group of them (they serve when their tasks run).
   */
  readonly unroutedServices: readonly string[];
  readonly hostedZoneId: string;
  /**
   * `dns.records[].recordName`, in config order: the application's hostnames, each a failover pair
   * (PRIMARY → `main.<first>`, SECONDARY → `dr.<first>`) on the same claim health checks.
   */
  readonly recordNames: readonly string[];
  /**
   * The hostnames whose failover pair the team manages (`dns.records[].existing: attach`): their
   * findings name the fix in the team's terms.
   */
  readonly attachedRecordNames: readonly string[];
  /** `<role>.<recordNames[0]>`: this region's alias to its ALB. */
  readonly regionalRecordName: string;
  /** This region's failover state machine. */
  readonly stateMachineArn: string;
  /**
   * Where this region's load balancer certificate is known: its ARN (`regions.<role>.certificateArn`),
   * or the SSM parameter (in this region) the service stack writes the ARN of the one it requested
   * to. Absent: the load balancer is the team's and the config names no certificate.
   */
  readonly certificate?: CertificateRef;
  /**
   * Both directions of replication: each of this region's buckets to its pair in the other region,
   * and back. `own.names[i]` pairs with `other.names[i]` (config order).
   */
  readonly buckets: {
    readonly own: RegionBuckets;
    readonly other: RegionBuckets;
    /** The bucket names (either region) of pairs the team runs (`buckets[].existing`). */
    readonly team: readonly string[];
  };
  readonly maxReplicationLagSeconds: number;
  /** The `backups` check's settings; absent when `backups.enabled` is false (nothing is backed up). */
  readonly backups?: BackupSettings;
}

/**
 * What the `backups` check reads: this region's vault, and the other region's databases and buckets
 * whose copies it holds (readable here when the other region is down).
 */
export interface BackupSettings {
  /** This region's vault (`<project>-<role>-backups`). */
  readonly vaultName: string;
  /** `backups.copyTargetHours`: the newest copy of each resource must be younger (the corruption RPO). */
  readonly copyTargetHours: number;
  /**
   * The other region's database clusters, in config order (their buckets are `buckets.other.names`):
   * with its account and the partition they give the ARNs the recovery points carry as
   * `ResourceArn` ({@link backupSourceArns}). Ids rather than ARNs: the environment has 4 KB.
   */
  readonly sourceClusterIds: readonly string[];
  readonly sourceAccount: string;
  readonly partition: string;
}

/** The ARNs of the other region's clusters, then its buckets: what the vault holds copies of. */
export function backupSourceArns(s: ReadinessSettings, b: BackupSettings): string[] {
  return [
    ...b.sourceClusterIds.map(
      (id) => `arn:${b.partition}:rds:${s.sourceRegion}:${b.sourceAccount}:cluster:${id}`,
    ),
    ...s.buckets.other.names.map((name) => `arn:${b.partition}:s3:::${name}`),
  ];
}

/** A certificate by its ARN, or by the SSM parameter holding it. */
export type CertificateRef = { readonly arn: string } | { readonly parameterName: string };

/**
 * A region's application buckets, the region, and the id of the replication rule each bucket has
 * to its pair in the other region (each bucket its own: a team's bucket pairs have their own ids).
 */
export interface RegionBuckets {
  /** In config order, aligned with the other region's. */
  readonly names: readonly string[];
  readonly region: string;
  /** `ruleIds[i]` is the id of `names[i]`'s rule to its pair. */
  readonly ruleIds: readonly string[];
}
