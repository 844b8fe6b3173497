import { InvalidInputError } from './errors';

/** The process environment, or a fake one in tests and the drill. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Read required environment variables; throws naming every missing one. A variable is missing when
 * unset or empty, except those in `mayBeEmpty`: infra sets them to `''` to say "none" (e.g. no
 * capacity parameter for capacity the team deployed), so only unset counts as missing for them.
 */
export function requireEnv<K extends string>(
  names: readonly K[],
  env: Env = process.env,
  mayBeEmpty: readonly K[] = [],
): Record<K, string> {
  const missing = names.filter((n) => env[n] === undefined || (env[n] === '' && !mayBeEmpty.includes(n)));
  if (missing.length > 0) {
    throw new InvalidInputError(`missing environment variable(s): ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((n) => [n, env[n]])) as Record<K, string>;
}

/** Parse the value `raw` of variable `name` as an integer ≥ `min`; throws naming the variable. */
export function parseIntVar(name: string, raw: string, min = 0): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min) {
    const expected = min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
    throw new InvalidInputError(`environment variable ${name}: expected ${expected}, got '${raw}'`);
  }
  return value;
}

/**
 * Parse the value `raw` of variable `name` as a comma-separated list (items trimmed, in order);
 * throws naming the variable when an item is empty.
 */
export function parseListVar(name: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new InvalidInputError(
      `environment variable ${name}: expected a comma-separated list without empty items, got '${raw}'`,
    );
  }
  return items;
}

/** A comma-separated list variable: its name and value. */
export interface ListVar {
  readonly name: string;
  readonly raw: string;
}

/** `a`, `a and b`, `a, b and c` */
const andList = (items: readonly string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * Comma-separated lists that pair up by index: entry i of each goes with entry i of the others
 * (e.g. entry i of `SOURCE_BUCKETS` replicates to entry i of `TARGET_BUCKETS` under the rule
 * entry i of `SOURCE_REPLICATION_RULE_IDS`). Returns the lists in the order given.
 *
 * @throws InvalidInputError naming the variable with an empty item, or every variable (with its
 * length) when their lengths differ
 */
export function parsePairedListVars<T extends readonly [ListVar, ListVar, ...ListVar[]]>(
  ...vars: T
): { [I in keyof T]: string[] } {
  const lists = vars.map((v) => parseListVar(v.name, v.raw));
  const lengths = lists.map((l) => l.length);
  if (lengths.some((n) => n !== lengths[0])) {
    throw new InvalidInputError(
      `environment variables ${andList(vars.map((v, i) => `${v.name} (${lengths[i]})`))}: expected lists of the same length (entry i of each goes with entry i of the others)`,
    );
  }
  return lists as { [I in keyof T]: string[] };
}

/** Variables every failover function gets: which region it promotes and which one it leaves. */
export const REGION_ENV = ['TARGET_ROLE', 'TARGET_REGION', 'SOURCE_REGION'] as const;

export interface RegionSettings {
  /** `main` or `dr`: the role of the region this function promotes. */
  readonly targetRole: 'main' | 'dr';
  /** The region this function runs in and promotes. */
  readonly targetRegion: string;
  /** The region being left (may be down). */
  readonly sourceRegion: string;
}

/** Build {@link RegionSettings} from values already checked present by {@link requireEnv}. */
export function regionSettings(raw: Record<(typeof REGION_ENV)[number], string>): RegionSettings {
  const role = raw.TARGET_ROLE;
  if (role !== 'main' && role !== 'dr') {
    throw new InvalidInputError(`environment variable TARGET_ROLE: expected 'main' or 'dr', got '${role}'`);
  }
  return { targetRole: role, targetRegion: raw.TARGET_REGION, sourceRegion: raw.SOURCE_REGION };
}
