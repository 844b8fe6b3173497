import { type PolledStepKey, STEP_KEYS, type StepKey, stepOfSubstitution } from '../../lambdas/shared/steps';
import type { ExecutionRecord } from '../runner/execution';
import type { DrillRun } from '../runner/run';
import type { World } from '../sim/world';
import { taskResources } from '../synth/wiring';
import type { CriticalPath } from './critical-path';

/** An execution's timeline: one span per step (every Task state of the step merged). */

/** One step of an execution's timeline (simulated seconds since the timeline's origin). */
export interface StepSpan {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** When the AWS operation behind the step actually finished in the simulated world, if known. */
  readonly actualDoneAt?: number;
  readonly onCriticalPath: boolean;
  /** The step the execution failed at. */
  readonly failed?: boolean;
}

/** How a timeline is drawn: its origin, and the step that failed. */
export interface TimelineOptions {
  /** Simulated second that is 0 on the timeline. @default the execution's start */
  readonly origin?: number;
  /** Name of the step the execution failed at, if it failed. */
  readonly failedStep?: string;
}

interface Span {
  start: number;
  end: number;
  /** The step, for a step Lambda's Task. */
  readonly step?: StepKey;
}

/** When each polled step's AWS work finished in the world (for `e`, when it can tell). */
function actualDone(world: World, e: ExecutionRecord): Readonly<Record<PolledStepKey, number | undefined>> {
  const target = world.targetRole;
  const created = world.rds.databases.flatMap((db) =>
    db.clusterInstances(target).filter((i) => !i.seeded && i.availableAt !== undefined),
  );
  // Every database's operation of this execution: done when the last of them completed.
  const ops = world.rds.operations.filter((o) => o.execution === e.executionArn);
  const promoted =
    ops.length > 0 && ops.every((o) => o.completedAt !== undefined)
      ? Math.max(...ops.map((o) => o.completedAt ?? 0))
      : undefined;
  return {
    database: created.length > 0 ? Math.max(...created.map((i) => i.availableAt ?? 0)) : undefined,
    promotion: promoted,
    service: servingSince(world, e.startedAt),
    dns: world.traffic.answers(e.startedAt).find((a) => a.role === target && a.at >= e.startedAt)?.at,
    fence: undefined,
    replication: undefined,
  };
}

/**
 * When the promoted region's services were all stable *and* their targets healthy behind the load
 * balancer (what the service step waits for): the last of them, if that happened after `from`.
 */
function servingSince(world: World, from: number): number | undefined {
  const role = world.targetRole;
  const each = world.ecs.inRegion(role).map((svc) => {
    if (svc.stableSince === undefined) return undefined;
    const group = world.elb.groupOf(role, svc.entry);
    if (group === undefined) return svc.stableSince;
    if (world.elb.healthyCount(group) < svc.desired) return undefined;
    const healthyAt = group.targets.map((t) => t.registeredAt + world.timings.targetHealthySeconds);
    return Math.max(svc.stableSince, ...healthyAt);
  });
  if (each.length === 0 || each.some((t) => t === undefined)) return undefined;
  const at = Math.max(...each.map((t) => t ?? 0));
  return at >= from ? at : undefined;
}

/** Each Task's span under its step label (other Tasks, such as notifications, under their state name). */
function spansOf(run: DrillRun, e: ExecutionRecord): Map<string, Span> {
  const resourceOf = taskResources(run.wiring);
  const spans = new Map<string, Span>();
  for (const ev of e.events) {
    if (ev.state === undefined || ev.stateType !== 'Task') continue;
    const fn = run.wiring.functions.get(resourceOf.get(ev.state) ?? '');
    const step = fn === undefined ? undefined : stepOfSubstitution(fn.key);
    const name = step?.label ?? ev.state;
    const span = spans.get(name) ?? {
      start: ev.at,
      end: ev.at,
      ...(step === undefined ? {} : { step: step.key }),
    };
    span.start = Math.min(span.start, ev.at);
    span.end = Math.max(span.end, ev.at);
    spans.set(name, span);
  }
  return spans;
}

/** Whether step `k` is on `critical`'s path (planned: the promotion follows both branches). */
export function onCriticalPath(k: StepKey, critical: CriticalPath): boolean {
  if (k === 'preflight' || k === 'dns' || k === critical.branch) return true;
  return k === 'promotion' && (critical.mode === 'planned' || critical.branch === 'database');
}

/** The timeline of `e`, marking the steps on `critical`'s path and the step it failed at. */
export function timelineOf(
  run: DrillRun,
  e: ExecutionRecord,
  critical: CriticalPath,
  options: TimelineOptions = {},
): StepSpan[] {
  const origin = options.origin ?? e.startedAt;
  const actual: Readonly<Partial<Record<StepKey, number>>> = actualDone(run.world, e);
  const onPath = new Set<StepKey>(STEP_KEYS.filter((k) => onCriticalPath(k, critical)));
  return [...spansOf(run, e).entries()]
    .map(([name, s]) => {
      const doneAt = s.step === undefined ? undefined : actual[s.step];
      // Work finished before this execution started (a rerun resuming) is not this run's.
      const done = doneAt !== undefined && doneAt >= e.startedAt ? doneAt : undefined;
      return {
        name,
        start: s.start - origin,
        end: s.end - origin,
        ...(done === undefined ? {} : { actualDoneAt: done - origin }),
        onCriticalPath: s.step !== undefined && onPath.has(s.step),
        ...(name === options.failedStep ? { failed: true } : {}),
      };
    })
    .sort((a, b) => a.start - b.start || a.name.localeCompare(b.name));
}
