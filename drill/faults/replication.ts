import { STEPS } from '../../lambdas/shared/steps';
import { entryOf, type FaultDefinition, nameAndInt } from './args';

/**
 * Faults over S3 replication: a large backlog in the buckets of the region traffic leaves (every
 * bucket, or the one named), each worked through at a fixed rate from the drill's start. On a
 * failback it holds the Parallel at DrainReplication until main has DR's objects in every bucket (or
 * fails the run once the step's budget is spent: traffic stays in DR and the failure is notified);
 * on a failover it is only reported.
 */

/** Objects S3 replicates per second and bucket while working through the seeded backlog (an assumption). */
export const BACKLOG_DRAIN_PER_SECOND = 20;
const DEFAULT_BACKLOG_OBJECTS = 12_000;

export const REPLICATION_FAULTS = {
  'replication-backlog': {
    summary: `the region traffic leaves has N objects not yet replicated at the start in every bucket (or in the bucket named, e.g. :media or :media:6000), replicated at ${BACKLOG_DRAIN_PER_SECOND}/s per bucket: a failback waits at ${STEPS.replication.label} until they are in main (${DEFAULT_BACKLOG_OBJECTS} take ${DEFAULT_BACKLOG_OBJECTS / BACKLOG_DRAIN_PER_SECOND / 60} min), and fails with the failure notified when its budget is shorter; a failover reports them`,
    argument: {
      meaning: '[bucket:]objects',
      default: String(DEFAULT_BACKLOG_OBJECTS),
      kind: 'name-int',
      entry: 'bucket',
    },
    apply(world, _effects, argument) {
      const raw = argument ?? String(DEFAULT_BACKLOG_OBJECTS);
      const { name, count = DEFAULT_BACKLOG_OBJECTS } = nameAndInt('replication-backlog', raw);
      const entry =
        name === undefined ? undefined : entryOf(world, 'replication-backlog', raw, 'bucket', name);
      world.s3.seedBacklog(world.sourceRole, count, BACKLOG_DRAIN_PER_SECOND, entry);
    },
  },
} satisfies Record<string, FaultDefinition>;
