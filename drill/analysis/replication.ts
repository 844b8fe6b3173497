import { otherRole } from '../../infra/config/schema';
import type { DrillRun } from '../runner/run';
import { S3_METRIC_PERIOD_SECONDS } from '../sim/s3/metrics';
import type { S3Object } from '../sim/s3/s3';
import type { World } from '../sim/world';

/**
 * S3 replication as the drill saw it, over every bucket pair (`buckets[]`): the objects of the
 * region traffic left not yet in the promoted region's buckets when the first execution started
 * (the S3 part of the data-loss window of a failover), and on a failback whether every object
 * written in DR before it started was in main before traffic moved back. Per-bucket detail appears
 * only when the application has more than one bucket, so a one-bucket report keeps its shape.
 */

/** The backlog of the region traffic leaves, over its buckets or in one. */
export interface BacklogFigures {
  /** Objects written in the region traffic leaves and not yet replicated when the first execution started. */
  readonly pendingAtStart: number;
  /** Of those, still not replicated when the drill ended (on a failover: stuck in the region that is down). */
  readonly pendingAtEnd: number;
}

/** The S3 figures of one drill: the totals over every bucket. */
export interface ReplicationFigures extends BacklogFigures {
  /** Each bucket's (its `buckets[]` entry), in config order; only when there is more than one. */
  readonly buckets?: readonly ({ readonly bucket: string } & BacklogFigures)[];
}

function firstStart(run: DrillRun): number {
  return Math.min(...run.executions.map((e) => e.startedAt));
}

function backlog(run: DrillRun, entry?: string): BacklogFigures {
  const w = run.world;
  const atStart = w.s3.pending(w.sourceRole, firstStart(run), entry);
  return {
    pendingAtStart: atStart.length,
    pendingAtEnd: atStart.filter((o) => w.s3.replicatedAt(o) > run.endedAt).length,
  };
}

/** The S3 figures of `run`. */
export function replicationFigures(run: DrillRun): ReplicationFigures {
  const { entries } = run.world.s3;
  const total = backlog(run);
  if (entries.length < 2) return total;
  return { ...total, buckets: entries.map((bucket) => ({ bucket, ...backlog(run, bucket) })) };
}

/**
 * Failback (`--role main`): traffic moves back to main only once every object written in DR before
 * the failback started is in main's bucket. Objects written in DR after the start, while the
 * failback runs, are counted when still in flight at the move (within one replication lag of it).
 */
export function judgeReplicationBeforeFailback(run: DrillRun): { held: boolean; detail: string } {
  const w = run.world;
  const target = w.targetRole;
  const source = otherRole(target);
  const start = firstStart(run);
  const answers = w.traffic.answers(start, run.endedAt);
  const moved = answers.find((a, i) => i > 0 && a.role === target)?.at;
  const written = w.s3.writtenIn(source);
  const before = written.filter((o) => o.writtenAt <= start);
  const several = w.s3.entries.length > 1;
  // With several buckets, each count is followed by its split, bucket by bucket.
  const split = (objects: readonly S3Object[]) =>
    several
      ? ` (${w.s3.entries.map((e) => `${e} ${objects.filter((o) => o.bucket === e).length}`).join(', ')})`
      : '';
  if (moved === undefined) {
    const left = before.filter((o) => w.s3.replicatedAt(o) > run.endedAt);
    return {
      held: true,
      detail: `traffic did not move back; ${left.length}${split(left)} of the ${before.length} object(s) written in ${source} before the start still not in ${target} at the end`,
    };
  }
  const late = before.filter((o) => w.s3.replicatedAt(o) > moved);
  const inFlight = written.filter(
    (o) => o.writtenAt > start && o.writtenAt <= moved && w.s3.replicatedAt(o) > moved,
  );
  const [first] = late;
  const example = first === undefined ? '?' : several ? `${first.bucket}: ${first.key}` : first.key;
  return {
    held: late.length === 0,
    detail:
      late.length === 0
        ? `all ${before.length}${split(before)} object(s) written in ${source} before the start were in ${target} when traffic moved back (${moved.toFixed(0)} s); ${inFlight.length} written since still in flight at the move (within one replication lag)`
        : `${late.length}${split(late)} of the ${before.length} object(s) written in ${source} before the start were NOT in ${target} when traffic moved back (${moved.toFixed(0)} s), e.g. ${example}`,
  };
}

/**
 * A failback's S3 drain, for the lower bound (`critical-path.ts`'s `DrainHad`): seconds after
 * `origin` (the first trigger) at which S3's replication metrics could first show that every
 * object written in the region traffic leaves before `origin` is in the promoted region. S3
 * reports replication "minute-by-minute" (S3 User Guide, replication metrics): a minute's reading
 * exists once the minute ends, so no orchestration can know sooner. Per bucket, the latest minute
 * ended by `origin`, then each later one, until a reading shows nothing pending or only objects
 * written after `origin`; the slowest bucket's. Undefined on a failover (the drain never waits).
 */
export function drainReadyAfter(w: World, origin: number): number | undefined {
  if (w.targetRole !== 'main') return undefined;
  const source = otherRole(w.targetRole);
  // The simulated metric's minutes end on multiples of the period (`../sim/s3/metrics.ts`).
  const period = S3_METRIC_PERIOD_SECONDS;
  const first = Math.floor(origin / period) * period;
  // A backlog that never clears (an outage without end) has no reading to wait for: no bound.
  const limit = first + 24 * 60 * 60;
  let ready = 0;
  for (const entry of w.s3.entries) {
    let end = first;
    while (end <= limit && w.s3.pending(source, end, entry).some((o) => o.writtenAt < origin)) end += period;
    if (end > limit) return undefined;
    ready = Math.max(ready, Math.max(end, origin) - origin);
  }
  return ready;
}
