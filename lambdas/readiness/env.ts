import {
  type Env,
  parseIntVar,
  parseListVar,
  parsePairedListVars,
  REGION_ENV,
  regionSettings,
  requireEnv,
} from '../shared/env';
import { InvalidInputError } from '../shared/errors';
import {
  DATABASES_ENV,
  type DatabaseResource,
  databasesEnvironment,
  readDatabases,
  readServices,
  SERVICES_ENV,
  type ServiceResource,
  servicesEnvironment,
} from '../shared/resources';
import {
  type CertificateRef,
  READINESS_DATABASE_FIELDS,
  READINESS_SERVICE_FIELDS,
  type ReadinessSettings,
} from './settings';

export { READINESS_DATABASE_FIELDS, READINESS_SERVICE_FIELDS };

/**
 * The environment variables the readiness handler reads: infra types the function's environment
 * against this list and builds it with {@link readinessEnvironment}. Values are plain strings;
 * `AVAILABILITY_ZONES`, `RECORD_NAMES`, `OWN_BUCKETS` and `OTHER_BUCKETS` are comma-separated (in
 * order; no availability zone, DNS name or bucket name contains a comma), and so are
 * `OWN_REPLICATION_RULE_IDS` and `OTHER_REPLICATION_RULE_IDS`. The four bucket lists are aligned by
 * index: entry i of `OWN_BUCKETS` replicates to entry i of `OTHER_BUCKETS` under the rule entry i of
 * `OWN_REPLICATION_RULE_IDS`, and back under entry i of `OTHER_REPLICATION_RULE_IDS`.
 * `DATABASES` and `SERVICES` are JSON lists (`lambdas/shared/resources.ts`) holding
 * {@link READINESS_DATABASE_FIELDS} and {@link READINESS_SERVICE_FIELDS}.
 */
export const READINESS_ENV = [
  ...REGION_ENV,
  'PROJECT',
  'DB_ENGINE',
  'AVAILABILITY_ZONES',
  'PROMOTION_ASG_MIN_CAPACITY',
  'RESERVED_INSTANCES',
  'ASG_NAME',
  'ECS_CLUSTER',
  'HOSTED_ZONE_ID',
  'RECORD_NAMES',
  'REGIONAL_RECORD_NAME',
  'STATE_MACHINE_ARN',
  'OWN_BUCKETS',
  'OWN_BUCKET_REGION',
  'OWN_REPLICATION_RULE_IDS',
  'OTHER_BUCKETS',
  'OTHER_BUCKET_REGION',
  'OTHER_REPLICATION_RULE_IDS',
  'MAX_REPLICATION_LAG_SECONDS',
  'TEAM_BUCKETS',
  'ATTACHED_RECORD_NAMES',
  'UNROUTED_SERVICES',
  'BACKUP_VAULT',
  'BACKUP_COPY_TARGET_HOURS',
  'BACKUP_SOURCE_CLUSTERS',
  'BACKUP_SOURCE_ACCOUNT',
  'BACKUP_PARTITION',
  'CERTIFICATE_ARN',
  'CERTIFICATE_PARAMETER',
  DATABASES_ENV,
  SERVICES_ENV,
] as const;
export type ReadinessEnvName = (typeof READINESS_ENV)[number];

/**
 * May be empty (`''`: none): the team's buckets and its own record pairs, the certificate's ARN
 * and parameter (at most one is set; neither when no certificate is known), and the backup
 * settings (all empty when backups are off).
 */
const OPTIONAL_VARS = [
  'TEAM_BUCKETS',
  'ATTACHED_RECORD_NAMES',
  'UNROUTED_SERVICES',
  'CERTIFICATE_ARN',
  'CERTIFICATE_PARAMETER',
  'BACKUP_VAULT',
  'BACKUP_COPY_TARGET_HOURS',
  'BACKUP_SOURCE_CLUSTERS',
  'BACKUP_SOURCE_ACCOUNT',
  'BACKUP_PARTITION',
] as const;

/**
 * The backup settings: `BACKUP_VAULT` empty means backups are off (the others are then empty too);
 * `BACKUP_SOURCE_CLUSTERS` is the other region's cluster ids, comma-separated (no identifier holds
 * a comma).
 */
function backupsOf(raw: Record<ReadinessEnvName, string>): Pick<ReadinessSettings, 'backups'> {
  if (raw.BACKUP_VAULT === '') return {};
  return {
    backups: {
      vaultName: raw.BACKUP_VAULT,
      copyTargetHours: parsePositive('BACKUP_COPY_TARGET_HOURS', raw.BACKUP_COPY_TARGET_HOURS),
      sourceClusterIds:
        raw.BACKUP_SOURCE_CLUSTERS === ''
          ? []
          : parseListVar('BACKUP_SOURCE_CLUSTERS', raw.BACKUP_SOURCE_CLUSTERS),
      sourceAccount: raw.BACKUP_SOURCE_ACCOUNT,
      partition: raw.BACKUP_PARTITION,
    },
  };
}

/** The certificate reference the two variables hold; both set is a malformed environment. */
function certificateOf(arn: string, parameterName: string): { certificate?: CertificateRef } {
  if (arn !== '' && parameterName !== '') {
    throw new InvalidInputError(
      'environment variables CERTIFICATE_ARN and CERTIFICATE_PARAMETER: expected at most one, got both',
    );
  }
  if (arn !== '') return { certificate: { arn } };
  if (parameterName !== '') return { certificate: { parameterName } };
  return {};
}

function optionalList(name: string, raw: string): string[] {
  return raw === '' ? [] : parseListVar(name, raw);
}

function parsePositive(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(`environment variable ${name}: expected a number > 0, got '${raw}'`);
  }
  return value;
}

/** Both regions' buckets and their rule ids: the four lists must pair up by index. */
function bucketsOf(raw: Record<ReadinessEnvName, string>): ReadinessSettings['buckets'] {
  const [own, other, ownRuleIds, otherRuleIds] = parsePairedListVars(
    { name: 'OWN_BUCKETS', raw: raw.OWN_BUCKETS },
    { name: 'OTHER_BUCKETS', raw: raw.OTHER_BUCKETS },
    { name: 'OWN_REPLICATION_RULE_IDS', raw: raw.OWN_REPLICATION_RULE_IDS },
    { name: 'OTHER_REPLICATION_RULE_IDS', raw: raw.OTHER_REPLICATION_RULE_IDS },
  );
  return {
    own: { names: own, region: raw.OWN_BUCKET_REGION, ruleIds: ownRuleIds },
    other: { names: other, region: raw.OTHER_BUCKET_REGION, ruleIds: otherRuleIds },
    team: optionalList('TEAM_BUCKETS', raw.TEAM_BUCKETS),
  };
}

/**
 * Read the readiness settings from `env` ({@link READINESS_ENV}).
 *
 * @throws InvalidInputError naming every missing variable, or the first malformed one (for
 * `DATABASES` and `SERVICES`, the entry and field too)
 */
export function readReadinessSettings(env: Env): ReadinessSettings {
  const raw = requireEnv(READINESS_ENV, env, OPTIONAL_VARS);
  return {
    ...regionSettings(raw),
    project: raw.PROJECT,
    engine: raw.DB_ENGINE,
    databases: readDatabases(raw, READINESS_DATABASE_FIELDS),
    availabilityZones: parseListVar('AVAILABILITY_ZONES', raw.AVAILABILITY_ZONES),
    promotion: {
      asgMinCapacity: parseIntVar('PROMOTION_ASG_MIN_CAPACITY', raw.PROMOTION_ASG_MIN_CAPACITY, 0),
      reservedInstances: parseIntVar('RESERVED_INSTANCES', raw.RESERVED_INSTANCES, 0),
    },
    asgName: raw.ASG_NAME,
    ecsClusterName: raw.ECS_CLUSTER,
    services: readServices(raw, READINESS_SERVICE_FIELDS),
    hostedZoneId: raw.HOSTED_ZONE_ID,
    recordNames: parseListVar('RECORD_NAMES', raw.RECORD_NAMES),
    attachedRecordNames: optionalList('ATTACHED_RECORD_NAMES', raw.ATTACHED_RECORD_NAMES),
    unroutedServices: optionalList('UNROUTED_SERVICES', raw.UNROUTED_SERVICES),
    regionalRecordName: raw.REGIONAL_RECORD_NAME,
    stateMachineArn: raw.STATE_MACHINE_ARN,
    ...certificateOf(raw.CERTIFICATE_ARN, raw.CERTIFICATE_PARAMETER),
    buckets: bucketsOf(raw),
    maxReplicationLagSeconds: parsePositive('MAX_REPLICATION_LAG_SECONDS', raw.MAX_REPLICATION_LAG_SECONDS),
    ...backupsOf(raw),
  };
}

/**
 * The Lambda environment that {@link readReadinessSettings} reads back as `settings` (its databases
 * and services with the fields the checks read): infra builds the function's environment with it,
 * so the two never drift.
 */
export function readinessEnvironment(settings: ReadinessSettings): Record<ReadinessEnvName, string> {
  return {
    TARGET_ROLE: settings.targetRole,
    TARGET_REGION: settings.targetRegion,
    SOURCE_REGION: settings.sourceRegion,
    PROJECT: settings.project,
    DB_ENGINE: settings.engine,
    AVAILABILITY_ZONES: settings.availabilityZones.join(','),
    PROMOTION_ASG_MIN_CAPACITY: String(settings.promotion.asgMinCapacity),
    RESERVED_INSTANCES: String(settings.promotion.reservedInstances),
    ASG_NAME: settings.asgName,
    ECS_CLUSTER: settings.ecsClusterName,
    HOSTED_ZONE_ID: settings.hostedZoneId,
    RECORD_NAMES: settings.recordNames.join(','),
    REGIONAL_RECORD_NAME: settings.regionalRecordName,
    STATE_MACHINE_ARN: settings.stateMachineArn,
    OWN_BUCKETS: settings.buckets.own.names.join(','),
    OWN_BUCKET_REGION: settings.buckets.own.region,
    OWN_REPLICATION_RULE_IDS: settings.buckets.own.ruleIds.join(','),
    OTHER_BUCKETS: settings.buckets.other.names.join(','),
    OTHER_BUCKET_REGION: settings.buckets.other.region,
    OTHER_REPLICATION_RULE_IDS: settings.buckets.other.ruleIds.join(','),
    MAX_REPLICATION_LAG_SECONDS: String(settings.maxReplicationLagSeconds),
    TEAM_BUCKETS: settings.buckets.team.join(','),
    ATTACHED_RECORD_NAMES: settings.attachedRecordNames.join(','),
    UNROUTED_SERVICES: settings.unroutedServices.join(','),
    BACKUP_VAULT: settings.backups?.vaultName ?? '',
    BACKUP_COPY_TARGET_HOURS: settings.backups === undefined ? '' : String(settings.backups.copyTargetHours),
    BACKUP_SOURCE_CLUSTERS: settings.backups?.sourceClusterIds.join(',') ?? '',
    BACKUP_SOURCE_ACCOUNT: settings.backups?.sourceAccount ?? '',
    BACKUP_PARTITION: settings.backups?.partition ?? '',
    CERTIFICATE_ARN:
      settings.certificate !== undefined && 'arn' in settings.certificate ? settings.certificate.arn : '',
    CERTIFICATE_PARAMETER:
      settings.certificate !== undefined && 'parameterName' in settings.certificate
        ? settings.certificate.parameterName
        : '',
    // The shared writers take whole entries but write only the fields given: those the settings hold.
    DATABASES: databasesEnvironment(
      settings.databases as readonly DatabaseResource[],
      READINESS_DATABASE_FIELDS,
    ),
    SERVICES: servicesEnvironment(settings.services as readonly ServiceResource[], READINESS_SERVICE_FIELDS),
  };
}
