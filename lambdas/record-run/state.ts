import type { StepResult } from '../shared/contracts';
import type { ReadinessReport } from '../shared/readiness-contract';
import { POLLED_STEP_KEYS, type PolledStepKey, STEP_RESULTS_PATH, STEPS } from '../shared/steps';

/**
 * Reading the execution state the recorder is given. Its shape differs by where the run ended (the
 * success summary, the failure record nesting the state under `stateReached`, the no-action
 * report), and fields other helpers add (`readiness`, `approval`, the input's `trigger`) may be
 * absent on older runs, so every read here is defensive: a record is written whatever it is given.
 */

type Obj = Readonly<Record<string, unknown>>;

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function firstStr(o: Obj | undefined, ...keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = str(o?.[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** What started the run, when the input says (`trigger` in the execution input; the alarm rule sets it). */
export interface TriggerFacts {
  readonly source: string;
  readonly alarmName?: string;
  /** ISO time the alarm went into ALARM. */
  readonly alarmAt?: string;
}

/** A person's decision at the approval gate. */
export interface ApprovalFacts {
  readonly decision: string;
  readonly by?: string;
  readonly at?: string;
  readonly reason?: string;
}

/** The facts of a run the record shows, whatever state shape it came from. */
export interface StateFacts {
  readonly requestedMode?: string;
  readonly mode?: string;
  readonly reason?: string;
  readonly targetRegion?: string;
  readonly sourceRegion?: string;
  readonly failedStep?: string;
  readonly error?: string;
  readonly cause?: string;
  /** No-action runs: preflight's status (DRY_RUN, ALREADY_PROMOTED, …) and its sentence. */
  readonly noActionStatus?: string;
  readonly message?: string;
  readonly steps: Readonly<Partial<Record<PolledStepKey, StepResult>>>;
  readonly alreadyDone?: Readonly<Record<string, boolean>>;
  readonly readiness?: ReadinessReport;
  /** Readiness was not evaluated at the start: why (the run went on without it). */
  readonly readinessUnavailable?: string;
  readonly approval?: ApprovalFacts;
}

function stepResult(v: unknown): StepResult | undefined {
  const o = obj(v);
  return o !== undefined && str(o.status) !== undefined && str(o.step) !== undefined
    ? (o as unknown as StepResult)
    : undefined;
}

/** A readiness report, when the value has its defining fields (the rest is shown as found). */
function readiness(v: unknown): ReadinessReport | undefined {
  const o = obj(v);
  if (o === undefined || typeof o.ready !== 'boolean' || !Array.isArray(o.checks)) return undefined;
  return o as unknown as ReadinessReport;
}

/** Why readiness was not evaluated at the start (`ReadinessUnavailable`: the Lambda failed). */
function readinessUnavailable(v: unknown): string | undefined {
  const u = obj(obj(v)?.unavailable);
  if (u === undefined) return undefined;
  return [str(u.error), str(u.cause)].filter((x) => x !== undefined).join(': ') || 'unknown';
}

function approval(v: unknown): ApprovalFacts | undefined {
  const o = obj(v);
  const decision = firstStr(o, 'decision', 'outcome', 'status');
  // The Start state sets NOT_REQUIRED on every run: no gate was asked, nothing to record.
  if (o === undefined || decision === undefined || decision === 'NOT_REQUIRED') return undefined;
  const by = firstStr(o, 'by', 'decidedBy', 'approvedBy', 'approver', 'user');
  const at = firstStr(o, 'at', 'decidedAt', 'approvedAt', 'deniedAt');
  const reason = firstStr(o, 'reason', 'comment', 'cause');
  return {
    decision,
    ...(by === undefined ? {} : { by }),
    ...(at === undefined ? {} : { at }),
    ...(reason === undefined ? {} : { reason }),
  };
}

function alreadyDone(v: unknown): Readonly<Record<string, boolean>> | undefined {
  const o = obj(v);
  if (o === undefined) return undefined;
  const entries = Object.entries(o).filter((e): e is [string, boolean] => typeof e[1] === 'boolean');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** The trigger in the execution input, when it names one. */
export function triggerOf(input: unknown): TriggerFacts | undefined {
  const t = obj(obj(input)?.trigger);
  const source = str(t?.source);
  if (source === undefined) return undefined;
  const alarmName = str(t?.alarmName);
  const alarmAt = str(t?.alarmAt);
  return {
    source,
    ...(alarmName === undefined ? {} : { alarmName }),
    ...(alarmAt === undefined || Number.isNaN(Date.parse(alarmAt)) ? {} : { alarmAt }),
  };
}

/**
 * Pull the run's facts out of the execution state; `historyPreflight` (preflight's result as its
 * Task exited) and `historyReadiness` fill in what the state no longer carries (the success
 * summary drops preflight; a failed Parallel drops the start branch's readiness).
 */
export function stateFacts(raw: unknown, historyPreflight?: unknown, historyReadiness?: unknown): StateFacts {
  const top = obj(raw) ?? {};
  const state = obj(top.stateReached) ?? top;
  const preflight = obj(state.preflight) ?? obj(top.preflight) ?? obj(historyPreflight);
  const results = obj(state[STEP_RESULTS_PATH.replace(/^\$\./, '')]) ?? obj(top.steps);
  const steps: Partial<Record<PolledStepKey, StepResult>> = {};
  for (const key of POLLED_STEP_KEYS) {
    const path = STEPS[key].resultPath;
    const found = stepResult(results?.[path]) ?? stepResult(state[path]);
    if (found !== undefined) steps[key] = found;
  }
  // The summaries carry it at the top; a failure's state has it at the top before the Parallel and
  // under the step results after it.
  const readinessCandidates = [top.readiness, state.readiness, results?.readiness, historyReadiness];
  const pick = (...values: (string | undefined)[]) => values.find((v) => v !== undefined);
  const facts: Record<string, unknown> = {
    requestedMode: pick(str(preflight?.requestedMode), str(top.requestedMode), str(obj(state.input)?.mode)),
    mode: pick(steps.promotion?.modeUsed, str(top.mode), str(preflight?.mode)),
    reason: pick(str(preflight?.reason), str(top.reason), str(obj(state.input)?.reason)),
    targetRegion: pick(str(preflight?.targetRegion), str(top.targetRegion)),
    sourceRegion: pick(str(preflight?.sourceRegion), str(top.sourceRegion)),
    failedStep: str(top.failedStep),
    error: pick(str(top.error), str(obj(state.error)?.Error)),
    cause: pick(str(top.cause), str(obj(state.error)?.Cause)),
    message: pick(str(top.message), str(preflight?.message)),
    alreadyDone: alreadyDone(preflight?.alreadyDone),
    readiness: readinessCandidates.map(readiness).find((x) => x !== undefined),
    readinessUnavailable: readinessCandidates.map(readinessUnavailable).find((x) => x !== undefined),
    approval: approval(top.approval) ?? approval(state.approval),
  };
  if (str(top.outcome) !== undefined && !['PROMOTED', 'FAILED'].includes(str(top.outcome) ?? '')) {
    facts.noActionStatus = str(top.outcome);
  } else if (preflight !== undefined && str(preflight.status) !== 'PROCEED') {
    facts.noActionStatus = str(preflight.status);
  }
  const defined = Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined));
  return { ...defined, steps } as StateFacts;
}

/** The replication lag at the decision, from the readiness report at the start. */
export function lagOf(r: ReadinessReport | undefined): { seconds: number; at?: string } | undefined {
  const seconds = num(r?.replicationLagSeconds);
  if (seconds === undefined) return undefined;
  const at = str(r?.replicationLagAt);
  return { seconds, ...(at === undefined ? {} : { at }) };
}
