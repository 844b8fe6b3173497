import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillReport } from '../../drill/report/types';
import { formatSweep, seedLine } from '../../drill/sweep/format';
import { type BenchSweep, explainRun, goalRows, runBenchSweeps, SLOW_STEPS } from '../../drill/sweep/goals';
import { distribution, percentile, type SeedResult, summarizeSweep } from '../../drill/sweep/stats';
import { type PreparedDrill, prepareDrill, runSweep, seedDir } from '../../drill/sweep/sweep';
import type { RegionRole } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';

/**
 * The sweep as CI runs it: 10 seeds per mode and a failback, from one synthesis per region. Every
 * run must keep every invariant and produce finite figures. The performance goals are the bench's
 * (`npm run bench`, 40 seeds): here they are printed, not asserted.
 */

/** Seeds per sweep in CI: enough to draw across the timing model's ranges, few enough to stay fast. */
const CI_SEEDS = 10;

const prepared = new Map<RegionRole, PreparedDrill>();
const swept: BenchSweep[] = [];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drill-sweep-'));
  for (const role of ['dr', 'main'] as const) {
    prepared.set(role, await prepareDrill({ configName: 'base', role, mode: 'planned', faults: [] }));
  }
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  const rows = goalRows(swept, []);
  const w = Math.max(...rows.map((r) => r.metric.length));
  process.stdout.write(
    `\nSweep figures (${CI_SEEDS} seeds; goals are judged by npm run bench over 40):\n${rows
      .map((r) => `  ${r.metric.padEnd(w)}  ${r.value}  [goal ${r.target}: ${r.pass ? 'met' : 'not met'}]`)
      .join('\n')}\n`,
  );
});

function preparedFor(role: RegionRole, mode: FailoverMode): PreparedDrill {
  const p = prepared.get(role);
  if (p === undefined) throw new Error(`no ${role} synthesis`);
  return { ...p, plan: { ...p.plan, mode } };
}

describe('drill sweep', () => {
  it.each<[string, RegionRole, FailoverMode]>([
    ['planned', 'dr', 'planned'],
    ['unplanned', 'dr', 'unplanned'],
    ['auto', 'dr', 'auto'],
    ['failback (planned)', 'main', 'planned'],
  ])(
    `%s: every run of ${CI_SEEDS} seeds keeps every invariant, with finite figures`,
    async (label, role, mode) => {
      // Act
      const out = join(dir, label.replace(/\W+/g, '-'));
      const summary = await runSweep(preparedFor(role, mode), CI_SEEDS, { dir: out });
      swept.push({
        label,
        goal: role === 'main' ? 'failback' : 'mode',
        prepared: preparedFor(role, mode),
        summary,
      });

      // Assess
      expect(summary.invariantsBroken).toEqual([]);
      expect(summary.failures).toEqual([]);
      expect(summary.runs.map((r) => r.seed)).toEqual(Array.from({ length: CI_SEEDS }, (_, i) => i + 1));
      for (const r of summary.runs) {
        expect(Number.isFinite(r.ratio)).toBe(true);
        expect(Number.isFinite(r.rtoSeconds)).toBe(true);
        expect(r.ratio).toBeGreaterThan(0);
      }
      for (const d of [summary.ratio, summary.rtoSeconds, summary.transitions]) {
        expect(d?.n).toBe(CI_SEEDS);
        for (const v of [d?.min, d?.p50, d?.p95, d?.max]) expect(Number.isFinite(v)).toBe(true);
      }
      const report = JSON.parse(readFileSync(join(seedDir(out, 3), 'report.json'), 'utf8')) as DrillReport;
      expect(report).toMatchObject({ seed: 3, kind: role === 'main' ? 'failback' : 'failover' });
      expect(report.incident.headline).toBe(summary.runs[2]?.headline);
      expect(existsSync(join(seedDir(out, CI_SEEDS), 'timeline.svg'))).toBe(true);
      expect(formatSweep(summary)).toContain(`recovered ${CI_SEEDS}/${CI_SEEDS}`);
    },
    120_000,
  );
});

describe('bench sweeps', () => {
  it('runs every sweep and slow step of issue 9 and explains a run step by step', async () => {
    // Prepare
    const dr = prepared.get('dr');
    const main = prepared.get('main');
    if (dr === undefined || main === undefined) throw new Error('no synthesis');
    const lines: string[] = [];

    // Act: one seed per sweep (the bench runs 40).
    const { sweeps, slow } = await runBenchSweeps({
      prepared: { dr, main },
      seeds: 1,
      log: (l) => lines.push(l),
    });
    const rows = goalRows(sweeps, slow);

    // Assess
    expect(sweeps.map((b) => b.label)).toEqual([
      'planned',
      'unplanned',
      'auto',
      'planned ×0.5',
      'unplanned ×0.5',
      'auto ×0.5',
      'planned ×2',
      'unplanned ×2',
      'auto ×2',
      'failback (planned)',
    ]);
    expect(sweeps.find((b) => b.label === 'unplanned ×2')?.summary).toMatchObject({
      mode: 'unplanned',
      scale: 2,
    });
    expect(slow.map((s) => s.label)).toEqual(SLOW_STEPS.map((s) => s.label));
    // Steps slower than the model's range still finish within the default budgets.
    for (const s of slow) expect(s.report.incident.result).toBe('RECOVERED');
    expect(rows.filter((r) => r.metric.startsWith('slow step succeeds'))).toHaveLength(SLOW_STEPS.length);
    expect(lines).toHaveLength(sweeps.length + slow.length);
    const report = slow[0]?.report;
    if (report === undefined) throw new Error('no slow-step report');
    const explained = explainRun(report);
    expect(explained.some((l) => /^ {4}ScaleDatabase \*/.test(l))).toBe(true);
    expect(explained[explained.length - 1]).toMatch(
      /RTO .* − lower bound .* = .* s \(max\(DB add, capacity \+ target health\)/,
    );
  }, 120_000);
});

describe('sweep statistics', () => {
  it('lists the runs that did not recover or broke an invariant', () => {
    // Prepare
    const ok: SeedResult = {
      seed: 1,
      result: 'RECOVERED',
      headline: 'failover RTO 10.0 s · lower bound 9.0 s · ratio 1.111',
      rtoSeconds: 10,
      lowerBoundSeconds: 9,
      ratio: 1.111,
      transitions: 20,
      peakPerMinute: { rds: 30 },
      overshoot: { FlipDns: 2 },
      split: false,
      broken: [],
    };
    const failed: SeedResult = {
      ...ok,
      seed: 2,
      result: 'FAILED',
      headline: 'failover FAILED at FlipDns after 700.0 s · no RTO: traffic never reached the writer',
      rtoSeconds: undefined,
      ratio: undefined,
      peakPerMinute: { rds: 50 },
      split: true,
      broken: ['exactly one writer'],
    };
    const header = {
      project: 'p',
      configFile: 'project-config/base.yml',
      commit: 'unknown',
      kind: 'failover',
      role: 'dr',
      mode: 'planned',
      faults: [],
    };

    // Act
    const summary = summarizeSweep(header, [ok, failed]);
    const text = formatSweep(summary);

    // Assess
    expect(summary).toMatchObject({
      seeds: 2,
      recovered: 1,
      apiPeakPerMinute: { rds: { requests: 50, seed: 2 } },
      failures: [{ seed: 2, headline: failed.headline, split: true }],
      invariantsBroken: [{ seed: 2, invariants: ['exactly one writer'] }],
    });
    expect(summary.ratio?.n).toBe(1);
    expect(text).toContain(`seed 2: ${failed.headline}`);
    expect(text).toContain('seed 2: exactly one writer');
    expect(seedLine(ok, 40)).not.toContain('!!!');
    expect(seedLine(failed, 40)).toBe(
      `seed  2/40  ${failed.headline} · 20 transitions · !!! database and traffic left apart · BROKEN: exactly one writer`,
    );
  });

  it('takes nearest-rank percentiles: values some run actually had', () => {
    // Prepare
    const sorted = Array.from({ length: 40 }, (_, i) => i + 1);

    // Act, Assess
    expect(percentile(sorted, 50)).toBe(20);
    expect(percentile(sorted, 95)).toBe(38);
    expect(percentile(sorted, 100)).toBe(40);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('leaves out runs without the figure and names the worst seed', () => {
    // Prepare
    const run = (seed: number, ratio?: number): SeedResult => ({
      seed,
      result: ratio === undefined ? 'FAILED' : 'RECOVERED',
      headline: '',
      lowerBoundSeconds: 1,
      ...(ratio === undefined ? {} : { ratio }),
      transitions: 1,
      peakPerMinute: {},
      overshoot: {},
      split: false,
      broken: [],
    });

    // Act
    const d = distribution([run(1, 1.01), run(2), run(3, 1.04), run(4, 1.02)], (r) => r.ratio);

    // Assess
    expect(d).toEqual({ n: 3, min: 1.01, p50: 1.02, p95: 1.04, max: 1.04, maxSeed: 3 });
    expect(distribution([run(1)], (r) => r.ratio)).toBeUndefined();
  });
});
