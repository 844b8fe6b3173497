import type { RegionRole } from '../../infra/config/schema';
import type { Timings } from '../timing';
import type { ZoneCapacity } from './capacity';
import type { IdSource } from './ids';
import type { Outages } from './outages';
import type { Scheduler } from './scheduler';

/** What every service model reads from the world around it: time, durations, ids, the network. */
export interface ModelContext {
  readonly clock: Scheduler;
  readonly timings: Timings;
  readonly ids: IdSource;
  readonly outages: Outages;
  /** Whether EC2 and RDS have capacity of a type in a zone (the capacity faults shape it). */
  readonly capacity: ZoneCapacity;
  /** The region a role runs in. */
  regionOf(role: RegionRole): string;
}
