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
