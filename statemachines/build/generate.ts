import { writeFileSync } from 'node:fs';
import { FAILOVER_ASL_PATH } from '../definition';
import { buildFailoverDefinition } from './failover';

/** The committed text of the definition: what `npm run gen:definition` writes, byte for byte. */
export function renderFailoverDefinition(): string {
  return `${JSON.stringify(buildFailoverDefinition(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(FAILOVER_ASL_PATH, renderFailoverDefinition());
  process.stdout.write(`wrote ${FAILOVER_ASL_PATH}\n`);
}
