import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { CliDeps } from './deps';
import { formatDuration } from './format';

/** `follow` without `pollMs`: one DescribeExecution and one history page every 5 s. */
export const DEFAULT_POLL_MS = 5000;

/** One line for an event an operator cares about (a state finished, a task or the run failed). */
export function describeEvent(e: HistoryEvent): string | undefined {
  const at = e.timestamp ? e.timestamp.toISOString().slice(11, 19) : '--:--:--';
  if (e.stateExitedEventDetails) return `${at}  ✓ ${e.stateExitedEventDetails.name}`;
  if (e.taskFailedEventDetails) {
    return `${at}  ✗ task failed: ${e.taskFailedEventDetails.error ?? ''} ${e.taskFailedEventDetails.cause ?? ''}`;
  }
  if (e.executionFailedEventDetails) {
    return `${at}  ✗ execution failed: ${e.executionFailedEventDetails.error ?? ''} ${e.executionFailedEventDetails.cause ?? ''}`;
  }
  return undefined;
}

/**
 * Print each event of `executionArn` as it happens until the execution ends; returns its final
 * description. Errors of the reads are thrown: only the following stops, never the execution.
 */
export async function followExecution(
  sfn: SFNClient,
  executionArn: string,
  deps: CliDeps,
): Promise<DescribeExecutionCommandOutput> {
  let lastPrinted = 0;
  for (;;) {
    // Read the status before the history so the last events are always printed after the end.
    const status = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
      );
      for (const e of page.events ?? []) {
        if ((e.id ?? 0) <= lastPrinted) continue;
        lastPrinted = e.id ?? lastPrinted;
        const line = describeEvent(e);
        if (line) deps.out(line);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    if (status.status !== 'RUNNING') return status;
    await deps.sleep(deps.pollMs ?? DEFAULT_POLL_MS);
  }
}

/** The fields of the run's output worth a line (see `statemachines/build/`: Summarize, ReportNoAction). */
function outputLines(output: string | undefined): string[] {
  if (output === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return [`  output: ${output}`];
  }
  if (typeof parsed !== 'object' || parsed === null) return [`  output: ${output}`];
  const fields = parsed as Record<string, unknown>;
  return ['outcome', 'mode', 'targetRegion', 'message']
    .filter((k) => typeof fields[k] === 'string')
    .map((k) => `  ${k}: ${String(fields[k])}`);
}

/**
 * The state an execution left: its status and duration on stdout, then outcome and target from its
 * output, and on stderr the error and cause it failed with. Returns the exit status (0 succeeded).
 */
export function reportEnd(final: DescribeExecutionCommandOutput, deps: CliDeps): number {
  const took =
    final.startDate && final.stopDate
      ? ` after ${formatDuration(final.stopDate.getTime() - final.startDate.getTime())}`
      : '';
  deps.out(`execution ${final.status ?? 'UNKNOWN'}${took}`);
  for (const line of outputLines(final.output)) deps.out(line);
  if (final.status === 'SUCCEEDED') return 0;
  if (final.error || final.cause) deps.err(`${final.error ?? ''}: ${final.cause ?? ''}`);
  return 1;
}
