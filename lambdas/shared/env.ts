import { InvalidInputError } from './errors';

type Env = Readonly<Record<string, string | undefined>>;

/** Read required environment variables; throws naming every missing one. */
export function requireEnv<K extends string>(names: readonly K[], env: Env = process.env): Record<K, string> {
  const missing = names.filter((n) => !env[n]);
  if (missing.length > 0) {
    throw new InvalidInputError(`missing environment variable(s): ${missing.join(', ')}`);
  }
  return Object.fromEntries(names.map((n) => [n, env[n]])) as Record<K, string>;
}

/** Parse a required non-negative integer variable. */
export function intEnv(name: string, env: Env = process.env): number {
  const raw = requireEnv([name], env)[name];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(
      `environment variable ${name}: expected a non-negative integer, got '${raw}'`,
    );
  }
  return value;
}
