import { type DnsTarget, hostnamesAnswer } from '../flip-dns/progress';
import {
  type FailoverMode,
  type PreflightStatus,
  type ResolvedMode,
  STEP_NAMES,
  type StepName,
} from '../shared/contracts';
import { SourceUnreachableError } from '../shared/errors';
import { nameList } from '../shared/name-list';
import type { DatabaseOf, ServiceOf } from '../shared/resources';
import { PROMOTION_GOAL_KEYS } from '../shared/steps';
import type { AlreadyDone } from './already-done';

/** What the plan names: every database and service, in config order, and the hostnames. */
export interface PlanSettings extends DnsTarget {
  readonly targetRegion: string;
  readonly sourceRegion: string;
  readonly asgMinCapacity: number;
  readonly databases: readonly DatabaseOf<'globalClusterId' | 'clusterId' | 'instanceCount'>[];
  readonly services: readonly ServiceOf<'ecsService' | 'desiredCount'>[];
}

/** The decision once the guards have let the execution through. */
export interface Plan {
  readonly status: Extract<PreflightStatus, 'PROCEED' | 'DRY_RUN' | 'ALREADY_PROMOTED'>;
  readonly mode: ResolvedMode;
  /** One human sentence: what will be done and why this mode, or why nothing will be. */
  readonly message: string;
}

/** `one` with a single entry, `several` with more: one database or service reads as it always has. */
function byCount<T>(items: readonly T[], one: string, several: string): string {
  return items.length === 1 ? one : several;
}

function describeSteps(
  settings: PlanSettings,
  mode: ResolvedMode,
  done: Readonly<Record<StepName, boolean>>,
) {
  const { databases, services, sourceRegion } = settings;
  const globalClusters = nameList(databases.map((d) => d.globalClusterId));
  const actions: Record<StepName, string> = {
    database: `add ${nameList(databases.map((d) => `${d.instanceCount} instance(s) to ${d.clusterId}`))}`,
    service: `scale ${nameList(services.map((s) => `${s.ecsService} to ${s.desiredCount} task(s)`))} (ASG ≥ ${settings.asgMinCapacity})`,
    replication: `read ${sourceRegion}'s S3 replication backlog to this region (a failback waits until it is 0)`,
    promotion:
      mode === 'planned'
        ? `switch over ${globalClusters} (planned, no data loss)`
        : `fail over ${globalClusters} (unplanned, data loss allowed)`,
    dns: `publish this region's traffic claim; wait until ${hostnamesAnswer(settings.recordNames)} ${settings.targetRecordName}`,
    fence:
      mode === 'unplanned'
        ? `then, best effort, scale ${sourceRegion}'s ${byCount(services, 'service', 'services')} to 0 and release its traffic claim`
        : `then, best effort, release ${sourceRegion}'s traffic claim`,
  };
  const todo = STEP_NAMES.filter((s) => !done[s]).map((s) => actions[s]);
  const skipped = STEP_NAMES.filter((s) => done[s]);
  return `${todo.join(', ')}${skipped.length > 0 ? ` (already done: ${skipped.join(', ')})` : ''}`;
}

/** Each global cluster's status: `global cluster available`, or each one's with several. */
function globalStatuses(found: AlreadyDone, settings: PlanSettings): string {
  const [only] = found.promotions;
  if (found.promotions.length === 1 && only !== undefined) return `global cluster ${only.globalStatus}`;
  const statuses = found.promotions.map(
    (p) =>
      `${settings.databases.find((d) => d.name === p.name)?.globalClusterId ?? p.name} ${p.globalStatus}`,
  );
  return `global clusters ${nameList(statuses)}`;
}

/** A failed lookup stops the whole read, so with several hostnames which one failed is not known. */
function unreadAnswers(names: readonly string[]): string {
  return names.length === 1
    ? `${names.join('')}'s answer could not be read`
    : `the answers of ${nameList(names)} could not all be read`;
}

/**
 * Resolve `auto` — planned only when the source region answers, every database's source cluster is
 * available and every global cluster is healthy, else unplanned; a requested mode is kept — and say
 * what will be done, naming each database and service: ALREADY_PROMOTED when every step's goal is
 * met, DRY_RUN when asked, else PROCEED.
 *
 * @throws SourceUnreachableError mode planned was requested, a switchover is still needed (some
 * database is neither promoted nor being promoted) and the source region does not answer (it would
 * be refused after the capacity steps; nothing is changed)
 */
export function plan(
  requestedMode: FailoverMode,
  dryRun: boolean,
  found: AlreadyDone,
  settings: PlanSettings,
): Plan {
  const { probe, promotions, done } = found;
  const { databases, services } = settings;
  const canSwitchOver = probe.reachable && probe.available && promotions.every((p) => p.healthy);
  const mode: ResolvedMode =
    requestedMode === 'auto' ? (canSwitchOver ? 'planned' : 'unplanned') : requestedMode;
  if (PROMOTION_GOAL_KEYS.every((s) => done[s])) {
    return {
      status: 'ALREADY_PROMOTED',
      mode,
      message:
        `${settings.targetRegion} is already promoted (instances available, ` +
        `${byCount(services, 'service serving', 'every service serving')}, ` +
        `${byCount(databases, 'writer', 'writer of every global cluster')}, ` +
        `${hostnamesAnswer(settings.recordNames)} here); nothing to do.`,
    };
  }
  const switchoverNeeded = promotions.some((p) => !p.done && !p.inProgress);
  if (requestedMode === 'planned' && !probe.reachable && switchoverNeeded) {
    throw new SourceUnreachableError(
      `mode planned needs the source region ${settings.sourceRegion}, which does not answer (${probe.detail}); ` +
        'nothing was changed — rerun with mode auto (fails over, allowing data loss, while the source does not answer) or unplanned',
    );
  }
  const why =
    requestedMode === 'auto'
      ? ` (auto: ${settings.sourceRegion} ${canSwitchOver ? `answers and ${byCount(databases, 'the global cluster is', 'every global cluster is')} healthy` : `cannot switch over — ${probe.detail}; ${globalStatuses(found, settings)}`})`
      : '';
  const steps = describeSteps(settings, mode, done);
  const dnsNote = found.dnsUnknown
    ? ` (${unreadAnswers(settings.recordNames)}; the claim will be published)`
    : '';
  if (dryRun) {
    return {
      status: 'DRY_RUN',
      mode,
      message: `Dry run: would ${steps} in ${settings.targetRegion}${why}${dnsNote}.`,
    };
  }
  return {
    status: 'PROCEED',
    mode,
    message: `Promoting ${settings.targetRegion}: ${steps}${why}${dnsNote}.`,
  };
}
