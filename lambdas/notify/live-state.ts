import { DescribeGlobalClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { asError, isTransient, rethrow } from '../shared/errors';
import type { DatabaseOf } from '../shared/resources';
import { withTimeout } from '../shared/timeout';

/** How long a notification waits for the live read: it must go out even if RDS does not answer. */
export const LIVE_READ_TIMEOUT_MS = 5_000;

/** Where a global database's writer is, read in this region (which is up: it runs this code). */
export type WriterRegion =
  | {
      readonly known: true;
      readonly region: string;
      /** A switchover or failover AWS is running (`FailoverState`): the region it moves the writer to. */
      readonly movingTo?: string;
    }
  | { readonly known: false; readonly why: string };

/** The region of a cluster ARN (`arn:<partition>:rds:<region>:<account>:cluster:<id>`). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/**
 * The writer member of the global cluster, or why it could not be read.
 * @throws TransientAwsError the read was throttled, timed out or met a 5xx
 */
export async function readWriterRegion(rds: RDSClient, globalClusterId: string): Promise<WriterRegion> {
  try {
    const out = await withTimeout(
      (abortSignal) =>
        rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalClusterId }), {
          abortSignal,
        }),
      LIVE_READ_TIMEOUT_MS,
      'DescribeGlobalClusters',
    );
    const global = out.GlobalClusters?.[0];
    const writer = global?.GlobalClusterMembers?.find((m) => m.IsWriter === true);
    const region = writer?.DBClusterArn === undefined ? undefined : regionOfArn(writer.DBClusterArn);
    if (region === undefined) return { known: false, why: 'no writer member listed' };
    const to = global?.FailoverState?.ToDbClusterArn;
    const movingTo = to === undefined ? undefined : regionOfArn(to);
    return movingTo === undefined || movingTo === region
      ? { known: true, region }
      : { known: true, region, movingTo };
  } catch (err: unknown) {
    // A throttled or failed read is retried by the state machine (then the raw state goes out):
    // a notice must not say "not promoted here" because a read was throttled. A permanent error
    // (e.g. AccessDenied) is reported in the notice instead.
    if (isTransient(err)) rethrow(err, 'DescribeGlobalClusters');
    const e = asError(err);
    return { known: false, why: `${e.name}: ${e.message}` };
  }
}

/** One database of `databases[]` and where its writer is. */
export interface DatabaseWriter {
  /** The entry's `name`. */
  readonly name: string;
  readonly writer: WriterRegion;
}

/**
 * The writer of every database's global cluster, in config order, read at once (each bounded).
 * @throws TransientAwsError a read was throttled, timed out or met a 5xx (the message names the database)
 */
export async function readWriterRegions(
  rds: RDSClient,
  databases: readonly DatabaseOf<'globalClusterId'>[],
): Promise<DatabaseWriter[]> {
  return Promise.all(
    databases.map(async (db) => {
      try {
        return { name: db.name, writer: await readWriterRegion(rds, db.globalClusterId) };
      } catch (err: unknown) {
        const e = asError(err);
        e.message = `database ${db.name}: ${e.message}`;
        throw e;
      }
    }),
  );
}
