import type { ProjectNames, RegionNames } from '../../../infra/config/names';
import type { BackupsConfig, RegionRole } from '../../../infra/config/schema';

/**
 * AWS Backup in both regions: each region's vault (`<project>-<role>-backups`) with the recovery
 * points its plan made of the region's databases and buckets and the copies the other region's
 * plan made into it. Seeded as a deployment that has run for a while: one point per schedule
 * interval back over the retention, the newest a few hours before the drill, each copied an hour
 * after it was made. The drill runs minutes, shorter than any schedule, so no backup runs during it.
 */

/** Seconds before the drill the newest backup ran (a few hours: inside every copy target). */
export const NEWEST_BACKUP_AGO_SECONDS = 3 * 3600;
/** Seconds a copy takes to reach the other region's vault (an assumption: small databases). */
export const COPY_SECONDS = 3600;
const HOUR = 3600;
const DAY = 24 * HOUR;

/** One recovery point, as ListRecoveryPointsByBackupVault describes it. */
export interface RecoveryPoint {
  readonly arn: string;
  readonly resourceArn: string;
  readonly resourceType: 'Aurora' | 'S3';
  /** Simulated seconds (negative: before the drill started). */
  readonly createdAt: number;
  readonly deleteAt: number;
  /** A copy: the vault it was copied from. */
  readonly sourceVaultArn?: string;
}

/** One region's vault. */
export interface Vault {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly points: RecoveryPoint[];
}

/**
 * Hours between two runs of an AWS cron schedule, as far as the seed needs it: `*` in the hours
 * field is hourly, `*\/n` every n hours, a list of k hours 24/k, anything else daily.
 */
export function scheduleIntervalSeconds(schedule: string): number {
  const hours = /^cron\(\S+ (\S+) /.exec(schedule)?.[1] ?? '';
  if (hours === '*') return HOUR;
  const step = /^\*\/(\d+)$/.exec(hours)?.[1];
  if (step !== undefined) return Number(step) * HOUR;
  if (hours.includes(',')) return (24 / hours.split(',').length) * HOUR;
  return DAY;
}

export class BackupModel {
  /** By `region/name`. */
  readonly vaults = new Map<string, Vault>();
  /**
   * Simulated second from which no copy reached its destination (fault `backup-copies-stopped`):
   * the copy jobs fail, so the vaults hold no copy made at or after it.
   */
  copiesStoppedAt?: number;

  vault(region: string, name: string): Vault | undefined {
    return this.vaults.get(`${region}/${name}`);
  }

  /** The points of `vault` that exist at `t`: made by then, not yet expired, copies not stopped. */
  pointsAt(vault: Vault, t: number): RecoveryPoint[] {
    const stopped = this.copiesStoppedAt;
    return vault.points.filter(
      (p) =>
        p.createdAt <= t &&
        p.deleteAt > t &&
        (p.sourceVaultArn === undefined || stopped === undefined || p.createdAt < stopped),
    );
  }

  /** Both vaults and their history, from the config's `backups` and the names. */
  seed(names: ProjectNames, backups: BackupsConfig): void {
    if (!backups.enabled) return;
    const interval = scheduleIntervalSeconds(backups.schedule);
    const roles: readonly RegionRole[] = ['main', 'dr'];
    for (const role of roles) {
      const n = names.regions[role];
      this.vaults.set(`${n.region}/${n.backupVaultName}`, {
        name: n.backupVaultName,
        arn: n.backupVaultArn,
        region: n.region,
        points: [],
      });
    }
    for (const role of roles) {
      const own = names.regions[role];
      const other = names.regions[role === 'main' ? 'dr' : 'main'];
      const runs = Math.max(1, Math.floor((backups.retentionDays * DAY) / interval));
      for (let k = 0; k < runs; k++) {
        const at = -NEWEST_BACKUP_AGO_SECONDS - k * interval;
        for (const resourceArn of own.backupResourceArns) {
          this.add(own, resourceArn, at, at + backups.retentionDays * DAY);
          this.add(
            other,
            resourceArn,
            at + COPY_SECONDS,
            at + COPY_SECONDS + backups.copyRetentionDays * DAY,
            own,
          );
        }
      }
    }
  }

  private add(
    into: RegionNames,
    resourceArn: string,
    createdAt: number,
    deleteAt: number,
    copiedFrom?: RegionNames,
  ): void {
    const vault = this.vault(into.region, into.backupVaultName);
    if (vault === undefined) return;
    const resourceType = resourceArn.includes(':rds:') ? 'Aurora' : 'S3';
    const seq = vault.points.length + 1;
    const arn =
      resourceType === 'Aurora'
        ? into.arn('rds', `cluster-snapshot:awsbackup:job-${into.role}-${seq}`)
        : into.arn('backup', `recovery-point:${into.role}-${seq}`);
    vault.points.push({
      arn,
      resourceArn,
      resourceType,
      createdAt,
      deleteAt,
      ...(copiedFrom === undefined ? {} : { sourceVaultArn: copiedFrom.backupVaultArn }),
    });
  }
}
