import {
  type Activity,
  type AutoScalingClient,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import type { CapacityRefusal, CapacityReport } from '../shared/contracts';
import { asError } from '../shared/errors';
import type { ServiceProgress } from './progress';

/**
 * DescribeScalingActivities returns at most this many activities per call (API reference), newest
 * first. One page is enough: a promotion launches a handful of instances, each one activity.
 */
export const MAX_ACTIVITY_RECORDS = 100;

/** A launch message kept verbatim is cut to this many characters: a notice line, not the whole story. */
export const MAX_MESSAGE_LENGTH = 160;

/** Activities that did not launch (AWS documents both for a failed launch). */
const FAILED_CODES: ReadonlySet<string> = new Set(['Failed', 'Cancelled']);

/**
 * EC2's InsufficientInstanceCapacity message: "We currently do not have sufficient t3.small
 * capacity in the Availability Zone you requested (us-west-2a). …".
 */
const REFUSAL = /do not have sufficient (\S+) capacity in the Availability Zone you requested \(([^)\s]+)\)/;

/** What the step read of the group's scaling activities, before it is reported. */
export interface ActivitiesRead {
  /** Failed or cancelled activities that started at or after the step's start. */
  readonly failed: readonly Activity[];
  /** The page was full and older activities may also fall after the start. */
  readonly truncated: boolean;
  readonly unreadable?: string;
}

/**
 * The group's failed launches since `since` (one DescribeScalingActivities). Never throws: the
 * step only reports them, so a failed read is reported, not raised.
 */
export async function readFailedActivities(
  autoScaling: AutoScalingClient,
  asgName: string,
  since: string,
): Promise<ActivitiesRead> {
  try {
    const out = await autoScaling.send(
      new DescribeScalingActivitiesCommand({
        AutoScalingGroupName: asgName,
        MaxRecords: MAX_ACTIVITY_RECORDS,
      }),
    );
    const from = Date.parse(since);
    const activities = out?.Activities ?? [];
    const recent = activities.filter((a) => a.StartTime === undefined || a.StartTime.getTime() >= from);
    return {
      failed: recent.filter((a) => FAILED_CODES.has(a.StatusCode ?? '')),
      truncated: activities.length >= MAX_ACTIVITY_RECORDS && recent.length === activities.length,
    };
  } catch (err: unknown) {
    const e = asError(err);
    return { failed: [], truncated: false, unreadable: `${e.name}: ${e.message}` };
  }
}

/** `text` on one line, cut to {@link MAX_MESSAGE_LENGTH} characters. */
export function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_MESSAGE_LENGTH ? line : `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}

/** Count `key` in `counts`, keeping the order keys were first seen. */
function bump<T extends { count: number }>(
  counts: Map<string, T>,
  key: string,
  make: () => Omit<T, 'count'>,
): void {
  const found = counts.get(key);
  if (found === undefined) counts.set(key, { ...make(), count: 1 } as T);
  else found.count += 1;
}

/** `t3.small: no capacity in us-west-2a ×3, us-west-2b ×1 (InsufficientInstanceCapacity)`, one line per type. */
function refusalLines(refusals: readonly CapacityRefusal[]): string[] {
  const types = [...new Set(refusals.map((r) => r.instanceType))];
  return types.map((t) => {
    const zones = refusals.filter((r) => r.instanceType === t).map((r) => `${r.zone} ×${r.count}`);
    return `${t}: no capacity in ${zones.join(', ')} (InsufficientInstanceCapacity)`;
  });
}

/** What the failed activities say, tallied: refusals by type and zone, other failures by message. */
export interface Tally {
  readonly refusals: readonly CapacityRefusal[];
  readonly otherFailures: CapacityReport['otherFailures'];
  readonly truncated?: boolean;
  readonly unreadable?: string;
}

/** Tally `read`'s failed activities: each refusal by type and zone, each other failure verbatim (shortened). */
export function tally(read: ActivitiesRead): Tally {
  const refusals = new Map<string, { instanceType: string; zone: string; count: number }>();
  const others = new Map<string, { message: string; count: number }>();
  for (const a of read.failed) {
    const message = a.StatusMessage ?? a.Description ?? 'no message';
    const m = REFUSAL.exec(message);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      const [instanceType, zone] = [m[1], m[2]];
      bump(refusals, `${instanceType} ${zone}`, () => ({ instanceType, zone }));
    } else {
      const short = shorten(message);
      bump(others, short, () => ({ message: short }));
    }
  }
  return {
    refusals: [...refusals.values()],
    otherFailures: [...others.values()],
    ...(read.truncated ? { truncated: true } : {}),
    ...(read.unreadable === undefined ? {} : { unreadable: read.unreadable }),
  };
}

/**
 * The shortfall report: `found`'s refusals and other failed launches, and what the group runs
 * instead of its first-choice type (`instanceTypes`: type → count, from the group's instances).
 */
export function capacityReport(
  found: Tally,
  instanceTypes: Readonly<Record<string, number>>,
  firstChoice: string | undefined,
): CapacityReport {
  const substitutes =
    firstChoice === undefined
      ? []
      : Object.entries(instanceTypes)
          .filter(([t, n]) => t !== firstChoice && n > 0)
          .map(([instanceType, count]) => ({ instanceType, count }));
  const lines = [
    ...refusalLines(found.refusals),
    ...found.otherFailures.map((o) => `launch failed ×${o.count}: ${o.message}`),
    ...(found.truncated === true ? [`(the latest ${MAX_ACTIVITY_RECORDS} scaling activities only)`] : []),
    ...(substitutes.length === 0
      ? []
      : [
          `launched ${substitutes.map((s) => `${s.instanceType} ×${s.count}`).join(', ')} instead of ${firstChoice}`,
        ]),
    ...(found.unreadable === undefined ? [] : [`scaling activities unreadable: ${found.unreadable}`]),
  ];
  return {
    refusals: found.refusals,
    otherFailures: found.otherFailures,
    ...(firstChoice === undefined ? {} : { firstChoice }),
    substitutes,
    ...(found.truncated === true ? { truncated: true } : {}),
    ...(found.unreadable === undefined ? {} : { unreadable: found.unreadable }),
    lines,
  };
}

/**
 * The capacity report of this call. EC2 refuses only launches, and the group launches only while
 * it has fewer instances in service than desired: then (and on a step's first call, or after a
 * failed read) the activities are read; otherwise `previous` (the last call's report) still holds
 * every refusal since the start, and only what the group runs is read again. This keeps the polls
 * that wait for tasks and targets (most of a step) at the reads they made before.
 */
export async function capacityNow(
  autoScaling: AutoScalingClient,
  asgName: string,
  since: string,
  progress: ServiceProgress,
  firstChoice: string | undefined,
  previous: CapacityReport | undefined,
): Promise<CapacityReport> {
  const launching = progress.asgNeedsUpdate || progress.asg.inService < progress.asg.desired;
  const found =
    previous === undefined || previous.unreadable !== undefined || launching
      ? tally(await readFailedActivities(autoScaling, asgName, since))
      : previous;
  return capacityReport(found, progress.asg.instanceTypes, firstChoice);
}
