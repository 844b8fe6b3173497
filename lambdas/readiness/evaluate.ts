import {
  READINESS_CHECK_IDS,
  type ReadinessCheck,
  type ReadinessCheckId,
  type ReadinessReport,
} from '../shared/readiness-contract';
import { withTimeout } from '../shared/timeout';
import { CHECKS } from './checks';
import { type CheckOutcome, type LagReading, outcomeOf, partOfError } from './outcome';
import { type ReadinessClients, ReadinessReads } from './reads';
import type { ReadinessSettings } from './settings';

/**
 * How long one check may take. The checks run concurrently, so an evaluation takes about this long
 * at most: the Lambda's timeout must exceed it (with room for the metric), and a throttled API
 * turns its checks UNKNOWN instead of stalling the start of a run.
 */
export const CHECK_TIMEOUT_MS = 10_000;

/** Run one check within `timeoutMs`; a timeout or a failed read becomes its UNKNOWN finding. */
export async function runCheck(
  id: ReadinessCheckId,
  settings: ReadinessSettings,
  reads: ReadinessReads,
  timeoutMs: number,
): Promise<CheckOutcome> {
  const spec = CHECKS[id];
  try {
    return await withTimeout(() => spec.run(settings, reads), timeoutMs, `readiness check ${id}`);
  } catch (err: unknown) {
    return outcomeOf(id, spec.what(settings), partOfError(err));
  }
}

/**
 * Longest `what`, `why` or `fix` kept: 10 checks × 3 × 2000 characters stay far below the 256 KB a
 * state machine's payload may carry (the run carries the report into notices and the run record).
 */
export const MAX_FIELD_CHARS = 2000;

const capped = (text: string) =>
  text.length <= MAX_FIELD_CHARS ? text : `${text.slice(0, MAX_FIELD_CHARS - 1)}…`;

function findingOf(o: CheckOutcome): ReadinessCheck {
  return {
    id: o.id,
    status: o.status,
    what: capped(o.what),
    ...(o.why !== undefined ? { why: capped(o.why) } : {}),
    ...(o.fix !== undefined ? { fix: capped(o.fix) } : {}),
  };
}

/**
 * Evaluate whether this region (`settings.targetRegion`) could be promoted now: every check of
 * {@link READINESS_CHECK_IDS} runs concurrently, read-only, each within {@link CHECK_TIMEOUT_MS}
 * (a timeout or a failed read makes it UNKNOWN, never throws). Ready when every check is PASS.
 */
export async function evaluateReadiness(
  settings: ReadinessSettings,
  clients: ReadinessClients,
  now: () => Date,
  timeoutMs: number = CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const evaluatedAt = now().toISOString();
  const reads = new ReadinessReads(settings, clients, now);
  const outcomes = await Promise.all(
    READINESS_CHECK_IDS.map((id) => runCheck(id, settings, reads, timeoutMs)),
  );
  const lag: LagReading | undefined = outcomes.find((o) => o.replicationLag !== undefined)?.replicationLag;
  return {
    role: settings.targetRole,
    region: settings.targetRegion,
    evaluatedAt,
    ready: outcomes.every((o) => o.status === 'PASS'),
    checks: outcomes.map(findingOf),
    ...(lag !== undefined ? { replicationLagSeconds: lag.seconds, replicationLagAt: lag.at } : {}),
  };
}
