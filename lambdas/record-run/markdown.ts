import { resourceLine } from '../shared/resource-lines';
import { type Fact, type RunDocument, renderRunMarkdown, SECTION, seconds } from '../shared/run-timeline';
import { POLLED_STEP_KEYS, STEPS } from '../shared/steps';
import type { RunRecord } from './record';

/** The record's readable form: the drill report's sections and timeline table (`lambdas/shared/run-timeline.ts`). */

/** `PROMOTED`, `FAILED at FlipDns (WaitTimeoutError)`, `NO_ACTION (COOL_DOWN)`. */
export function outcomeLabel(r: RunRecord): string {
  const o = r.outcome;
  if (o.result === 'FAILED') {
    return `FAILED${o.failedStep === undefined ? '' : ` at ${o.failedStep}`}${o.error === undefined ? '' : ` (${o.error})`}`;
  }
  if (o.result === 'NO_ACTION') return `NO_ACTION${o.status === undefined ? '' : ` (${o.status})`}`;
  return o.result;
}

function summary(r: RunRecord): Fact[] {
  const out: Fact[] = [
    ['Execution', `${r.execution.name} (${r.execution.arn})`],
    ['Outcome', outcomeLabel(r)],
    ['Region', `${r.region}${r.sourceRegion === undefined ? '' : ` (from ${r.sourceRegion})`}`],
    ['Mode', `${r.mode.requested ?? '?'} → ${r.mode.used ?? '?'}`],
    ['Reason', r.reason ?? 'not given'],
    [
      'Trigger',
      r.trigger === undefined
        ? 'started directly (no alarm in the input)'
        : `${r.trigger.source}${r.trigger.alarmName === undefined ? '' : ` ${r.trigger.alarmName}`}${r.trigger.alarmAt === undefined ? '' : ` at ${r.trigger.alarmAt}`}`,
    ],
    ['Started', r.execution.startedAt],
    ['Times from', `${r.origin.from === 'alarm' ? 'the alarm' : 'the start'} (${r.origin.at})`],
  ];
  if (r.outcome.message !== undefined) out.push(['Preflight', r.outcome.message]);
  if (r.outcome.cause !== undefined) out.push(['Cause', r.outcome.cause]);
  return out;
}

function figures(r: RunRecord): Fact[] {
  return [
    [
      `RTO (${r.origin.from === 'alarm' ? 'alarm' : 'start'} → traffic)`,
      r.rto === undefined
        ? 'none: traffic did not move in this run'
        : `${seconds(r.rto.seconds)} s (${STEPS.dns.label} reported traffic at ${r.region} at ${r.rto.trafficMovedAt})`,
    ],
    [
      'replication lag at the decision',
      r.replicationLag === undefined
        ? 'not measured (no readiness report at the start)'
        : `${seconds(r.replicationLag.seconds)} s${r.replicationLag.at === undefined ? '' : ` (measured ${r.replicationLag.at})`}`,
    ],
    ['retries', String(r.errors.retries)],
    ['failed invocations', String(r.errors.failedInvocations.length)],
  ];
}

/** The readiness-at-start section's lines (the drill's report.md shows them from its record too). */
export function readinessLines(r: RunRecord): string[] {
  const x = r.readiness;
  if (x === undefined) return ['- no readiness report at the start'];
  if (x.unavailable !== undefined) return [`- not evaluated at the start (${x.unavailable})`];
  return [
    `- ${x.ready ? 'ready' : 'NOT READY'}: ${x.checks - x.notPassing.length} of ${x.checks} checks passed${x.evaluatedAt === undefined ? '' : ` (evaluated ${x.evaluatedAt})`}`,
    ...x.notPassing.map(
      (c) =>
        `- ${c.status} ${c.id}: ${c.what}${c.why === undefined ? '' : ` — ${c.why}`}${c.fix === undefined ? '' : ` (fix: ${c.fix})`}`,
    ),
  ];
}

export function approvalLines(r: RunRecord): string[] {
  const a = r.approval;
  if (a === undefined) return ['- none asked for this run'];
  return [
    `- ${a.decision}${a.by === undefined ? '' : ` by ${a.by}`}${a.at === undefined ? '' : ` at ${a.at}`}${a.reason === undefined ? '' : `: ${a.reason}`}`,
  ];
}

export function alreadyDoneLines(r: RunRecord): string[] {
  const done = r.alreadyDone;
  if (done === undefined) return ['- not known (preflight did not report)'];
  const found = POLLED_STEP_KEYS.filter((k) => done[k] === true).map((k) => STEPS[k].label);
  return [found.length === 0 ? '- nothing: every step ran' : `- ${found.join(', ')} (skipped by this run)`];
}

function errorLines(r: RunRecord): string[] {
  return r.errors.failedInvocations.map(
    (f) =>
      `- ${f.at} ${f.state}: ${f.type}${f.error === undefined ? '' : ` ${f.error}`}${f.cause === undefined ? '' : ` — ${f.cause}`}`,
  );
}

/** What the run fell short of (refusals, substitutes, services below target), one line each. */
function shortfallSection(r: RunRecord): string[] {
  // Records written before the field existed have none.
  const lines = r.shortfall ?? [];
  return lines.length === 0 ? ['- no capacity shortfall reported'] : lines.map((l) => `- ${l}`);
}

function stateLeftLines(r: RunRecord): string[] {
  const s = r.stateLeft;
  const lines = [
    `- database writer: ${s.writerRegion === undefined ? 'not moved by this run (the promotion did not report done)' : `${s.writerRegion} (the promotion reported done)`}`,
    `- name answers: ${s.nameAnswers === undefined ? 'not read by this run' : s.nameAnswers.join(', ')}`,
  ];
  if (s.fence !== undefined) {
    lines.push(`- fence: ${s.fence.state}`, ...s.fence.done.map((d) => `  - done: ${d}`));
    lines.push(...s.fence.commands.map((c) => `  - to do: \`${c}\``));
  }
  lines.push(...s.capacity.map((c) => `- ${c}`));
  const steps = Object.entries(s.resources ?? {});
  if (steps.length > 0) {
    lines.push(
      '- per resource:',
      ...steps.flatMap(([step, resources]) => resources.map((x) => `  - ${step}: ${resourceLine(x)}`)),
    );
  }
  const lossy = (s.databaseModes ?? []).filter((d) => d.dataLossAllowed).map((d) => `database ${d.name}`);
  if (lossy.length > 0) lines.push(`- data loss allowed (unplanned failover) for: ${lossy.join(', ')}`);
  if (s.s3PendingOperations !== undefined) {
    lines.push(`- S3 operations not yet replicated from the region left: ${s.s3PendingOperations}`);
  }
  if (r.history.truncated)
    lines.push('- the execution history was cut at the page cap: the timeline may be incomplete');
  return lines;
}

/** The record as a run document. */
export function recordDocument(r: RunRecord): RunDocument {
  return {
    title: `Run record: ${r.execution.stateMachine}, ${r.execution.name}: ${outcomeLabel(r)}`,
    summary: summary(r),
    timelines: [
      {
        heading: `${r.execution.name}: ${outcomeLabel(r)}`,
        rows: r.timeline.map((s) => ({
          name: s.name,
          start: s.start,
          end: s.end,
          attempts: s.attempts,
          errors: s.errors,
          failed: s.failed,
          ...(s.retries > 0 ? { notes: [`${s.retries} retr${s.retries === 1 ? 'y' : 'ies'}`] } : {}),
        })),
      },
    ],
    figures: figures(r),
    sections: [
      { heading: SECTION.readiness, lines: readinessLines(r) },
      { heading: SECTION.approval, lines: approvalLines(r) },
      { heading: SECTION.alreadyDone, lines: alreadyDoneLines(r) },
      { heading: SECTION.errors, lines: errorLines(r) },
      { heading: SECTION.capacity, lines: shortfallSection(r) },
      { heading: SECTION.stateLeft, lines: stateLeftLines(r) },
    ],
  };
}

/** The record's Markdown. */
export function recordMarkdown(r: RunRecord): string {
  return renderRunMarkdown(recordDocument(r));
}
