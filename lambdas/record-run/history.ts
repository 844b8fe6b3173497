import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { awsCall } from '../shared/errors';

/** GetExecutionHistory's largest page (API reference: `maxResults` 0–1000). */
export const HISTORY_PAGE_SIZE = 1000;
/** Step Functions keeps at most 25,000 events per execution (Standard workflows' quota). */
export const HISTORY_EVENT_LIMIT = 25_000;
/**
 * Pages enough for the longest history there can be; a service that keeps answering with a
 * `nextToken` past it is not trusted to end, and the record says the history was cut.
 */
export const MAX_HISTORY_PAGES = Math.ceil(HISTORY_EVENT_LIMIT / HISTORY_PAGE_SIZE);

/** An execution's history as read: its events in order, and whether the read stopped at the page cap. */
export interface History {
  readonly events: readonly HistoryEvent[];
  readonly truncated: boolean;
}

/**
 * Read the execution's history, oldest first, with each state's input and output
 * (`includeExecutionData`). Throws `TransientAwsError` on throttling and 5xx; any other SDK error
 * (AccessDenied, ExecutionDoesNotExist) passes through with its own name.
 */
export async function readHistory(sfn: SFNClient, executionArn: string): Promise<History> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const out = await awsCall('GetExecutionHistory', () =>
      sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          maxResults: HISTORY_PAGE_SIZE,
          includeExecutionData: true,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      ),
    );
    // The record never reads a state's input (only exits' outputs): dropped as pages arrive, so a
    // long history's execution data does not pile up in the function's memory.
    for (const e of out.events ?? []) {
      const entered = e.stateEnteredEventDetails;
      events.push(
        entered?.input === undefined
          ? e
          : { ...e, stateEnteredEventDetails: { ...entered, input: undefined } },
      );
    }
    nextToken = out.nextToken;
    if (nextToken === undefined) return { events, truncated: false };
  }
  return { events, truncated: true };
}
