import type { RegionRole } from '../../infra/config/schema';
import type { Timings } from '../timing';
import type { IdSource } from './ids';
import type { Outages } from './outages';
import type { Scheduler } from './scheduler';

/** What every service model reads from the world around it: time, durations, ids, the network. */
export interface ModelContext {
  readonly clock: Scheduler;
  readonly timings: Timings;
  readonly ids: IdSource;
  readonly outages: Outages;
  /** The region a role runs in. */
  regionOf(role: RegionRole): string;
}
