import { fmtRatio, fmtSeconds } from '../report/figures';
import type { Distribution, SeedResult, SweepSummary } from './stats';

/** A sweep on the console: a line per seed as it finishes, then the table of its distribution. */

/** Marks a run that left the database and traffic apart: its report's loudest line. */
const SPLIT_MARK = '!!! database and traffic left apart';

/** `seed 3/40  <headline> · 27 transitions [· !!! ...] [· BROKEN: ...]` */
export function seedLine(r: SeedResult, of: number): string {
  const width = String(of).length;
  const split = r.split ? ` · ${SPLIT_MARK}` : '';
  const broken = r.broken.length === 0 ? '' : ` · BROKEN: ${r.broken.join(', ')}`;
  return `seed ${String(r.seed).padStart(width)}/${of}  ${r.headline} · ${r.transitions} transitions${split}${broken}`;
}

function row(name: string, d: Distribution | undefined, fmt: (n: number) => string): string {
  if (d === undefined) return `  ${name.padEnd(30)}   no run has it`;
  const cells = [d.min, d.p50, d.p95, d.max].map((v) => fmt(v).padStart(10)).join('');
  return `  ${name.padEnd(30)}${String(d.n).padStart(4)}${cells}   seed ${d.maxSeed}`;
}

/** The summary table of a sweep. */
export function formatSweep(s: SweepSummary): string {
  const scale = s.scale === undefined ? '' : ` · every AWS duration ×${s.scale}`;
  const faults = s.faults.length === 0 ? '' : ` · faults: ${s.faults.join(', ')}`;
  const lines = [
    '',
    `Sweep: ${s.project} (${s.configFile}), ${s.kind} (${s.role}), mode ${s.mode}, seeds 1..${s.seeds}${scale}${faults}`,
    `  recovered ${s.recovered}/${s.seeds} · invariants broken in ${s.invariantsBroken.length} run(s)`,
    '',
    `  ${'figure'.padEnd(30)}${'n'.padStart(4)}${['min', 'p50', 'p95', 'max'].map((h) => h.padStart(10)).join('')}   worst`,
    row('RTO ÷ lower bound', s.ratio, fmtRatio),
    row('RTO', s.rtoSeconds, fmtSeconds),
    row('state transitions', s.transitions, (n) => String(n)),
    ...Object.entries(s.overshootSeconds).map(([step, d]) => row(`overshoot ${step}`, d, fmtSeconds)),
    '',
    `  traffic claim's alarm period after the lower bound's: ${s.claimSlips.runs} run(s), by at most ${fmtSeconds(s.claimSlips.maxSeconds)} (their claims late by at most ${fmtSeconds(s.claimSlips.maxLateSeconds)})`,
    `  API requests, busiest minute of any run: ${
      Object.entries(s.apiPeakPerMinute)
        .map(([k, p]) => `${k} ${p.requests} (seed ${p.seed})`)
        .join(', ') || 'none'
    }`,
  ];
  if (s.failures.length > 0) {
    lines.push('', `  ${s.failures.length} run(s) did not recover:`);
    for (const f of s.failures)
      lines.push(`    seed ${f.seed}: ${f.headline}${f.split ? ` · ${SPLIT_MARK}` : ''}`);
  }
  if (s.invariantsBroken.length > 0) {
    lines.push('', `  ${s.invariantsBroken.length} run(s) broke an invariant:`);
    for (const b of s.invariantsBroken) lines.push(`    seed ${b.seed}: ${b.invariants.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
