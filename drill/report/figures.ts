import type { Incident, IncidentKind, IncidentResult } from '../analysis/incident';
import type { DatabaseMemberState, StateLeft } from '../analysis/state';

/**
 * The one formatter of a drill's figures. `report.json` stores each figure rounded here; the
 * console, the SVG and the sweep print those stored values through the same functions, so a figure
 * reads the same wherever it appears.
 */

/** Seconds are shown to a tenth: the virtual clock's coarsest modeled latency is ~0.01 s. */
const SECONDS_DIGITS = 1;
/** Ratios to a thousandth: issue 9's goals are stated to two decimals (1.03, 1.05). */
const RATIO_DIGITS = 3;

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A duration as stored in the report. */
export function roundSeconds(s: number): number {
  return round(s, SECONDS_DIGITS);
}

/** A ratio as stored in the report. */
export function roundRatio(r: number): number {
  return round(r, RATIO_DIGITS);
}

/** A sub-second quantity (a model timing, writes lost) as stored: to the millisecond. */
export function roundMillis(s: number): number {
  return round(s, 3);
}

/** `789.4 s` */
export function fmtSeconds(s: number): string {
  return `${roundSeconds(s).toFixed(SECONDS_DIGITS)} s`;
}

/** `1.012` */
export function fmtRatio(r: number): string {
  return roundRatio(r).toFixed(RATIO_DIGITS);
}

/** The incident's figures as `report.json` stores them (rounded), with the headline they print as. */
export interface IncidentFigures {
  readonly kind: IncidentKind;
  readonly result: IncidentResult;
  /** {@link headline} of these figures: what the console, the SVG and the sweep print. */
  readonly headline: string;
  /** First trigger → traffic at the writer; absent when traffic never got there (no RTO). */
  readonly rtoSeconds?: number;
  readonly recoveredBy?: string;
  readonly lowerBoundSeconds: number;
  readonly lowerBoundShape: string;
  readonly lowerBoundBranch: string;
  readonly lowerBoundParts: Readonly<Record<string, number>>;
  /** With several databases or services: the slowest of each kind, whose paths the bound takes. */
  readonly lowerBoundSlowest?: { readonly database?: string; readonly service?: string };
  /** Of `lowerBoundParts.dns`: the wait for the end of the minute the bound claims traffic in. */
  readonly lowerBoundClaimMinuteWaitSeconds?: number;
  /** RTO ÷ lower bound, only for one uninterrupted run. */
  readonly ratio?: number;
  readonly failedExecution?: string;
  readonly failedStep?: string;
  readonly failedError?: string;
  /** First trigger → end of the failed execution (FAILED only): the time to failure. */
  readonly failedAfterSeconds?: number;
  readonly noActionOutcome?: string;
  readonly executions: number;
  readonly failedExecutions: number;
  readonly endedAfterSeconds: number;
  readonly transitions: number;
}

/** The one-line figure of an incident. */
export function headline(f: Omit<IncidentFigures, 'headline'>): string {
  const parts: string[] = [];
  if (f.result === 'RECOVERED' && f.rtoSeconds !== undefined) {
    const after =
      f.failedExecutions > 0
        ? ` from the first trigger, after ${f.failedExecutions} failed run${f.failedExecutions > 1 ? 's' : ''}`
        : '';
    parts.push(`${f.kind} RTO ${fmtSeconds(f.rtoSeconds)}${after}`);
    parts.push(`lower bound ${fmtSeconds(f.lowerBoundSeconds)}`);
    if (f.ratio !== undefined) parts.push(`ratio ${fmtRatio(f.ratio)}`);
  } else if (f.result === 'FAILED') {
    parts.push(
      `${f.kind} FAILED at ${f.failedStep ?? 'an unknown step'} after ${fmtSeconds(f.failedAfterSeconds ?? f.endedAfterSeconds)}`,
    );
    parts.push('no RTO: traffic never reached the writer');
  } else {
    parts.push(
      `${f.kind}: no action (${f.noActionOutcome ?? 'nothing done'}) after ${fmtSeconds(f.endedAfterSeconds)}`,
    );
    parts.push('no RTO');
  }
  return parts.join(' · ');
}

/** The stored figures of `incident`. */
export function incidentFigures(incident: Incident, executions: number): IncidentFigures {
  const lb = incident.lowerBound;
  const failure = incident.result === 'FAILED' ? incident.failure : undefined;
  const figures = {
    kind: incident.kind,
    result: incident.result,
    ...(incident.rtoSeconds === undefined ? {} : { rtoSeconds: roundSeconds(incident.rtoSeconds) }),
    ...(incident.recoveredBy === undefined ? {} : { recoveredBy: incident.recoveredBy }),
    lowerBoundSeconds: roundSeconds(lb.seconds),
    lowerBoundShape: lb.shape,
    lowerBoundBranch: lb.branch,
    lowerBoundParts: Object.fromEntries(Object.entries(lb.parts).map(([k, v]) => [k, roundSeconds(v)])),
    ...(lb.slowest === undefined ? {} : { lowerBoundSlowest: lb.slowest }),
    lowerBoundClaimMinuteWaitSeconds: roundSeconds(lb.claimMinuteWaitSeconds),
    ...(incident.ratio === undefined ? {} : { ratio: roundRatio(incident.ratio) }),
    ...(failure === undefined
      ? {}
      : {
          failedExecution: failure.execution,
          ...(failure.step === undefined ? {} : { failedStep: failure.step }),
          ...(failure.error === undefined ? {} : { failedError: failure.error }),
          failedAfterSeconds: roundSeconds(failure.afterSeconds),
        }),
    ...(incident.noActionOutcome === undefined ? {} : { noActionOutcome: incident.noActionOutcome }),
    executions,
    failedExecutions: incident.failures.length,
    endedAfterSeconds: roundSeconds(incident.endedAfterSeconds),
    transitions: incident.transitions,
  };
  return { ...figures, headline: headline(figures) };
}

/** The state-left lines of a report: loud (first, marked) when the database and traffic are apart. */
export function stateLeftLines(
  s: Pick<StateLeft, 'split' | 'splitPending' | 'summary' | 'finishCommand' | 'inFlight'>,
): {
  readonly loud: boolean;
  readonly lines: readonly string[];
} {
  const loud = s.split || s.splitPending;
  const lines = [
    loud ? `!!! ${s.summary}` : `State left: ${s.summary}`,
    ...(s.finishCommand === undefined ? [] : [`!!! Finish the job: ${s.finishCommand}`]),
    ...s.inFlight.map((x) => `    still running: ${x}`),
  ];
  return { loud, lines };
}

/** The instances a drill created in one member, with their classes: ` (created x as db.r7g.large, fallback)`. */
function createdNote(created: DatabaseMemberState['created']): string {
  if (created === undefined) return '';
  const each = created.map((c) => `${c.id} ${c.instanceClass}${c.fallback ? ' (fallback)' : ''}`);
  return ` (created: ${each.join(', ')})`;
}

/**
 * One line per resource of the state left: each global database (where it writes, each member's
 * instances, what moved it and what that lost) and each service (desired, running and healthy in
 * each region).
 */
export function resourceLines(s: Pick<StateLeft, 'databases' | 'services'>): readonly string[] {
  const databases = s.databases.map((d) => {
    const writer =
      d.writerRegion === undefined
        ? 'NO SINGLE WRITER'
        : `writes in ${d.writerRegion} (${d.writerRole ?? '?'})`;
    const members = d.members.map(
      (m) =>
        `${m.region} (${m.role}) ${m.instances.available} instance(s) available${m.instances.creating > 0 ? `, ${m.instances.creating} creating` : ''}${createdNote(m.created)}`,
    );
    const moved =
      d.modeUsed === undefined
        ? 'not moved'
        : `${d.modeUsed} (${d.modeUsed === 'planned' ? 'switchover' : 'failover'}), ${(d.lostWritesSeconds ?? 0).toFixed(3)} s of writes lost`;
    return `Database ${d.name}: ${[writer, ...members, moved].join(' · ')}`;
  });
  const services = s.services.map((x) => {
    const routed = x.hostnames.length === 0 ? '' : ` (${x.hostnames.join(', ')})`;
    const regions = x.regions.map(
      (r) =>
        `${r.region} (${r.role}) ${r.running}/${r.desired} running${r.healthy === undefined ? '' : `, ${r.healthy} healthy`}${r.stable ? '' : ', not stable'}`,
    );
    return `Service ${x.name}${routed}: ${regions.join(' · ')}`;
  });
  return [...databases, ...services];
}
