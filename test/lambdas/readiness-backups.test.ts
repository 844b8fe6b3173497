import { ListRecoveryPointsByBackupVaultCommand } from '@aws-sdk/client-backup';
import { ageText, resourceLabel } from '../../lambdas/readiness/checks/backups';
import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import { awsError, throttled } from './helpers';
import {
  givenCopies,
  healthyWorld,
  MAIN_BUCKET_ARN,
  MAIN_CLUSTER_ARN,
  mocks,
  NOW,
  onlyFinding,
  resetMocks,
  SETTINGS,
  VAULT,
} from './readiness-fixtures';
import 'aws-sdk-client-mock-jest';

const check = (settings: ReadinessSettings = SETTINGS) => onlyFinding('backups', settings);

const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

beforeEach(() => {
  resetMocks();
  healthyWorld();
});

describe('backups', () => {
  it('is PASS when each of the other region’s resources has a copy younger than the target', async () => {
    givenCopies(3);

    const result = await check();

    expect(result).toMatchObject({ id: 'backups', status: 'PASS' });
    expect(result.what).toBe(
      `newest copy in ${VAULT} of each of 2 us-east-1 database(s) and bucket(s) younger than 26 h`,
    );
    // One bounded read per resource when fresh: by resource and created after now - target.
    expect(mocks.backup).toHaveReceivedCommandTimes(ListRecoveryPointsByBackupVaultCommand, 2);
    expect(mocks.backup).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      BackupVaultName: VAULT,
      ByResourceArn: MAIN_CLUSTER_ARN,
      ByCreatedAfter: hoursAgo(26),
    });
  });

  it('gives the same answer when run again (read-only, idempotent)', async () => {
    givenCopies(3);
    const first = await check();
    const second = await check();
    expect(second).toEqual(first);
  });

  it('is FAIL naming each resource whose newest copy is older than the target, with its age', async () => {
    givenCopies(72);

    const result = await check();

    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(
      `cluster proj-main-aurora: newest copy is 3.0 days old (${hoursAgo(72).toISOString()}), target 26 h; ` +
        `bucket proj-main-data: newest copy is 3.0 days old (${hoursAgo(72).toISOString()}), target 26 h`,
    );
    expect(result.fix).toMatch(/aws backup list-copy-jobs --region us-east-1/);
    expect(result.fix).toMatch(/npm run failover -- backups/);
  });

  it('is FAIL when a resource has no copy at all', async () => {
    mocks.backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .callsFake((input: { ByResourceArn?: string }) => ({
        RecoveryPoints:
          input.ByResourceArn === MAIN_BUCKET_ARN
            ? []
            : [{ Status: 'COMPLETED', CreationDate: hoursAgo(1), ResourceArn: input.ByResourceArn }],
      }));

    const result = await check();

    expect(result).toMatchObject({
      status: 'FAIL',
      why: `bucket proj-main-data: no recovery point in ${VAULT}`,
    });
  });

  it('does not count a copy that is still running or failed', async () => {
    mocks.backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [
        { Status: 'CREATING', CreationDate: hoursAgo(1) },
        { Status: 'PARTIAL', CreationDate: hoursAgo(2) },
      ],
    });

    const result = await check();

    expect(result.status).toBe('FAIL');
    expect(result.why).toMatch(/^cluster proj-main-aurora: no recovery point in/);
  });

  it('follows NextToken to find the newest point across pages', async () => {
    mocks.backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .callsFake((input: { ByCreatedAfter?: Date; NextToken?: string }) => {
        if (input.ByCreatedAfter !== undefined) return { RecoveryPoints: [] };
        return input.NextToken === undefined
          ? { RecoveryPoints: [{ Status: 'COMPLETED', CreationDate: hoursAgo(100) }], NextToken: 'p2' }
          : { RecoveryPoints: [{ Status: 'COMPLETED', CreationDate: hoursAgo(30) }] };
      });

    const result = await check();

    expect(result.status).toBe('FAIL');
    expect(result.why).toContain('cluster proj-main-aurora: newest copy is 30.0 h old');
    expect(mocks.backup).toHaveReceivedCommandWith(ListRecoveryPointsByBackupVaultCommand, {
      ByResourceArn: MAIN_CLUSTER_ARN,
      NextToken: 'p2',
    });
  });

  it('is PASS when the fresh copy is on a later page', async () => {
    mocks.backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .callsFake((input: { NextToken?: string }) =>
        input.NextToken === undefined
          ? { RecoveryPoints: [], NextToken: 'p2' }
          : { RecoveryPoints: [{ Status: 'COMPLETED', CreationDate: hoursAgo(2) }] },
      );

    expect((await check()).status).toBe('PASS');
  });

  it('is UNKNOWN naming the resource when the vault cannot be read', async () => {
    mocks.backup.on(ListRecoveryPointsByBackupVaultCommand).rejects(throttled());

    const result = await check();

    expect(result.status).toBe('UNKNOWN');
    expect(result.why).toMatch(
      /^cluster proj-main-aurora: backup:ListRecoveryPointsByBackupVault failed: ThrottlingException/,
    );
    expect(result.fix).toMatch(/transient/);
  });

  it('is UNKNOWN with the permission to grant when access is denied', async () => {
    mocks.backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized', 403));

    const result = await check();

    expect(result.status).toBe('UNKNOWN');
    expect(result.fix).toMatch(/grant backup:ListRecoveryPointsByBackupVault/);
  });

  it('is FAIL saying to deploy the backup stack when the vault does not exist', async () => {
    mocks.backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .rejects(awsError('ResourceNotFoundException', 'Backup vault not found', 404));

    const result = await check();

    expect(result.status).toBe('FAIL');
    expect(result.why).toBe(`vault ${VAULT} does not exist in us-west-2`);
    expect(result.fix).toMatch(/^deploy this region's backup stack/);
  });

  it('is PASS without reading when backups are off', async () => {
    const { backups: _off, ...settings } = SETTINGS;

    const result = await check(settings);

    expect(result).toMatchObject({ status: 'PASS', what: expect.stringMatching(/^backups off/) });
    expect(mocks.backup).not.toHaveReceivedAnyCommand();
  });
});

describe('backup labels', () => {
  it('names clusters and buckets by their ARN’s last part', () => {
    expect(resourceLabel(MAIN_CLUSTER_ARN)).toBe('cluster proj-main-aurora');
    expect(resourceLabel(MAIN_BUCKET_ARN)).toBe('bucket proj-main-data');
    expect(resourceLabel('arn:aws:dynamodb:us-east-1:1:table/t')).toBe(
      'arn:aws:dynamodb:us-east-1:1:table/t',
    );
  });

  it('gives hours under two days and days beyond', () => {
    expect(ageText(30 * 3_600_000)).toBe('30.0 h');
    expect(ageText(72 * 3_600_000)).toBe('3.0 days');
  });
});
