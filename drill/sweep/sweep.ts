import { join } from 'node:path';
import { loadConfig } from '../../infra/config/load';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { analyzeDrill, type DrillAnalysis } from '../analysis/analyze';
import { incidentKind } from '../analysis/incident';
import { checkFaultEntries, type FaultSpec } from '../faults/catalog';
import { writeReportFiles } from '../report/files';
import { gitCommit } from '../report/meta';
import { buildReport } from '../report/report';
import type { DrillReport } from '../report/types';
import type { DrillApproval } from '../runner/approval';
import { type DrillRun, REPO_ROOT, runDrill } from '../runner/run';
import { synthesizeOrchestrator } from '../synth/synthesize';
import type { OrchestratorWiring } from '../synth/wiring';
import { loadTimingModel, sampleTimings, scaleTimings, type TimingModel, type Timings } from '../timing';
import { type SeedResult, type SweepHeader, type SweepSummary, seedResult, summarizeSweep } from './stats';

/**
 * Drills from one synthesis: the project, timing model and orchestrator prepared once, then run per
 * seed. `npm run drill` runs one; `--sweep n` runs seeds 1..n; `npm run bench` runs several sweeps.
 */

/** What every drill of a sweep shares. */
export interface DrillPlan {
  /** `project-config/<configName>.yml`. */
  readonly configName: string;
  readonly role: RegionRole;
  readonly mode: FailoverMode;
  readonly faults: readonly FaultSpec[];
  /** The `--timing` overrides file, if any. */
  readonly timingFile?: string;
  /** Every AWS duration × this, after seeding. */
  readonly scale?: number;
  /** `--approve-after` / `--deny`: the approval gate on, answered so. */
  readonly approval?: DrillApproval;
}

/** A plan with its project, timing model and synthesized orchestrator: ready to run per seed. */
export interface PreparedDrill {
  readonly plan: DrillPlan;
  readonly config: ProjectConfig;
  readonly model: TimingModel;
  readonly wiring: OrchestratorWiring;
  readonly stackName: string;
  readonly commit: string;
}

/** Load the project and timing model and synthesize the orchestrator, once. */
export async function prepareDrill(plan: DrillPlan): Promise<PreparedDrill> {
  const config = loadConfig(plan.configName);
  checkFaultEntries(config, plan.faults);
  const model = loadTimingModel(plan.timingFile);
  const { wiring, stackName } = await synthesizeOrchestrator(config, plan.role, plan.configName);
  return { plan, config, model, wiring, stackName, commit: gitCommit(REPO_ROOT) };
}

/** One drill of a prepared plan. */
export interface DrillOutcome {
  readonly run: DrillRun;
  readonly analysis: DrillAnalysis;
  readonly report: DrillReport;
}

/** How one drill of a plan differs from the others. */
export interface DrillVariant {
  /** Draw the durations with this seed; defaults otherwise. */
  readonly seed?: number;
  /** Durations to use instead of the drawn ones (after scaling): a slow step, say. */
  readonly timings?: Partial<Timings>;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** The timings a drill of `p` uses: drawn (seeded or defaults), scaled, then overridden. */
export function timingsOf(p: PreparedDrill, variant: DrillVariant = {}): Timings {
  const drawn = sampleTimings(p.model, variant.seed);
  const scaled = p.plan.scale === undefined ? drawn : scaleTimings(drawn, p.plan.scale);
  return { ...scaled, ...variant.timings };
}

/** Run one drill of `p` and build its report. */
export async function drillOnce(p: PreparedDrill, variant: DrillVariant = {}): Promise<DrillOutcome> {
  const { plan } = p;
  const run = await runDrill({
    config: p.config,
    role: plan.role,
    mode: plan.mode,
    faults: plan.faults,
    timings: timingsOf(p, variant),
    wiring: p.wiring,
    ...(variant.log === undefined ? {} : { log: variant.log }),
    ...(plan.approval === undefined ? {} : { approval: plan.approval }),
  });
  const analysis = analyzeDrill(run, { configName: plan.configName });
  const report = buildReport(run, analysis, {
    faults: plan.faults.map(faultLabel),
    configName: plan.configName,
    commit: p.commit,
    ...(variant.seed === undefined ? {} : { seed: variant.seed }),
    ...(plan.timingFile === undefined ? {} : { timingFile: plan.timingFile }),
    ...(plan.scale === undefined ? {} : { scale: plan.scale }),
  });
  return { run, analysis, report };
}

/** Where a sweep writes: `<dir>/seed-<k>/` per run and `<dir>/sweep.json`. */
export function seedDir(dir: string, seed: number): string {
  return join(dir, `seed-${seed}`);
}

/**
 * Run seeds 1..`seeds` of `p`. With `dir`, each run's `report.json` and `timeline.svg` are written
 * to `<dir>/seed-<k>/` (the handlers' logs are not kept: a sweep is about the figures).
 */
export async function runSweep(
  p: PreparedDrill,
  seeds: number,
  options: { readonly dir?: string; readonly onSeed?: (result: SeedResult) => void } = {},
): Promise<SweepSummary> {
  const results: SeedResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const { report } = await drillOnce(p, { seed });
    if (options.dir !== undefined) writeReportFiles(seedDir(options.dir, seed), report);
    const result = seedResult(seed, report);
    results.push(result);
    options.onSeed?.(result);
  }
  return summarizeSweep(sweepHeader(p), results);
}

/** What a sweep of `p` ran, for `sweep.json`. */
export function sweepHeader(p: PreparedDrill): SweepHeader {
  const { plan } = p;
  return {
    project: p.config.project,
    configFile: `project-config/${plan.configName}.yml`,
    commit: p.commit,
    kind: incidentKind(plan.role),
    role: plan.role,
    mode: plan.mode,
    faults: plan.faults.map(faultLabel),
    ...(plan.timingFile === undefined ? {} : { timingFile: plan.timingFile }),
    ...(plan.scale === undefined ? {} : { scale: plan.scale }),
  };
}

/** `name[:argument]`, as given on the command line. */
function faultLabel(f: FaultSpec): string {
  return f.argument === undefined ? f.name : `${f.name}:${f.argument}`;
}
