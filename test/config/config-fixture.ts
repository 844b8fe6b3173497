import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Document, parseDocument } from 'yaml';
import { ConfigError } from '../../infra/config/errors';
import { CONFIG_DIR, loadConfig } from '../../infra/config/load';

/** The text of `project-config/<project>.yml`. */
export function projectYaml(project: string): string {
  return readFileSync(join(CONFIG_DIR, `${project}.yml`), 'utf8');
}

/** Writes `source` (a project's YAML), changed by `edit`, as `<dir>/<name>.yml`. */
export function writeVariant(
  dir: string,
  name: string,
  edit: (doc: Document) => void,
  source: string = projectYaml('base'),
): void {
  const doc = parseDocument(source);
  edit(doc);
  writeFileSync(join(dir, `${name}.yml`), doc.toString());
}

/** The {@link ConfigError} `loadConfig(project, dir)` throws; fails the test when it loads. */
export function loadError(project: unknown, dir?: string): ConfigError {
  try {
    loadConfig(project, dir);
  } catch (err: unknown) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected loadConfig(${String(project)}) to fail`);
}

/** A file name for the case described by `what`. */
export function variantName(what: string): string {
  return what.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '');
}
