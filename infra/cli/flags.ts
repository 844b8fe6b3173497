import { parseArgs } from 'node:util';
import { describeValue } from '../../lambdas/shared/describe-issues';

/** Bad flags: each problem on its own line, then the command's usage; exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly problems: readonly string[],
    readonly usage: string,
  ) {
    super(problems.join('\n'));
  }
}

export type FlagSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;

export interface ParsedFlags {
  readonly strings: ReadonlyMap<string, string>;
  readonly booleans: ReadonlySet<string>;
  readonly positionals: readonly string[];
  readonly help: boolean;
  /** Every problem found, in argument order: unknown options, missing values, extra arguments. */
  readonly problems: string[];
}

/** Flags every command takes. */
export const COMMON_FLAGS: FlagSpec = {
  project: { type: 'string' },
  profile: { type: 'string' },
  help: { type: 'boolean' },
};

/** What the operator typed, as every problem line quotes it (`'eu'`; a long value summarized). */
export function quoted(value: string): string {
  return describeValue(value);
}

/** `--flag: expected <what>, got 'x'`, or `(missing)` when the flag was not given. */
export function expected(flag: string, what: string, got: string | undefined): string {
  return `--${flag}: expected ${what}${got === undefined ? ' (missing)' : `, got ${quoted(got)}`}`;
}

/**
 * Read `argv` against `spec` (plus {@link COMMON_FLAGS}) without stopping at the first problem, so the
 * operator sees them all at once. `-h` is `--help`.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec, maxPositionals: number): ParsedFlags {
  const all: FlagSpec = { ...COMMON_FLAGS, ...spec };
  const { tokens } = parseArgs({
    args: [...argv],
    options: { help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const strings = new Map<string, string>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  const problems: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (positionals.length < maxPositionals) positionals.push(token.value);
      else problems.push(`${quoted(token.value)}: unexpected argument`);
      continue;
    }
    const type = all[token.name]?.type;
    if (type === undefined) {
      problems.push(`${token.rawName}: unknown option`);
    } else if (type === 'boolean') {
      if (token.inlineValue) problems.push(`--${token.name}: takes no value`);
      else booleans.add(token.name);
    } else if (token.value !== undefined) {
      strings.set(token.name, token.value);
    } else {
      // Unknown to parseArgs, a string flag's value arrives as the next positional token.
      const next = tokens[i + 1];
      if (next?.kind === 'positional') {
        strings.set(token.name, next.value);
        i++;
      } else {
        problems.push(`--${token.name}: expected a value`);
      }
    }
  }
  return { strings, booleans, positionals, help: booleans.has('help'), problems };
}
