import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DrillUsageError } from '../errors';

/**
 * Refuse an `--out` the report could not be written to, before the drill runs (a drill takes
 * seconds; failing after it, with the results lost, would waste them): a file in the way, or a
 * folder (or the nearest existing parent of one to create) this process may not write to.
 *
 * @param access how writability is checked (tests pass a refusing one: root may write anywhere)
 * @throws DrillUsageError naming the path and why
 */
export function checkOutDir(dir: string, access: typeof accessSync = accessSync): void {
  let existing = dir;
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  const what = existing === dir ? dir : `${dir} (its parent ${existing})`;
  if (!statSync(existing).isDirectory()) {
    throw new DrillUsageError(`--out ${what}: is a file, not a folder`);
  }
  try {
    access(existing, constants.W_OK | constants.X_OK);
  } catch (err: unknown) {
    const code = (err as { code?: unknown }).code;
    throw new DrillUsageError(`--out ${what}: not writable (${typeof code === 'string' ? code : 'EACCES'})`, {
      cause: err,
    });
  }
}
