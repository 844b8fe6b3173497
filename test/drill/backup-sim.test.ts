import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { READINESS_FAULTS } from '../../drill/faults/readiness';
import { DRILL_EPOCH_MS } from '../../drill/runner/simulation';
import {
  COPY_SECONDS,
  NEWEST_BACKUP_AGO_SECONDS,
  scheduleIntervalSeconds,
} from '../../drill/sim/backup/backup';
import { runCli } from '../../infra/cli/run';
import { makeDeps } from '../cli/helpers';
import { config, inSimulation, MAIN, makeWorld, names, rejectionOf } from './sim-helpers';

/**
 * The simulated AWS Backup: both vaults seeded with their own recovery points and the other
 * region's copies, ListRecoveryPointsByBackupVault's filters, paging and documented errors, and the
 * fault that stops the copies. `npm run failover -- backups` runs against it.
 */

const dr = names.regions.dr;
const main = names.regions.main;
const [mainCluster = '', mainBucket = ''] = main.backupResourceArns;
const opts = { maxAttempts: 1 };
const at = (seconds: number) => new Date(DRILL_EPOCH_MS + seconds * 1000);

describe('simulated AWS Backup', () => {
  it("holds in DR's vault copies of main's cluster and bucket, the newest an hour after main's backup", async () => {
    const world = makeWorld();
    const backup = new BackupClient({ region: dr.region, ...opts });

    const out = await inSimulation(world, () =>
      backup.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: dr.backupVaultName,
          ByResourceArn: mainCluster,
        }),
      ),
    );

    const points = out.RecoveryPoints ?? [];
    // One a day over the 35 days of copy retention, newest first.
    expect(points).toHaveLength(35);
    expect(points[0]).toMatchObject({
      ResourceArn: mainCluster,
      ResourceType: 'Aurora',
      Status: 'COMPLETED',
      SourceBackupVaultArn: main.backupVaultArn,
      BackupVaultArn: dr.backupVaultArn,
      CreationDate: at(-NEWEST_BACKUP_AGO_SECONDS + COPY_SECONDS),
    });
    expect(points[1]?.CreationDate).toEqual(at(-NEWEST_BACKUP_AGO_SECONDS + COPY_SECONDS - 86_400));
  });

  it("holds main's own points in main's vault, without a source vault", async () => {
    const world = makeWorld();
    const backup = new BackupClient({ region: MAIN, ...opts });

    const out = await inSimulation(world, () =>
      backup.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: main.backupVaultName,
          ByResourceArn: mainBucket,
          ByCreatedAfter: at(-2 * 86_400),
        }),
      ),
    );

    expect(
      (out.RecoveryPoints ?? []).map((p) => [p.ResourceType, p.CreationDate, p.SourceBackupVaultArn]),
    ).toEqual([
      ['S3', at(-NEWEST_BACKUP_AGO_SECONDS), undefined],
      ['S3', at(-NEWEST_BACKUP_AGO_SECONDS - 86_400), undefined],
    ]);
  });

  it('pages by MaxResults and NextToken', async () => {
    const world = makeWorld();
    const backup = new BackupClient({ region: dr.region, ...opts });

    const [first, second] = await inSimulation(world, async () => {
      const a = await backup.send(
        new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: dr.backupVaultName, MaxResults: 50 }),
      );
      const b = await backup.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName: dr.backupVaultName,
          MaxResults: 50,
          NextToken: a.NextToken,
        }),
      );
      return [a, b];
    });

    // DR's own cluster and bucket (35 each) and main's copies (35 each): 140 points.
    expect(first.RecoveryPoints).toHaveLength(50);
    expect(first.NextToken).toBe('50');
    expect(second.RecoveryPoints).toHaveLength(50);
    expect(second.NextToken).toBe('100');
  });

  it('refuses a vault that does not exist in the region, and a page size out of range, as AWS documents', async () => {
    const world = makeWorld();
    const backup = new BackupClient({ region: MAIN, ...opts });

    const [missing, tooMany] = await inSimulation(world, () =>
      Promise.all([
        rejectionOf(
          backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: dr.backupVaultName })),
        ),
        rejectionOf(
          backup.send(
            new ListRecoveryPointsByBackupVaultCommand({
              BackupVaultName: main.backupVaultName,
              MaxResults: 1001,
            }),
          ),
        ),
      ]),
    );

    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect(tooMany.name).toBe('InvalidParameterValueException');
  });

  it('backup-copies-stopped leaves no copy younger than the days it says, and the sources untouched', async () => {
    const world = makeWorld();
    READINESS_FAULTS['backup-copies-stopped'].apply(world, {} as never, undefined);
    const backup = new BackupClient({ region: dr.region, ...opts });

    const [copies, own] = await inSimulation(world, () =>
      Promise.all([
        backup.send(
          new ListRecoveryPointsByBackupVaultCommand({
            BackupVaultName: dr.backupVaultName,
            ByResourceArn: mainCluster,
          }),
        ),
        backup.send(
          new ListRecoveryPointsByBackupVaultCommand({
            BackupVaultName: dr.backupVaultName,
            ByResourceArn: dr.backupResourceArns[0],
          }),
        ),
      ]),
    );

    const newestCopy = copies.RecoveryPoints?.[0]?.CreationDate;
    expect(newestCopy?.getTime()).toBeLessThan(at(-3 * 86_400).getTime());
    expect(own.RecoveryPoints?.[0]?.CreationDate).toEqual(at(-NEWEST_BACKUP_AGO_SECONDS));
  });

  it('seeds nothing when backups are off', () => {
    const off = structuredClone(config);
    off.backups.enabled = false;
    const world = makeWorld({}, 'dr', off);
    expect(world.deployed.backup.vaults.size).toBe(0);
  });
});

describe('scheduleIntervalSeconds', () => {
  it.each([
    ['cron(0 5 * * ? *)', 86_400],
    ['cron(0 * * * ? *)', 3600],
    ['cron(0 */6 * * ? *)', 6 * 3600],
    ['cron(0 5,17 * * ? *)', 12 * 3600],
  ])('%s runs every %d s', (schedule, seconds) => {
    expect(scheduleIntervalSeconds(schedule)).toBe(seconds);
  });
});

describe('npm run failover -- backups against the drill', () => {
  it("lists both vaults' points and main's point-in-time window from the simulated AWS", async () => {
    const world = makeWorld();
    const { deps, out, err } = makeDeps({ now: () => at(0) });
    const { processDeps } = await import('../../infra/cli/deps');
    const real = processDeps();

    const code = await inSimulation(world, () =>
      runCli(['backups'], { ...deps, clientsFor: real.clientsFor }),
    );

    expect(err).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(
      /point in time, main \(us-east-1\) sonar-proj-1-main-aurora: 2025-01-08 12:00:00 → 2025-01-15 11:5\d:\d\d UTC/,
    );
    expect(text).toMatch(
      /point in time, dr \(us-west-2\) sonar-proj-1-dr-aurora: no point-in-time window reported/,
    );
    expect(text).toMatch(/dr \(us-west-2\) +copy +main sonar-proj-1-main-aurora +COMPLETED/);
    expect(text).toMatch(/main \(us-east-1\) +copy +dr sonar-proj-1-dr-data/);
  });
});
