import {
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { hasErrorName, ResourceNotFoundError, rethrow } from '../shared/errors';

/** What the DNS step must reach: the application's A record is an alias to this region's record. */
export interface DnsTarget {
  readonly hostedZoneId: string;
  /** The application's record, e.g. `app.example.com`. */
  readonly recordName: string;
  /** This region's record (an alias to its ALB) in the same zone, e.g. `dr.app.example.com`. */
  readonly targetRecordName: string;
}

export interface DnsProgress {
  /** The A record is an alias to the target record. */
  readonly done: boolean;
  /** What the A record points at now: an alias DNS name, `not an alias`, or `missing`. */
  readonly current: string;
  readonly detail: string;
}

/** DNS names compare case-insensitively; Route 53 returns them fully qualified (trailing dot). */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

/** Rethrow a Route 53 error of `action` on `zone`: a missing zone as ResourceNotFoundError. */
export function rethrowZoneError(err: unknown, action: string, zone: string): never {
  if (hasErrorName(err, 'NoSuchHostedZone')) {
    throw new ResourceNotFoundError(`hosted zone ${zone} does not exist`, { cause: err });
  }
  rethrow(err, action);
}

/**
 * Read-only: whether the application's A record is already an alias to the target record. Shared
 * by the step and by preflight. Throws ResourceNotFoundError when the hosted zone is missing.
 */
export async function readDnsProgress(route53: Route53Client, target: DnsTarget): Promise<DnsProgress> {
  let out: ListResourceRecordSetsCommandOutput;
  try {
    out = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: target.hostedZoneId,
        StartRecordName: target.recordName,
        StartRecordType: 'A',
        MaxItems: 1,
      }),
    );
  } catch (err: unknown) {
    rethrowZoneError(err, 'ListResourceRecordSets', target.hostedZoneId);
  }
  // The listing starts at the name; the first set is another record when ours does not exist.
  const record = out.ResourceRecordSets?.find(
    (r) => r.Type === 'A' && normalizeDnsName(r.Name ?? '') === normalizeDnsName(target.recordName),
  );
  const alias = record?.AliasTarget?.DNSName;
  const current =
    record === undefined ? 'missing' : alias === undefined ? 'not an alias' : normalizeDnsName(alias);
  const done = alias !== undefined && normalizeDnsName(alias) === normalizeDnsName(target.targetRecordName);
  return { done, current, detail: `${target.recordName} A → ${current}` };
}
