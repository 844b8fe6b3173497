/**
 * The slice of the Amazon States Language (JSONPath) the failover definition uses. Kept narrow on
 * purpose: the local interpreter runs JSONPath only, so the builder cannot emit JSONata.
 */

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds?: number;
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath: string | null;
  readonly Next: string;
}

export type ChoiceRule =
  | { readonly Variable: string; readonly StringEquals: string; readonly Next?: string }
  | { readonly Variable: string; readonly NumericEquals: number; readonly Next?: string }
  | { readonly Variable: string; readonly BooleanEquals: boolean; readonly Next?: string }
  | { readonly Variable: string; readonly IsPresent: boolean; readonly Next?: string }
  | { readonly And: readonly ChoiceRule[]; readonly Next?: string }
  | { readonly Or: readonly ChoiceRule[]; readonly Next?: string };

interface Base {
  readonly Comment?: string;
}
interface Flow {
  readonly Next?: string;
  readonly End?: true;
}

export interface PassState extends Base, Flow {
  readonly Type: 'Pass';
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly ResultPath?: string | null;
}
export interface TaskState extends Base, Flow {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters: Readonly<Record<string, unknown>>;
  readonly ResultPath: string | null;
  /** Without it AWS waits 99,999,999 s on a lost invocation; the local interpreter gives up after 60 s. */
  readonly TimeoutSeconds?: number;
  /** A timeout read from the state input (AWS); the local interpreter reads the effective input instead. */
  readonly TimeoutSecondsPath?: string;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}
export interface ChoiceState extends Base {
  readonly Type: 'Choice';
  readonly Choices: readonly ChoiceRule[];
  readonly Default: string;
}
export interface WaitState extends Base, Flow {
  readonly Type: 'Wait';
  readonly SecondsPath: string;
}
export interface ParallelState extends Base, Flow {
  readonly Type: 'Parallel';
  readonly Branches: readonly StateGraph[];
  readonly ResultSelector?: Readonly<Record<string, unknown>>;
  readonly ResultPath?: string | null;
  readonly Catch?: readonly Catcher[];
}
export interface SucceedState extends Base {
  readonly Type: 'Succeed';
}
export interface FailState extends Base {
  readonly Type: 'Fail';
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export type State =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | ParallelState
  | SucceedState
  | FailState;

export interface StateGraph {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
}

export interface Definition extends StateGraph {
  readonly Comment: string;
}

/** `${Name}`: a definition substitution CDK fills in at deploy time. */
export function placeholder(name: string): string {
  return `\${${name}}`;
}

/** The state names a state can move to next (Next, Choice targets and Default, Catch targets). */
export function successors(state: State): string[] {
  const out: string[] = [];
  if ('Next' in state && state.Next !== undefined) out.push(state.Next);
  if (state.Type === 'Choice') {
    for (const rule of state.Choices) if (rule.Next !== undefined) out.push(rule.Next);
    out.push(state.Default);
  }
  if ('Catch' in state && state.Catch !== undefined) for (const c of state.Catch) out.push(c.Next);
  return out;
}
