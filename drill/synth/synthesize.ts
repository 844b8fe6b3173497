import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import type { CfnTemplate } from './cfn-template';
import { extractOrchestrator, type OrchestratorWiring } from './wiring';

/** A synthesized orchestrator template, read for the drill. */
export interface SynthesizedOrchestrator {
  readonly wiring: OrchestratorWiring;
  readonly stackName: string;
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

/** One orchestrator stack as synthesized, in a form that survives JSON (the synthesis cache). */
interface SynthesizedStack {
  readonly template: CfnTemplate;
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
  /** The stack's file assets (not directories) by S3 object key. */
  readonly assets: Readonly<Record<string, string>>;
}

type SynthesizedApp = Readonly<Record<RegionRole, SynthesizedStack>>;

/**
 * A folder in which synthesized orchestrators are kept by config. The test suite sets it for one
 * run (`test/setup/synth-cache.ts`) so that its suites share a synthesis instead of each paying
 * the seconds aws-cdk-lib takes; unset, every call synthesizes.
 */
export const SYNTH_CACHE_ENV = 'PILOT_LIGHT_SYNTH_CACHE';

/** Every file asset of the stack artifact's `*.assets.json` manifests in `directory`, by object key. */
function fileAssets(directory: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = JSON.parse(readFileSync(join(directory, file), 'utf8')) as {
      files?: Record<
        string,
        { source?: { path?: string }; destinations?: Record<string, { objectKey?: string }> }
      >;
    };
    for (const asset of Object.values(manifest.files ?? {})) {
      const path = asset.source?.path === undefined ? undefined : join(directory, asset.source.path);
      // Bundling is skipped, so function code assets point at folders or nowhere: only files are read.
      if (path === undefined || !existsSync(path) || !statSync(path).isFile()) continue;
      for (const d of Object.values(asset.destinations ?? {})) {
        if (d.objectKey !== undefined) out[d.objectKey] = readFileSync(path, 'utf8');
      }
    }
  }
  return out;
}

/** Synthesize the project's CDK app in-process (bundling skipped): both orchestrator stacks. */
async function synthesizeApp(config: ProjectConfig, configName: string | undefined): Promise<SynthesizedApp> {
  // Loaded on demand: aws-cdk-lib takes seconds to load, and only synthesis needs it.
  const { App } = await import('aws-cdk-lib');
  const { buildApp } = await import('../../infra/build-app');
  const { projectNames } = await import('../../infra/config/names');
  const names = projectNames(config).regions;
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...(configName === undefined ? {} : { project: configName }) },
  });
  const { orchestrators } = buildApp(app, config);
  const assembly = app.synth();
  const assets = fileAssets(assembly.directory);
  const stackOf = (role: RegionRole): SynthesizedStack => ({
    template: assembly.getStackArtifact(orchestrators[role].artifactId).template as CfnTemplate,
    stackName: orchestrators[role].stackName,
    region: names[role].region,
    account: names[role].account,
    assets,
  });
  return { main: stackOf('main'), dr: stackOf('dr') };
}

/** {@link synthesizeApp} through the cache folder of {@link SYNTH_CACHE_ENV}, when it is set. */
async function synthesizeAppCached(
  config: ProjectConfig,
  configName: string | undefined,
): Promise<SynthesizedApp> {
  const dir = process.env[SYNTH_CACHE_ENV];
  if (dir === undefined || dir === '') return synthesizeApp(config, configName);
  const key = createHash('sha256')
    .update(JSON.stringify({ config, configName: configName ?? null }))
    .digest('hex');
  const file = join(dir, `${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SynthesizedApp;
  const synthesized = await synthesizeApp(config, configName);
  // Written aside and renamed: another test worker may be reading or writing the same key.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(synthesized));
  renameSync(partial, file);
  return synthesized;
}

/**
 * The template of the orchestrator stack that promotes `role`, as `cdk deploy
 * -c project=<configName>` would deploy it (the app synthesized in-process, bundling skipped).
 */
export async function synthesizeOrchestratorTemplate(
  config: ProjectConfig,
  role: RegionRole,
  configName?: string,
): Promise<OrchestratorTemplate> {
  const stack = (await synthesizeAppCached(config, configName))[role];
  return {
    template: stack.template,
    stackName: stack.stackName,
    where: { region: stack.region, account: stack.account, readAsset: (key) => stack.assets[key] },
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
