import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseYaml } from '../../lambdas/shared/parse-yaml';
import { ConfigError, invalidConfiguration } from './errors';
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

/**
 * Parse and validate one project's YAML. Throws {@link ConfigError} naming the file, each offending
 * key path and what was expected.
 */
export function parseConfig(text: string, file: string): ProjectConfig {
  const data = parseYaml(text, file, (message) => new ConfigError(message));
  const result = ConfigSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw invalidConfiguration(file, result.error);
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
