import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors';
import { ConfigSchema, type ProjectConfig } from './schema';

/** Where project YAML files live, relative to the repository root. */
export const CONFIG_DIR = resolve(__dirname, '..', '..', 'project-config');

/** Project names available in `dir` (each `<name>.yml`). */
export function listProjects(dir: string = CONFIG_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -'.yml'.length))
    .sort();
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}${issue.input === undefined ? ' (missing)' : `, got ${describeValue(issue.input)}`}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least' : '>='} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}, got ${describeValue(issue.input)}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : '<='} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}

/**
 * Parse and validate one project's YAML. Throws {@link ConfigError} naming the file, each offending
 * key path and what was expected.
 */
export function parseConfig(text: string, file: string): ProjectConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first?.linePos?.[0]
      ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})`
      : '';
    throw new ConfigError(
      `${file}: invalid YAML${where}: ${first?.message.split('\n')[0] ?? 'unknown error'}`,
    );
  }
  // reportInput: zod 4 omits the offending value from issues otherwise ("got undefined").
  const result = ConfigSchema.safeParse(doc.toJS(), { reportInput: true });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${formatPath(i.path)}: ${describeIssue(i)}`);
    throw new ConfigError(`${file}: invalid configuration\n${lines.join('\n')}`);
  }
  return result.data;
}

/**
 * Load `project-config/<project>.yml`. `project` normally comes from `cdk -c project=<name>`.
 */
export function loadConfig(project: unknown, dir: string = CONFIG_DIR): ProjectConfig {
  const available = listProjects(dir);
  if (project === undefined || project === null || project === '') {
    throw new ConfigError(
      `missing project: pass -c project=<name> (available: ${available.join(', ') || 'none in project-config/'})`,
    );
  }
  if (typeof project !== 'string' || !/^[A-Za-z0-9_-]+$/.test(project)) {
    throw new ConfigError(
      `invalid project name ${JSON.stringify(project)}: expected letters, digits, - or _`,
    );
  }
  const file = join(dir, `${project}.yml`);
  if (!existsSync(file)) {
    throw new ConfigError(
      `unknown project '${project}': no project-config/${project}.yml (available: ${available.join(', ') || 'none'})`,
    );
  }
  return parseConfig(readFileSync(file, 'utf8'), `project-config/${project}.yml`);
}
