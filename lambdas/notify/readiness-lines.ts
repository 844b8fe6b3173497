import type { ReadinessAtStart } from '../shared/contracts';

/** Long causes (a Lambda error payload) are cut: the notice names the error, the history has the rest. */
const CAUSE_LIMIT = 300;

function cut(text: string): string {
  return text.length <= CAUSE_LIMIT ? text : `${text.slice(0, CAUSE_LIMIT - 3)}...`;
}

/**
 * The readiness evaluated at the run's start, for a notice: one line when ready, the red checks
 * (what, why, how to fix) when not, or why it was not evaluated. A run never waits on readiness;
 * this tells the person on call what may go wrong.
 */
export function readinessLines(readiness: ReadinessAtStart | undefined): string[] {
  if (readiness === undefined) return ['Readiness: not evaluated (no report in the run state)'];
  if ('unavailable' in readiness) {
    const { error, cause } = readiness.unavailable;
    return [`Readiness: not evaluated (${cut(cause === '' ? error : `${error}: ${cause}`)})`];
  }
  const where = `${readiness.region} (${readiness.role}), evaluated ${readiness.evaluatedAt}`;
  const lag =
    readiness.replicationLagSeconds === undefined
      ? []
      : [
          `  Replication lag: ${readiness.replicationLagSeconds} s (the data-loss window of an unplanned failover)`,
        ];
  if (readiness.ready)
    return [`Readiness of ${where}: READY (${readiness.checks.length} checks pass)`, ...lag];
  const red = readiness.checks.filter((c) => c.status !== 'PASS');
  return [
    `Readiness of ${where}: NOT READY (${red.length} of ${readiness.checks.length} checks red)`,
    ...red.flatMap((c) => [
      `  - ${c.id} ${c.status}: ${c.what}`,
      ...(c.why === undefined ? [] : [`      why: ${c.why}`]),
      ...(c.fix === undefined ? [] : [`      fix: ${c.fix}`]),
    ]),
    ...lag,
  ];
}
