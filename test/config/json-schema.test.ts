import { readFileSync } from 'node:fs';
import { JSON_SCHEMA_FILE, renderJsonSchema } from '../../infra/config/generate-json-schema';

describe('project-config/config.schema.json', () => {
  it('matches the zod schema (regenerate with `npm run gen:schema`)', () => {
    const committed = readFileSync(JSON_SCHEMA_FILE, 'utf8');
    const fresh = renderJsonSchema();
    if (committed !== fresh) {
      throw new Error('project-config/config.schema.json is stale: run `npm run gen:schema` and commit it');
    }
    expect(committed).toBe(fresh);
  });
});
