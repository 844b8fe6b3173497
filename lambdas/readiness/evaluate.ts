import {
  READINESS_CHECK_IDS,
  type ReadinessCheck,
  type ReadinessCheckId,
  type ReadinessReport,
} from '../shared/readiness-contract';
import { withTimeout } from '../shared/timeout';
import type { ReadinessCheckSpec } from './check-spec';
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

/** One finding to produce: a check of the region, or of one database or service (`label`). */
interface FindingWork {
  /** `database orders`, `service api`; undefined for a check of the region. */
  readonly label?: string;
  readonly what: () => string;
  readonly run: () => Promise<CheckOutcome>;
}

function findingsOf(
  spec: ReadinessCheckSpec,
  settings: ReadinessSettings,
  reads: ReadinessReads,
): FindingWork[] {
  switch (spec.scope) {
    case 'region':
      return [{ what: () => spec.what(settings), run: () => spec.run(settings, reads) }];
    case 'database':
      return settings.databases.map((db) => ({
        label: `database ${db.name}`,
        what: () => spec.what(settings, db),
        run: () => spec.run(settings, reads, db),
      }));
    case 'service':
      return settings.services.map((svc) => ({
        label: `service ${svc.name}`,
        what: () => spec.what(settings, svc),
        run: () => spec.run(settings, reads, svc),
      }));
  }
}

/**
 * Run one check within `timeoutMs`: one finding for a check of the region, one per database or
 * service (in config order, its `what` starting with the entry, `database orders: …`) for the
 * others. A timeout or a failed read becomes that finding's UNKNOWN.
 */
export async function runCheck(
  id: ReadinessCheckId,
  settings: ReadinessSettings,
  reads: ReadinessReads,
  timeoutMs: number,
): Promise<CheckOutcome[]> {
  return Promise.all(
    findingsOf(CHECKS[id], settings, reads).map(async (f) => {
      const label = f.label === undefined ? '' : ` (${f.label})`;
      let outcome: CheckOutcome;
      try {
        outcome = await withTimeout(() => f.run(), timeoutMs, `readiness check ${id}${label}`);
      } catch (err: unknown) {
        outcome = outcomeOf(id, f.what(), partOfError(err));
      }
      return f.label === undefined ? outcome : { ...outcome, what: `${f.label}: ${outcome.what}` };
    }),
  );
}

/**
 * Longest `what`, `why` or `fix` kept. A report has at most 31 findings (3 database checks × 5
 * databases, 1 service check × 10 services, 6 checks of the region): even with every field at the
 * cap, 31 × 3 × 2000 characters stay below the 256 KB a state machine's payload may carry (the run
 * carries the report into notices and the run record); real findings are a few hundred characters.
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
 * {@link READINESS_CHECK_IDS} runs concurrently, read-only, each finding within
 * {@link CHECK_TIMEOUT_MS} (a timeout or a failed read makes it UNKNOWN, never throws); the
 * database checks once per database, the service checks once per service. Ready when every finding
 * is PASS. The report's replication lag is the largest of the databases' (the data-loss window).
 */
export async function evaluateReadiness(
  settings: ReadinessSettings,
  clients: ReadinessClients,
  now: () => Date,
  timeoutMs: number = CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const evaluatedAt = now().toISOString();
  const reads = new ReadinessReads(settings, clients, now);
  const outcomes = (
    await Promise.all(READINESS_CHECK_IDS.map((id) => runCheck(id, settings, reads, timeoutMs)))
  ).flat();
  const lag = outcomes
    .map((o) => o.replicationLag)
    .filter((l): l is LagReading => l !== undefined)
    .reduce<LagReading | undefined>(
      (worst, l) => (worst === undefined || l.seconds > worst.seconds ? l : worst),
      undefined,
    );
  return {
    role: settings.targetRole,
    region: settings.targetRegion,
    evaluatedAt,
    ready: outcomes.every((o) => o.status === 'PASS'),
    checks: outcomes.map(findingOf),
    ...(lag !== undefined ? { replicationLagSeconds: lag.seconds, replicationLagAt: lag.at } : {}),
  };
}
