/**
 * The readable form of a run, shared by the run record a real execution writes
 * (`lambdas/record-run`) and the drill's `report.md` (`drill/report/run-records.ts`): the same sections in
 * the same order and the same timeline table, so a drill and a real run compare side by side.
 * Every time is in seconds since the run's origin (the triggering alarm, else the first start).
 */

/** One row of the timeline: a step (every Task state of it merged) or another Task state. */
export interface TimelineRow {
  readonly name: string;
  /** Seconds since the origin. */
  readonly start: number;
  readonly end: number;
  /** Lambda invocations, retries included (absent when not known, as in the drill's report). */
  readonly attempts?: number;
  /** Invocations that failed or timed out (retried or not). */
  readonly errors?: number;
  /** The step the run failed at. */
  readonly failed?: boolean;
  /** Anything else worth a glance (on the critical path, when AWS finished the work). */
  readonly notes?: readonly string[];
}

/** One run in a document: its heading (name and how it ended) and its timeline. */
export interface RunTimeline {
  readonly heading: string;
  readonly rows: readonly TimelineRow[];
}

/** A section of free lines (readiness, approval, state left). */
export interface RunSection {
  readonly heading: string;
  readonly lines: readonly string[];
}

/** A label and its value, one line each in the summary and the figures. */
export type Fact = readonly [label: string, value: string];

/** What a run's Markdown shows, in this order. */
export interface RunDocument {
  readonly title: string;
  readonly summary: readonly Fact[];
  readonly timelines: readonly RunTimeline[];
  /** RTO, the replication lag at the decision, retries and errors. */
  readonly figures: readonly Fact[];
  /** The sections after the figures; the state left comes last, whoever builds the document. */
  readonly sections: readonly RunSection[];
}

/** The section names both documents use, so they line up. */
export const SECTION = {
  summary: 'Summary',
  timeline: 'Timeline',
  figures: 'Figures',
  readiness: 'Readiness at start',
  approval: 'Approval',
  alreadyDone: 'Already done',
  errors: 'Errors and retries',
  capacity: 'Capacity',
  stateLeft: 'State left',
} as const;

/** Seconds as the table shows them: to a tenth, as the drill's console does. */
export function seconds(s: number): string {
  return (Math.round(s * 10) / 10).toFixed(1);
}

/** A Markdown table cell: pipes escaped, line breaks flattened. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The timeline as a Markdown table. */
export function timelineTable(rows: readonly TimelineRow[]): string[] {
  const lines = [
    '| step | start s | end s | took s | attempts | errors | notes |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const notes = [...(r.failed === true ? ['✖ FAILED'] : []), ...(r.notes ?? [])].join('; ');
    lines.push(
      `| ${cell(r.name)} | ${seconds(r.start)} | ${seconds(r.end)} | ${seconds(r.end - r.start)} | ${r.attempts ?? ''} | ${r.errors ?? ''} | ${cell(notes)} |`,
    );
  }
  return lines;
}

function facts(list: readonly Fact[]): string[] {
  return list.map(([label, value]) => `- **${cell(label)}:** ${value}`);
}

/** The document as Markdown. */
export function renderRunMarkdown(doc: RunDocument): string {
  const out: string[] = [`# ${doc.title}`, '', `## ${SECTION.summary}`, '', ...facts(doc.summary), ''];
  out.push(`## ${SECTION.timeline}`, '');
  for (const t of doc.timelines) out.push(`### ${t.heading}`, '', ...timelineTable(t.rows), '');
  out.push(`## ${SECTION.figures}`, '', ...facts(doc.figures), '');
  for (const s of doc.sections) {
    out.push(`## ${s.heading}`, '', ...(s.lines.length > 0 ? s.lines : ['- none']), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
