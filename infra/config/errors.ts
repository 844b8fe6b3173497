import { describeIssues, formatIssueList, type IssueList } from '../../lambdas/shared/describe-issues';

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

/**
 * `file: invalid configuration`, then one `  - a.b.c: expected X, got Y` line per problem. Parse
 * with `{ reportInput: true }` so each line can say what was found.
 */
export function invalidConfiguration(file: string, error: IssueList): ConfigError {
  return new ConfigError(formatIssueList(`${file}: invalid configuration`, describeIssues(error)));
}
