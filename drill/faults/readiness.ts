import { InstanceQuotaExceededFault, RDSServiceException } from '@aws-sdk/client-rds';
import {
  capacityInstanceTypes,
  type DatabaseConfig,
  type ProjectConfig,
  promotionInstanceClass,
  type RegionRole,
} from '../../infra/config/schema';
import type { ReadinessCheckId } from '../../lambdas/shared/readiness-contract';
import { DrillUsageError } from '../errors';
import { modeledError, serviceError } from '../sim/aws-errors';
import type { CallInterceptor, World } from '../sim/world';
import { entryOf, type FaultDefinition, instanceTypeArgument, nameAndCount, optionalEntry } from './args';
import { zoneShortage } from './capacity';
import { CERTIFICATE_FAULTS } from './certificate';

/**
 * Faults over readiness: each changes what one readiness check of the promoted region reads, so
 * that check (and only it) turns red, in `npm run drill -- --readiness` and in a failover drill alike
 * (the run still runs: an outage does not wait; its start notification lists the red check).
 *
 * What they change in the failover itself, where the simulator models it:
 * - `replication-broken` stalls the secondary's replication position, so an unplanned failover
 *   loses every write since the stall (the report's "writes lost"); a switchover first synchronizes
 *   the secondary (SwitchoverGlobalCluster: "All secondary clusters are synchronized with the
 *   primary at the beginning of the process") and loses nothing.
 * - `instance-class-unavailable`: CreateDBInstance of that class in the region is refused
 *   (InvalidParameterCombination, as RDS answers a class it does not offer there): the run fails
 *   at the database step, the failure notified.
 * - `quota-too-low` (db-instances, both): CreateDBInstance past the quota is refused
 *   (InstanceQuotaExceeded): the run fails at the database step, the failure notified.
 * - `instance-type-unavailable`: launches of that type in the zone are refused (Unsupported), so
 *   the group launches its other types there; the service still scales.
 * - `reservation-inactive`: the expired reservations hold nothing, so launches take EC2's open
 *   capacity; the service still scales.
 * - `backup-copies-stopped` changes only what is read: the vaults hold no copy made in the last
 *   days (a backup restores nothing during a promotion), so the promotion runs as before.
 * - `certificate-expiring` and `certificate-pending` (`certificate.ts`): the certificate's end date
 *   or status; the run promotes (ACM is not on the failover's path).
 * - `ami-missing` and the vCPU quota change only what is read: the simulated ASG models no failed
 *   launch for them, so the service still scales.
 */

/** Minutes before the drill replication stopped, by default: well past any lag bound. */
const DEFAULT_BROKEN_MINUTES = 30;
/** Seconds before the drill the AMI was deregistered (a day: long enough for AWS to stop listing it). */
const DEREGISTERED_AGO_SECONDS = 86_400 / 2;

/** Which quota `quota-too-low` lowers. */
export const QUOTA_KINDS = ['vcpu', 'db-instances', 'both'] as const;
type QuotaKind = (typeof QUOTA_KINDS)[number];

/** The readiness check each fault turns red. */
export const READINESS_FAULT_CHECKS = {
  'replication-broken': 'replication-lag',
  'instance-class-unavailable': 'instance-class',
  'ami-missing': 'launch-template',
  'quota-too-low': 'quotas',
  'instance-type-unavailable': 'launch-template',
  'reservation-inactive': 'capacity-reservations',
  'backup-copies-stopped': 'backups',
  'certificate-expiring': 'certificate',
  'certificate-pending': 'certificate',
} as const satisfies Record<string, ReadinessCheckId>;

/** What CreateDBInstance asks for, as far as the faults look. */
interface CreateInput {
  readonly DBInstanceClass?: string;
  readonly Engine?: string;
}

/** CreateDBInstance of `instanceClass` in `region` is refused: RDS does not offer it there. */
function refuseClass(region: string, instanceClass: string, engineVersion: string): CallInterceptor {
  return (call) => {
    if (call.service !== 'rds' || call.command !== 'CreateDBInstance' || call.region !== region)
      return undefined;
    const input = call.input as CreateInput;
    if (input.DBInstanceClass !== instanceClass) return undefined;
    return serviceError(
      RDSServiceException,
      'InvalidParameterCombination',
      `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${instanceClass}, Engine=${input.Engine ?? 'aurora-postgresql'}, EngineVersion=${engineVersion}, LicenseModel=postgresql-license. For supported combinations of instance class and database engine version, see the documentation.`,
    );
  };
}

/** CreateDBInstance in `region` is refused once the account's DB instances reach the quota. */
function enforceDbInstancesQuota(region: string): CallInterceptor {
  return (call, world) => {
    if (call.service !== 'rds' || call.command !== 'CreateDBInstance' || call.region !== region)
      return undefined;
    const q = world.deployed.quotas;
    if (q.dbInstancesUsed(region) < (q.dbInstancesQuota.get(region) ?? 0)) return undefined;
    return modeledError(
      InstanceQuotaExceededFault,
      'The request would result in the user exceeding the allowed number of DB instances.',
    );
  };
}

/** The databases (`databases[]`) a fault names (`database`) or every one, with their config. */
function databasesOf(world: World, database: string | undefined): DatabaseConfig[] {
  return world.config.databases.filter((db) => database === undefined || db.name === database);
}

/**
 * Lower the target region's quotas to one short of what its promotion needs on top of what runs:
 * vCPUs for the ASG's promotion minimum, DB instances for every database's promotion count.
 */
function lowerQuotas(world: World, kind: QuotaKind): void {
  const role = world.targetRole;
  const region = world.regionOf(role);
  const q = world.deployed.quotas;
  if (kind !== 'db-instances') {
    const need = q.vcpusToPromote(role, world.config.regions[role].capacity.promotion.minCapacity);
    q.vcpuQuota.set(region, Math.max(0, q.vcpusUsed(region, 0) + need - 1));
  }
  if (kind !== 'vcpu') {
    const wanted = (name: string) =>
      world.config.databases.find((db) => db.name === name)?.regions[role].promotion.instances ?? 0;
    const need = q.dbInstancesToPromote(role, wanted);
    q.dbInstancesQuota.set(region, Math.max(0, q.dbInstancesUsed(region) + need - 1));
    world.interceptors.push(enforceDbInstancesQuota(region));
  }
}

/** Why `reservation-inactive` cannot run: the promoted region keeps no reservation. */
function reservationNeeded(config: ProjectConfig, role: RegionRole): string | undefined {
  return config.regions[role].capacity.reservation === undefined
    ? `the promoted region keeps no capacity reservation: set regions.${role}.capacity.reservation in the config (or drill another fault)`
    : undefined;
}

/** Days before the drill the copies stopped, by default: past every copy target but the largest. */
const DEFAULT_COPIES_STOPPED_DAYS = 3;

function backupsNeeded(config: ProjectConfig): string | undefined {
  return config.backups.enabled
    ? undefined
    : 'backups are off (backups.enabled: false): nothing is copied to stop (or drill another fault)';
}

export const READINESS_FAULTS = {
  'replication-broken': {
    summary:
      "replication into the promoted region's cluster (of every database, or of the one named, e.g. :orders or :orders:10) stopped N minutes before the start: its AuroraGlobalDBReplicationLag grows (readiness: replication-lag red); an unplanned failover loses the writes since, a switchover synchronizes first",
    argument: {
      meaning: '[database:]minutes ago',
      default: String(DEFAULT_BROKEN_MINUTES),
      kind: 'name-number',
      entry: 'database',
    },
    apply(world, _effects, argument) {
      const { name, count } =
        argument === undefined ? {} : nameAndCount('replication-broken', argument, false);
      const database =
        name === undefined
          ? undefined
          : entryOf(world, 'replication-broken', argument ?? '', 'database', name);
      const minutes = count ?? DEFAULT_BROKEN_MINUTES;
      for (const db of world.rds.databases) {
        if (database === undefined || db.name === database) db.replicationStalledFrom = -minutes * 60;
      }
    },
  },
  'instance-class-unavailable': {
    summary:
      "the promotion's DB instance class (of every database, or of the one named: every database promoting with it is hit) is not orderable in the promoted region (DescribeOrderableDBInstanceOptions lists it nowhere; readiness: instance-class red): CreateDBInstance of it is refused (InvalidParameterCombination), the run fails at the database step",
    argument: { meaning: 'database', default: 'every database', kind: 'name', entry: 'database' },
    apply(world, _effects, argument) {
      const region = world.regionOf(world.targetRole);
      const database = optionalEntry(world, 'instance-class-unavailable', 'database', argument);
      for (const db of databasesOf(world, database)) {
        const instanceClass = promotionInstanceClass(db, world.targetRole);
        world.deployed.orderable.withdraw(region, instanceClass);
        world.interceptors.push(refuseClass(region, instanceClass, db.engineVersion));
      }
    },
  },
  'ami-missing': {
    summary:
      "the AMI of the promoted region's launch template was deregistered: DescribeImages no longer finds it (readiness: launch-template red)",
    apply(world) {
      const role = world.targetRole;
      const template = world.deployed.ec2.templateOf(role);
      const version = template?.versions.find((v) => v.number === template.defaultVersion);
      const image =
        version === undefined ? undefined : world.deployed.ec2.image(template?.region ?? '', version.imageId);
      if (image !== undefined) image.deregisteredAt = -DEREGISTERED_AGO_SECONDS;
    },
  },
  'quota-too-low': {
    summary:
      "the promoted region's quota is one short of what the promotion adds: EC2 On-Demand Standard vCPUs (vcpu), RDS DB instances (db-instances) or both (readiness: quotas red); CreateDBInstance past the DB instance quota is refused (InstanceQuotaExceeded), the run fails at the database step",
    argument: { meaning: 'vcpu|db-instances|both', default: 'both', kind: 'name' },
    apply(world, _effects, argument) {
      const kind = argument ?? 'both';
      if (!(QUOTA_KINDS as readonly string[]).includes(kind)) {
        throw new DrillUsageError(`--fault quota-too-low:${kind}: expected one of ${QUOTA_KINDS.join(', ')}`);
      }
      lowerQuotas(world, kind as QuotaKind);
    },
  },
  'instance-type-unavailable': {
    summary:
      "EC2 stops offering an instance type in the promoted region's first zone: DescribeInstanceTypeOfferings leaves it out there and launches of it there are refused (readiness: launch-template red); the group launches its other types",
    argument: {
      meaning: 'instance type',
      default: "the promoted region's last fallback type (its instance type when it lists none)",
      kind: 'instance-type',
    },
    apply(world, _effects, argument) {
      const role = world.targetRole;
      const types = capacityInstanceTypes(world.config.regions[role].capacity);
      const type =
        argument === undefined
          ? (types[types.length - 1] ?? '')
          : instanceTypeArgument('instance-type-unavailable', argument);
      const region = world.regionOf(role);
      const zone = world.config.regions[role].availabilityZones[0] ?? `${region}a`;
      world.deployed.ec2.offerings.get(region)?.get(type)?.delete(zone);
      world.capacity.interceptors.push(
        zoneShortage({
          service: 'ec2',
          region,
          types: new Set([type]),
          zones: new Set([zone]),
          refusal: 'Unsupported',
        }),
      );
    },
  },
  'reservation-inactive': {
    summary:
      "the promoted region's capacity reservations (regions.<role>.capacity.reservation) have expired: DescribeCapacityReservations shows them 'expired' and launches no longer use them (readiness: capacity-reservations red)",
    needs: reservationNeeded,
    apply(world) {
      const role = world.targetRole;
      const missing = reservationNeeded(world.config, role);
      if (missing !== undefined) throw new DrillUsageError(`--fault reservation-inactive: ${missing}`);
      for (const r of world.reservations.inRegion(world.regionOf(role))) r.state = 'expired';
    },
  },
  'backup-copies-stopped': {
    summary:
      "the backup copies to the promoted region stopped days ago (a copy job failing, the other region's plan changed): its vault holds no copy of the other region's databases and buckets newer than that (readiness: backups red)",
    argument: { meaning: 'days ago', default: String(DEFAULT_COPIES_STOPPED_DAYS), kind: 'number' },
    needs: backupsNeeded,
    apply(world, _effects, argument) {
      const missing = backupsNeeded(world.config);
      if (missing !== undefined) throw new DrillUsageError(`--fault backup-copies-stopped: ${missing}`);
      const days = argument === undefined ? DEFAULT_COPIES_STOPPED_DAYS : Number(argument);
      world.deployed.backup.copiesStoppedAt = -days * 86_400;
    },
  },
  ...CERTIFICATE_FAULTS,
} satisfies Record<keyof typeof READINESS_FAULT_CHECKS, FaultDefinition>;

/** The readiness faults' names. */
export const READINESS_FAULT_NAMES = Object.keys(READINESS_FAULTS) as (keyof typeof READINESS_FAULTS)[];
