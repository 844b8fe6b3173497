import { stepOfState } from '../../lambdas/shared/steps';
import type { ExecutionRecord } from '../runner/execution';
import type { DrillRun } from '../runner/run';
import type { CriticalPath } from './critical-path';
import { outcomeOf } from './execution-output';
import { failedStepOfNotice } from './failure-notice';
import { type StepSpan, timelineOf } from './timeline';

/** Each execution of a drill as the report shows it: when, how it ended, its steps and transitions. */

/** One state transition Step Functions bills: a state entered, or a retry. */
export interface Transition {
  /** Seconds since the first trigger. */
  readonly at: number;
  readonly state: string;
  readonly type: 'StateEntered' | 'StateRetried';
}

/** One execution, with every time in seconds since the incident's first trigger. */
export interface ExecutionSummary {
  readonly index: number;
  readonly name: string;
  readonly executionArn: string;
  readonly status: ExecutionRecord['status'];
  /** What it returned (PROMOTED, IN_FLIGHT, ...), when it returned one. */
  readonly outcome?: string;
  readonly error?: string;
  readonly cause?: string;
  /** The step it failed at: the one its failure notification names, else the last step state that failed. */
  readonly failedStep?: string;
  readonly start: number;
  readonly end: number;
  readonly steps: readonly StepSpan[];
  readonly transitions: readonly Transition[];
}

/** The step `e` failed at: what its failure notification names, else what its events show. */
export function failedStepOf(run: DrillRun, e: ExecutionRecord): string | undefined {
  if (e.status === 'SUCCEEDED') return undefined;
  const notice = run.world.sns.published.find(
    (p) => p.execution === e.executionArn && failedStepOfNotice(p) !== undefined,
  );
  if (notice !== undefined) return failedStepOfNotice(notice);
  const failed = e.events.filter((ev) => ev.type === 'StateFailed' && ev.state !== undefined);
  const inStep = failed.filter((ev) => stepOfState(ev.state ?? '') !== undefined).pop();
  const last = inStep ?? failed.pop();
  return last === undefined ? undefined : (stepOfState(last.state ?? '')?.label ?? last.state);
}

/** The transitions of `e` (what `countTransitions` counts), timed from `origin`. */
function transitionsOf(e: ExecutionRecord, origin: number): Transition[] {
  return e.events.flatMap((ev) =>
    (ev.type === 'StateEntered' || ev.type === 'StateRetried') && ev.state !== undefined
      ? [{ at: ev.at - origin, state: ev.state, type: ev.type }]
      : [],
  );
}

/** Every execution of `run` in the order they started, timed from `origin` (the first trigger). */
export function summarizeExecutions(
  run: DrillRun,
  critical: CriticalPath,
  origin: number,
): ExecutionSummary[] {
  return [...run.executions]
    .sort((a, b) => a.startedAt - b.startedAt || a.index - b.index)
    .map((e) => {
      const failedStep = failedStepOf(run, e);
      const outcome = outcomeOf(e);
      const transitions = transitionsOf(e, origin);
      return {
        index: e.index,
        name: e.name,
        executionArn: e.executionArn,
        status: e.status,
        ...(outcome === undefined ? {} : { outcome }),
        ...(e.error === undefined ? {} : { error: e.error }),
        ...(e.cause === undefined ? {} : { cause: e.cause }),
        ...(failedStep === undefined ? {} : { failedStep }),
        start: e.startedAt - origin,
        end: e.stoppedAt - origin,
        steps: timelineOf(run, e, critical, {
          origin,
          ...(failedStep === undefined ? {} : { failedStep }),
        }),
        transitions,
      };
    });
}
