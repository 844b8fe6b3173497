import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrillAnalysis } from './analysis';
import type { DrillRun } from './run';
import { timelineSvg } from './svg';

/** The machine-readable report (`report.json`). */
export interface DrillReport {
  readonly project: string;
  readonly role: string;
  readonly targetRegion: string;
  readonly mode: string;
  readonly requestedMode: string;
  readonly outcome: string;
  readonly faults: readonly string[];
  readonly seed?: number;
  readonly rtoSeconds: number;
  readonly dnsInSyncSeconds?: number;
  readonly criticalPathSeconds: number;
  readonly criticalPathBranch: string;
  readonly rtoOverCriticalPath: number;
  readonly runbookRtoSeconds: number;
  readonly runbookAwsOnlySeconds: number;
  readonly rtoOverRunbook: number;
  readonly stateTransitions: number;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly apiErrors: Readonly<Record<string, number>>;
  readonly lostWritesSeconds?: number;
  readonly steps: readonly {
    name: string;
    start: number;
    end: number;
    actualDoneAt?: number;
    criticalPath: boolean;
  }[];
  readonly executions: readonly {
    name: string;
    status: string;
    start: number;
    end: number;
    outcome?: string;
    error?: string;
  }[];
  readonly notifications: readonly { at: number; subject?: string; execution?: string }[];
  readonly invariants: readonly { name: string; held: boolean; detail: string }[];
  readonly timings: Readonly<Record<string, number>>;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** Build the JSON report. */
export function buildReport(
  run: DrillRun,
  a: DrillAnalysis,
  meta: { seed?: number; faults: readonly string[] },
): DrillReport {
  const w = run.world;
  const base = a.primary.startedAt;
  return {
    project: run.options.config.project,
    role: run.options.role,
    targetRegion: w.regionOf(w.targetRole),
    mode: a.mode,
    requestedMode: a.requestedMode,
    outcome: a.outcome,
    faults: meta.faults,
    ...(meta.seed === undefined ? {} : { seed: meta.seed }),
    rtoSeconds: round(a.rtoSeconds),
    ...(a.dnsInSyncSeconds === undefined ? {} : { dnsInSyncSeconds: round(a.dnsInSyncSeconds) }),
    criticalPathSeconds: round(a.criticalPath.seconds),
    criticalPathBranch: a.criticalPath.branch,
    rtoOverCriticalPath: round(a.rtoSeconds / a.criticalPath.seconds, 3),
    runbookRtoSeconds: round(a.runbook.seconds),
    runbookAwsOnlySeconds: round(a.runbook.awsOnlySeconds),
    rtoOverRunbook: round(a.rtoSeconds / a.runbook.seconds, 3),
    stateTransitions: a.stateTransitions,
    apiCalls: a.apiCalls,
    apiErrors: a.apiErrors,
    ...(a.lostWritesSeconds === undefined ? {} : { lostWritesSeconds: round(a.lostWritesSeconds, 3) }),
    steps: a.steps.map((s) => ({
      name: s.name,
      start: round(s.start),
      end: round(s.end),
      ...(s.actualDoneAt === undefined ? {} : { actualDoneAt: round(s.actualDoneAt) }),
      criticalPath: s.onCriticalPath,
    })),
    executions: run.executions.map((e) => {
      const outcome = (e.output as { outcome?: unknown } | undefined)?.outcome;
      return {
        name: e.name,
        status: e.status,
        start: round(e.startedAt - base),
        end: round(e.stoppedAt - base),
        ...(typeof outcome === 'string' ? { outcome } : {}),
        ...(e.error === undefined ? {} : { error: e.error }),
      };
    }),
    notifications: w.sns.published.map((p) => ({
      at: round(p.at - base),
      ...(p.subject === undefined ? {} : { subject: p.subject }),
      ...(p.execution === undefined ? {} : { execution: p.execution.split(':').pop() ?? p.execution }),
    })),
    invariants: a.invariants.map((i) => ({ name: i.name, held: i.held, detail: i.detail })),
    timings: Object.fromEntries(Object.entries(w.timings).map(([k, v]) => [k, round(v, 3)])),
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function lpad(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/** The human summary printed at the end of a drill. */
export function formatReport(r: DrillReport): string {
  const lines: string[] = [];
  lines.push('');
  lines.push(
    `Drill: ${r.project}, promote ${r.role} (${r.targetRegion}), mode ${r.requestedMode} → ${r.mode}`,
  );
  lines.push(
    `Faults: ${r.faults.length === 0 ? 'none' : r.faults.join(', ')}${r.seed === undefined ? '' : ` · seed ${r.seed}`}`,
  );
  lines.push(`Outcome: ${r.outcome}`);
  lines.push('');
  lines.push(
    `  ${pad('step', 22)}${lpad('start s', 9)}${lpad('end s', 9)}${lpad('took s', 9)}${lpad('AWS done s', 12)}  critical`,
  );
  for (const s of r.steps) {
    lines.push(
      `  ${pad(s.name, 22)}${lpad(s.start.toFixed(1), 9)}${lpad(s.end.toFixed(1), 9)}${lpad((s.end - s.start).toFixed(1), 9)}${lpad(s.actualDoneAt === undefined ? '' : s.actualDoneAt.toFixed(1), 12)}  ${s.criticalPath ? '*' : ''}`,
    );
  }
  lines.push('');
  const row = (k: string, v: string) => lines.push(`  ${pad(k, 34)}${v}`);
  row(
    'simulated RTO',
    `${r.rtoSeconds.toFixed(1)} s${r.dnsInSyncSeconds === undefined ? '' : ` (Route 53 INSYNC at ${r.dnsInSyncSeconds.toFixed(1)} s)`}`,
  );
  row(
    'critical-path lower bound',
    `${r.criticalPathSeconds.toFixed(1)} s (bounded by the ${r.criticalPathBranch} branch)`,
  );
  row('RTO ÷ critical path', r.rtoOverCriticalPath.toFixed(3));
  row(
    'seed runbook RTO (same model)',
    `${r.runbookRtoSeconds.toFixed(1)} s (AWS operations alone: ${r.runbookAwsOnlySeconds.toFixed(1)} s)`,
  );
  row('RTO ÷ runbook', r.rtoOverRunbook.toFixed(3));
  row('state transitions', String(r.stateTransitions));
  row(
    'API calls',
    Object.entries(r.apiCalls)
      .map(([k, v]) => `${k} ${v}${r.apiErrors[k] === undefined ? '' : ` (${r.apiErrors[k]} errors)`}`)
      .join(', '),
  );
  if (r.lostWritesSeconds !== undefined)
    row('writes lost in the promotion', `${r.lostWritesSeconds.toFixed(3)} s`);
  if (r.executions.length > 1) {
    row(
      'executions',
      r.executions
        .map((e) => `${e.name} ${e.status}${e.outcome === undefined ? '' : `/${e.outcome}`}`)
        .join(', '),
    );
  }
  lines.push('');
  lines.push('  invariants');
  for (const i of r.invariants) lines.push(`    ${i.held ? 'ok  ' : 'FAIL'} ${pad(i.name, 38)}${i.detail}`);
  return `${lines.join('\n')}\n`;
}

/** Write `report.json`, `timeline.svg` and the handlers' logs to `dir`. */
export function writeReportFiles(dir: string, r: DrillReport, handlerOutput: readonly string[]): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'report.json'), join(dir, 'timeline.svg'), join(dir, 'lambda-logs.jsonl')];
  writeFileSync(files[0] ?? '', `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(
    files[1] ?? '',
    timelineSvg({
      title: `${r.project}: promote ${r.targetRegion} (${r.mode})${r.faults.length > 0 ? ` · faults: ${r.faults.join(', ')}` : ''}`,
      steps: r.steps.map((s) => ({
        name: s.name,
        start: s.start,
        end: s.end,
        onCriticalPath: s.criticalPath,
        ...(s.actualDoneAt === undefined ? {} : { actualDoneAt: s.actualDoneAt }),
      })),
      rtoSeconds: r.rtoSeconds,
      criticalPathSeconds: r.criticalPathSeconds,
      runbookSeconds: r.runbookRtoSeconds,
    }),
  );
  writeFileSync(files[2] ?? '', handlerOutput.length > 0 ? `${handlerOutput.join('\n')}\n` : '');
  return files;
}
