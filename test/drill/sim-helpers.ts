import { runReadinessDrill, synthesizeReadiness } from '../../drill/runner/readiness';
import { DRILL_EPOCH_MS } from '../../drill/runner/simulation';
import { installVirtualClock } from '../../drill/runner/virtual-clock';
import { createWorld } from '../../drill/sim/create-world';
import { installSimulatedAws } from '../../drill/sim/install';
import type { World } from '../../drill/sim/world';
import type { PreparedDrill } from '../../drill/sweep/sweep';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import { loadTimingModel, sampleTimings, type Timings } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';
import {
  type BucketNames,
  type DatabaseNames,
  projectNames,
  type RegionNames,
  type ServiceNames,
} from '../../infra/config/names';
import type { DatabaseConfig, ProjectConfig, RegionRole, ServiceConfig } from '../../infra/config/schema';
import { READINESS } from '../../lambdas/shared/steps';

export const config = loadConfig('base');
export const names = projectNames(config);
/** The base project's one hostname (`dns.records[0].recordName`). */
export const HOSTNAME = onlyHostname();
export const MAIN = names.regions.main.region;
export const DR = names.regions.dr.region;

function onlyHostname(): string {
  const [first, ...more] = names.hostnames;
  if (first === undefined || more.length > 0)
    throw new Error('expected the base project to list one hostname');
  return first;
}

/** The base project's one database and one service (`databases[0]`, `services[0]`, both named `app`). */
export const APP = 'app';

/** `region`'s names of the base project's one database (`databases[0]`, named `app`). */
export function appDatabase(region: RegionNames): DatabaseNames {
  const [only, ...more] = region.databases;
  if (only === undefined || more.length > 0 || only.entry !== APP)
    throw new Error(
      `expected one database entry named app, got ${region.databases.map((d) => d.entry).join(', ')}`,
    );
  return only;
}

/** `region`'s names of the base project's one service (`services[0]`, named `app`). */
export function appService(region: RegionNames): ServiceNames {
  const [only, ...more] = region.services;
  if (only === undefined || more.length > 0 || only.entry !== APP)
    throw new Error(
      `expected one service entry named app, got ${region.services.map((s) => s.entry).join(', ')}`,
    );
  return only;
}

/** The base project's one database entry (`databases[0]`). */
export function appDatabaseConfig(project: ProjectConfig = config): DatabaseConfig {
  const [only] = project.databases;
  if (only === undefined) throw new Error('expected a database entry');
  return only;
}

/** The base project's one service entry (`services[0]`). */
export function appServiceConfig(project: ProjectConfig = config): ServiceConfig {
  const [only] = project.services;
  if (only === undefined) throw new Error('expected a service entry');
  return only;
}

/** `region`'s bucket of the base project's one bucket entry (`buckets[0]`, named `data`). */
export function dataBucket(region: RegionNames): BucketNames {
  const [only, ...more] = region.buckets;
  if (only === undefined || more.length > 0 || only.entry !== 'data')
    throw new Error(
      `expected one bucket entry named data, got ${region.buckets.map((b) => b.entry).join(', ')}`,
    );
  return only;
}

/** A fresh simulated world of `project` promoting `role`, with the default timing model (overridable). */
export function makeWorld(
  overrides: Partial<Timings> = {},
  role: RegionRole = 'dr',
  project: ProjectConfig = config,
): World {
  const world = createWorld({
    config: project,
    names: projectNames(project),
    targetRole: role,
    timings: { ...sampleTimings(loadTimingModel()), ...overrides },
    epochMs: DRILL_EPOCH_MS,
  });
  world.sns.addTopic(`arn:aws:sns:${DR}:${names.regions.dr.account}:topic`, DR);
  return world;
}

/** Run `work` against `world` through the ordinary SDK clients, on the virtual clock. */
export async function inSimulation<T>(world: World, work: () => Promise<T>): Promise<T> {
  const clock = installVirtualClock(DRILL_EPOCH_MS);
  const restore = installSimulatedAws(world);
  try {
    return await clock.drive(work());
  } finally {
    restore();
    clock.uninstall();
  }
}

/** Wait `seconds` of simulated time. */
export function sleep(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/** The rejection of `p`, for asserting on SDK-shaped errors. */
export async function rejectionOf(
  p: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; code?: string }> {
  try {
    await p;
  } catch (err: unknown) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`);
  }
  throw new Error('expected a rejection');
}

/**
 * The calls the failover itself made: without the readiness report's reads and metrics (the
 * `CheckReadiness*` states, beside the work and bounded; a report, not a dependency or a change).
 */
export function failoverCalls<C extends { readonly state?: string }>(calls: readonly C[]): C[] {
  return calls.filter((c) => !(c.state ?? '').startsWith(READINESS.label));
}

/** DR's readiness Lambda of `project`, synthesized and invoked once on the default timings. */
export async function readinessDrillOf(project: ProjectConfig) {
  const synthesized = await synthesizeReadiness(project, 'dr', 'base');
  return runReadinessDrill({
    config: project,
    role: 'dr',
    timings: sampleTimings(loadTimingModel()),
    synthesized,
  });
}

/**
 * Synthesize `project`'s orchestrator of `role` (from `project-config/<configName>.yml`'s shape) and
 * prepare drills of it: planned, no faults, the default timing model (tests override the plan).
 */
export async function prepareDrill(
  project: ProjectConfig,
  role: RegionRole,
  configName: string,
): Promise<PreparedDrill> {
  const { wiring, stackName } = await synthesizeOrchestrator(project, role, configName);
  return {
    plan: { configName, role, mode: 'planned', faults: [] },
    config: project,
    model: loadTimingModel(),
    wiring,
    stackName,
    commit: 'test',
  };
}
