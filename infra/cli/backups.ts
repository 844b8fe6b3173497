import {
  ListRecoveryPointsByBackupVaultCommand,
  type RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import { type DBCluster, DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import type { RegionNames } from '../config/names';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import type { BackupsCommand } from './args';
import { errorText, isCredentialError, unreachable } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { formatTime } from './format';

/** Recovery points shown per resource and vault: the newest few are the ones a restore picks from. */
export const POINTS_SHOWN = 3;

/** One region's answer: its vault's points by resource ARN and its clusters' point-in-time windows. */
type RegionAnswer =
  | {
      readonly ok: true;
      readonly points: ReadonlyMap<string, RecoveryPointByBackupVault[]>;
      /** Cluster id → the cluster (undefined: it does not exist). */
      readonly clusters: ReadonlyMap<string, DBCluster | undefined>;
      /** Set when the vault could not be read (the clusters still were). */
      readonly vaultProblem?: string;
    }
  | { readonly ok: false; readonly why: string };

/** Every point of the region's vault, newest first, grouped by ResourceArn (NextToken followed). */
async function vaultPoints(
  ctx: CommandContext,
  role: RegionRole,
): Promise<Map<string, RecoveryPointByBackupVault[]>> {
  const { names, clients } = regionOf(ctx, role);
  const byResource = new Map<string, RecoveryPointByBackupVault[]>();
  let token: string | undefined;
  do {
    const page = await clients.backup.send(
      new ListRecoveryPointsByBackupVaultCommand({
        BackupVaultName: names.backupVaultName,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    for (const p of page.RecoveryPoints ?? []) {
      const key = p.ResourceArn ?? '-';
      byResource.set(key, [...(byResource.get(key) ?? []), p]);
    }
    token = page.NextToken;
  } while (token !== undefined && token !== '');
  for (const list of byResource.values()) {
    list.sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0));
  }
  return byResource;
}

async function clusterOf(ctx: CommandContext, role: RegionRole, id: string): Promise<DBCluster | undefined> {
  const { clients } = regionOf(ctx, role);
  try {
    const out = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    return out.DBClusters?.[0];
  } catch (err: unknown) {
    if ((err as { name?: string }).name === 'DBClusterNotFoundFault') return undefined;
    throw err;
  }
}

/**
 * Read one region: its vault and its clusters, at once. A region whose clusters do not answer is
 * unreachable; a vault that cannot be read (not deployed, backups off) is said beside the clusters.
 * Credentials errors are rethrown: every region would fail the same way.
 */
async function readRegion(ctx: CommandContext, role: RegionRole): Promise<RegionAnswer> {
  const names = ctx.names.regions[role];
  const vault = vaultPoints(ctx, role).then(
    (points) => ({ points }),
    (err: unknown) => {
      if (isCredentialError(err)) throw err;
      return { problem: errorText(err) };
    },
  );
  try {
    const ids = names.databases.map((d) => d.dbClusterIdentifier);
    const clusters = await Promise.all(ids.map((id) => clusterOf(ctx, role, id)));
    const v = await vault;
    return {
      ok: true,
      points: 'points' in v ? v.points : new Map(),
      clusters: new Map(ids.map((id, i) => [id, clusters[i]])),
      ...('problem' in v ? { vaultProblem: v.problem } : {}),
    };
  } catch (err: unknown) {
    await vault.catch(() => undefined);
    return { ok: false, why: unreachable(err) };
  }
}

/** `2026-11-17 10:00:00 → 2026-11-24 09:55:00`, or why there is no window. */
function pitrWindow(cluster: DBCluster | undefined): string {
  if (cluster === undefined) return 'cluster does not exist';
  if (cluster.EarliestRestorableTime === undefined || cluster.LatestRestorableTime === undefined) {
    return 'no point-in-time window reported (a headless secondary has none until it is promoted)';
  }
  return `${formatTime(cluster.EarliestRestorableTime)} → ${formatTime(cluster.LatestRestorableTime)} UTC`;
}

/** The rows of one resource (by ARN in each region) in every vault that answered. */
function pointRows(
  resources: readonly { readonly role: RegionRole; readonly arn: string; readonly label: string }[],
  answers: Readonly<Record<RegionRole, RegionAnswer>>,
  names: Readonly<Record<RegionRole, RegionNames>>,
): string[][] {
  const rows: string[][] = [];
  for (const vaultRole of REGION_ROLES) {
    const answer = answers[vaultRole];
    if (!answer.ok) continue;
    for (const r of resources) {
      for (const p of (answer.points.get(r.arn) ?? []).slice(0, POINTS_SHOWN)) {
        rows.push([
          formatTime(p.CreationDate),
          regionLabel(names[vaultRole]),
          p.SourceBackupVaultArn === undefined ? 'source' : 'copy',
          r.label,
          p.Status ?? '-',
          formatTime(p.CalculatedLifecycle?.DeleteAt),
          p.RecoveryPointArn ?? '-',
        ]);
      }
    }
  }
  return rows.sort((a, b) => (b[0] ?? '').localeCompare(a[0] ?? ''));
}

function table(rows: readonly string[][]): string[] {
  const head = ['CREATED (UTC)', 'VAULT', 'KIND', 'OF', 'STATUS', 'EXPIRES (UTC)', 'RECOVERY POINT'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * `backups`: what the application can be restored from. For every database, each region's Aurora
 * point-in-time window (DescribeDBClusters: EarliestRestorableTime to LatestRestorableTime); for
 * every database and bucket, the newest {@link POINTS_SHOWN} recovery points of each region's
 * member in each region's vault (`source`: backed up there; `copy`: copied in from the other
 * region, restorable when that region is gone), with when each expires. A region that does not
 * answer is shown as unreachable; exit status 1 only when neither answers.
 */
export async function runBackups(ctx: CommandContext, _cmd: BackupsCommand): Promise<number> {
  const { names, config, deps } = ctx;
  const [main, dr] = await Promise.all([readRegion(ctx, 'main'), readRegion(ctx, 'dr')]);
  const answers: Record<RegionRole, RegionAnswer> = { main, dr };
  const out = deps.out;
  out(
    `${config.project}: restorable points (newest ${POINTS_SHOWN} per resource and vault; copies survive their source region)`,
  );
  if (!config.backups.enabled)
    out('backups.enabled is false: no plan backs up the application (only Aurora PITR)');
  for (const role of REGION_ROLES) {
    const a = answers[role];
    const label = regionLabel(names.regions[role]);
    if (!a.ok) out(`${label}: ${a.why}`);
    else if (a.vaultProblem !== undefined)
      out(`${label}: vault ${names.regions[role].backupVaultName} not readable (${a.vaultProblem})`);
  }
  for (const [i, db] of config.databases.entries()) {
    out('');
    out(`database ${db.name}`);
    const resources = REGION_ROLES.flatMap((role) => {
      const n = names.regions[role].databases[i];
      return n === undefined
        ? []
        : [
            {
              role,
              arn: n.dbClusterArn,
              label: `${role} ${n.dbClusterIdentifier}`,
              id: n.dbClusterIdentifier,
            },
          ];
    });
    for (const r of resources) {
      const a = answers[r.role];
      const window = a.ok ? pitrWindow(a.clusters.get(r.id)) : 'unreachable';
      out(`  point in time, ${regionLabel(names.regions[r.role])} ${r.id}: ${window}`);
    }
    const rows = pointRows(resources, answers, names.regions);
    if (rows.length === 0) out('  no recovery point in a vault that answered');
    else for (const line of table(rows)) out(`  ${line}`);
  }
  for (const [i, bucket] of config.buckets.entries()) {
    out('');
    out(`bucket ${bucket.name}`);
    const resources = REGION_ROLES.flatMap((role) => {
      const n = names.regions[role].buckets[i];
      return n === undefined ? [] : [{ role, arn: n.bucketArn, label: `${role} ${n.bucketName}` }];
    });
    const rows = pointRows(resources, answers, names.regions);
    if (rows.length === 0) out('  no recovery point in a vault that answered');
    else for (const line of table(rows)) out(`  ${line}`);
  }
  return main.ok || dr.ok ? 0 : 1;
}
