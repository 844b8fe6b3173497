import { analyzeDrill, type DrillAnalysis } from '../../drill/analysis/analyze';
import { failedStepOfNotice } from '../../drill/analysis/failure-notice';
import { type FaultSpec, parseFault } from '../../drill/faults/catalog';
import type { ExecutionRecord } from '../../drill/runner/execution';
import { type DrillRun, runDrill } from '../../drill/runner/run';
import { misdirectedCalls } from '../../drill/sim/calls';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings, type Timings } from '../../drill/timing';
import type { ProjectConfig } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { STEPS } from '../../lambdas/shared/steps';
import { config } from './sim-helpers';

/** What the drill fault tests share: running a drill end to end and reading what it left. */

/** Calls that change AWS: none may come from an execution that must not act. */
export const MUTATING = new Set([
  'CreateDBInstance',
  'SwitchoverGlobalCluster',
  'FailoverGlobalCluster',
  'UpdateAutoScalingGroup',
  'UpdateService',
  'ChangeResourceRecordSets',
  'PutMetricData',
]);

/** A finished drill, its analysis and its progress lines. */
export interface Drilled {
  readonly run: DrillRun;
  readonly a: DrillAnalysis;
  readonly progress: string[];
}

/** The DR orchestrator of `project`, synthesized once per test file (call from `beforeAll`). */
export async function drWiring(project: ProjectConfig = config): Promise<OrchestratorWiring> {
  return (await synthesizeOrchestrator(project, 'dr')).wiring;
}

/** Run one drill promoting DR with `faults` (`--fault` syntax), default timings unless given. */
export async function drill(
  wiring: OrchestratorWiring,
  mode: FailoverMode,
  faults: readonly string[] = [],
  options: { readonly seed?: number; readonly timings?: Timings; readonly project?: ProjectConfig } = {},
): Promise<Drilled> {
  const specs: FaultSpec[] = faults.map(parseFault);
  const progress: string[] = [];
  const run = await runDrill({
    config: options.project ?? config,
    role: 'dr',
    mode,
    faults: specs,
    timings: options.timings ?? sampleTimings(loadTimingModel(), options.seed),
    wiring,
    log: (line) => progress.push(line),
  });
  return { run, a: analyzeDrill(run), progress };
}

/** Every invariant the drill judged held, and the core ones were judged. */
export function expectInvariantsHeld(a: DrillAnalysis): void {
  expect(a.invariants.filter((i) => !i.held)).toEqual([]);
  expect(a.invariants.map((i) => i.name)).toEqual(
    expect.arrayContaining([
      'exactly one writer',
      'DNS points at the writer region',
      'traffic never moved before the promotion',
      'planned mode lost no data',
      'no duplicate instances',
      'every failure notified with its step',
    ]),
  );
}

/** Every switchover went to the primary's region and every failover to the target's (Aurora guide). */
export function expectPromotionsWhereDocumented(run: DrillRun): void {
  const wrong = misdirectedCalls(run.world.calls).map(
    (c) => `${c.command} sent to ${c.region}, documented ${c.documentedRegion ?? '?'}`,
  );
  expect(wrong).toEqual([]);
}

/** Calls of `command`, optionally only those `execution` made. */
export function calls(run: DrillRun, command: string, execution?: string) {
  return run.world.calls.filter(
    (c) => c.command === command && (execution === undefined || c.execution === execution),
  );
}

/** The failed step each failure notification names, in publish order. */
export function failureNotices(run: DrillRun): string[] {
  return run.world.sns.published
    .map((p) => failedStepOfNotice(p))
    .filter((s): s is string => s !== undefined);
}

/** An execution's `outcome` output field. */
export function outcomeOf(e: ExecutionRecord | undefined): string | undefined {
  const o = e?.output as { outcome?: unknown } | undefined;
  return typeof o?.outcome === 'string' ? o.outcome : undefined;
}

/** What the Preflight state returned in execution `e`. */
export function preflightOf(e: ExecutionRecord | undefined): Record<string, unknown> {
  const exit = e?.events.find((ev) => ev.type === 'StateExited' && ev.state === STEPS.preflight.label);
  const out = exit?.output as { preflight?: Record<string, unknown> } | undefined;
  return out?.preflight ?? {};
}

/** How many times state `state` was retried across the drill's executions. */
export function retried(run: DrillRun, state: string): number {
  return run.executions.flatMap((e) => e.events).filter((e) => e.type === 'StateRetried' && e.state === state)
    .length;
}

/** Mutating calls `execution` made (accepted or not). */
export function changesBy(run: DrillRun, execution: string | undefined): string[] {
  return run.world.calls
    .filter((c) => c.execution === execution && MUTATING.has(c.command))
    .map((c) => c.command);
}
