import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { FlipDnsEvent, StepResult } from '../shared/contracts';
import type { DnsAnswers } from '../shared/dns-answers';
import {
  type Env,
  parseListVar,
  REGION_ENV,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import { publishClaim } from '../shared/publish-claim';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';
import { type DnsTarget, readDnsProgress } from './progress';

export interface FlipDnsSettings extends RegionSettings, DnsTarget {
  readonly project: string;
  /** The hosted zone's name: its name servers are asked directly. */
  readonly zoneName: string;
}

export interface FlipDnsClients {
  /** CloudWatch in the target region: the claim is published where this region's alarm reads it. */
  readonly cloudwatch: CloudWatchClient;
  readonly dns: DnsAnswers;
}

/** Read the flip-dns settings; throws InvalidInputError naming missing or malformed variables. */
export function readFlipDnsSettings(env: Env): FlipDnsSettings {
  const raw = requireEnv(
    [...REGION_ENV, 'PROJECT', 'ZONE_NAME', 'RECORD_NAMES', 'TARGET_RECORD_NAME', 'SOURCE_RECORD_NAME'],
    env,
  );
  return {
    ...regionSettings(raw),
    project: raw.PROJECT,
    zoneName: raw.ZONE_NAME,
    recordNames: parseListVar('RECORD_NAMES', raw.RECORD_NAMES),
    targetRecordName: raw.TARGET_RECORD_NAME,
    sourceRecordName: raw.SOURCE_RECORD_NAME,
  };
}

/** The later of the promotion's and the service's ready times, when the event carries both. */
function readySince(event: FlipDnsEvent): { since?: Date } {
  const times = [event.promotedAt, event.servingAt].map((t) =>
    t === undefined ? Number.NaN : Date.parse(t),
  );
  if (times.some(Number.isNaN)) return {};
  return { since: new Date(Math.max(...times)) };
}

/**
 * Step `dns`: move traffic here through Route 53's data plane (`lambdas/shared/traffic-claim.ts`).
 * First call: every hostname already answers this region's record → READY (alreadyDone), nothing
 * published; else publish this region's claim (TrafficClaim = 1, in this region) once → PENDING.
 * The hostnames hang on the same claim health checks, so the one claim moves them all. Checks read
 * every hostname's answer from the zone's name servers until all are this region's → READY; the
 * detail names each hostname that does not answer here yet. No call to Route 53's control plane.
 * `answer` carries the first hostname's answer at the last read.
 *
 * @throws InvalidStateError CloudWatch rejected the claim (a bad parameter)
 * @throws WaitTimeoutError the step's time budget is spent
 * @throws TransientAwsError a DNS lookup failed; PutMetricData throttled, faulted or unreachable
 */
export async function flipDns(
  event: FlipDnsEvent,
  settings: FlipDnsSettings,
  clients: FlipDnsClients,
): Promise<StepResult> {
  const call = beginStep('dns', event);
  const progress = await readDnsProgress(clients.dns, settings, settings);
  const answer = { answer: progress.answer };
  if (progress.done) return { ...ready(call, progress.detail), ...answer };
  if (event.previous !== undefined) return { ...pending(call, progress.detail), ...answer };
  ensureBudget(call, progress.detail);
  await publishClaim(clients.cloudwatch, settings.project, settings.targetRole, 1, {
    ...readySince(event),
  });
  return {
    ...pending(
      call,
      `published ${settings.targetRole}'s traffic claim in ${settings.targetRegion}; ${progress.detail}`,
    ),
    ...answer,
  };
}
