import { type DnsTarget, hostnamesAnswer } from '../flip-dns/progress';
import type { DatabaseTarget } from '../scale-database/progress';
import type { ServiceTarget } from '../scale-service/progress';
import {
  type FailoverMode,
  type PreflightStatus,
  type ResolvedMode,
  STEP_NAMES,
  type StepName,
} from '../shared/contracts';

import { SourceUnreachableError } from '../shared/errors';
import { nameList } from '../shared/name-list';
import { PROMOTION_GOAL_KEYS } from '../shared/steps';
import type { AlreadyDone } from './already-done';

export interface PlanSettings extends DatabaseTarget, ServiceTarget, DnsTarget {
  readonly targetRegion: string;
  readonly sourceRegion: string;
  readonly globalClusterId: string;
}

/** The decision once the guards have let the execution through. */
export interface Plan {
  readonly status: Extract<PreflightStatus, 'PROCEED' | 'DRY_RUN' | 'ALREADY_PROMOTED'>;
  readonly mode: ResolvedMode;
  /** One human sentence: what will be done and why this mode, or why nothing will be. */
  readonly message: string;
}

function describeSteps(
  settings: PlanSettings,
  mode: ResolvedMode,
  done: Readonly<Record<StepName, boolean>>,
) {
  const actions: Record<StepName, string> = {
    database: `add ${settings.dbInstanceCount} instance(s) to ${settings.targetClusterId}`,
    service: `scale ${settings.ecsService} to ${settings.serviceDesiredCount} task(s) (ASG ≥ ${settings.asgMinCapacity})`,
    replication: `read ${settings.sourceRegion}'s S3 replication backlog to this region (a failback waits until it is 0)`,
    promotion:
      mode === 'planned'
        ? `switch over ${settings.globalClusterId} (planned, no data loss)`
        : `fail over ${settings.globalClusterId} (unplanned, data loss allowed)`,
    dns: `publish this region's traffic claim; wait until ${hostnamesAnswer(settings.recordNames)} ${settings.targetRecordName}`,
    fence:
      mode === 'unplanned'
        ? `then, best effort, scale ${settings.sourceRegion}'s service to 0 and release its traffic claim`
        : `then, best effort, release ${settings.sourceRegion}'s traffic claim`,
  };
  const todo = STEP_NAMES.filter((s) => !done[s]).map((s) => actions[s]);
  const skipped = STEP_NAMES.filter((s) => done[s]);
  return `${todo.join(', ')}${skipped.length > 0 ? ` (already done: ${skipped.join(', ')})` : ''}`;
}

/** A failed lookup stops the whole read, so with several hostnames which one failed is not known. */
function unreadAnswers(names: readonly string[]): string {
  return names.length === 1
    ? `${names.join('')}'s answer could not be read`
    : `the answers of ${nameList(names)} could not all be read`;
}

/**
 * Resolve `auto` — planned when the source region answers, its cluster is available and the global
 * cluster is healthy, else unplanned; a requested mode is kept — and say what will be done:
 * ALREADY_PROMOTED when every step's goal is met, DRY_RUN when asked, else PROCEED.
 *
 * @throws SourceUnreachableError mode planned was requested, a switchover is still needed and the
 * source region does not answer (it would be refused after the capacity steps; nothing is changed)
 */
export function plan(
  requestedMode: FailoverMode,
  dryRun: boolean,
  found: AlreadyDone,
  settings: PlanSettings,
): Plan {
  const { probe, promotion, done } = found;
  const canSwitchOver = probe.reachable && probe.available && promotion.healthy;
  const mode: ResolvedMode =
    requestedMode === 'auto' ? (canSwitchOver ? 'planned' : 'unplanned') : requestedMode;
  if (PROMOTION_GOAL_KEYS.every((s) => done[s])) {
    return {
      status: 'ALREADY_PROMOTED',
      mode,
      message: `${settings.targetRegion} is already promoted (instances available, service serving, writer, ${hostnamesAnswer(settings.recordNames)} here); nothing to do.`,
    };
  }
  if (requestedMode === 'planned' && !probe.reachable && !done.promotion && !promotion.inProgress) {
    throw new SourceUnreachableError(
      `mode planned needs the source region ${settings.sourceRegion}, which does not answer (${probe.detail}); ` +
        'nothing was changed — rerun with mode auto (fails over, allowing data loss, while the source does not answer) or unplanned',
    );
  }
  const why =
    requestedMode === 'auto'
      ? ` (auto: ${settings.sourceRegion} ${canSwitchOver ? 'answers and the global cluster is healthy' : `cannot switch over — ${probe.detail}; global cluster ${promotion.globalStatus}`})`
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
