import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig, RegionRole } from '../infra/config/schema';
import type { CfnTemplate } from './cfn-template';
import type { SynthesizedOrchestrator } from './synthesize';
import { readTrigger, type TriggerWiring } from './trigger-template';
import { extractOrchestrator } from './wiring';

/** The orchestrator as synthesize.ts reads it, plus its alarm path. */
export interface SynthesizedTrigger extends SynthesizedOrchestrator {
  /** Undefined when the region has no alarm rule (not in `failover.alarm.regions`). */
  readonly trigger?: TriggerWiring;
}

/** S3 object key → file asset of a cloud assembly (as synthesize.ts; not exported there). */
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
  return (key) => {
    const path = byKey.get(key);
    return path === undefined ? undefined : readFileSync(path, 'utf8');
  };
}

/**
 * Synthesize the project's app once (bundling skipped) and read the orchestrator stack that
 * promotes `role`: its state machine wiring and its alarm path.
 *
 * @throws WiringError when the template cannot be read offline
 */
export async function synthesizeWithTrigger(
  config: ProjectConfig,
  role: RegionRole,
  configName?: string,
): Promise<SynthesizedTrigger> {
  const { App } = await import('aws-cdk-lib');
  const { buildApp } = await import('../infra/build-app');
  const { projectNames } = await import('../infra/config/names');
  const names = projectNames(config).regions[role];
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...(configName === undefined ? {} : { project: configName }) },
  });
  const stack = buildApp(app, config).orchestrators[role];
  const assembly = app.synth();
  const template = assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
  const where = { region: names.region, account: names.account, readAsset: assetReader(assembly.directory) };
  const trigger = readTrigger(template, stack.stackName, where);
  return {
    wiring: extractOrchestrator(template, where),
    stackName: stack.stackName,
    ...(trigger === undefined ? {} : { trigger }),
  };
}
