import type { DrillReport } from '../report/types';
import { claimSlip } from './claim-slip';

/**
 * A sweep's figures: one line per seed, read from its `report.json`, and their distribution
 * (`sweep.json`). Percentiles are nearest-rank: p95 of 40 runs is the 38th smallest, a value some
 * run actually had.
 */

/** One seed's run, as the sweep keeps it. */
export interface SeedResult {
  readonly seed: number;
  readonly result: DrillReport['incident']['result'];
  /** The report's headline, verbatim. */
  readonly headline: string;
  readonly rtoSeconds?: number;
  readonly lowerBoundSeconds: number;
  readonly ratio?: number;
  /** Seconds the traffic claim's alarm period came after the lower bound's (`claim-slip.ts`). */
  readonly claimSlipSeconds?: number;
  /** How late the claim was dated against the lower bound's (`claim-slip.ts`; a diagnosis). */
  readonly claimLateSeconds?: number;
  /** RTO ÷ the seed's manual runbook (a failover with an RTO). */
  readonly runbookRatio?: number;
  readonly transitions: number;
  /** Requests per service in its busiest minute. */
  readonly peakPerMinute: Readonly<Record<string, number>>;
  /** Steps whose AWS work finished before the step did, by how many seconds (the wait's overshoot). */
  readonly overshoot: Readonly<Record<string, number>>;
  readonly failedStep?: string;
  /** The run left the database promoted and traffic elsewhere (or a promotion still running). */
  readonly split: boolean;
  /** Names of the invariants the run broke. */
  readonly broken: readonly string[];
}

/** Seconds a step ended after its AWS work finished, per step of the run that moved traffic. */
function overshootOf(report: DrillReport): Record<string, number> {
  const recovering =
    report.executions.find((e) => e.name === report.incident.recoveredBy) ?? report.executions[0];
  const out: Record<string, number> = {};
  for (const s of recovering?.steps ?? []) {
    if (s.actualDoneAt !== undefined) out[s.name] = Math.round((s.end - s.actualDoneAt) * 10) / 10;
  }
  return out;
}

/** The sweep's line for `report`. */
export function seedResult(seed: number, report: DrillReport): SeedResult {
  const f = report.incident;
  const claim = claimSlip(report);
  const slip = claim?.seconds;
  const late = claim === undefined ? undefined : Math.round(claim.lateSeconds * 10) / 10;
  return {
    seed,
    result: f.result,
    headline: f.headline,
    ...(f.rtoSeconds === undefined ? {} : { rtoSeconds: f.rtoSeconds }),
    lowerBoundSeconds: f.lowerBoundSeconds,
    ...(f.ratio === undefined ? {} : { ratio: f.ratio }),
    ...(slip === undefined ? {} : { claimSlipSeconds: slip }),
    ...(late === undefined ? {} : { claimLateSeconds: late }),
    ...(report.runbook?.rtoOverRunbook === undefined ? {} : { runbookRatio: report.runbook.rtoOverRunbook }),
    transitions: report.stateTransitions,
    peakPerMinute: Object.fromEntries(
      Object.entries(report.apiPeakPerMinute).map(([k, p]) => [k, p.requests]),
    ),
    overshoot: overshootOf(report),
    ...(f.failedStep === undefined ? {} : { failedStep: f.failedStep }),
    split: report.stateLeft.split || report.stateLeft.splitPending,
    broken: report.invariants.filter((i) => !i.held).map((i) => i.name),
  };
}

/** A figure's distribution over a sweep's runs (only the runs that have it). */
export interface Distribution {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  /** The seed of the run with the largest value. */
  readonly maxSeed: number;
}

/** Nearest-rank percentile `p` (0–100) of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

/** The distribution of `value` over `results` (undefined when no run has it). */
export function distribution(
  results: readonly SeedResult[],
  value: (r: SeedResult) => number | undefined,
): Distribution | undefined {
  const pairs = results
    .map((r) => ({ seed: r.seed, v: value(r) }))
    .filter((x): x is { seed: number; v: number } => x.v !== undefined && Number.isFinite(x.v))
    .sort((a, b) => a.v - b.v || a.seed - b.seed);
  const sorted = pairs.map((x) => x.v);
  const last = pairs[pairs.length - 1];
  if (last === undefined) return undefined;
  return {
    n: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: last.v,
    maxSeed: last.seed,
  };
}

/** What a sweep ran. */
export interface SweepHeader {
  readonly project: string;
  readonly configFile: string;
  readonly commit: string;
  readonly kind: string;
  readonly role: string;
  readonly mode: string;
  readonly faults: readonly string[];
  readonly timingFile?: string;
  readonly scale?: number;
}

/** `sweep.json`. */
export interface SweepSummary extends SweepHeader {
  readonly seeds: number;
  readonly recovered: number;
  /** RTO ÷ lower bound: what the user waits against the physical limit, nothing set apart. */
  readonly ratio?: Distribution;
  /**
   * A diagnosis of the claim's minute: the runs whose claim's alarm period came after the lower
   * bound's, the largest such slip, and how late those runs' claims were dated (the largest).
   */
  readonly claimSlips: {
    readonly runs: number;
    readonly maxSeconds: number;
    readonly maxLateSeconds: number;
  };
  /** RTO ÷ the seed runbook (failovers only). */
  readonly runbookRatio?: Distribution;
  readonly rtoSeconds?: Distribution;
  readonly transitions?: Distribution;
  /** Per service, requests in the busiest minute of any run, and which run. */
  readonly apiPeakPerMinute: Readonly<Record<string, { readonly requests: number; readonly seed: number }>>;
  /** Per step, the distribution of its overshoot (step end − AWS done) over the runs. */
  readonly overshootSeconds: Readonly<Record<string, Distribution>>;
  /** Runs that did not recover (their headline says why; `split`: database and traffic left apart). */
  readonly failures: readonly { readonly seed: number; readonly headline: string; readonly split: boolean }[];
  /** Runs that broke an invariant, and which. */
  readonly invariantsBroken: readonly { readonly seed: number; readonly invariants: readonly string[] }[];
  readonly runs: readonly SeedResult[];
}

/** Summarize a sweep's runs. */
export function summarizeSweep(header: SweepHeader, runs: readonly SeedResult[]): SweepSummary {
  const peaks: Record<string, { requests: number; seed: number }> = {};
  for (const r of runs) {
    for (const [service, requests] of Object.entries(r.peakPerMinute)) {
      if (requests > (peaks[service]?.requests ?? -1)) peaks[service] = { requests, seed: r.seed };
    }
  }
  const steps = [...new Set(runs.flatMap((r) => Object.keys(r.overshoot)))];
  const overshoot: Record<string, Distribution> = {};
  for (const step of steps) {
    const d = distribution(runs, (r) => r.overshoot[step]);
    if (d !== undefined) overshoot[step] = d;
  }
  const ratio = distribution(runs, (r) => r.ratio);
  const slips = runs.filter((r) => (r.claimSlipSeconds ?? 0) > 0);
  const runbook = distribution(runs, (r) => r.runbookRatio);
  const rto = distribution(runs, (r) => r.rtoSeconds);
  const transitions = distribution(runs, (r) => r.transitions);
  return {
    ...header,
    seeds: runs.length,
    recovered: runs.filter((r) => r.result === 'RECOVERED').length,
    ...(ratio === undefined ? {} : { ratio }),
    claimSlips: {
      runs: slips.length,
      maxSeconds: Math.max(0, ...slips.map((r) => r.claimSlipSeconds ?? 0)),
      maxLateSeconds: Math.max(0, ...slips.map((r) => r.claimLateSeconds ?? 0)),
    },
    ...(runbook === undefined ? {} : { runbookRatio: runbook }),
    ...(rto === undefined ? {} : { rtoSeconds: rto }),
    ...(transitions === undefined ? {} : { transitions }),
    apiPeakPerMinute: peaks,
    overshootSeconds: overshoot,
    failures: runs
      .filter((r) => r.result !== 'RECOVERED')
      .map((r) => ({ seed: r.seed, headline: r.headline, split: r.split })),
    invariantsBroken: runs
      .filter((r) => r.broken.length > 0)
      .map((r) => ({ seed: r.seed, invariants: r.broken })),
    runs,
  };
}
