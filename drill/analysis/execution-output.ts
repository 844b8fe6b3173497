import { STEP_RESULTS_PATH, STEPS, type StepSpec, stepOfState } from '../../lambdas/shared/steps';
import type { ExecutionRecord } from '../runner/execution';
import type { TimedEvent } from '../sim/sfn/sfn';
import type { PromotionMode, StepsDone } from './critical-path';

/** Reading what an execution produced: its output, its steps' results, its end of the RTO. */

type Fields = Readonly<Record<string, unknown>>;

/** `v` when it is a JSON object. */
export function fieldsOf(v: unknown): Fields | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : undefined;
}

/** The execution's `outcome` (PROMOTED, IN_FLIGHT, ...), when it returned one. */
export function outcomeOf(e: ExecutionRecord): string | undefined {
  const outcome = fieldsOf(e.output)?.outcome;
  return typeof outcome === 'string' ? outcome : undefined;
}

/** What preflight returned, from its Task's output. */
export interface PreflightOutput {
  readonly status?: unknown;
  readonly mode?: unknown;
  readonly alreadyDone?: StepsDone;
}

/** The preflight result of an execution, from the Preflight task's output. */
export function preflightOf(e: ExecutionRecord): PreflightOutput | undefined {
  const exit = e.events.find((ev) => ev.type === 'StateExited' && ev.state === STEPS.preflight.label);
  return fieldsOf(fieldsOf(exit?.output)?.[STEPS.preflight.resultPath]) as PreflightOutput | undefined;
}

/** The promotion mode used: what the promotion step reports, else what preflight resolved. */
export function promotionModeOf(e: ExecutionRecord): PromotionMode {
  const step = STEPS.promotion;
  const exit = [...e.events]
    .reverse()
    .find((ev) => ev.type === 'StateExited' && stepOfState(ev.state ?? '') === step);
  const modeUsed = stepResultIn(exit?.output, step)?.modeUsed;
  if (modeUsed === 'unplanned' || modeUsed === 'planned') return modeUsed;
  return preflightOf(e)?.mode === 'unplanned' ? 'unplanned' : 'planned';
}

/** Where the step results live in the state after the Parallel (`$.steps` → `steps`). */
const RESULTS_KEY = STEP_RESULTS_PATH.replace(/^\$\./, '');

/**
 * A step's result in a state's output: at `$.<resultPath>` inside the Parallel's branches, under
 * `$.steps.<resultPath>` after it (where the Parallel's results are gathered).
 */
export function stepResultIn(output: unknown, step: StepSpec): Fields | undefined {
  const state = fieldsOf(output);
  return fieldsOf(fieldsOf(state?.[RESULTS_KEY])?.[step.resultPath]) ?? fieldsOf(state?.[step.resultPath]);
}

/**
 * The end of the run's RTO: the DNS step reporting READY (its act or check state, from the step
 * table, so a renamed state cannot silently move the end of the run).
 */
export function trafficMovedAt(e: ExecutionRecord): TimedEvent | undefined {
  const dns = STEPS.dns;
  return e.events.find((ev) => {
    if (ev.type !== 'StateExited' || stepOfState(ev.state ?? '') !== dns) return false;
    return stepResultIn(ev.output, dns)?.status === 'READY';
  });
}

/** Step Functions bills a transition per state entered, retries included. */
export function countTransitions(e: ExecutionRecord): number {
  return e.events.filter((ev) => ev.type === 'StateEntered' || ev.type === 'StateRetried').length;
}
