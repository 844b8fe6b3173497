import type { RegionRole } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { TRAFFIC_CLAIM_PERIOD_SECONDS } from '../../lambdas/shared/traffic-claim';
import { fmtRatio, fmtSeconds } from '../report/figures';
import type { DrillReport } from '../report/types';
import type { Timings } from '../timing';
import { claimSlip } from './claim-slip';
import type { SweepSummary } from './stats';
import { drillOnce, type PreparedDrill, runSweep } from './sweep';

/**
 * Issue 9's goals, measured: the sweeps `npm run bench` runs (every mode at the timing model's own
 * speed, ×0.5 and ×2, and a failback), the slow steps that must still succeed, and one table row
 * per goal with the figure it was judged on.
 */

/** Issue 9's goal table. */
export const GOALS = {
  /**
   * RTO ÷ lower bound over a 40-seed sweep per mode (planned / unplanned / auto), nothing set apart
   * (issue 24): a claim's minute lost to a boundary is a minute the user waits. How many runs
   * crossed one is reported in its own row, as a diagnosis (drill/sweep/claim-slip.ts).
   */
  ratioP95: 1.03,
  ratioMax: 1.05,
  /** The same with every AWS duration ×0.5 and ×2 (issue 24). */
  scaledRatioMax: 1.08,
  /** Failback (`--role main`): the lower bound is short (switchover + DNS), so fixed costs weigh more. */
  failbackRatioMax: 1.1,
  /** State transitions per failover: 400 × $0.025 / 1,000 ≈ $0.01. */
  transitions: 400,
  /** AWS API requests per service in any minute of a run: far under RDS's ~12/s and Route 53's ~5/s. */
  requestsPerMinute: 60,
  /** A claim late by less than a period crosses at most one boundary: one alarm period. */
  claimSlipMaxSeconds: TRAFFIC_CLAIM_PERIOD_SECONDS,
  /** Issue 4: the orchestrator at most halves the seed's manual runbook (same timings). */
  runbookRatio: 0.5,
} as const;

/** Seeds per sweep: issue 9's table is stated over 40-seed sweeps. */
export const BENCH_SEEDS = 40;
/** The speeds issue 9 asks the ratio to hold at besides the model's own. */
export const SCALES = [0.5, 2] as const;
export const MODES: readonly FailoverMode[] = ['planned', 'unplanned', 'auto'];

/** Steps slower than the model's range that must still succeed within the default budgets (issue 9). */
export const SLOW_STEPS: readonly { readonly label: string; readonly timings: Partial<Timings> }[] = [
  { label: 'DB add 40 min', timings: { dbInstanceCreateSeconds: 40 * 60 } },
  { label: 'switchover 15 min', timings: { switchoverSeconds: 15 * 60 } },
  // DNS moves through the data plane: the health checks following the claim's alarm 8 minutes late.
  { label: 'DNS 8 min', timings: { route53HealthCheckLagSeconds: 8 * 60 } },
];

/** One line of the bench table. */
export interface BenchRow {
  readonly metric: string;
  readonly value: string;
  readonly target: string;
  readonly pass: boolean;
}

/** A sweep the bench ran, with what it is judged against. */
export interface BenchSweep {
  readonly label: string;
  readonly goal: 'mode' | 'scaled' | 'failback';
  /** What was swept (to run one of its seeds again). */
  readonly prepared: PreparedDrill;
  readonly summary: SweepSummary;
}

/** A slow-step drill the bench ran. */
export interface SlowStepRun {
  readonly label: string;
  readonly report: DrillReport;
}

/** `p50 1.011 · p95 1.019 · max 1.023 (seed 7)`, then how many runs' claims crossed a minute boundary. */
function ratioValue(s: SweepSummary): string {
  const d = s.ratio;
  if (d === undefined) return 'no run has a ratio';
  const lost = s.seeds - d.n;
  const slips = s.claimSlips.runs > 0 ? ` · ${s.claimSlips.runs} claim(s) a minute late` : '';
  return `p50 ${fmtRatio(d.p50)} · p95 ${fmtRatio(d.p95)} · max ${fmtRatio(d.max)} (seed ${d.maxSeed})${lost > 0 ? ` · ${lost} run(s) without one` : ''}${slips}`;
}

/** The ratio row of one sweep, judged by its goal; every run must have a ratio. */
function ratioRow(b: BenchSweep): BenchRow {
  const d = b.summary.ratio;
  const complete = d !== undefined && d.n === b.summary.seeds;
  const metric = `${b.label}: RTO ÷ lower bound, ${b.summary.seeds} seeds`;
  if (b.goal === 'mode') {
    return {
      metric,
      value: ratioValue(b.summary),
      target: `p95 ≤ ${GOALS.ratioP95}, max ≤ ${GOALS.ratioMax}`,
      pass: complete && d.p95 <= GOALS.ratioP95 && d.max <= GOALS.ratioMax,
    };
  }
  const max = b.goal === 'failback' ? GOALS.failbackRatioMax : GOALS.scaledRatioMax;
  return { metric, value: ratioValue(b.summary), target: `max ≤ ${max}`, pass: complete && d.max <= max };
}

/** The worst of `value` over every sweep, with where it happened. */
function worst(
  sweeps: readonly BenchSweep[],
  value: (s: SweepSummary) => { readonly v: number; readonly seed: number } | undefined,
): { readonly v: number; readonly where: string } | undefined {
  let out: { v: number; where: string } | undefined;
  for (const b of sweeps) {
    const x = value(b.summary);
    if (x !== undefined && (out === undefined || x.v > out.v))
      out = { v: x.v, where: `${b.label} seed ${x.seed}` };
  }
  return out;
}

/** The table rows for `sweeps` and `slow` against issue 9's goals. */
export function goalRows(sweeps: readonly BenchSweep[], slow: readonly SlowStepRun[]): BenchRow[] {
  const rows = sweeps.map(ratioRow);
  const runs = sweeps.reduce((n, b) => n + b.summary.seeds, 0);
  const slipped = sweeps.reduce((n, b) => n + b.summary.claimSlips.runs, 0);
  const maxSlip = Math.max(0, ...sweeps.map((b) => b.summary.claimSlips.maxSeconds));
  const maxLate = Math.max(0, ...sweeps.map((b) => b.summary.claimSlips.maxLateSeconds));
  rows.push({
    metric: "traffic claim's minute (diagnosis): runs whose alarm period came after the lower bound's",
    value: `${slipped} of ${runs} runs, by at most ${fmtSeconds(maxSlip)}; their claims late by at most ${fmtSeconds(maxLate)}`,
    target: `≤ ${fmtSeconds(GOALS.claimSlipMaxSeconds)} a run`,
    pass: maxSlip <= GOALS.claimSlipMaxSeconds,
  });
  const transitions = worst(sweeps, (s) =>
    s.transitions === undefined ? undefined : { v: s.transitions.max, seed: s.transitions.maxSeed },
  );
  rows.push({
    metric: 'state transitions per failover, any sweep',
    value: transitions === undefined ? 'none measured' : `max ${transitions.v} (${transitions.where})`,
    target: `≤ ${GOALS.transitions}`,
    pass: transitions !== undefined && transitions.v <= GOALS.transitions,
  });
  const services = [...new Set(sweeps.flatMap((b) => Object.keys(b.summary.apiPeakPerMinute)))].sort();
  // DNS queries go to Route 53's name servers (the data plane), not to an API with a request quota:
  // counted in each report, not judged against the API goal.
  const peaks = services
    .filter((service) => service !== 'dns')
    .map((service) => ({
      service,
      peak: worst(sweeps, (s) => {
        const p = s.apiPeakPerMinute[service];
        return p === undefined ? undefined : { v: p.requests, seed: p.seed };
      }),
    }));
  const top = peaks.reduce((a, b) => ((b.peak?.v ?? 0) > (a?.peak?.v ?? 0) ? b : a), peaks[0]);
  rows.push({
    metric: 'API requests per service, busiest minute',
    value: `${peaks.map((p) => `${p.service} ${p.peak?.v ?? 0}`).join(', ')}${top?.peak === undefined ? '' : ` (max: ${top.service}, ${top.peak.where})`}`,
    target: `≤ ${GOALS.requestsPerMinute}`,
    pass: peaks.every((p) => (p.peak?.v ?? 0) <= GOALS.requestsPerMinute),
  });
  const runbook = worst(
    sweeps.filter((b) => b.goal === 'mode'),
    (s) =>
      s.runbookRatio === undefined ? undefined : { v: s.runbookRatio.max, seed: s.runbookRatio.maxSeed },
  );
  rows.push({
    metric: 'RTO ÷ seed runbook, any failover sweep',
    value: runbook === undefined ? 'none measured' : `max ${fmtRatio(runbook.v)} (${runbook.where})`,
    target: `≤ ${GOALS.runbookRatio}`,
    pass: runbook !== undefined && runbook.v <= GOALS.runbookRatio,
  });
  const failed = sweeps.flatMap((b) => b.summary.failures.map((f) => `${b.label} seed ${f.seed}`));
  const broken = sweeps.flatMap((b) => b.summary.invariantsBroken.map((f) => `${b.label} seed ${f.seed}`));
  rows.push({
    metric: 'every run of every sweep recovered, invariants held',
    value:
      failed.length + broken.length === 0
        ? `${sweeps.reduce((n, b) => n + b.summary.seeds, 0)} runs`
        : `did not recover: ${failed.join(', ') || 'none'}; broke an invariant: ${broken.join(', ') || 'none'}`,
    target: 'all',
    pass: failed.length === 0 && broken.length === 0,
  });
  for (const s of slow) {
    const ok = s.report.incident.result === 'RECOVERED' && s.report.invariants.every((i) => i.held);
    rows.push({
      metric: `slow step succeeds: ${s.label}`,
      value: s.report.incident.headline,
      target: 'succeeds',
      pass: ok,
    });
  }
  return rows;
}

/** What the bench measures, and how to report progress. */
export interface BenchPlan {
  readonly prepared: Readonly<Record<RegionRole, PreparedDrill>>;
  readonly seeds: number;
  readonly log?: (line: string) => void;
}

/** `p` with another mode and scale (the synthesis does not depend on them). */
function variant(p: PreparedDrill, mode: FailoverMode, scale?: number): PreparedDrill {
  const { scale: _previous, ...plan } = p.plan;
  return { ...p, plan: { ...plan, mode, ...(scale === undefined ? {} : { scale }) } };
}

/** Run every sweep and slow step of issue 9's table. */
export async function runBenchSweeps(
  plan: BenchPlan,
): Promise<{ readonly sweeps: BenchSweep[]; readonly slow: SlowStepRun[] }> {
  const sweeps: BenchSweep[] = [];
  const sweep = async (label: string, goal: BenchSweep['goal'], p: PreparedDrill) => {
    const started = Date.now();
    const summary = await runSweep(p, plan.seeds);
    plan.log?.(`${label}: ${ratioValue(summary)} (${((Date.now() - started) / 1000).toFixed(1)} s wall)`);
    sweeps.push({ label, goal, prepared: p, summary });
  };
  for (const mode of MODES) await sweep(mode, 'mode', variant(plan.prepared.dr, mode));
  for (const scale of SCALES) {
    for (const mode of MODES)
      await sweep(`${mode} ×${scale}`, 'scaled', variant(plan.prepared.dr, mode, scale));
  }
  await sweep('failback (planned)', 'failback', variant(plan.prepared.main, 'planned'));
  const slow: SlowStepRun[] = [];
  for (const s of SLOW_STEPS) {
    const { report } = await drillOnce(variant(plan.prepared.dr, 'planned'), { timings: s.timings });
    plan.log?.(`slow step ${s.label}: ${report.incident.headline}`);
    slow.push({ label: s.label, report });
  }
  return { sweeps, slow };
}

/** Where the run's traffic claim fell against the lower bound's (drill/sweep/claim-slip.ts). */
function claimMinuteLine(report: DrillReport): string[] {
  const slip = claimSlip(report);
  if (slip === undefined) return [];
  const where =
    slip.periodsLate === 0
      ? "in the lower bound's minute"
      : `${slip.periodsLate} minute(s) after the lower bound's: its alarm evaluated ${fmtSeconds(slip.seconds)} later`;
  return [
    `    traffic claim dated ${fmtSeconds(slip.claimedAt)} (lower bound: ${fmtSeconds(slip.idealAt)}), ${where}`,
  ];
}

/**
 * Where the time went in `report`'s run: for each step of the run that moved traffic, when it
 * started and ended, when AWS finished its work, the lower bound's part for it, and the overshoot
 * (step end − AWS done: the wait's granularity); then RTO − lower bound.
 */
export function explainRun(report: DrillReport): string[] {
  const f = report.incident;
  const run = report.executions.find((e) => e.name === f.recoveredBy) ?? report.executions[0];
  const parts: Readonly<Record<string, number>> = f.lowerBoundParts;
  const partOf: Readonly<Record<string, string>> = {
    ScaleDatabase: 'database',
    ScaleService: 'service',
    DrainReplication: 'replication',
    PromoteDatabase: 'promotion',
    FlipDns: 'dns',
  };
  const lines = [
    `    ${'step'.padEnd(18)}${['start', 'AWS done', 'end', 'overshoot', 'model'].map((h) => h.padStart(11)).join('')}`,
  ];
  for (const s of run?.steps ?? []) {
    const key = partOf[s.name];
    const model = key === undefined ? undefined : parts[key];
    const cells = [
      fmtSeconds(s.start),
      s.actualDoneAt === undefined ? '' : fmtSeconds(s.actualDoneAt),
      fmtSeconds(s.end),
      s.actualDoneAt === undefined ? '' : fmtSeconds(s.end - s.actualDoneAt),
      model === undefined ? '' : fmtSeconds(model),
    ];
    lines.push(
      `    ${`${s.name}${s.criticalPath ? ' *' : ''}`.padEnd(18)}${cells.map((c) => c.padStart(11)).join('')}`,
    );
  }
  lines.push(...claimMinuteLine(report));
  if (f.rtoSeconds !== undefined) {
    lines.push(
      `    RTO ${fmtSeconds(f.rtoSeconds)} − lower bound ${fmtSeconds(f.lowerBoundSeconds)} = ${fmtSeconds(f.rtoSeconds - f.lowerBoundSeconds)} (${f.lowerBoundShape}, ${f.lowerBoundBranch} branch)`,
    );
  }
  return lines;
}
