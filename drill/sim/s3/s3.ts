import { NoSuchBucket, S3ServiceException } from '@aws-sdk/client-s3';
import type { RegionNames } from '../../../infra/config/names';
import type { RegionRole } from '../../../infra/config/schema';
import { modeledError, serviceError } from '../aws-errors';
import type { ModelContext } from '../context';

/**
 * The application's objects in its buckets (`buckets[]`: one pair each, main's and DR's) and their
 * replication (two-way, the project's rules, each pair on its own). The application writes one
 * object into every bucket every `s3WriteIntervalSeconds`, in the region the name answers (when
 * that region is up); each object reaches the pair's other bucket `s3ReplicationLagSeconds` later,
 * unless either region is down in between: replication then resumes when both are back. Writes are
 * generated lazily up to the time asked about, so the model adds no scheduled events to the drill.
 */

/**
 * The application writes from this simulated second (before the drill), so objects in flight when
 * the first execution starts count in the backlog at the start.
 */
export const S3_WRITES_FROM = -300;

/** One object the application wrote. */
export interface S3Object {
  readonly key: string;
  /** The bucket entry (`buckets[].name`) it was written to. */
  readonly bucket: string;
  /** The bucket of the pair it was written to (its region's role). */
  readonly role: RegionRole;
  /** Simulated second of the write (negative: before the drill). */
  readonly writtenAt: number;
  /** Set for a seeded backlog: when S3 gets to it (else the replication lag after the write). */
  readonly dueAt?: number;
}

export class S3Model {
  /** Every object written, by bucket entry (config order) and region, in write order. */
  private readonly objects = new Map<string, Record<RegionRole, S3Object[]>>();
  private generatedWrites = 0;
  private written = 0;

  /**
   * @param entries the bucket entries (`buckets[].name`), in config order: one replicated pair each
   * @param servingRole the role the application's name answers with at `t` (its writes go there)
   */
  constructor(
    private readonly ctx: ModelContext,
    readonly entries: readonly string[],
    private readonly servingRole: (t: number) => RegionRole,
  ) {
    for (const entry of entries) this.objects.set(entry, { main: [], dr: [] });
  }

  /**
   * Seed `count` objects written in `role`'s bucket of `entry` (every bucket of `role` when
   * undefined) before the drill and not replicated yet: S3 works through each bucket's at
   * `perSecond` from second 0, the buckets side by side (a fault: a large backlog).
   */
  seedBacklog(role: RegionRole, count: number, perSecond: number, entry?: string): void {
    for (const bucket of this.chosen(entry)) {
      const objects = this.bucket(bucket)[role];
      for (let i = 0; i < count; i++) {
        objects.push({
          key: `backlog/${role}/${i}`,
          bucket,
          role,
          writtenAt: -1,
          dueAt: (i + 1) / perSecond,
        });
      }
      objects.sort((a, b) => a.writtenAt - b.writtenAt);
    }
  }

  /** Generate the application's writes up to `now` (idempotent; the write interval is read once per call). */
  sync(now: number = this.ctx.clock.now()): void {
    const interval = this.ctx.timings.s3WriteIntervalSeconds;
    if (interval <= 0) return;
    // Writes fall mid-interval (interval/2, 3·interval/2, …), not on the minute boundaries where
    // S3's per-minute reading is taken.
    for (let k = this.generatedWrites; S3_WRITES_FROM + (k + 0.5) * interval <= now; k++) {
      const t = S3_WRITES_FROM + (k + 0.5) * interval;
      this.generatedWrites = k + 1;
      const role = this.servingRole(t);
      if (this.down(role, t)) continue;
      this.written += 1;
      for (const [bucket, objects] of this.objects) {
        objects[role].push({ key: `app/${this.written}`, bucket, role, writtenAt: t });
      }
    }
  }

  /**
   * Every object written in `role`'s bucket of `entry` (every bucket of `role` when undefined, in
   * config order), in write order, as generated so far.
   */
  writtenIn(role: RegionRole, entry?: string): S3Object[] {
    return this.chosen(entry).flatMap((b) => this.bucket(b)[role]);
  }

  /** When `o` is in the pair's other bucket (Infinity: not while an outage without end lasts). */
  replicatedAt(o: S3Object): number {
    const other: RegionRole = o.role === 'main' ? 'dr' : 'main';
    const lag = this.ctx.timings.s3ReplicationLagSeconds;
    let at = o.dueAt ?? o.writtenAt + lag;
    // Stopped while either region is down; it resumes (one lag) after the later of the two is back.
    for (const role of [o.role, other]) {
      const outage = this.ctx.outages.regions.get(this.ctx.regionOf(role));
      if (outage === undefined) continue;
      const from = outage.from;
      if (from > at || (outage.until !== undefined && outage.until <= Math.max(o.writtenAt, 0))) continue;
      at = outage.until === undefined ? Number.POSITIVE_INFINITY : Math.max(at, outage.until + lag);
    }
    return at;
  }

  /**
   * Objects written in `role`'s bucket of `entry` (every bucket of `role` when undefined) by `t`
   * and not yet in the pair's other bucket at `t`.
   */
  pending(role: RegionRole, t: number, entry?: string): S3Object[] {
    this.sync(Math.min(t, this.ctx.clock.now()));
    return this.writtenIn(role, entry).filter((o) => o.writtenAt <= t && this.replicatedAt(o) > t);
  }

  /** `[entry]`, or every entry when undefined. */
  private chosen(entry: string | undefined): readonly string[] {
    return entry === undefined ? this.entries : [entry];
  }

  private bucket(entry: string): Record<RegionRole, S3Object[]> {
    const objects = this.objects.get(entry);
    if (objects === undefined) {
      throw new Error(`no bucket entry '${entry}' in the drill's S3 (buckets: ${this.entries.join(', ')})`);
    }
    return objects;
  }

  private down(role: RegionRole, t: number): boolean {
    return this.ctx.outages.regionDown(this.ctx.regionOf(role), t);
  }
}

/** One version of an object in a run-record bucket. */
export interface StoredObject {
  readonly key: string;
  readonly body: string;
  readonly contentType?: string;
  readonly serverSideEncryption: string;
  readonly versionId: string;
  /** Simulated second of the put. */
  readonly at: number;
}

/** The run-record buckets (`names.ts` `runRecordBucketName`), versioned, as the orchestrator stacks create them. */
export class RunRecordBuckets {
  /** Bucket name → its region and its objects' versions by key (newest last). */
  readonly buckets = new Map<
    string,
    { readonly region: string; readonly objects: Map<string, StoredObject[]> }
  >();

  constructor(regions: readonly RegionNames[]) {
    for (const r of regions)
      this.buckets.set(r.runRecordBucketName, { region: r.region, objects: new Map() });
  }

  /** The current version of every object in `bucket`, by key. */
  current(bucket: string): Map<string, StoredObject> {
    const out = new Map<string, StoredObject>();
    for (const [key, versions] of this.buckets.get(bucket)?.objects ?? []) {
      const last = versions[versions.length - 1];
      if (last !== undefined) out.set(key, last);
    }
    return out;
  }
}

/** The encryption the run-record bucket's policy requires of every put (`infra/constructs/run-record-bucket.ts`). */
export const REQUIRED_SSE = 'AES256';

/**
 * The bucket as S3 answers for a request sent to `region`: NoSuchBucket (404) when it does not
 * exist, PermanentRedirect (301) when it lives in another region.
 */
export function bucketIn<B extends { readonly region: string }>(bucket: B | undefined, region: string): B {
  if (bucket === undefined) throw modeledError(NoSuchBucket, 'The specified bucket does not exist', 404);
  if (bucket.region !== region) {
    throw serviceError(
      S3ServiceException,
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      301,
    );
  }
  return bucket;
}
