import { ConfigError } from '../config/errors';
import { UsageError } from './flags';

/** Exit status of a CLI whose flags or config are wrong: nothing was asked of AWS. */
export const SETUP_ERROR_EXIT = 2;

/**
 * Report a bad flag or config as the CLIs do (`error: …` lines, then the usage for flags) and
 * return {@link SETUP_ERROR_EXIT}; rethrow anything else.
 */
export function reportSetupError(err: unknown, write: (text: string) => void): number {
  if (err instanceof UsageError) {
    write(`${err.problems.map((p) => `error: ${p}`).join('\n')}\n\n${err.usage}`);
    return SETUP_ERROR_EXIT;
  }
  if (err instanceof ConfigError) {
    write(`error: ${err.message}`);
    return SETUP_ERROR_EXIT;
  }
  throw err;
}
