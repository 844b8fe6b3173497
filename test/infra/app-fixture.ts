import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { type BuiltApp, buildApp, type RegionStacks } from '../../infra/build-app';
import { loadConfig } from '../../infra/config/load';
import {
  type CapacityParameterNames,
  type ProjectNames,
  projectNames,
  type RegionNames,
} from '../../infra/config/names';
import { ConfigSchema, type ProjectConfig, type RegionRole } from '../../infra/config/schema';
import type { ReplicationStack } from '../../infra/stacks/replication-stack';

/** A mutable deep copy of `project-config/base.yml`, for tests that vary one setting. */
export function baseConfig(): ProjectConfig {
  return structuredClone(loadConfig('base'));
}

/** A mutable deep copy of `project-config/shop.yml`: 3 services, 2 databases, 2 buckets, 3 hostnames. */
export function shopConfig(): ProjectConfig {
  return structuredClone(loadConfig('shop'));
}

/**
 * A mutable deep copy of `project-config/existing-app.yml`: every service, database and bucket is
 * the team's (`existing:`), so pilot-light deploys only its orchestrators and DNS.
 */
export function existingAppConfig(): ProjectConfig {
  return structuredClone(loadConfig('existing-app'));
}

/** The team's global database and bucket pair in {@link mixedConfig}. */
export const TEAM = {
  globalClusterId: 'team-global',
  clusterIds: { main: 'team-use1', dr: 'team-usw2' },
  buckets: {
    main: { bucketName: 'team-data-use1', replicationRuleId: 'team-to-dr' },
    dr: { bucketName: 'team-data-usw2', replicationRuleId: 'team-to-main' },
  },
} as const;

/**
 * `base.yml` with its database and its bucket the team's (`existing:`, {@link TEAM}) and its service
 * deployed, validated by the schema: pilot-light deploys the VPC and the service, no database and
 * no bucket of the application.
 */
export function mixedConfig(): ProjectConfig {
  const draft = baseConfig();
  const [database] = draft.databases;
  const [bucket] = draft.buckets;
  if (database === undefined || bucket === undefined)
    throw new Error('base.yml: expected a database and a bucket');
  delete database.databaseName;
  database.existing = {
    globalClusterId: TEAM.globalClusterId,
    regions: { main: { clusterId: TEAM.clusterIds.main }, dr: { clusterId: TEAM.clusterIds.dr } },
  };
  bucket.existing = { regions: { main: { ...TEAM.buckets.main }, dr: { ...TEAM.buckets.dr } } };
  return ConfigSchema.parse(draft);
}

/** `list[index]`, failing the test when the list is shorter (the config's lists are never sparse). */
export function nth<T>(list: readonly T[], index = 0): T {
  const item = list[index];
  if (item === undefined) throw new Error(`expected an entry at index ${index} of a list of ${list.length}`);
  return item;
}

/** An app built from `config` without bundling (no esbuild, no Docker). */
export function buildTestApp(config: ProjectConfig = baseConfig()): {
  app: App;
  built: BuiltApp;
  config: ProjectConfig;
  names: ProjectNames;
} {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const built = buildApp(app, config);
  return { app, built, config, names: projectNames(config) };
}

/** Resources of `type` in `template`, as [logicalId, resource] pairs. */
export function resourcesOf(
  template: Template,
  type: string,
): [string, { Properties?: Record<string, unknown> }][] {
  return Object.entries(template.findResources(type));
}

/** `value`, failing the test with `what` when it is absent. */
export function present<T>(value: T, what: string): NonNullable<T> {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found none`);
  return value;
}

/** The `kind` stack of `role`, failing the test naming it when buildApp left it out. */
export function regionStack<K extends keyof RegionStacks>(
  built: BuiltApp,
  role: RegionRole,
  kind: K,
): NonNullable<RegionStacks[K]> {
  return present(
    built.regions[role][kind],
    `the ${role} ${kind} stack (buildApp leaves out a kind whose entries are all existing)`,
  );
}

/**
 * The stacks of `role` in an app whose config deploys every kind (base, shop: no `existing:` entry),
 * each one required: a missing stack fails the test naming it instead of a later `undefined` read.
 */
export function deployedStacks(built: BuiltApp, role: RegionRole): Required<RegionStacks> {
  return {
    network: regionStack(built, role, 'network'),
    securityGroups: regionStack(built, role, 'securityGroups'),
    storage: regionStack(built, role, 'storage'),
    database: regionStack(built, role, 'database'),
    service: regionStack(built, role, 'service'),
  };
}

/** {@link deployedStacks} of both regions. */
export function deployedRegions(built: BuiltApp): Record<RegionRole, Required<RegionStacks>> {
  return { main: deployedStacks(built, 'main'), dr: deployedStacks(built, 'dr') };
}

/** The DR replication stack of an app that deploys a bucket. */
export function replicationStack(built: BuiltApp): ReplicationStack {
  return present(built.replication, 'the DR replication stack (a bucket not existing)');
}

/** The capacity parameters of a region whose services pilot-light deploys: their names and ARNs. */
export function capacityParameters(names: RegionNames): {
  readonly names: CapacityParameterNames;
  readonly arns: CapacityParameterNames;
} {
  const what = `the ${names.role} capacity parameters (the services are deployed, not existing)`;
  return { names: present(names.capacityParameters, what), arns: present(names.capacityParameterArns, what) };
}
