import { DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { databaseLabel } from '../scale-database/progress';
import type { FailoverMode } from '../shared/contracts';
import { asError, isThrottling, isTransient, SourceProbeError, TransientAwsError } from '../shared/errors';
import { nameList } from '../shared/name-list';
import type { DatabaseOf } from '../shared/resources';
import { settleAll } from '../shared/settle';
import { withTimeout } from '../shared/timeout';

/** What the probe learnt of the source region. */
export interface SourceProbe {
  /** The source region's RDS API answered in time, for every database. */
  readonly reachable: boolean;
  /** Every database's source cluster reported `available`. */
  readonly available: boolean;
  readonly detail: string;
}

export interface SourceProbeSettings {
  readonly sourceRegion: string;
  /** Each database's cluster in the source region (`sourceClusterId`) is probed. */
  readonly databases: readonly DatabaseOf<'sourceClusterId'>[];
  /** How long the source region's RDS API may take to answer. */
  readonly sourceProbeTimeoutMs: number;
}

/** One source cluster's answer: its status, or why the region did not answer. */
interface ClusterProbe {
  readonly sourceClusterId: string;
  /** Undefined when the region did not answer. */
  readonly status?: string;
  readonly detail: string;
}

function misconfigured(
  label: string,
  what: string,
  sourceRegion: string,
  answer: string,
  cause?: unknown,
): SourceProbeError {
  const fix = /AccessDenied|Unauthorized|NotAuthorized/i.test(answer)
    ? 'fix the permission'
    : 'fix the configuration';
  return new SourceProbeError(
    `${label}: the source region ${sourceRegion} answered ${what} with ${answer}: a misconfiguration, not an outage; ` +
      `${fix} or rerun with mode unplanned`,
    cause === undefined ? undefined : { cause },
  );
}

async function probeCluster(
  rds: RDSClient,
  settings: SourceProbeSettings,
  db: DatabaseOf<'sourceClusterId'>,
): Promise<ClusterProbe> {
  const { sourceClusterId } = db;
  const label = databaseLabel(db.name);
  const what = `DescribeDBClusters ${sourceClusterId} in ${settings.sourceRegion}`;
  let status: string | undefined;
  try {
    const out = await withTimeout(
      (abortSignal) =>
        rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: sourceClusterId }), { abortSignal }),
      settings.sourceProbeTimeoutMs,
      what,
    );
    status = out.DBClusters?.[0]?.Status;
  } catch (err: unknown) {
    const e = asError(err);
    // Throttling proves the source answers but says nothing of its health: retry the preflight rather
    // than choose a failover that loses data over our own request rate.
    if (isThrottling(e)) {
      throw new TransientAwsError(`${label}: ${what}: ${e.name}: ${e.message}`, { cause: e });
    }
    if (isTransient(e)) return { sourceClusterId, detail: `source region: ${e.name}: ${e.message}` };
    throw misconfigured(label, what, settings.sourceRegion, `${e.name}: ${e.message}`, e);
  }
  if (status === undefined) throw misconfigured(label, what, settings.sourceRegion, 'no cluster');
  return { sourceClusterId, status, detail: `source cluster ${status}` };
}

/**
 * Ask the source region's RDS API about every database's source cluster (in parallel), each within
 * the probe timeout. Only "the source region does not answer" (the timeout, network errors, 5xx)
 * is reported as unreachable — the one finding that lets `auto` choose a failover with data loss.
 * `detail`: with one database, that cluster's status (`source cluster available`); with several,
 * each cluster's (`source clusters proj-main-aurora available and proj-main-aurora-orders
 * backing-up`); when the region does not answer, why.
 *
 * @throws TransientAwsError the source region throttled a probe (retried by the state machine)
 * @throws SourceProbeError any other error (AccessDenied, a cluster missing): a misconfiguration,
 * naming the database
 */
export async function probeSource(rds: RDSClient, settings: SourceProbeSettings): Promise<SourceProbe> {
  const probes = await settleAll(settings.databases.map((db) => probeCluster(rds, settings, db)));
  const unanswered = probes.find((p) => p.status === undefined);
  if (unanswered !== undefined) return { reachable: false, available: false, detail: unanswered.detail };
  const [only] = probes;
  return {
    reachable: true,
    available: probes.every((p) => p.status === 'available'),
    detail:
      probes.length === 1 && only !== undefined
        ? only.detail
        : `source clusters ${nameList(probes.map((p) => `${p.sourceClusterId} ${p.status}`))}`,
  };
}

/**
 * {@link probeSource} as `requestedMode` needs it: mode unplanned never uses the source, so there a
 * misconfigured probe is reported in the detail instead of failing the run.
 */
export async function probeSourceFor(
  requestedMode: FailoverMode,
  rds: RDSClient,
  settings: SourceProbeSettings,
): Promise<SourceProbe> {
  try {
    return await probeSource(rds, settings);
  } catch (err: unknown) {
    if (requestedMode !== 'unplanned' || !(err instanceof SourceProbeError)) throw err;
    return {
      reachable: true,
      available: false,
      detail: `source probe not usable (${err.message}); not needed in mode unplanned`,
    };
  }
}
