import type { StepSpan } from './timeline';

export interface TimelineSvgInput {
  readonly title: string;
  readonly steps: readonly StepSpan[];
  readonly rtoSeconds: number;
  readonly criticalPathSeconds: number;
  readonly runbookSeconds?: number;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A Gantt chart of the steps, hand-written SVG: one bar per step, critical-path steps in red, a
 * tick where the AWS operation itself finished, and lines for the simulated RTO and the
 * critical-path lower bound.
 */
export function timelineSvg(input: TimelineSvgInput): string {
  const left = 170;
  const right = 40;
  const width = 960;
  const rowH = 28;
  const top = 58;
  const steps = input.steps;
  const span = Math.max(input.rtoSeconds, input.criticalPathSeconds, ...steps.map((s) => s.end), 1);
  const tickEvery = span > 1800 ? 300 : span > 600 ? 120 : span > 120 ? 60 : 10;
  const end = Math.ceil(span / tickEvery) * tickEvery;
  const plot = width - left - right;
  const x = (t: number) => left + (Math.max(0, t) / end) * plot;
  const height = top + steps.length * rowH + 70;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `<title id="title">${esc(input.title)}: Gantt chart of the failover steps, critical path in red</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(input.title)}</text>`,
    `<text x="${left}" y="40" fill="#444">simulated RTO ${input.rtoSeconds.toFixed(0)} s · critical path ${input.criticalPathSeconds.toFixed(0)} s · ratio ${(input.rtoSeconds / input.criticalPathSeconds).toFixed(3)}${input.runbookSeconds === undefined ? '' : ` · seed runbook ${input.runbookSeconds.toFixed(0)} s`}</text>`,
  );
  for (let t = 0; t <= end; t += tickEvery) {
    const px = x(t).toFixed(1);
    parts.push(
      `<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${top + steps.length * rowH}" stroke="#e4e4e4"/>`,
      `<text x="${px}" y="${top + steps.length * rowH + 16}" text-anchor="middle" fill="#666">${t >= 60 ? `${(t / 60).toFixed(t % 60 === 0 ? 0 : 1)} min` : `${t} s`}</text>`,
    );
  }
  steps.forEach((s, i) => {
    const y = top + i * rowH;
    const w = Math.max(2, x(s.end) - x(s.start));
    const fill = s.onCriticalPath ? '#d9534f' : '#5b8def';
    parts.push(
      `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${esc(s.name)}</text>`,
      `<rect x="${x(s.start).toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3" fill="${fill}"${s.onCriticalPath ? ' stroke="#8b1e1a" stroke-width="1.5"' : ''}><title>${esc(`${s.name}: ${s.start.toFixed(1)} s → ${s.end.toFixed(1)} s${s.onCriticalPath ? ' (critical path)' : ''}`)}</title></rect>`,
      `<text x="${(x(s.end) + 4).toFixed(1)}" y="${y + 17}" fill="#333" font-size="11">${(s.end - s.start).toFixed(0)} s</text>`,
    );
    if (s.actualDoneAt !== undefined) {
      const px = x(s.actualDoneAt).toFixed(1);
      parts.push(
        `<line x1="${px}" y1="${y + 2}" x2="${px}" y2="${y + rowH - 2}" stroke="#111" stroke-width="2"><title>${esc(`AWS operation done at ${s.actualDoneAt.toFixed(1)} s`)}</title></line>`,
      );
    }
  });
  const bottom = top + steps.length * rowH;
  const cp = x(input.criticalPathSeconds).toFixed(1);
  const rto = x(input.rtoSeconds).toFixed(1);
  parts.push(
    `<line x1="${cp}" y1="${top - 10}" x2="${cp}" y2="${bottom}" stroke="#d9534f" stroke-dasharray="5,3" stroke-width="1.5"/>`,
    `<line x1="${rto}" y1="${top - 10}" x2="${rto}" y2="${bottom}" stroke="#111" stroke-width="1.5"/>`,
  );
  const ly = bottom + 38;
  parts.push(
    `<rect x="${left}" y="${ly - 10}" width="14" height="10" fill="#d9534f"/><text x="${left + 20}" y="${ly}">critical path</text>`,
    `<rect x="${left + 120}" y="${ly - 10}" width="14" height="10" fill="#5b8def"/><text x="${left + 140}" y="${ly}">off the critical path</text>`,
    `<line x1="${left + 290}" y1="${ly - 11}" x2="${left + 290}" y2="${ly + 1}" stroke="#111" stroke-width="2"/><text x="${left + 298}" y="${ly}">AWS operation done</text>`,
    `<line x1="${left + 440}" y1="${ly - 5}" x2="${left + 470}" y2="${ly - 5}" stroke="#d9534f" stroke-dasharray="5,3" stroke-width="1.5"/><text x="${left + 476}" y="${ly}">critical-path lower bound</text>`,
    `<line x1="${left + 640}" y1="${ly - 5}" x2="${left + 670}" y2="${ly - 5}" stroke="#111" stroke-width="1.5"/><text x="${left + 676}" y="${ly}">simulated RTO</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
