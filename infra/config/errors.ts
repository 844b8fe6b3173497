/**
 * A configuration problem a user can fix: the message names the file, the key path and what was
 * expected. The CDK entry prints it and exits non-zero without a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
