import type { ReadinessCheckId } from '../shared/readiness-contract';
import type { CheckOutcome } from './outcome';
import type { ReadinessReads } from './reads';
import type { ReadinessDatabase, ReadinessService, ReadinessSettings } from './settings';

/**
 * One readiness check: read-only, run concurrently with the others under a deadline. Its `scope`
 * says how many findings it gives: one for the region (the shared capacity, DNS, the orchestrator,
 * the buckets), or one per entry of `databases[]` or `services[]` (each naming its entry).
 */
export type ReadinessCheckSpec = RegionCheckSpec | DatabaseCheckSpec | ServiceCheckSpec;

/** A check of the region as a whole: one finding. */
export interface RegionCheckSpec {
  readonly id: ReadinessCheckId;
  readonly scope: 'region';
  /** One line saying what the check verifies: the finding's `what` when the check cannot finish. */
  readonly what: (settings: ReadinessSettings) => string;
  /** Read and judge; a failed read may reject with a `ReadError` (the check is then UNKNOWN). */
  readonly run: (settings: ReadinessSettings, reads: ReadinessReads) => Promise<CheckOutcome>;
}

/** A check of one database (`settings.databases`): one finding per database. */
export interface DatabaseCheckSpec {
  readonly id: ReadinessCheckId;
  readonly scope: 'database';
  readonly what: (settings: ReadinessSettings, database: ReadinessDatabase) => string;
  readonly run: (
    settings: ReadinessSettings,
    reads: ReadinessReads,
    database: ReadinessDatabase,
  ) => Promise<CheckOutcome>;
}

/** A check of one service (`settings.services`): one finding per service. */
export interface ServiceCheckSpec {
  readonly id: ReadinessCheckId;
  readonly scope: 'service';
  readonly what: (settings: ReadinessSettings, service: ReadinessService) => string;
  readonly run: (
    settings: ReadinessSettings,
    reads: ReadinessReads,
    service: ReadinessService,
  ) => Promise<CheckOutcome>;
}
