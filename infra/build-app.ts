import type { App, Environment } from 'aws-cdk-lib';
import { ConfigError } from './config/errors';
import { projectNames, type RegionNames } from './config/names';
import {
  deploysServices,
  deploysVpc,
  type ProjectConfig,
  REGION_ROLES,
  type RegionRole,
} from './config/schema';
import { BackupStack } from './stacks/backup-stack';
import { DatabaseStack } from './stacks/database-stack';
import { DnsStack } from './stacks/dns-stack';
import { NetworkStack } from './stacks/network-stack';
import { OrchestratorStack } from './stacks/orchestrator-stack';
import { ReplicationStack } from './stacks/replication-stack';
import { SecurityGroupsStack } from './stacks/security-groups-stack';
import { ServiceStack } from './stacks/service-stack';
import { StorageStack } from './stacks/storage-stack';

/** The explicit environment of a region's stacks. */
export function regionEnv(config: ProjectConfig, role: RegionRole): Required<Environment> {
  const { account, region } = config.regions[role];
  return { account, region };
}

/**
 * The stacks of one region, by role. Each application stack exists only when pilot-light deploys
 * something of its kind (`existing:` entries are the team's): an all-existing config has none.
 */
export interface RegionStacks {
  /** When a service or database is deployed (they need a VPC). */
  readonly network?: NetworkStack;
  readonly securityGroups?: SecurityGroupsStack;
  /** When a bucket or the services are deployed (the ALB's access logs live there). */
  readonly storage?: StorageStack;
  /** When a database is deployed. */
  readonly database?: DatabaseStack;
  /** When the services are deployed. */
  readonly service?: ServiceStack;
}

/** Every stack {@link buildApp} created. */
export interface BuiltApp {
  readonly regions: Readonly<Record<RegionRole, RegionStacks>>;
  /** The application record (main account and region). */
  readonly dns: DnsStack;
  /** The failover state machine of each region (DR = failover, main = failback). */
  readonly orchestrators: Readonly<Record<RegionRole, OrchestratorStack>>;
  /** The DR buckets' replication back to main (DR region), after both buckets exist; when a bucket is deployed. */
  readonly replication?: ReplicationStack;
  /** Each region's backup vault and plan; absent when `backups.enabled` is false. */
  readonly backups?: Readonly<Record<RegionRole, BackupStack>>;
}

/** `names` with only the buckets pilot-light deploys (the existing ones replicate by the team's rules). */
function deployedBuckets(names: RegionNames): RegionNames {
  return { ...names, buckets: names.buckets.filter((b) => !b.existing) };
}

function buildRegion(app: App, config: ProjectConfig, role: RegionRole): RegionStacks {
  const names = projectNames(config);
  const regionNames = names.regions[role];
  const env = regionEnv(config, role);
  const services = deploysServices(config);
  const bucketNames = deployedBuckets(regionNames);
  if (!deploysVpc(config)) {
    return bucketNames.buckets.length === 0 ? {} : { storage: storageStack(app, config, role, bucketNames) };
  }
  const { vpcCidr, natGateways } = config.regions[role];
  if (vpcCidr === undefined || natGateways === undefined) {
    throw new ConfigError(`regions.${role}: expected vpcCidr and natGateways (pilot-light deploys a VPC)`);
  }

  const network = new NetworkStack(app, regionNames.stacks.network, {
    env,
    stackName: regionNames.stacks.network,
    description: `${config.project} ${role}: VPC`,
    region: config.regions[role],
    vpcCidr,
    natGateways,
    role,
    services: services
      ? config.services.map((s) => ({ name: s.name, desiredCount: s.regions[role].desiredCount }))
      : [],
    ...(regionNames.capacityParameters === undefined
      ? {}
      : { capacityParameterNames: regionNames.capacityParameters }),
  });
  const securityGroups = new SecurityGroupsStack(app, regionNames.stacks.securityGroups, {
    env,
    stackName: regionNames.stacks.securityGroups,
    description: `${config.project} ${role}: security groups with all their rules`,
    vpc: network.vpc,
    role,
  });
  const storage =
    bucketNames.buckets.length > 0 || services ? storageStack(app, config, role, bucketNames) : undefined;
  const database = config.databases.some((db) => db.existing === undefined)
    ? new DatabaseStack(app, regionNames.stacks.database, {
        env,
        stackName: regionNames.stacks.database,
        description: `${config.project} ${role}: Aurora global database ${role === 'main' ? 'primary' : 'secondary'}`,
        config,
        names,
        role,
        vpc: network.vpc,
        securityGroup: securityGroups.databaseSecurityGroup,
      })
    : undefined;
  const service =
    services && storage !== undefined
      ? new ServiceStack(app, regionNames.stacks.service, {
          env,
          stackName: regionNames.stacks.service,
          description: `${config.project} ${role}: ECS on EC2, ALB, regional record`,
          config,
          role,
          names: regionNames,
          vpc: network.vpc,
          albSecurityGroup: securityGroups.albSecurityGroup,
          instanceSecurityGroup: securityGroups.instanceSecurityGroup,
          accessLogsBucket: storage.accessLogsBucket,
        })
      : undefined;

  // The seed's order within a region; references already imply most of it, this makes it explicit.
  securityGroups.addStackDependency(network);
  storage?.addStackDependency(securityGroups);
  database?.addStackDependency(storage ?? securityGroups);
  service?.addStackDependency(database ?? storage ?? securityGroups);
  return {
    network,
    securityGroups,
    ...(storage === undefined ? {} : { storage }),
    ...(database === undefined ? {} : { database }),
    ...(service === undefined ? {} : { service }),
  };
}

function storageStack(app: App, config: ProjectConfig, role: RegionRole, names: RegionNames): StorageStack {
  const project = projectNames(config);
  return new StorageStack(app, names.stacks.storage, {
    env: regionEnv(config, role),
    stackName: names.stacks.storage,
    description: `${config.project} ${role}: application buckets${role === 'main' ? ', replicated to DR' : ' (replicas)'}`,
    names,
    // Only main replicates: the destination must exist first, so DR -> main would need main first.
    replicateTo: role === 'main' ? deployedBuckets(project.regions.dr) : undefined,
  });
}

/**
 * Create every stack of the project in `app`, each with an explicit `env` from the config, and the
 * dependencies that make `cdk deploy --all` follow the seed's order: network, security groups,
 * storage (DR bucket before main bucket, then DR's replication back to main), database (main before DR), service, orchestrator (it
 * creates the region's traffic-claim alarm), DNS. Stacks of a kind pilot-light does not deploy
 * (every entry `existing:`) are left out: an all-existing config is the orchestrators, DNS and the
 * backup stacks only (the team's resources are backed up by their ids).
 *
 * Each stack's construct id is its stack name, so `cdk deploy <stack name>` selects it (the CLI
 * matches construct paths only). The stacks pin what CDK derived from their former ids (`MainNetwork`, …).
 */
export function buildApp(app: App, config: ProjectConfig): BuiltApp {
  const names = projectNames(config);
  const main = buildRegion(app, config, 'main');
  const dr = buildRegion(app, config, 'dr');
  const regions: Record<RegionRole, RegionStacks> = { main, dr };

  // Cross-region order: linked by deterministic names, so only dependencies, no references.
  if (main.storage && dr.storage) {
    main.storage.addStackDependency(dr.storage, 'the replication destination bucket must exist first');
  }
  if (main.database && dr.database) {
    dr.database.addStackDependency(
      main.database,
      'the secondary joins the global cluster the primary creates',
    );
  }

  // DR -> main replication: S3 rejects a rule whose destination does not exist, so after main's bucket.
  const replicationStackName = names.regions.dr.stacks.replication;
  if (replicationStackName === undefined)
    throw new Error('projectNames gave the DR region no replication stack');
  const source = deployedBuckets(names.regions.dr);
  const replication =
    source.buckets.length > 0 && main.storage && dr.storage
      ? new ReplicationStack(app, replicationStackName, {
          env: regionEnv(config, 'dr'),
          stackName: replicationStackName,
          description: `${config.project} dr: replication of the DR buckets back to main`,
          source,
          destination: deployedBuckets(names.regions.main),
        })
      : undefined;
  if (replication && main.storage && dr.storage) {
    replication.addStackDependency(dr.storage, 'the replicating bucket');
    replication.addStackDependency(main.storage, 'the replication destination bucket must exist first');
  }
  // One orchestrator per region, promoting its own region; it depends on nothing across regions.
  const orchestrators = {} as Record<RegionRole, OrchestratorStack>;
  for (const role of REGION_ROLES) {
    orchestrators[role] = new OrchestratorStack(app, names.regions[role].stacks.orchestrator, {
      env: regionEnv(config, role),
      stackName: names.regions[role].stacks.orchestrator,
      description: `${config.project} ${role}: failover state machine promoting ${config.regions[role].region}`,
      config,
      role,
    });
    const before = regions[role].service ?? regions[role].database ?? regions[role].storage;
    if (before) orchestrators[role].addStackDependency(before);
  }

  const backups = config.backups.enabled ? backupStacks(app, config, regions) : undefined;

  const dns = new DnsStack(app, names.dnsStack, {
    env: regionEnv(config, 'main'),
    stackName: names.dnsStack,
    description: `${config.project}: application record, a failover pair moved by the regions' traffic claims`,
    config,
    names,
  });
  for (const role of REGION_ROLES) {
    const service = regions[role].service;
    if (service) dns.addStackDependency(service, 'the pair aliases the regional records');
    dns.addStackDependency(orchestrators[role], 'the health checks read the claim alarms');
  }

  return {
    regions,
    dns,
    orchestrators,
    ...(replication === undefined ? {} : { replication }),
    ...(backups === undefined ? {} : { backups }),
  };
}

/**
 * Each region's backup stack, after the region's databases and buckets exist (a backup of a
 * resource not yet created fails its job). DR's deploys before main's: main's plan copies into
 * DR's vault, and the break-glass role main creates is named (not referenced) by DR's vault
 * policy. DR's plan copies into main's vault, created minutes later by the same deploy, before
 * the schedule's first run.
 */
function backupStacks(
  app: App,
  config: ProjectConfig,
  regions: Readonly<Record<RegionRole, RegionStacks>>,
): Record<RegionRole, BackupStack> {
  const names = projectNames(config);
  const out = {} as Record<RegionRole, BackupStack>;
  for (const role of ['dr', 'main'] as const) {
    const stackName = names.regions[role].stacks.backup;
    out[role] = new BackupStack(app, stackName, {
      env: regionEnv(config, role),
      stackName,
      description: `${config.project} ${role}: AWS Backup vault and plan, each recovery point copied to the other region`,
      config,
      names,
      role,
    });
    for (const owner of [regions[role].database, regions[role].storage]) {
      if (owner) out[role].addStackDependency(owner, 'backs up the resources this stack deploys');
    }
  }
  out.main.addStackDependency(out.dr, "copies into the DR region's vault");
  return out;
}
