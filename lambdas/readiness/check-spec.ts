import type { ReadinessCheckId } from '../shared/readiness-contract';
import type { CheckOutcome } from './outcome';
import type { ReadinessReads } from './reads';
import type { ReadinessSettings } from './settings';

/** One readiness check: read-only, run concurrently with the others under a deadline. */
export interface ReadinessCheckSpec {
  readonly id: ReadinessCheckId;
  /** One line saying what the check verifies: the finding's `what` when the check cannot finish. */
  readonly what: (settings: ReadinessSettings) => string;
  /** Read and judge; a failed read may reject with a `ReadError` (the check is then UNKNOWN). */
  readonly run: (settings: ReadinessSettings, reads: ReadinessReads) => Promise<CheckOutcome>;
}
