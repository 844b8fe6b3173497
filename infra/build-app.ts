import type { App, Environment } from 'aws-cdk-lib';
import { projectNames } from './config/names';
import { type ProjectConfig, REGION_ROLES, type RegionRole } from './config/schema';
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

/** The stacks of one region, by role. */
export interface RegionStacks {
  readonly network: NetworkStack;
  readonly securityGroups: SecurityGroupsStack;
  readonly storage: StorageStack;
  readonly database: DatabaseStack;
  readonly service: ServiceStack;
}

/** Every stack {@link buildApp} created. */
export interface BuiltApp {
  readonly regions: Readonly<Record<RegionRole, RegionStacks>>;
  /** The application record (main account and region). */
  readonly dns: DnsStack;
  /** The failover state machine of each region (DR = failover, main = failback). */
  readonly orchestrators: Readonly<Record<RegionRole, OrchestratorStack>>;
  /** The DR bucket's replication back to main (DR region), after both buckets exist. */
  readonly replication: ReplicationStack;
}

function buildRegion(app: App, config: ProjectConfig, role: RegionRole): RegionStacks {
  const names = projectNames(config);
  const regionNames = names.regions[role];
  const env = regionEnv(config, role);

  const network = new NetworkStack(app, regionNames.stacks.network, {
    env,
    stackName: regionNames.stacks.network,
    description: `${config.project} ${role}: VPC`,
    region: config.regions[role],
    role,
    services: config.services.map((s) => ({ name: s.name, desiredCount: s.regions[role].desiredCount })),
    capacityParameterNames: regionNames.capacityParameters,
  });
  const securityGroups = new SecurityGroupsStack(app, regionNames.stacks.securityGroups, {
    env,
    stackName: regionNames.stacks.securityGroups,
    description: `${config.project} ${role}: security groups with all their rules`,
    vpc: network.vpc,
    role,
  });
  const storage = new StorageStack(app, regionNames.stacks.storage, {
    env,
    stackName: regionNames.stacks.storage,
    description: `${config.project} ${role}: application buckets${role === 'main' ? ', replicated to DR' : ' (replicas)'}`,
    names: regionNames,
    // Only main replicates: the destination must exist first, so DR -> main would need main first.
    replicateTo: role === 'main' ? names.regions.dr : undefined,
  });
  const database = new DatabaseStack(app, regionNames.stacks.database, {
    env,
    stackName: regionNames.stacks.database,
    description: `${config.project} ${role}: Aurora global database ${role === 'main' ? 'primary' : 'secondary'}`,
    config,
    names,
    role,
    vpc: network.vpc,
    securityGroup: securityGroups.databaseSecurityGroup,
  });
  const service = new ServiceStack(app, regionNames.stacks.service, {
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
  });

  // The seed's order within a region; references already imply most of it, this makes it explicit.
  securityGroups.addStackDependency(network);
  storage.addStackDependency(securityGroups);
  database.addStackDependency(storage);
  service.addStackDependency(database);
  return { network, securityGroups, storage, database, service };
}

/**
 * Create every stack of the project in `app`, each with an explicit `env` from the config, and the
 * dependencies that make `cdk deploy --all` follow the seed's order: network, security groups,
 * storage (DR bucket before main bucket, then DR's replication back to main), database (main before DR), service, orchestrator (it
 * creates the region's traffic-claim alarm), DNS.
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
  main.storage.addStackDependency(dr.storage, 'the replication destination bucket must exist first');
  dr.database.addStackDependency(main.database, 'the secondary joins the global cluster the primary creates');

  // DR -> main replication: S3 rejects a rule whose destination does not exist, so after main's bucket.
  const replicationStackName = names.regions.dr.stacks.replication;
  if (replicationStackName === undefined)
    throw new Error('projectNames gave the DR region no replication stack');
  const replication = new ReplicationStack(app, replicationStackName, {
    env: regionEnv(config, 'dr'),
    stackName: replicationStackName,
    description: `${config.project} dr: replication of the DR buckets back to main`,
    source: names.regions.dr,
    destination: names.regions.main,
  });
  replication.addStackDependency(dr.storage, 'the replicating bucket');
  replication.addStackDependency(main.storage, 'the replication destination bucket must exist first');

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
    orchestrators[role].addStackDependency(regions[role].service);
  }

  const dns = new DnsStack(app, names.dnsStack, {
    env: regionEnv(config, 'main'),
    stackName: names.dnsStack,
    description: `${config.project}: application record, a failover pair moved by the regions' traffic claims`,
    config,
    names,
  });
  for (const role of REGION_ROLES) {
    dns.addStackDependency(regions[role].service, 'the pair aliases the regional records');
    dns.addStackDependency(orchestrators[role], 'the health checks read the claim alarms');
  }

  return { regions, dns, orchestrators, replication };
}
