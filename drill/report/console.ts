import { fenceLines } from '../analysis/invariants-traffic';
import { capacityLines } from './capacity';
import { fmtRatio, fmtSeconds, resourceLines, stateLeftLines } from './figures';
import type { DrillReport, ExecutionReport } from './types';

/** The human summary printed at the end of a drill, from `report.json`'s values. */

/** Width of the invariant names' column; a longer name gets its detail on the next line. */
const INVARIANT_COLUMN = 38;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function lpad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/** `SUCCEEDED/PROMOTED`, `FAILED at FlipDns (WaitTimeoutError)`. */
export function executionLabel(e: ExecutionReport): string {
  if (e.status !== 'SUCCEEDED') {
    return `${e.status}${e.failedStep === undefined ? '' : ` at ${e.failedStep}`}${e.error === undefined ? '' : ` (${e.error})`}`;
  }
  return `${e.status}${e.outcome === undefined ? '' : `/${e.outcome}`}`;
}

function stepTable(e: ExecutionReport): string[] {
  const lines = [
    `  ${pad('step', 22)}${lpad('start s', 9)}${lpad('end s', 9)}${lpad('took s', 9)}${lpad('AWS done s', 12)}  critical`,
  ];
  for (const s of e.steps) {
    const mark = `${s.criticalPath ? '*' : ''}${s.failed === true ? ' ✖ FAILED' : ''}`;
    lines.push(
      `  ${pad(s.name, 22)}${lpad(s.start.toFixed(1), 9)}${lpad(s.end.toFixed(1), 9)}${lpad((s.end - s.start).toFixed(1), 9)}${lpad(s.actualDoneAt === undefined ? '' : s.actualDoneAt.toFixed(1), 12)}  ${mark}`,
    );
  }
  return lines;
}

/** The lines that must be the last thing a reader sees: the state left, when someone must act. */
export function loudLines(r: DrillReport): readonly string[] {
  const left = stateLeftLines(r.stateLeft);
  return left.loud ? left.lines.filter((l) => l.startsWith('!!!')) : [];
}

/** The human summary of `r`. */
export function formatReport(r: DrillReport): string {
  const lines: string[] = [''];
  const f = r.incident;
  lines.push(
    `Drill: ${r.project}, ${r.kind}: promote ${r.role} (${r.targetRegion}), mode ${r.requestedMode} → ${r.mode}`,
  );
  lines.push(
    `Faults: ${r.faults.length === 0 ? 'none' : r.faults.join(', ')}${r.seed === undefined ? '' : ` · seed ${r.seed}`}`,
  );
  lines.push(
    `Ran: ${r.configFile} · commit ${r.commit.slice(0, 12)}${r.timingFile === undefined ? '' : ` · timing overrides ${r.timingFile}`}${r.scale === undefined ? '' : ` · every AWS duration ×${r.scale}`}`,
  );
  lines.push(`Outcome: ${r.outcome}`);
  lines.push(`Figure: ${f.headline}`);
  const left = stateLeftLines(r.stateLeft);
  lines.push(...left.lines);
  lines.push(...resourceLines(r.stateLeft).map((l) => `  ${l}`));
  if (r.outcome === 'PROMOTED' || r.fence !== undefined) lines.push(...fenceLines(r.fence));
  for (const e of r.executions) {
    lines.push('');
    lines.push(
      `  ${e.name}: ${executionLabel(e)}, ${fmtSeconds(e.start)} → ${fmtSeconds(e.end)}, ${e.stateTransitions} transitions`,
    );
    lines.push(...stepTable(e));
  }
  lines.push('');
  const row = (k: string, v: string) => lines.push(`  ${pad(k, 34)}${v}`);
  if (f.rtoSeconds !== undefined) {
    row(
      'RTO (first trigger → traffic)',
      `${fmtSeconds(f.rtoSeconds)}${r.trafficMovedSeconds === undefined ? '' : ` (${r.stateLeft.hostnames === undefined ? 'the name' : 'the hostnames'} answered ${r.targetRegion} from ${fmtSeconds(r.trafficMovedSeconds)})`}`,
    );
  } else {
    row('RTO', f.result === 'FAILED' ? 'none: the run failed before traffic reached the writer' : 'none');
  }
  if (f.failedAfterSeconds !== undefined) {
    row(
      'time to failure',
      `${fmtSeconds(f.failedAfterSeconds)} (${f.failedExecution} at ${f.failedStep ?? '?'})`,
    );
  }
  const slowest = f.lowerBoundSlowest;
  const over =
    slowest === undefined
      ? ''
      : `; over every resource: slowest database ${slowest.database ?? '?'}, slowest service ${slowest.service ?? '?'}`;
  row(
    'lower bound',
    `${fmtSeconds(f.lowerBoundSeconds)} = ${f.lowerBoundShape} (bounded by the ${f.lowerBoundBranch} branch${over})`,
  );
  if (f.ratio !== undefined) row('RTO ÷ lower bound', fmtRatio(f.ratio));
  if (r.runbook !== undefined) {
    row(
      'seed runbook RTO (same timings)',
      `${fmtSeconds(r.runbook.rtoSeconds)} (AWS operations alone: ${fmtSeconds(r.runbook.awsOnlySeconds)})`,
    );
    if (r.runbook.rtoOverRunbook !== undefined) row('RTO ÷ runbook', fmtRatio(r.runbook.rtoOverRunbook));
  }
  row('state transitions', String(r.stateTransitions));
  row(
    'API calls',
    Object.entries(r.apiCalls)
      .map(([k, v]) => `${k} ${v}${r.apiErrors[k] === undefined ? '' : ` (${r.apiErrors[k]} errors)`}`)
      .join(', '),
  );
  row(
    'API requests, busiest minute',
    Object.entries(r.apiPeakPerMinute)
      .map(([k, p]) => `${k} ${p.requests} (from ${fmtSeconds(p.from)})`)
      .join(', '),
  );
  if (r.lostWritesSeconds !== undefined) {
    row('writes lost in the promotion', `${r.lostWritesSeconds.toFixed(3)} s`);
  }
  if (r.s3Replication !== undefined) {
    const s3 = r.s3Replication;
    row(
      'S3 backlog at the start',
      `${s3.pendingAtStart} object(s) not yet replicated (${s3.pendingAtEnd} still not at the end)`,
    );
    for (const b of s3.buckets ?? []) {
      row(`  bucket ${b.bucket}`, `${b.pendingAtStart} (${b.pendingAtEnd} still not at the end)`);
    }
  }
  const capacity = capacityLines(r.capacityFound);
  if (capacity.length > 0) {
    lines.push('');
    lines.push('  capacity');
    lines.push(...capacity.map((l) => `    ${l}`));
  }
  lines.push('');
  lines.push('  invariants');
  for (const i of r.invariants) {
    const mark = i.held ? 'ok  ' : 'FAIL';
    if (i.name.length < INVARIANT_COLUMN)
      lines.push(`    ${mark} ${pad(i.name, INVARIANT_COLUMN)}${i.detail}`);
    else lines.push(`    ${mark} ${i.name}`, `         ${' '.repeat(INVARIANT_COLUMN)}${i.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
