import { InvalidInputError } from './errors';

/** The process environment, or a fake one in tests and the drill. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Read required environment variables; throws naming every missing one. */
export function requireEnv<K extends string>(names: readonly K[], env: Env = process.env): Record<K, string> {
  const missing = names.filter((n) => !env[n]);
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

/**
 * Two comma-separated lists that pair up by index (entry i of `a` replicates to entry i of `b`).
 *
 * @throws InvalidInputError naming the variable with an empty item, or both when their lengths differ
 */
export function parsePairedListVars(
  a: { readonly name: string; readonly raw: string },
  b: { readonly name: string; readonly raw: string },
): [string[], string[]] {
  const first = parseListVar(a.name, a.raw);
  const second = parseListVar(b.name, b.raw);
  if (first.length !== second.length) {
    throw new InvalidInputError(
      `environment variables ${a.name} and ${b.name}: expected lists of the same length (entry i of one replicates to entry i of the other), got ${first.length} and ${second.length}`,
    );
  }
  return [first, second];
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
