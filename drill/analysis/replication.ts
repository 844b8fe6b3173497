import { otherRole } from '../../infra/config/schema';
import type { DrillRun } from '../runner/run';

/**
 * S3 replication as the drill saw it: the objects of the region traffic left not yet in the
 * promoted region's bucket when the first execution started (the S3 part of the data-loss window
 * of a failover), and on a failback whether every object written in DR before it started was in
 * main before traffic moved back.
 */

/** The S3 figures of one drill. */
export interface ReplicationFigures {
  /** Objects written in the region traffic leaves and not yet replicated when the first execution started. */
  readonly pendingAtStart: number;
  /** Of those, still not replicated when the drill ended (on a failover: stuck in the region that is down). */
  readonly pendingAtEnd: number;
}

function firstStart(run: DrillRun): number {
  return Math.min(...run.executions.map((e) => e.startedAt));
}

/** The S3 figures of `run`. */
export function replicationFigures(run: DrillRun): ReplicationFigures {
  const w = run.world;
  const start = firstStart(run);
  const atStart = w.s3.pending(w.sourceRole, start);
  return {
    pendingAtStart: atStart.length,
    pendingAtEnd: atStart.filter((o) => w.s3.replicatedAt(o) > run.endedAt).length,
  };
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
  const written = w.s3.objects[source];
  const before = written.filter((o) => o.writtenAt <= start);
  if (moved === undefined) {
    const left = before.filter((o) => w.s3.replicatedAt(o) > run.endedAt).length;
    return {
      held: true,
      detail: `traffic did not move back; ${left} of the ${before.length} object(s) written in ${source} before the start still not in ${target} at the end`,
    };
  }
  const late = before.filter((o) => w.s3.replicatedAt(o) > moved);
  const inFlight = written.filter(
    (o) => o.writtenAt > start && o.writtenAt <= moved && w.s3.replicatedAt(o) > moved,
  );
  return {
    held: late.length === 0,
    detail:
      late.length === 0
        ? `all ${before.length} object(s) written in ${source} before the start were in ${target} when traffic moved back (${moved.toFixed(0)} s); ${inFlight.length} written since still in flight at the move (within one replication lag)`
        : `${late.length} of the ${before.length} object(s) written in ${source} before the start were NOT in ${target} when traffic moved back (${moved.toFixed(0)} s), e.g. ${late[0]?.key ?? '?'}`,
  };
}
