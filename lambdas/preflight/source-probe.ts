import { type DBCluster, DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { asError, isThrottling, isTransient, TransientAwsError } from '../shared/errors';
import { withTimeout } from '../shared/timeout';

/** What the probe learnt of the source region. */
export interface SourceProbe {
  /** The source region's RDS API answered in time. */
  readonly reachable: boolean;
  /** The source cluster reported `available`. */
  readonly available: boolean;
  readonly detail: string;
}

export interface SourceProbeSettings {
  readonly sourceRegion: string;
  readonly sourceClusterId: string;
  /** How long the source region's RDS API may take to answer. */
  readonly sourceProbeTimeoutMs: number;
}

/**
 * Ask the source region's RDS API about the source cluster, within the probe timeout. An answer
 * (even DBClusterNotFoundFault) means the region is reachable; 5xx, network errors and the timeout
 * mean it is not.
 *
 * @throws TransientAwsError the source region throttled the probe (retried by the state machine)
 */
export async function probeSource(rds: RDSClient, settings: SourceProbeSettings): Promise<SourceProbe> {
  const what = `DescribeDBClusters ${settings.sourceClusterId} in ${settings.sourceRegion}`;
  try {
    const out = await withTimeout(
      (abortSignal) =>
        rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: settings.sourceClusterId }), {
          abortSignal,
        }),
      settings.sourceProbeTimeoutMs,
      what,
    );
    const cluster: DBCluster | undefined = out.DBClusters?.[0];
    const status = cluster?.Status ?? 'missing';
    return { reachable: true, available: status === 'available', detail: `source cluster ${status}` };
  } catch (err: unknown) {
    const e = asError(err);
    // Throttling proves the source answers but says nothing of its health: retry the preflight rather
    // than choose a failover that loses data over our own request rate.
    if (isThrottling(e)) throw new TransientAwsError(`${what}: ${e.name}: ${e.message}`, { cause: e });
    // A modeled answer (e.g. DBClusterNotFoundFault) means the API is up; 5xx and timeouts mean it is not.
    const reachable = !isTransient(e);
    return {
      reachable,
      available: false,
      detail: `source ${reachable ? 'cluster' : 'region'}: ${e.name}: ${e.message}`,
    };
  }
}
