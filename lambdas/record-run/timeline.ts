import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { RECORDER, STEP_RESULTS_PATH, STEPS, stepOfState } from '../shared/steps';

/**
 * What the execution history says about a run: one span per step (every Task state of the step
 * merged, as the drill's timeline does), every failed invocation, and the moment traffic moved.
 */

/** One step (or other Task state) of the run, in absolute times. */
export interface Span {
  readonly name: string;
  readonly start: Date;
  readonly end: Date;
  /** Times its Task states were entered (a polled step enters its check state once per poll). */
  readonly entries: number;
  /** Lambda invocations scheduled: one per entry, plus one per retry. */
  readonly attempts: number;
  /** Invocations that failed, timed out or could not start. */
  readonly errors: number;
}

/** One failed invocation. */
export interface FailedInvocation {
  /** The step label, or the Task state's name. */
  readonly state: string;
  /** The history event type (`LambdaFunctionFailed`, `TaskTimedOut`, …). */
  readonly type: string;
  readonly error?: string;
  readonly cause?: string;
  readonly at: Date;
}

/** The history, read. */
export interface HistoryFacts {
  readonly spans: readonly Span[];
  readonly failures: readonly FailedInvocation[];
  /** When the DNS step reported READY: traffic answered by this region. */
  readonly trafficMovedAt?: Date;
  /** The execution input (`ExecutionStarted`), parsed; undefined when absent or not JSON. */
  readonly input?: unknown;
  /** Preflight's result, from its Task's exit (the success summary does not carry it). */
  readonly preflight?: unknown;
  /**
   * The first readiness in a state's output (`$.readiness`): a run failing in the Parallel loses
   * the start branch's, so the history is the only place it is left.
   */
  readonly readiness?: unknown;
  readonly events: number;
}

const SCHEDULED = new Set(['LambdaFunctionScheduled', 'TaskScheduled']);
const FAILED = new Set([
  'LambdaFunctionFailed',
  'LambdaFunctionTimedOut',
  'LambdaFunctionStartFailed',
  'LambdaFunctionScheduleFailed',
  'TaskFailed',
  'TaskTimedOut',
  'TaskStartFailed',
  'TaskSubmitFailed',
]);

function failureDetails(e: HistoryEvent): { error?: string; cause?: string } | undefined {
  return (
    e.lambdaFunctionFailedEventDetails ??
    e.lambdaFunctionTimedOutEventDetails ??
    e.lambdaFunctionStartFailedEventDetails ??
    e.lambdaFunctionScheduleFailedEventDetails ??
    e.taskFailedEventDetails ??
    e.taskTimedOutEventDetails ??
    e.taskStartFailedEventDetails ??
    e.taskSubmitFailedEventDetails
  );
}

/** Parse JSON the history carries; undefined when absent or not JSON. */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type Obj = Readonly<Record<string, unknown>>;
function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The name of the Task state an event belongs to, following `previousEventId` back to its entry. */
function ownerOf(events: ReadonlyMap<number, HistoryEvent>): (e: HistoryEvent) => string | undefined {
  const memo = new Map<number, string | undefined>();
  const find = (e: HistoryEvent): string | undefined => {
    const seen: HistoryEvent[] = [];
    let cur: HistoryEvent | undefined = e;
    let name: string | undefined;
    // Bounded by the history's length: a cycle of ids (never in AWS) cannot loop.
    for (let hops = 0; cur !== undefined && hops <= events.size; hops++) {
      const id = cur.id;
      if (id !== undefined && memo.has(id)) {
        name = memo.get(id);
        break;
      }
      seen.push(cur);
      if (cur.type === 'TaskStateEntered') {
        name = cur.stateEnteredEventDetails?.name;
        break;
      }
      if (cur.type?.endsWith('StateEntered') === true) break;
      cur = cur.previousEventId === undefined ? undefined : events.get(cur.previousEventId);
    }
    for (const s of seen) if (s.id !== undefined) memo.set(s.id, name);
    return name;
  };
  return find;
}

/** The DNS step's result in a state's output (`$.steps.dns`, or `$.dns` inside a branch). */
function dnsReady(output: unknown): boolean {
  const state = obj(output);
  const key = STEPS.dns.resultPath;
  const results = obj(state?.[STEP_RESULTS_PATH.replace(/^\$\./, '')]);
  const result = obj(results?.[key]) ?? obj(state?.[key]);
  return result?.status === 'READY';
}

interface MutableSpan {
  name: string;
  start: Date;
  end: Date;
  entries: number;
  attempts: number;
  errors: number;
}

/** Read the history: spans in start order (the recorder's own Task left out), failures, traffic moved. */
export function readTimeline(events: readonly HistoryEvent[]): HistoryFacts {
  const byId = new Map<number, HistoryEvent>();
  for (const e of events) if (e.id !== undefined) byId.set(e.id, e);
  const owner = ownerOf(byId);
  const spans = new Map<string, MutableSpan>();
  const failures: FailedInvocation[] = [];
  let trafficMovedAt: Date | undefined;
  let input: unknown;
  let preflight: unknown;
  let readiness: unknown;
  const groupOf = (state: string) => stepOfState(state)?.label ?? state;
  const touch = (state: string, at: Date): MutableSpan | undefined => {
    const name = groupOf(state);
    // The recorder's own Task is still running while it reads: not part of the run it records.
    if (name.startsWith(RECORDER.label)) return undefined;
    const span = spans.get(name) ?? { name, start: at, end: at, entries: 0, attempts: 0, errors: 0 };
    if (at < span.start) span.start = at;
    if (at > span.end) span.end = at;
    spans.set(name, span);
    return span;
  };
  for (const e of events) {
    const at = e.timestamp === undefined ? undefined : new Date(e.timestamp);
    if (e.type === 'ExecutionStarted') input = parseJson(e.executionStartedEventDetails?.input);
    if (at === undefined) continue;
    if (readiness === undefined && e.stateExitedEventDetails?.output?.includes('"readiness"') === true) {
      const found = obj(obj(parseJson(e.stateExitedEventDetails.output))?.readiness);
      if (typeof found?.ready === 'boolean') readiness = found;
    }
    if (e.type === 'TaskStateEntered') {
      const span = touch(e.stateEnteredEventDetails?.name ?? '?', at);
      if (span !== undefined) span.entries += 1;
      continue;
    }
    if (e.type === 'TaskStateExited') {
      const name = e.stateExitedEventDetails?.name ?? '?';
      touch(name, at);
      if (name === STEPS.preflight.label) {
        preflight = obj(parseJson(e.stateExitedEventDetails?.output))?.[STEPS.preflight.resultPath];
      }
      if (
        trafficMovedAt === undefined &&
        stepOfState(name) === STEPS.dns &&
        dnsReady(parseJson(e.stateExitedEventDetails?.output))
      ) {
        trafficMovedAt = at;
      }
      continue;
    }
    const type = e.type ?? '';
    if (
      !SCHEDULED.has(type) &&
      !FAILED.has(type) &&
      !type.startsWith('LambdaFunction') &&
      !type.startsWith('Task')
    )
      continue;
    const state = owner(e);
    const span = state === undefined ? undefined : touch(state, at);
    if (SCHEDULED.has(type) && span !== undefined) span.attempts += 1;
    if (FAILED.has(type)) {
      if (span !== undefined) span.errors += 1;
      const d = failureDetails(e);
      failures.push({
        state: state === undefined ? '?' : groupOf(state),
        type,
        ...(d?.error === undefined ? {} : { error: d.error }),
        ...(d?.cause === undefined ? {} : { cause: d.cause }),
        at,
      });
    }
  }
  return {
    spans: [...spans.values()].sort(
      (a, b) => a.start.getTime() - b.start.getTime() || a.name.localeCompare(b.name),
    ),
    failures,
    ...(trafficMovedAt === undefined ? {} : { trafficMovedAt }),
    ...(input === undefined ? {} : { input }),
    ...(preflight === undefined ? {} : { preflight }),
    ...(readiness === undefined ? {} : { readiness }),
    events: events.length,
  };
}
