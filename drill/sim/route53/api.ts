import {
  type ChangeResourceRecordSetsCommandInput,
  type GetChangeCommandInput,
  InvalidChangeBatch,
  InvalidInput,
  type ListResourceRecordSetsCommandInput,
  NoSuchChange,
  NoSuchHostedZone,
  PriorRequestNotComplete,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import { executionOf } from '../calls';
import type { World } from '../world';
import { failoverRecordSets, type ListedRecord } from './readiness-api';
import { normalizeName, recordKey, type SimChange, type SimRecord, type SimZone } from './route53';

/**
 * Route 53 lists records by name with the labels reversed and the trailing dot kept
 * (com.example.app.), then by type, then (the model's choice) by set identifier. The dot counts: a
 * name that goes on with a character sorting before it (one of ``!"#$%&'()*+,-``) lists before the
 * name it extends, as `app-eu.example.com` (com.example.app-eu.) before `app.example.com`.
 */
function sortKey(name: string, type: string): string {
  return `${normalizeName(name).split('.').reverse().join('.')}.\u0000${type}`;
}

function toRecordSet(r: SimRecord): ResourceRecordSet {
  return {
    Name: r.name,
    Type: r.type as ResourceRecordSet['Type'],
    ...(r.ttl === undefined ? {} : { TTL: r.ttl }),
    ...(r.values === undefined ? {} : { ResourceRecords: r.values.map((Value) => ({ Value })) }),
    ...(r.alias === undefined
      ? {}
      : {
          AliasTarget: {
            HostedZoneId: r.alias.hostedZoneId,
            DNSName: r.alias.dnsName,
            EvaluateTargetHealth: r.alias.evaluateTargetHealth,
          },
        }),
  };
}

function zoneOrThrow(world: World, id: string | undefined): SimZone {
  const bare = (id ?? '').replace(/^\/hostedzone\//, '');
  if (bare !== world.route53.zone.id)
    throw modeledError(NoSuchHostedZone, `No hosted zone found with ID: ${bare}`, 404);
  return world.route53.zone;
}

function changeInfo(world: World, c: SimChange) {
  return {
    Id: `/change/${c.id}`,
    Status: world.clock.now() >= c.insyncAt ? ('INSYNC' as const) : ('PENDING' as const),
    SubmittedAt: world.clock.dateAt(c.submittedAt),
    ...(c.comment === undefined ? {} : { Comment: c.comment }),
  };
}

function inZone(zone: SimZone, name: string): boolean {
  const n = normalizeName(name);
  const z = normalizeName(zone.name);
  return n === z || n.endsWith(`.${z}`);
}

/** What one change in a batch gets wrong on its own (the API's shape rules), if anything. */
function shapeProblem(rrs: ResourceRecordSet): string | undefined {
  const alias = rrs.AliasTarget;
  if (alias !== undefined) {
    if (
      alias.HostedZoneId === undefined ||
      alias.DNSName === undefined ||
      alias.EvaluateTargetHealth === undefined
    ) {
      return 'AliasTarget requires HostedZoneId, DNSName and EvaluateTargetHealth';
    }
    if (rrs.TTL !== undefined || rrs.ResourceRecords !== undefined) {
      return `RRSet of type ${rrs.Type} with DNS name ${normalizeName(rrs.Name ?? '')}. has an alias target and also a TTL or resource records`;
    }
    return undefined;
  }
  if (rrs.TTL === undefined || (rrs.ResourceRecords ?? []).length === 0) {
    return `RRSet of type ${rrs.Type} with DNS name ${normalizeName(rrs.Name ?? '')}. needs a TTL and resource records, or an alias target`;
  }
  return undefined;
}

/** The simulated Route 53 API (one hosted zone; control plane in us-east-1). */
export const route53Api: SimApi = {
  ListResourceRecordSets: (raw, world) => {
    const input = raw as ListResourceRecordSetsCommandInput;
    if (input.StartRecordType !== undefined && input.StartRecordName === undefined) {
      throw modeledError(InvalidInput, 'The input is not valid: StartRecordType requires StartRecordName.');
    }
    const zone = zoneOrThrow(world, input.HostedZoneId);
    // The DNS stack's failover pairs (one per hostname) list among the plain records (readiness-api.ts).
    const listed: ListedRecord[] = [
      ...[...zone.records.values()].map((r) => ({ name: r.name, type: r.type, rrs: toRecordSet(r) })),
      ...failoverRecordSets(world),
    ];
    // Code-unit order, not locale order: the name/type/identifier separator sorts before any character.
    const keyOf = (r: ListedRecord) => `${sortKey(r.name, r.type)}\u0000${r.setIdentifier ?? ''}`;
    const all = listed.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    const start =
      input.StartRecordName === undefined
        ? ''
        : `${sortKey(input.StartRecordName, input.StartRecordType ?? '')}${input.StartRecordIdentifier === undefined ? '' : `\u0000${input.StartRecordIdentifier}`}`;
    const from = all.filter((r) => keyOf(r) >= start);
    const max = Math.max(1, Math.min(Number(input.MaxItems ?? 300), 300));
    const page = from.slice(0, max);
    const next = from[max];
    return {
      ResourceRecordSets: page.map((r) => r.rrs),
      IsTruncated: next !== undefined,
      MaxItems: max,
      ...(next === undefined
        ? {}
        : {
            NextRecordName: next.name,
            NextRecordType: next.type,
            ...(next.setIdentifier === undefined ? {} : { NextRecordIdentifier: next.setIdentifier }),
          }),
    };
  },

  ChangeResourceRecordSets: (raw, world, _region, call) => {
    const input = raw as ChangeResourceRecordSetsCommandInput;
    if (input.HostedZoneId === undefined || input.HostedZoneId === '') {
      throw modeledError(InvalidInput, 'HostedZoneId is required.');
    }
    if (input.ChangeBatch === undefined) throw modeledError(InvalidInput, 'ChangeBatch is required.');
    const zone = zoneOrThrow(world, input.HostedZoneId);
    const now = world.clock.now();
    const busy = [...zone.changes.values()].some((c) => c.processedAt > now);
    if (busy) {
      throw modeledError(
        PriorRequestNotComplete,
        'The request was rejected because Route 53 was still processing a prior request.',
      );
    }
    const changes = input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0) throw modeledError(InvalidInput, 'ChangeBatch.Changes must not be empty.');
    const staged = new Map(zone.records);
    const problems: string[] = [];
    for (const change of changes) {
      const rrs = change.ResourceRecordSet;
      if (rrs?.Name === undefined || rrs.Type === undefined) {
        problems.push('ResourceRecordSet Name and Type are required');
        continue;
      }
      const fqdn = `${normalizeName(rrs.Name)}.`;
      const shape = shapeProblem(rrs);
      if (shape !== undefined) {
        problems.push(shape);
        continue;
      }
      if (!inZone(zone, rrs.Name)) {
        problems.push(`RRSet with DNS name ${fqdn} is not permitted in zone ${zone.name}`);
        continue;
      }
      const key = recordKey(rrs.Name, rrs.Type);
      const alias = rrs.AliasTarget;
      if (alias?.DNSName !== undefined && alias.HostedZoneId === zone.id) {
        if (!inZone(zone, alias.DNSName)) {
          problems.push(
            `Tried to create an alias that targets ${normalizeName(alias.DNSName)}., type ${rrs.Type} in zone ${zone.id}, but the alias target name does not lie within the target zone`,
          );
          continue;
        }
        if (!staged.has(recordKey(alias.DNSName, rrs.Type))) {
          problems.push(
            `Tried to create an alias that targets ${normalizeName(alias.DNSName)}., type ${rrs.Type} in zone ${zone.id}, but that target was not found`,
          );
          continue;
        }
      }
      const record: SimRecord = {
        name: fqdn,
        type: rrs.Type,
        ...(rrs.TTL === undefined ? {} : { ttl: rrs.TTL }),
        ...(rrs.ResourceRecords === undefined
          ? {}
          : { values: rrs.ResourceRecords.map((r) => r.Value ?? '') }),
        ...(alias?.DNSName === undefined || alias.HostedZoneId === undefined
          ? {}
          : {
              alias: {
                hostedZoneId: alias.HostedZoneId,
                dnsName: `${normalizeName(alias.DNSName)}.`,
                evaluateTargetHealth: alias.EvaluateTargetHealth ?? false,
              },
            }),
      };
      if (change.Action === 'CREATE') {
        if (staged.has(key)) {
          problems.push(
            `Tried to create resource record set [name='${fqdn}', type='${rrs.Type}'] but it already exists`,
          );
        } else staged.set(key, record);
      } else if (change.Action === 'DELETE') {
        if (!staged.has(key)) {
          problems.push(
            `Tried to delete resource record set [name='${fqdn}', type='${rrs.Type}'] but it was not found`,
          );
        } else staged.delete(key);
      } else if (change.Action === 'UPSERT') {
        staged.set(key, record);
      } else {
        problems.push(`Unknown action ${String(change.Action)}`);
      }
    }
    if (problems.length > 0) throw modeledError(InvalidChangeBatch, `[${problems.join(', ')}]`);
    zone.records.clear();
    for (const [k, v] of staged) zone.records.set(k, v);
    const change: SimChange = {
      id: `C${world.ids.next(20)}`,
      submittedAt: now,
      processedAt: now + world.timings.route53ChangeProcessingSeconds,
      insyncAt: now + world.timings.route53PropagationSeconds,
      ...(input.ChangeBatch?.Comment === undefined ? {} : { comment: input.ChangeBatch.Comment }),
      ...executionOf(call),
    };
    zone.changes.set(change.id, change);
    return { ChangeInfo: changeInfo(world, change) };
  },

  GetChange: (raw, world) => {
    const input = raw as GetChangeCommandInput;
    if (input.Id === undefined || input.Id === '') throw modeledError(InvalidInput, 'Id is required.');
    const id = (input.Id ?? '').replace(/^\/?change\//, '');
    const change = world.route53.zone.changes.get(id);
    if (change === undefined) {
      throw modeledError(NoSuchChange, `A change with the specified change ID does not exist.`, 404);
    }
    return { ChangeInfo: changeInfo(world, change) };
  },
};
