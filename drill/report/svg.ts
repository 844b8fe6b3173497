import type { StepSpan } from '../analysis/timeline';

/** One execution drawn on the timeline: a header row (when there are several), then its steps. */
export interface SvgExecution {
  readonly name: string;
  /** `SUCCEEDED/PROMOTED`, `FAILED at FlipDns`, ... */
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly failed: boolean;
  readonly steps: readonly StepSpan[];
}

export interface TimelineSvgInput {
  /** Says FAILED (and the step) when the incident failed. */
  readonly title: string;
  /** The incident's one-line figure, exactly as the console and `report.json` print it. */
  readonly headline: string;
  /** Drawn loud under the headline: the state left when it needs someone to act. */
  readonly alert?: readonly string[];
  /** A quieter line under the headline (the seed runbook, for a failover). */
  readonly note?: string;
  readonly executions: readonly SvgExecution[];
  /** Seconds since the first trigger; absent when traffic never reached the writer. */
  readonly rtoSeconds?: number;
  readonly lowerBoundSeconds: number;
  /** When the incident failed (seconds since the first trigger). */
  readonly failedAtSeconds?: number;
}

const COLORS = {
  critical: '#d9534f',
  criticalStroke: '#8b1e1a',
  other: '#5b8def',
  failed: '#7a0b0b',
  execution: '#d8d8d8',
  alert: '#b00020',
} as const;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One drawn row: an execution's header, or a step. */
type Row =
  | { readonly kind: 'execution'; readonly execution: SvgExecution }
  | { readonly kind: 'step'; readonly step: StepSpan };

function rowsOf(executions: readonly SvgExecution[]): Row[] {
  const headers = executions.length > 1;
  return executions.flatMap((execution) => [
    ...(headers ? [{ kind: 'execution' as const, execution }] : []),
    ...execution.steps.map((step) => ({ kind: 'step' as const, step })),
  ]);
}

/** Grid spacing: about six to fifteen labelled ticks whatever the run's length. */
function tickSeconds(span: number): number {
  return span > 3600 ? 600 : span > 1800 ? 300 : span > 600 ? 120 : span > 120 ? 60 : 10;
}

/**
 * A Gantt chart of every execution of the incident, hand-written SVG: one bar per step (critical
 * path in red, the failed step dark and marked), a tick where the AWS operation itself finished,
 * and lines for the RTO (when there is one), the lower bound and the failure.
 */
export function timelineSvg(input: TimelineSvgInput): string {
  const left = 230;
  const right = 60;
  const width = 1020;
  const rowH = 28;
  const alert = input.alert ?? [];
  const top = 76 + alert.length * 18 + (input.note === undefined ? 0 : 16);
  const rows = rowsOf(input.executions);
  const ends = input.executions.flatMap((e) => [e.end, ...e.steps.map((s) => s.end)]);
  const span = Math.max(
    input.rtoSeconds ?? 0,
    input.lowerBoundSeconds,
    input.failedAtSeconds ?? 0,
    ...ends,
    1,
  );
  const tickEvery = tickSeconds(span);
  const end = Math.ceil(span / tickEvery) * tickEvery;
  const plot = width - left - right;
  const x = (t: number) => left + (Math.max(0, t) / end) * plot;
  const bottom = top + rows.length * rowH;
  const height = bottom + 70;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `<title id="title">${esc(input.title)}: ${esc(input.headline)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="20" y="24" font-size="15" font-weight="bold"${input.failedAtSeconds === undefined ? '' : ` fill="${COLORS.alert}"`}>${esc(input.title)}</text>`,
    `<text x="20" y="44" fill="#222">${esc(input.headline)}</text>`,
  );
  let y = 44;
  if (input.note !== undefined) {
    y += 16;
    parts.push(`<text x="20" y="${y}" fill="#666" font-size="11">${esc(input.note)}</text>`);
  }
  for (const line of alert) {
    y += 18;
    parts.push(`<text x="20" y="${y}" fill="${COLORS.alert}" font-weight="bold">${esc(line)}</text>`);
  }
  for (let t = 0; t <= end; t += tickEvery) {
    const px = x(t).toFixed(1);
    parts.push(
      `<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${bottom}" stroke="#e4e4e4"/>`,
      `<text x="${px}" y="${bottom + 16}" text-anchor="middle" fill="#666">${t >= 60 ? `${(t / 60).toFixed(t % 60 === 0 ? 0 : 1)} min` : `${t} s`}</text>`,
    );
  }
  rows.forEach((row, i) => {
    const ry = top + i * rowH;
    if (row.kind === 'execution') {
      const e = row.execution;
      const w = Math.max(2, x(e.end) - x(e.start));
      const color = e.failed ? ` fill="${COLORS.alert}"` : '';
      parts.push(
        `<text x="${left - 8}" y="${ry + 17}" text-anchor="end" font-weight="bold"${color}>${esc(e.name)}</text>`,
        `<rect x="${x(e.start).toFixed(1)}" y="${ry + 12}" width="${w.toFixed(1)}" height="${rowH - 18}" fill="${COLORS.execution}"><title>${esc(`${e.name} ${e.label}: ${e.start.toFixed(1)} s → ${e.end.toFixed(1)} s`)}</title></rect>`,
        `<text x="${x(e.start).toFixed(1)}" y="${ry + 10}" font-size="10"${color}>${esc(e.label)}</text>`,
      );
      return;
    }
    const s = row.step;
    const w = Math.max(2, x(s.end) - x(s.start));
    const fill = s.failed === true ? COLORS.failed : s.onCriticalPath ? COLORS.critical : COLORS.other;
    const stroke = s.onCriticalPath ? ` stroke="${COLORS.criticalStroke}" stroke-width="1.5"` : '';
    const what = `${s.name}: ${s.start.toFixed(1)} s → ${s.end.toFixed(1)} s${s.onCriticalPath ? ' (critical path)' : ''}${s.failed === true ? ' FAILED' : ''}`;
    parts.push(
      `<text x="${left - 8}" y="${ry + 17}" text-anchor="end"${s.failed === true ? ` fill="${COLORS.alert}" font-weight="bold"` : ''}>${esc(s.failed === true ? `✖ ${s.name}` : s.name)}</text>`,
      `<rect x="${x(s.start).toFixed(1)}" y="${ry + 5}" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3" fill="${fill}"${stroke}><title>${esc(what)}</title></rect>`,
      `<text x="${(x(s.end) + 4).toFixed(1)}" y="${ry + 17}" fill="${s.failed === true ? COLORS.alert : '#333'}" font-size="11">${(s.end - s.start).toFixed(0)} s${s.failed === true ? ' FAILED' : ''}</text>`,
    );
    if (s.actualDoneAt !== undefined) {
      const px = x(s.actualDoneAt).toFixed(1);
      parts.push(
        `<line x1="${px}" y1="${ry + 2}" x2="${px}" y2="${ry + rowH - 2}" stroke="#111" stroke-width="2"><title>${esc(`AWS operation done at ${s.actualDoneAt.toFixed(1)} s`)}</title></line>`,
      );
    }
  });
  const lb = x(input.lowerBoundSeconds).toFixed(1);
  parts.push(
    `<line x1="${lb}" y1="${top - 10}" x2="${lb}" y2="${bottom}" stroke="${COLORS.critical}" stroke-dasharray="5,3" stroke-width="1.5"/>`,
  );
  if (input.rtoSeconds !== undefined) {
    const rto = x(input.rtoSeconds).toFixed(1);
    parts.push(
      `<line x1="${rto}" y1="${top - 10}" x2="${rto}" y2="${bottom}" stroke="#111" stroke-width="1.5"/>`,
    );
  }
  if (input.failedAtSeconds !== undefined) {
    const f = x(input.failedAtSeconds).toFixed(1);
    parts.push(
      `<line x1="${f}" y1="${top - 10}" x2="${f}" y2="${bottom}" stroke="${COLORS.alert}" stroke-width="2.5"/>`,
      `<text x="${f}" y="${top - 12}" text-anchor="middle" fill="${COLORS.alert}" font-weight="bold">FAILED</text>`,
    );
  }
  const ly = bottom + 38;
  const legend: string[] = [
    `<rect x="${left}" y="${ly - 10}" width="14" height="10" fill="${COLORS.critical}"/><text x="${left + 20}" y="${ly}">critical path</text>`,
    `<rect x="${left + 110}" y="${ly - 10}" width="14" height="10" fill="${COLORS.other}"/><text x="${left + 130}" y="${ly}">off the critical path</text>`,
    `<line x1="${left + 265}" y1="${ly - 11}" x2="${left + 265}" y2="${ly + 1}" stroke="#111" stroke-width="2"/><text x="${left + 273}" y="${ly}">AWS operation done</text>`,
    `<line x1="${left + 400}" y1="${ly - 5}" x2="${left + 430}" y2="${ly - 5}" stroke="${COLORS.critical}" stroke-dasharray="5,3" stroke-width="1.5"/><text x="${left + 436}" y="${ly}">lower bound</text>`,
    input.failedAtSeconds === undefined
      ? `<line x1="${left + 530}" y1="${ly - 5}" x2="${left + 560}" y2="${ly - 5}" stroke="#111" stroke-width="1.5"/><text x="${left + 566}" y="${ly}">RTO</text>`
      : `<rect x="${left + 530}" y="${ly - 10}" width="14" height="10" fill="${COLORS.failed}"/><text x="${left + 550}" y="${ly}">failed step</text>`,
  ];
  parts.push(...legend, '</svg>');
  return `${parts.join('\n')}\n`;
}
