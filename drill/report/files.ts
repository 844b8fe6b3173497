import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectionNote } from '../runner/detection';
import { executionLabel } from './console';
import { fmtSeconds, stateLeftLines } from './figures';
import { writeRunDocuments } from './run-records';
import { type TimelineSvgInput, timelineSvg } from './svg';
import type { DrillReport } from './types';

/** A drill's files: `report.json`, `timeline.svg`, and the handlers' logs. */

/** The title of the timeline: what was promoted, and FAILED with the step when it failed. */
export function timelineTitle(r: DrillReport): string {
  const what = `${r.project}: ${r.kind} to ${r.targetRegion} (${r.role}), ${r.mode}`;
  const failed =
    r.incident.result === 'FAILED' ? ` — FAILED at ${r.incident.failedStep ?? 'an unknown step'}` : '';
  const faults = r.faults.length > 0 ? ` · faults: ${r.faults.join(', ')}` : '';
  return `${what}${failed}${faults}`;
}

/** What the timeline draws, from the report's values. */
export function timelineInput(r: DrillReport): TimelineSvgInput {
  const f = r.incident;
  const left = stateLeftLines(r.stateLeft);
  return {
    title: timelineTitle(r),
    headline: f.headline,
    ...(left.loud ? { alert: left.lines.filter((l) => l.startsWith('!!!')) } : {}),
    ...(r.runbook === undefined && r.detection === undefined
      ? {}
      : {
          note: [
            ...(r.detection === undefined ? [] : [detectionNote(r.detection)]),
            ...(r.runbook === undefined
              ? []
              : [`seed runbook under the same timings: ${fmtSeconds(r.runbook.rtoSeconds)}`]),
          ].join(' · '),
        }),
    executions: r.executions.map((e) => ({
      name: e.name,
      label: executionLabel(e),
      start: e.start,
      end: e.end,
      failed: e.status !== 'SUCCEEDED',
      steps: e.steps.map((s) => ({
        name: s.name,
        start: s.start,
        end: s.end,
        onCriticalPath: s.criticalPath,
        ...(s.actualDoneAt === undefined ? {} : { actualDoneAt: s.actualDoneAt }),
        ...(s.failed === true ? { failed: true } : {}),
      })),
    })),
    ...(f.rtoSeconds === undefined ? {} : { rtoSeconds: f.rtoSeconds }),
    lowerBoundSeconds: f.lowerBoundSeconds,
    ...(f.failedAfterSeconds === undefined ? {} : { failedAtSeconds: f.failedAfterSeconds }),
  };
}

/**
 * Write `report.json` and `timeline.svg` to `dir`; for a single drill (handlers' logs given) also
 * the logs, `report.md` and the run records (`run-record.md|.json`). Returns the paths.
 */
export function writeReportFiles(dir: string, r: DrillReport, handlerOutput?: readonly string[]): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const svg = join(dir, 'timeline.svg');
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(svg, timelineSvg(timelineInput(r)));
  if (handlerOutput === undefined) return [json, svg];
  const documents = writeRunDocuments(dir, r, r.runRecords ?? []);
  const logs = join(dir, 'lambda-logs.jsonl');
  writeFileSync(logs, handlerOutput.length > 0 ? `${handlerOutput.join('\n')}\n` : '');
  return [json, svg, ...documents, logs];
}
