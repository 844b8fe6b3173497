import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CONFIG_DIR } from './load';
import { ConfigSchema } from './schema';

/** The JSON Schema editors use for `project-config/*.yml`, generated from the zod schema. */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'pilot-light project configuration' }, null, 2)}\n`;
}

export const JSON_SCHEMA_FILE = join(CONFIG_DIR, 'config.schema.json');

if (require.main === module) {
  writeFileSync(JSON_SCHEMA_FILE, renderJsonSchema());
  process.stdout.write(`wrote ${JSON_SCHEMA_FILE}\n`);
}
