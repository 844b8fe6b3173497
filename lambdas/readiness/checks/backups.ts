import {
  type BackupClient,
  ListRecoveryPointsByBackupVaultCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import type { RegionCheckSpec } from '../check-spec';
import {
  combine,
  failPart,
  isReadErrorNamed,
  namedPart,
  type Part,
  part,
  pass,
  passPart,
  read,
} from '../outcome';
import { type BackupSettings, backupSourceArns, type ReadinessSettings } from '../settings';

const HOUR_MS = 3_600_000;

/** `arn:…:cluster:<id>` → `cluster <id>`, `arn:…:s3:::<name>` → `bucket <name>`: how a finding names a resource. */
export function resourceLabel(arn: string): string {
  const cluster = /:cluster:([^:]+)$/.exec(arn);
  if (cluster?.[1] !== undefined) return `cluster ${cluster[1]}`;
  return arn.includes(':s3:::') ? `bucket ${arn.slice(arn.lastIndexOf(':') + 1)}` : arn;
}

/** `30.5 h` / `3.2 days`: an age a person reads at a glance. */
export function ageText(ms: number): string {
  const hours = ms / HOUR_MS;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/**
 * Every completed recovery point of `resourceArn` in `vault` created after `after` (all of them
 * when undefined), following NextToken. Only COMPLETED points restore; a copy in progress or a
 * failed one does not count.
 */
export async function completedPoints(
  client: BackupClient,
  vault: string,
  resourceArn: string,
  after?: Date,
): Promise<RecoveryPointByBackupVault[]> {
  const out: RecoveryPointByBackupVault[] = [];
  let token: string | undefined;
  do {
    const page = await read('backup:ListRecoveryPointsByBackupVault', () =>
      client.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: vault,
          ByResourceArn: resourceArn,
          ...(after === undefined ? {} : { ByCreatedAfter: after }),
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
    out.push(...(page.RecoveryPoints ?? []).filter((p) => p.Status === 'COMPLETED'));
    token = page.NextToken;
  } while (token !== undefined && token !== '');
  return out;
}

/** The newest of `points` by CreationDate, undefined when there is none. */
export function newestPoint(
  points: readonly RecoveryPointByBackupVault[],
): RecoveryPointByBackupVault | undefined {
  return [...points]
    .filter((p) => p.CreationDate !== undefined)
    .sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0))[0];
}

function fixOf(s: ReadinessSettings, b: BackupSettings): string {
  return (
    `check the ${s.sourceRegion} plan's copy jobs into ${b.vaultName} (aws backup list-copy-jobs --region ${s.sourceRegion} ` +
    '--by-state FAILED) and its backup jobs; npm run failover -- backups lists what is restorable'
  );
}

/**
 * One resource: PASS when a completed copy younger than the target is in the vault (one call,
 * bounded by ByCreatedAfter); else a second read of every point finds the newest, so the finding
 * gives its age (or says there is none).
 */
async function sourcePart(
  s: ReadinessSettings,
  b: BackupSettings,
  client: BackupClient,
  arn: string,
  now: Date,
): Promise<Part> {
  const label = resourceLabel(arn);
  const since = new Date(now.getTime() - b.copyTargetHours * HOUR_MS);
  let fresh: RecoveryPointByBackupVault[];
  try {
    fresh = await completedPoints(client, b.vaultName, arn, since);
  } catch (err: unknown) {
    if (!isReadErrorNamed(err, 'ResourceNotFoundException')) throw err;
    return failPart(
      `vault ${b.vaultName} does not exist in ${s.targetRegion}`,
      `deploy this region's backup stack (${b.vaultName}); ${fixOf(s, b)}`,
    );
  }
  if (fresh.length > 0) return passPart;
  const newest = newestPoint(await completedPoints(client, b.vaultName, arn));
  const created = newest?.CreationDate;
  if (created === undefined) {
    return failPart(`${label}: no recovery point in ${b.vaultName}`, fixOf(s, b));
  }
  return failPart(
    `${label}: newest copy is ${ageText(now.getTime() - created.getTime())} old (${created.toISOString()}), target ${b.copyTargetHours} h`,
    fixOf(s, b),
  );
}

function what(s: ReadinessSettings): string {
  const b = s.backups;
  if (b === undefined) return 'backups off (backups.enabled: false): nothing to check';
  return `newest copy in ${b.vaultName} of each of ${backupSourceArns(s, b).length} ${s.sourceRegion} database(s) and bucket(s) younger than ${b.copyTargetHours} h`;
}

/**
 * `backups`: for each of the other region's databases and buckets, the newest completed recovery
 * point in this region's vault (the copies its plan makes, readable here when that region is
 * down) is younger than `backups.copyTargetHours`, the corruption RPO. FAIL names each stale or
 * missing resource with its age; a vault that does not exist fails them all at once; every other
 * failed read is UNKNOWN for that resource. One or two ListRecoveryPointsByBackupVault calls per
 * resource, all at once.
 */
export const backupsCheck: RegionCheckSpec = {
  id: 'backups',
  scope: 'region',
  what,
  run: async (s, reads) => {
    const b = s.backups;
    if (b === undefined) return pass('backups', what(s));
    const now = reads.now();
    const parts = await Promise.all(
      backupSourceArns(s, b).map(async (arn) => {
        const p = await part(() => sourcePart(s, b, reads.clients.backup, arn, now));
        return p.status === 'UNKNOWN' ? namedPart(resourceLabel(arn), p) : p;
      }),
    );
    return combine('backups', what(s), parts);
  },
};
