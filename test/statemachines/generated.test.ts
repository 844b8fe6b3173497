import { readFileSync } from 'node:fs';
import { renderFailoverDefinition } from '../../statemachines/build/generate';
import { FAILOVER_ASL_PATH } from '../../statemachines/definition';

describe('statemachines/failover.asl.json', () => {
  it('is exactly what `npm run gen:definition` writes (the committed file is not stale)', () => {
    // Prepare
    const committed = readFileSync(FAILOVER_ASL_PATH, 'utf8');

    // Act
    const generated = renderFailoverDefinition();

    // Assess
    expect(committed).toBe(generated);
  });
});
