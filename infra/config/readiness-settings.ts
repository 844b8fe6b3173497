import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import type { ProjectNames } from './names';
import { behindLoadBalancer, regionResources } from './resources';
import { otherRole, type ProjectConfig, type RegionRole } from './schema';

/** The engine both database stacks deploy (`DatabaseClusterEngine.auroraPostgres`). */
const ENGINE = 'aurora-postgresql';

/**
 * The readiness settings of `role`'s region, from the config alone: the one builder the readiness
 * construct (the Lambda's environment), `npm run readiness` and the drill share, so all three
 * check the same resources against the same sizes.
 */
export function readinessSettingsOf(
  config: ProjectConfig,
  names: ProjectNames,
  role: RegionRole,
): ReadinessSettings {
  const own = names.regions[role];
  const other = names.regions[otherRole(role)];
  const region = config.regions[role];
  const resources = regionResources(config, names, role);
  return {
    targetRole: role,
    targetRegion: own.region,
    sourceRegion: other.region,
    project: names.project,
    databases: [...resources.databases],
    services: [...resources.services],
    unroutedServices: config.services.filter((_, i) => !behindLoadBalancer(config, i)).map((s) => s.name),
    engine: ENGINE,
    availabilityZones: [...region.availabilityZones],
    promotion: {
      asgMinCapacity: region.capacity.promotion.minCapacity,
      reservedInstances: region.capacity.reservation?.instances ?? 0,
    },
    asgName: own.asgName,
    ecsClusterName: own.ecsClusterName,
    hostedZoneId: config.dns.hostedZoneId,
    recordNames: names.hostnames,
    attachedRecordNames: config.dns.records.filter((r) => r.existing !== undefined).map((r) => r.recordName),
    regionalRecordName: own.regionalRecordName,
    stateMachineArn: own.stateMachineArn,
    ...(own.certificate === undefined
      ? {}
      : {
          certificate:
            'arn' in own.certificate
              ? { arn: own.certificate.arn }
              : { parameterName: own.certificate.parameterName },
        }),
    buckets: {
      own: {
        names: own.buckets.map((b) => b.bucketName),
        region: own.region,
        ruleIds: own.buckets.map((b) => b.replicationRuleId),
      },
      other: {
        names: other.buckets.map((b) => b.bucketName),
        region: other.region,
        ruleIds: other.buckets.map((b) => b.replicationRuleId),
      },
      team: [...own.buckets, ...other.buckets].filter((b) => b.existing).map((b) => b.bucketName),
    },
    maxReplicationLagSeconds: config.failover.readiness.maxReplicationLagSeconds,
    ...(config.backups.enabled
      ? {
          backups: {
            vaultName: own.backupVaultName,
            copyTargetHours: config.backups.copyTargetHours,
            sourceClusterIds: other.databases.map((d) => d.dbClusterIdentifier),
            sourceAccount: other.account,
            partition: names.partition,
          },
        }
      : {}),
  };
}
