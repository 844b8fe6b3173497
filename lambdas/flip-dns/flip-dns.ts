import {
  ChangeResourceRecordSetsCommand,
  type ChangeResourceRecordSetsCommandOutput,
  GetChangeCommand,
  type GetChangeCommandOutput,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import type { StepEvent, StepResult } from '../shared/contracts';
import { type Env, REGION_ENV, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import { asError, hasErrorName, InvalidStateError, ResourceNotFoundError, rethrow } from '../shared/errors';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';
import { type DnsTarget, readDnsProgress, rethrowZoneError } from './progress';

export { normalizeDnsName } from './progress';

export interface FlipDnsSettings extends RegionSettings, DnsTarget {}

export interface FlipDnsClients {
  readonly route53: Route53Client;
}

/** Read the flip-dns settings; throws InvalidInputError naming missing variables. */
export function readFlipDnsSettings(env: Env): FlipDnsSettings {
  const raw = requireEnv([...REGION_ENV, 'HOSTED_ZONE_ID', 'RECORD_NAME', 'TARGET_RECORD_NAME'], env);
  return {
    ...regionSettings(raw),
    hostedZoneId: raw.HOSTED_ZONE_ID,
    recordName: raw.RECORD_NAME,
    targetRecordName: raw.TARGET_RECORD_NAME,
  };
}

async function upsertAlias(route53: Route53Client, settings: FlipDnsSettings): Promise<string> {
  let out: ChangeResourceRecordSetsCommandOutput;
  try {
    out = await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: settings.hostedZoneId,
        ChangeBatch: {
          Comment: `pilot-light: promote ${settings.targetRegion}`,
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                Name: settings.recordName,
                Type: 'A',
                AliasTarget: {
                  HostedZoneId: settings.hostedZoneId,
                  DNSName: settings.targetRecordName,
                  EvaluateTargetHealth: false,
                },
              },
            },
          ],
        },
      }),
    );
  } catch (err: unknown) {
    if (hasErrorName(err, 'InvalidChangeBatch', 'InvalidInput')) {
      throw new InvalidStateError(`ChangeResourceRecordSets rejected: ${asError(err).message}`, {
        cause: err,
      });
    }
    rethrowZoneError(err, 'ChangeResourceRecordSets', settings.hostedZoneId);
  }
  const id = out.ChangeInfo?.Id;
  if (id === undefined) throw new InvalidStateError('ChangeResourceRecordSets returned no change id');
  return id;
}

async function getChangeStatus(route53: Route53Client, changeId: string): Promise<string> {
  let out: GetChangeCommandOutput;
  try {
    out = await route53.send(new GetChangeCommand({ Id: changeId }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'NoSuchChange')) {
      throw new ResourceNotFoundError(`Route 53 change ${changeId} does not exist`, { cause: err });
    }
    rethrow(err, 'GetChange');
  }
  return out.ChangeInfo?.Status ?? 'UNKNOWN';
}

/**
 * Step `dns`: point the application's A record at this region (an alias to the target record).
 * First call: already an alias to the target → READY (alreadyDone); else UPSERT → PENDING with
 * `changeId`. Later calls poll GetChange until INSYNC → READY.
 *
 * @throws ResourceNotFoundError the hosted zone (or the change) does not exist
 * @throws InvalidStateError Route 53 rejected the change batch (e.g. the target record is missing)
 * @throws WaitTimeoutError the check budget (`maxAttempts`) is spent
 * @throws TransientAwsError throttling, PriorRequestNotComplete, 5xx, network errors
 */
export async function flipDns(
  event: StepEvent,
  settings: FlipDnsSettings,
  clients: FlipDnsClients,
): Promise<StepResult> {
  const call = beginStep('dns', event);
  const changeId = event.previous?.changeId;
  if (changeId !== undefined) {
    const status = await getChangeStatus(clients.route53, changeId);
    const detail = `${settings.recordName} → ${settings.targetRecordName}: change ${changeId} ${status}`;
    if (status === 'INSYNC') return ready(call, detail, { changeId });
    return pending(call, detail, { changeId });
  }
  const progress = await readDnsProgress(clients.route53, settings);
  if (progress.done) return ready(call, progress.detail);
  ensureBudget(call, progress.detail);
  const id = await upsertAlias(clients.route53, settings);
  return pending(
    call,
    `${settings.recordName} → ${settings.targetRecordName}: change ${id} PENDING (was ${progress.current})`,
    {
      changeId: id,
    },
  );
}
