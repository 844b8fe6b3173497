import { asError } from '../shared/errors';

/**
 * `err` with `label: ` before its message, e.g. `service api: UpdateService: …`: the same object,
 * so its class and `name` (what the state machine's Retry and Catch match) stay as they were.
 */
export function namingEntry(label: string, err: unknown): Error {
  const e = asError(err);
  if (!e.message.startsWith(`${label}: `)) e.message = `${label}: ${e.message}`;
  return e;
}
