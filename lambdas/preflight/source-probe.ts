import { DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { FailoverMode } from '../shared/contracts';
import { asError, isThrottling, isTransient, SourceProbeError, TransientAwsError } from '../shared/errors';
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

function misconfigured(
  what: string,
  settings: SourceProbeSettings,
  answer: string,
  cause?: unknown,
): SourceProbeError {
  const fix = /AccessDenied|Unauthorized|NotAuthorized/i.test(answer)
    ? 'fix the permission'
    : 'fix the configuration';
  return new SourceProbeError(
    `the source region ${settings.sourceRegion} answered ${what} with ${answer}: a misconfiguration, not an outage; ` +
      `${fix} or rerun with mode unplanned`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Ask the source region's RDS API about the source cluster, within the probe timeout. Only "the
 * source region does not answer" (the timeout, network errors, 5xx) is reported as unreachable —
 * the one finding that lets `auto` choose a failover with data loss.
 *
 * @throws TransientAwsError the source region throttled the probe (retried by the state machine)
 * @throws SourceProbeError any other error (AccessDenied, the cluster missing): a misconfiguration
 */
export async function probeSource(rds: RDSClient, settings: SourceProbeSettings): Promise<SourceProbe> {
  const what = `DescribeDBClusters ${settings.sourceClusterId} in ${settings.sourceRegion}`;
  let status: string | undefined;
  try {
    const out = await withTimeout(
      (abortSignal) =>
        rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: settings.sourceClusterId }), {
          abortSignal,
        }),
      settings.sourceProbeTimeoutMs,
      what,
    );
    status = out.DBClusters?.[0]?.Status;
  } catch (err: unknown) {
    const e = asError(err);
    // Throttling proves the source answers but says nothing of its health: retry the preflight rather
    // than choose a failover that loses data over our own request rate.
    if (isThrottling(e)) throw new TransientAwsError(`${what}: ${e.name}: ${e.message}`, { cause: e });
    if (isTransient(e)) {
      return { reachable: false, available: false, detail: `source region: ${e.name}: ${e.message}` };
    }
    throw misconfigured(what, settings, `${e.name}: ${e.message}`, e);
  }
  if (status === undefined) throw misconfigured(what, settings, 'no cluster');
  return { reachable: true, available: status === 'available', detail: `source cluster ${status}` };
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
