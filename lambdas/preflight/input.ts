import type { ExecutionInput } from '../shared/contracts';
import { describeIssues } from '../shared/describe-issues';
import { InvalidInputError } from '../shared/errors';
import { ExecutionInputSchema } from '../shared/execution-input-schema';

/**
 * Validate the execution input (`{ mode, reason, dryRun?, trigger? }`, nothing else); throws
 * InvalidInputError naming each bad field and what was expected, e.g.
 * `invalid execution input: input.mode: expected one of 'planned', 'unplanned', 'auto', got 'fast'`.
 */
export function parseExecutionInput(input: unknown): ExecutionInput {
  const parsed = ExecutionInputSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    throw new InvalidInputError(
      `invalid execution input: ${describeIssues(parsed.error, 'input').join('; ')}`,
    );
  }
  return parsed.data;
}

/** Parse the execution's `startTime` (`$$.Execution.StartTime`); throws InvalidInputError if malformed. */
export function parseStartTime(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidInputError(`startTime: expected an ISO timestamp, got '${value}'`);
  }
  return date;
}
