import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The infra specs, one per stack or construct (`*.spec.ts` beside this file), run as one Jest test
 * file. Jest gives every test file its own module registry, so each infra file paid the seconds
 * aws-cdk-lib's lazily loaded modules take to load (~6 s of each ~8 s file); loaded once here, the
 * specs cost what their own apps cost. Run one spec with `npx jest test/infra -t '<describe name>'`.
 */
const specs = readdirSync(__dirname)
  .filter((f) => f.endsWith('.spec.ts'))
  .sort();

it('finds the infra specs', () => {
  expect(specs.length).toBeGreaterThanOrEqual(17);
});

for (const spec of specs) require(join(__dirname, spec));
