import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The workflow's single source: CDK, the tests and the drill all read this file. */
export const FAILOVER_ASL_PATH = join(__dirname, 'failover.asl.json');

const PLACEHOLDER = /\$\{([A-Za-z0-9]+)\}/g;

/** The raw definition text, with its `${Name}` placeholders. */
export function readFailoverDefinition(path: string = FAILOVER_ASL_PATH): string {
  return readFileSync(path, 'utf8');
}

/** Placeholder names used in a definition, sorted and unique. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].sort();
}

/**
 * Apply `definitionSubstitutions` the way Step Functions does and parse the result. Throws naming
 * any placeholder without a value, so a missing substitution fails here rather than at deploy.
 */
export function substitute(text: string, values: Readonly<Record<string, string>>): unknown {
  const missing = placeholders(text).filter((name) => values[name] === undefined);
  if (missing.length > 0) throw new Error(`no substitution for: ${missing.join(', ')}`);
  return JSON.parse(text.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? ''));
}
