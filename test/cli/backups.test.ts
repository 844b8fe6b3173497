import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { parseCommand } from '../../infra/cli/args';
import { runCli } from '../../infra/cli/run';
import { awsError } from '../lambdas/helpers';
import { makeDeps, NOW } from './helpers';
import 'aws-sdk-client-mock-jest';

const backupMock = mockClient(BackupClient);
const rdsMock = mockClient(RDSClient);

const MAIN_CLUSTER = 'arn:aws:rds:us-east-1:111111111111:cluster:sonar-proj-1-main-aurora';
const MAIN_BUCKET = 'arn:aws:s3:::sonar-proj-1-main-data-111111111111-us-east-1';
const MAIN_VAULT = 'arn:aws:backup:us-east-1:111111111111:backup-vault:sonar-proj-1-main-backups';
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

/** A completed point of `resource` made `h` hours ago, a copy from main's vault when `copy`. */
function point(resource: string, h: number, copy = false) {
  return {
    RecoveryPointArn: `arn:aws:backup:x:111111111111:recovery-point:${resource.slice(-12)}-${h}${copy ? '-copy' : ''}`,
    ResourceArn: resource,
    Status: 'COMPLETED' as const,
    CreationDate: hoursAgo(h),
    CalculatedLifecycle: { DeleteAt: new Date(hoursAgo(h).getTime() + 35 * 86_400_000) },
    ...(copy ? { SourceBackupVaultArn: MAIN_VAULT } : {}),
  };
}

/** Main's vault holds its own points; DR's the copies of them (one an hour later); main's cluster has a 7-day window. */
function arrangeBoth(): void {
  backupMock
    .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'sonar-proj-1-main-backups' })
    .resolves({
      RecoveryPoints: [4, 28, 52, 76].flatMap((h) => [point(MAIN_CLUSTER, h), point(MAIN_BUCKET, h)]),
    })
    .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'sonar-proj-1-dr-backups' })
    .resolves({ RecoveryPoints: [point(MAIN_CLUSTER, 3, true)], NextToken: 'p2' })
    .on(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'sonar-proj-1-dr-backups',
      NextToken: 'p2',
    })
    .resolves({ RecoveryPoints: [point(MAIN_BUCKET, 3, true)] });
  rdsMock
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'sonar-proj-1-main-aurora' })
    .resolves({
      DBClusters: [{ EarliestRestorableTime: hoursAgo(7 * 24), LatestRestorableTime: hoursAgo(0.1) }],
    })
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'sonar-proj-1-dr-aurora' })
    .resolves({ DBClusters: [{ DBClusterIdentifier: 'sonar-proj-1-dr-aurora' }] });
}

beforeEach(() => {
  backupMock.reset();
  rdsMock.reset();
});

describe('failover backups', () => {
  it('parses with --project and --profile, and prints its usage with --help', () => {
    expect(parseCommand(['backups', '--project', 'shop', '--profile', 'ops'])).toEqual({
      command: 'backups',
      project: 'shop',
      profile: 'ops',
    });
    const help = parseCommand(['backups', '--help']);
    expect(help).toMatchObject({
      command: 'help',
      usage: expect.stringMatching(/^usage: npm run failover -- backups/),
    });
  });

  it('lists each resource’s newest points in both vaults, source and copy, and the point-in-time windows', async () => {
    arrangeBoth();
    const { deps, out, err } = makeDeps();

    const code = await runCli(['backups'], deps);

    expect(code).toBe(0);
    expect(err).toEqual([]);
    const text = out.join('\n');
    expect(text).toContain(
      'point in time, main (us-east-1) sonar-proj-1-main-aurora: 2026-11-17 10:00:00 → 2026-11-24 09:54:00 UTC',
    );
    expect(text).toContain(
      'point in time, dr (us-west-2) sonar-proj-1-dr-aurora: no point-in-time window reported',
    );
    // Newest three per vault: main's 4, 28, 52 h old (not 76), DR's copy 3 h old, newest first.
    const db = out.slice(out.indexOf('database app'), out.indexOf('bucket data'));
    const rows = db.filter((l) => /^ {2}2026-/.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(
      /^ {2}2026-11-24 07:00:00 +dr \(us-west-2\) +copy +main sonar-proj-1-main-aurora +COMPLETED +2026-12-29 07:00:00/,
    );
    expect(rows[1]).toMatch(
      /^ {2}2026-11-24 06:00:00 +main \(us-east-1\) +source +main sonar-proj-1-main-aurora/,
    );
    expect(rows.filter((l) => /main \(us-east-1\) +source/.test(l))).toHaveLength(3);
    expect(rows.at(-1)).toMatch(/^ {2}2026-11-22 06:00:00 /);
    // The bucket's copy sits on the second page of DR's vault.
    expect(out.slice(out.indexOf('bucket data')).join('\n')).toMatch(
      /dr \(us-west-2\) +copy +main sonar-proj-1-main-data/,
    );
    expect(backupMock).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: 'sonar-proj-1-dr-backups',
      NextToken: 'p2',
    });
  });

  it('shows a region that does not answer as unreachable and still lists the other region’s copies', async () => {
    arrangeBoth();
    const down = awsError('TimeoutError', 'connect ETIMEDOUT backup.us-east-1.amazonaws.com', 0);
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'sonar-proj-1-main-backups' })
      .rejects(down);
    rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'sonar-proj-1-main-aurora' }).rejects(down);
    const { deps, out } = makeDeps();

    const code = await runCli(['backups'], deps);

    expect(code).toBe(0);
    expect(out).toContain(
      'main (us-east-1): unreachable (TimeoutError: connect ETIMEDOUT backup.us-east-1.amazonaws.com)',
    );
    expect(out).toContain('  point in time, main (us-east-1) sonar-proj-1-main-aurora: unreachable');
    const rows = out.filter((l) => /^ {2}2026-/.test(l));
    expect(rows.every((l) => l.includes('dr (us-west-2)  copy'))).toBe(true);
    expect(rows).toHaveLength(2);
  });

  it('exits 1 when neither region answers', async () => {
    const down = awsError('TimeoutError', 'connect ETIMEDOUT', 0);
    backupMock.onAnyCommand().rejects(down);
    rdsMock.onAnyCommand().rejects(down);
    const { deps, out } = makeDeps();

    expect(await runCli(['backups'], deps)).toBe(1);
    expect(out.filter((l) => l.includes('unreachable (TimeoutError'))).toHaveLength(2);
  });

  it('says a vault that cannot be read beside the clusters that answered', async () => {
    arrangeBoth();
    backupMock
      .on(ListRecoveryPointsByBackupVaultCommand, { BackupVaultName: 'sonar-proj-1-dr-backups' })
      .rejects(awsError('ResourceNotFoundException', 'Backup vault sonar-proj-1-dr-backups not found', 404));
    const { deps, out } = makeDeps();

    expect(await runCli(['backups'], deps)).toBe(0);
    expect(out).toContain(
      'dr (us-west-2): vault sonar-proj-1-dr-backups not readable (ResourceNotFoundException: Backup vault sonar-proj-1-dr-backups not found)',
    );
  });

  it('gives the one-line credentials error without credentials, as the other commands', async () => {
    const expired = awsError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    );
    backupMock.onAnyCommand().rejects(expired);
    rdsMock.onAnyCommand().rejects(expired);
    const { deps, out, err } = makeDeps();

    expect(await runCli(['backups', '--profile', 'ops'], deps)).toBe(1);
    expect(err).toEqual([
      'error: no usable AWS credentials for account 111111111111 (ExpiredTokenException: The security token included in the request is expired): sign in with aws sso login --profile ops and run the same command again',
    ]);
    expect(out).toEqual([]);
  });
});
