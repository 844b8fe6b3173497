import type { core } from 'zod/mini';

/**
 * The one formatter of validation problems: config files, timing files, the execution input, the
 * CLI's flags and environment variables all describe a zod issue as `path: expected X, got Y`.
 * It reads only zod's core issue shape, so issues from `zod` and `zod/mini` format alike.
 *
 * Parse with `{ reportInput: true }` so issues carry the offending value: without it there is no
 * "got …" (and a missing field cannot be told from an unreported one).
 */

type Issue = core.$ZodIssue;

/** A failed parse's error, from `zod` or `zod/mini`. */
export interface IssueList {
  readonly issues: readonly Issue[];
}

/** One problem: where (relative to the parsed value) and what, e.g. `expected >= 0, got -1`. */
export interface IssueProblem {
  readonly path: readonly PropertyKey[];
  readonly problem: string;
}

/**
 * A value as a user wrote it: strings in single quotes (as YAML and the Lambdas' other messages
 * write them; a double quote inside an error's cause breaks the local interpreter's
 * `States.JsonToString`, and with it the failure notification), long ones and containers summarized.
 */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : `'${value}'`;
  }
  if (typeof value === 'object') return 'an object';
  return typeof value === 'function' || typeof value === 'symbol' ? typeof value : String(value);
}

/** `regions.main.availabilityZones[0]`, prefixed with `root` when given. */
export function formatPath(path: readonly PropertyKey[], root?: string): string {
  let out = root ?? '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

const TYPE_NAMES: Readonly<Record<string, string>> = { int: 'integer', array: 'list', tuple: 'list' };

function got(issue: Issue): string {
  if (!('input' in issue)) return '';
  return issue.input === undefined ? ' (missing)' : `, got ${describeValue(issue.input)}`;
}

function plural(n: number | bigint, what: string): string {
  return `${String(n)} ${what}${Number(n) === 1 ? '' : 's'}`;
}

function bound(issue: core.$ZodIssueTooSmall | core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin === 'string') {
    if (small && Number(limit) === 1) return 'expected a non-empty string';
    return `expected ${small ? 'at least' : 'at most'} ${plural(limit, 'character')}`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    return `expected ${small ? 'at least' : 'at most'} ${plural(limit, 'item')}`;
  }
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `expected ${op} ${String(limit)}`;
}

/** What a union member expected when it rejected the value outright (by type or value). */
function rootExpectation(issues: readonly Issue[]): string | undefined {
  const [only] = issues;
  if (issues.length !== 1 || only === undefined || only.path.length > 0) return undefined;
  if (only.code === 'invalid_type') return TYPE_NAMES[only.expected] ?? only.expected;
  if (only.code === 'invalid_value') return only.values.map((v) => describeValue(v)).join(' or ');
  return undefined;
}

function describeUnion(issue: core.$ZodIssueInvalidUnion): IssueProblem[] {
  const expectations = issue.errors.map(rootExpectation);
  // A member that accepted the value's type explains the problem best: report its own issues.
  const closest = issue.errors.find((_, i) => expectations[i] === undefined);
  if (closest !== undefined) {
    return problemsOf(closest).map((p) => ({ path: [...issue.path, ...p.path], problem: p.problem }));
  }
  const expected = expectations.filter((e) => e !== undefined).join(' or ');
  return [{ path: issue.path, problem: `expected ${expected || 'a valid value'}${got(issue)}` }];
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      // A key the schema forbids (z.never) carries its own reason: where the setting moved.
      if (issue.expected === 'never') return `${issue.message}${got(issue)}`;
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}${got(issue)}`;
    case 'too_small':
    case 'too_big':
      return `${bound(issue)}${got(issue)}`;
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? '' : 'one of '}${issue.values.map((v) => describeValue(v)).join(', ')}${got(issue)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_format':
      // Every pattern in the project carries its own "expected …" message.
      return `${issue.format === 'regex' ? issue.message : `expected a valid ${issue.format}`}${got(issue)}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}${got(issue)}`;
    default:
      return issue.message;
  }
}

/** Each issue as a path and a problem; a union's issues resolved to the member that fit best. */
export function problemsOf(issues: readonly Issue[]): IssueProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'invalid_union' ? describeUnion(issue) : [{ path: issue.path, problem: describe(issue) }],
  );
}

/** One `path: problem` line per issue, paths prefixed with `root` (e.g. `input.mode`). */
export function describeIssues(error: IssueList, root?: string): string[] {
  return problemsOf(error.issues).map((p) => `${formatPath(p.path, root)}: ${p.problem}`);
}

/** A file's problems: `heading`, then one `  - path: problem` line each. */
export function formatIssueList(heading: string, lines: readonly string[]): string {
  return [heading, ...lines.map((l) => `  - ${l}`)].join('\n');
}
