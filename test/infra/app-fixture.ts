import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { type BuiltApp, buildApp } from '../../infra/build-app';
import { loadConfig } from '../../infra/config/load';
import { type ProjectNames, projectNames } from '../../infra/config/names';
import type { ProjectConfig } from '../../infra/config/schema';

/** A mutable deep copy of `project-config/base.yml`, for tests that vary one setting. */
export function baseConfig(): ProjectConfig {
  return structuredClone(loadConfig('base'));
}

/** A mutable deep copy of `project-config/shop.yml`: 3 services, 2 databases, 2 buckets, 3 hostnames. */
export function shopConfig(): ProjectConfig {
  return structuredClone(loadConfig('shop'));
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
