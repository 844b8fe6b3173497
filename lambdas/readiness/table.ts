import type { ReadinessCheck, ReadinessReport } from '../shared/readiness-contract';

/** Column widths of the wrapped columns; the check and status columns fit their longest value. */
export const TABLE_WIDTHS: { readonly what: number; readonly detail: number } = { what: 56, detail: 72 };
/** A reason longer than this is cut in the one-line summary (notices have little room). */
const LINE_REASON_CHARS = 100;

/** Split `text` into lines of at most `width` characters, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let w = word;
    while (w.length > width) {
      if (line !== '') {
        lines.push(line);
        line = '';
      }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= width) line = `${line} ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

function detailLines(c: ReadinessCheck, width: number): string[] {
  return [
    ...(c.why !== undefined ? wrap(`why: ${c.why}`, width) : []),
    ...(c.fix !== undefined ? wrap(`fix: ${c.fix}`, width) : []),
  ];
}

/** `READY` or `NOT READY (n of m checks not PASS)`. */
export function verdict(report: ReadinessReport): string {
  if (report.ready) return 'READY';
  const red = report.checks.filter((c) => c.status !== 'PASS').length;
  return `NOT READY (${red} of ${report.checks.length} checks not PASS)`;
}

/**
 * The report as a plain-text table a person reads in a terminal, a notice or the README: a header
 * line (role, region, time, verdict, the replication lag when read), then one row per finding
 * (check | status | what | why / fix), long cells wrapped: a check run per database or service has
 * a row per entry, its `what` starting with the entry (`database orders: …`).
 */
export function renderReadinessTable(report: ReadinessReport, widths = TABLE_WIDTHS): string {
  const header = `Readiness of ${report.role} (${report.region}) at ${report.evaluatedAt}: ${verdict(report)}`;
  const lag =
    report.replicationLagSeconds !== undefined
      ? [`Replication lag: ${report.replicationLagSeconds} s at ${report.replicationLagAt ?? '?'}`]
      : [];
  const checkWidth = Math.max('check'.length, ...report.checks.map((c) => c.id.length));
  const statusWidth = Math.max('status'.length, ...report.checks.map((c) => c.status.length));
  const row = (cells: readonly string[]) => {
    const line = [(cells[0] ?? '').padEnd(checkWidth), (cells[1] ?? '').padEnd(statusWidth)];
    // A row without detail ends at its what: no trailing separator.
    if (cells[3]) line.push((cells[2] ?? '').padEnd(widths.what), cells[3]);
    else line.push(cells[2] ?? '');
    return line.join(' | ').trimEnd();
  };
  const rule = [
    '-'.repeat(checkWidth),
    '-'.repeat(statusWidth),
    '-'.repeat(widths.what),
    '-'.repeat(widths.detail),
  ].join('-+-');
  const body = report.checks.flatMap((c) => {
    const what = wrap(c.what, widths.what);
    const detail = detailLines(c, widths.detail);
    const height = Math.max(what.length, detail.length);
    return Array.from({ length: height }, (_, i) =>
      row([i === 0 ? c.id : '', i === 0 ? c.status : '', what[i] ?? '', detail[i] ?? '']),
    );
  });
  return [header, ...lag, '', row(['check', 'status', 'what', 'why / fix']), rule, ...body].join('\n');
}

/** A finding's `what` starts with the entry it is about when the check runs per database or service. */
const ENTRY = /^((?:database|service) [^:]+): /;

/** `database orders` or `service api` when the finding is about one entry; undefined for the region. */
export function entryOf(check: ReadinessCheck): string | undefined {
  return ENTRY.exec(check.what)?.[1];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * One line for notices: `ready: all 10 checks PASS`, or
 * `not ready: instance-class (database orders: db.r6g.large is not orderable in us-west-2c), quotas (UNKNOWN: …)`.
 */
export function redChecksLine(report: ReadinessReport): string {
  const red = report.checks.filter((c) => c.status !== 'PASS');
  if (red.length === 0) return `ready: all ${report.checks.length} checks PASS`;
  const items = red.map((c) => {
    const entry = entryOf(c);
    const reason = cut(c.why ?? c.what.replace(ENTRY, ''), LINE_REASON_CHARS);
    return `${c.id} (${entry === undefined ? '' : `${entry}: `}${c.status === 'UNKNOWN' ? 'UNKNOWN: ' : ''}${reason})`;
  });
  return `not ready: ${items.join(', ')}`;
}
