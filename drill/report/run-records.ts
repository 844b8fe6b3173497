import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alreadyDoneLines, approvalLines, readinessLines } from '../../lambdas/record-run/markdown';
import type { RunRecord } from '../../lambdas/record-run/record';
import {
  type Fact,
  type RunDocument,
  renderRunMarkdown,
  SECTION,
  seconds,
  type TimelineRow,
} from '../../lambdas/shared/run-timeline';
import { stepOfState } from '../../lambdas/shared/steps';
import { fenceLines } from '../analysis/invariants-traffic';
import type { DrillRun } from '../runner/run';
import { capacityLines } from './capacity';
import { executionLabel } from './console';
import { fmtRatio, fmtSeconds, resourceLines, stateLeftLines } from './figures';
import type { DrillReport, ExecutionReport, RunRecordCopy } from './types';

/**
 * The drill's side of run records: the records the recorder Lambda wrote into the simulated
 * run-record bucket during the drill, copied out, and the drill's own report in the same form
 * (`report.md`, `lambdas/shared/run-timeline.ts`), so a drill and a real run read side by side.
 */

/** The records in the promoted region's run-record bucket at the end of `run`, in execution start order. */
export function runRecordsOf(run: DrillRun): RunRecordCopy[] {
  const w = run.world;
  const bucket = w.names.regions[w.targetRole].runRecordBucketName;
  const objects = w.runRecords.current(bucket);
  const out: RunRecordCopy[] = [];
  for (const [key, json] of objects) {
    if (!key.endsWith('.json')) continue;
    const mdKey = key.replace(/\.json$/, '.md');
    const md = objects.get(mdKey);
    if (md === undefined) continue;
    const record = JSON.parse(json.body) as RunRecord;
    out.push({
      execution: record.execution.name,
      s3Uri: `s3://${bucket}/${mdKey}`,
      record,
      markdown: md.body,
    });
  }
  return out.sort((a, b) => a.record.execution.startedAt.localeCompare(b.record.execution.startedAt));
}

/** `drill-out/run-records/<execution>.json|.md` for each record, and `run-record.json|.md` for the last. */
export function writeRunRecordFiles(dir: string, records: readonly RunRecordCopy[]): string[] {
  const last = records[records.length - 1];
  if (last === undefined) return [];
  const folder = join(dir, 'run-records');
  const files: string[] = [];
  const write = (path: string, text: string) => {
    writeFileSync(path, text);
    files.push(path);
  };
  if (records.length > 1) {
    mkdirSync(folder, { recursive: true });
    for (const r of records) {
      write(join(folder, `${r.execution}.json`), `${JSON.stringify(r.record, null, 2)}\n`);
      write(join(folder, `${r.execution}.md`), r.markdown);
    }
  }
  write(join(dir, 'run-record.json'), `${JSON.stringify(last.record, null, 2)}\n`);
  write(join(dir, 'run-record.md'), last.markdown);
  return files;
}

/** Lambda invocations per row, from the execution's transitions (entries and retries of its Task states). */
function attempts(e: ExecutionReport, row: string): number | undefined {
  const n = e.transitions.filter((t) => (stepOfState(t.state)?.label ?? t.state) === row).length;
  return n === 0 ? undefined : n;
}

function timelineRows(e: ExecutionReport): TimelineRow[] {
  return e.steps.map((s) => {
    const n = attempts(e, s.name);
    return {
      name: s.name,
      start: s.start,
      end: s.end,
      ...(n === undefined ? {} : { attempts: n }),
      ...(s.failed === true ? { failed: true } : {}),
      notes: [
        ...(s.criticalPath ? ['critical path'] : []),
        ...(s.actualDoneAt === undefined ? [] : [`AWS done ${seconds(s.actualDoneAt)}`]),
      ],
    };
  });
}

function summary(r: DrillReport): Fact[] {
  return [
    ['Drill', `${r.project}, ${r.kind}: promote ${r.role} (${r.targetRegion}) from ${r.sourceRegion}`],
    ['Outcome', r.outcome],
    ['Mode', `${r.requestedMode} → ${r.mode}`],
    ['Faults', r.faults.length === 0 ? 'none' : r.faults.join(', ')],
    [
      'Ran',
      `${r.configFile} · commit ${r.commit.slice(0, 12)}${r.seed === undefined ? '' : ` · seed ${r.seed}`}`,
    ],
    ['Times from', 'the first trigger (the first execution’s start)'],
  ];
}

function figures(r: DrillReport): Fact[] {
  const f = r.incident;
  const out: Fact[] = [
    [
      'RTO (first trigger → traffic)',
      f.rtoSeconds === undefined ? 'none: traffic did not move' : `${seconds(f.rtoSeconds)} s`,
    ],
    ['lower bound', `${fmtSeconds(f.lowerBoundSeconds)} = ${f.lowerBoundShape}`],
  ];
  if (f.ratio !== undefined) out.push(['RTO ÷ lower bound', fmtRatio(f.ratio)]);
  if (r.lostWritesSeconds !== undefined)
    out.push(['writes lost in the promotion', `${r.lostWritesSeconds.toFixed(3)} s`]);
  if (r.s3Replication !== undefined) {
    const s3 = r.s3Replication;
    const split = s3.buckets?.map((b) => `${b.bucket} ${b.pendingAtStart}`).join(', ');
    out.push([
      'S3 backlog at the start',
      `${s3.pendingAtStart} object(s) not yet replicated${split === undefined ? '' : ` (${split})`}`,
    ]);
  }
  out.push(['state transitions', String(r.stateTransitions)]);
  return out;
}

/** Retries per execution and state (the record lists each failed invocation), then the API errors. */
function errorLines(r: DrillReport): string[] {
  const retries = r.executions.flatMap((e) => {
    const counts = new Map<string, number>();
    for (const t of e.transitions.filter((x) => x.type === 'StateRetried')) {
      const name = stepOfState(t.state)?.label ?? t.state;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return [...counts].map(([name, n]) => `- ${e.name} ${name}: ${n} retr${n === 1 ? 'y' : 'ies'}`);
  });
  const api = Object.entries(r.apiErrors).map(([service, n]) => `- ${service}: ${n} API error(s)`);
  return [...retries, ...api];
}

/** The drill report as a run document: the sections and timeline table of a run record. */
export function drillReportDocument(r: DrillReport, records: readonly RunRecordCopy[] = []): RunDocument {
  const left = stateLeftLines(r.stateLeft);
  // The report keeps no readiness, approval or preflight findings of its own: the last record's.
  const last = records[records.length - 1]?.record;
  const fromRecord = (lines: (x: RunRecord) => string[]) =>
    last === undefined ? ['- no run record was written'] : lines(last);
  return {
    title: `Drill report: ${r.project}, ${r.kind} to ${r.targetRegion} (${r.role}), ${r.mode}: ${r.outcome}`,
    summary: summary(r),
    timelines: r.executions.map((e) => ({
      heading: `${e.name}: ${executionLabel(e)}`,
      rows: timelineRows(e),
    })),
    figures: figures(r),
    sections: [
      { heading: SECTION.readiness, lines: fromRecord(readinessLines) },
      { heading: SECTION.approval, lines: fromRecord(approvalLines) },
      { heading: SECTION.alreadyDone, lines: fromRecord(alreadyDoneLines) },
      { heading: SECTION.errors, lines: errorLines(r) },
      {
        heading: SECTION.capacity,
        lines: capacityLines(r.capacityFound).map((l) => (l.startsWith('  ') ? `  - ${l.trim()}` : `- ${l}`)),
      },
      {
        heading: 'Run records written',
        lines: records.map((x) => `- ${x.execution}: ${x.s3Uri} (copied to run-record.md)`),
      },
      {
        heading: SECTION.stateLeft,
        lines: [...left.lines, ...resourceLines(r.stateLeft), ...fenceLines(r.fence)].map(
          (l) => `- ${l.replace(/^\s+/, '')}`,
        ),
      },
    ],
  };
}

/** Write `report.md` (the drill report as a run document) and the run records' copies; returns the paths. */
export function writeRunDocuments(dir: string, r: DrillReport, records: readonly RunRecordCopy[]): string[] {
  mkdirSync(dir, { recursive: true });
  const md = join(dir, 'report.md');
  writeFileSync(md, renderRunMarkdown(drillReportDocument(r, records)));
  return [md, ...writeRunRecordFiles(dir, records)];
}
