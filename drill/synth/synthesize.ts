import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import type { CfnTemplate } from './cfn-template';
import { extractOrchestrator, type OrchestratorWiring } from './wiring';

/** A synthesized orchestrator template, read for the drill. */
export interface SynthesizedOrchestrator {
  readonly wiring: OrchestratorWiring;
  readonly stackName: string;
}

/** Map S3 object keys to the file assets of a cloud assembly directory (`*.assets.json`). */
function assetReader(directory: string): (objectKey: string) => string | undefined {
  const byKey = new Map<string, string>();
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = JSON.parse(readFileSync(join(directory, file), 'utf8')) as {
      files?: Record<
        string,
        { source?: { path?: string }; destinations?: Record<string, { objectKey?: string }> }
      >;
    };
    for (const asset of Object.values(manifest.files ?? {})) {
      const path = asset.source?.path;
      if (path === undefined) continue;
      for (const d of Object.values(asset.destinations ?? {})) {
        if (d.objectKey !== undefined) byKey.set(d.objectKey, join(directory, path));
      }
    }
  }
  return (key: string) => {
    const path = byKey.get(key);
    return path === undefined ? undefined : readFileSync(path, 'utf8');
  };
}

/** What the drill reads from one synthesized orchestrator stack. */
export interface OrchestratorTemplate {
  readonly template: CfnTemplate;
  readonly stackName: string;
  /** Its region and account, and its file assets by S3 object key. */
  readonly where: {
    readonly region: string;
    readonly account: string;
    readonly readAsset: (objectKey: string) => string | undefined;
  };
}

/**
 * Synthesize the project's CDK app in-process (bundling skipped) and return the template of the
 * orchestrator stack that promotes `role`, as `cdk deploy -c project=<configName>` would deploy it.
 */
export async function synthesizeOrchestratorTemplate(
  config: ProjectConfig,
  role: RegionRole,
  configName?: string,
): Promise<OrchestratorTemplate> {
  // Loaded on demand: aws-cdk-lib takes seconds to load, and only synthesis needs it.
  const { App } = await import('aws-cdk-lib');
  const { buildApp } = await import('../../infra/build-app');
  const { projectNames } = await import('../../infra/config/names');
  const names = projectNames(config).regions[role];
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...(configName === undefined ? {} : { project: configName }) },
  });
  const stack = buildApp(app, config).orchestrators[role];
  const assembly = app.synth();
  return {
    template: assembly.getStackArtifact(stack.artifactId).template as CfnTemplate,
    stackName: stack.stackName,
    where: { region: names.region, account: names.account, readAsset: assetReader(assembly.directory) },
  };
}

/**
 * Synthesize the orchestrator stack that promotes `role` ({@link synthesizeOrchestratorTemplate})
 * and read its wiring (the notifications print `configName` in the command that finishes a
 * half-done run).
 *
 * @throws WiringError when the template cannot be read offline
 */
export async function synthesizeOrchestrator(
  config: ProjectConfig,
  role: RegionRole,
  configName?: string,
): Promise<SynthesizedOrchestrator> {
  const { template, stackName, where } = await synthesizeOrchestratorTemplate(config, role, configName);
  return { wiring: extractOrchestrator(template, where), stackName };
}
