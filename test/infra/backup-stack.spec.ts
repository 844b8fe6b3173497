import type { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NIST80053R5Checks } from 'cdk-nag';
import type { BuiltApp } from '../../infra/build-app';
import { projectNames } from '../../infra/config/names';
import { BACKUP_MANAGED_POLICIES } from '../../infra/constructs/backup-service-role';
import { VAULT_PROTECTED_ACTIONS } from '../../infra/constructs/backup-vault';
import type { BackupStack } from '../../infra/stacks/backup-stack';
import {
  baseConfig,
  buildTestApp,
  deployedRegions,
  existingAppConfig,
  mixedConfig,
  shopConfig,
  TEAM,
} from './app-fixture';

function backupStacks(built: BuiltApp): { main: BackupStack; dr: BackupStack } {
  if (built.backups === undefined) throw new Error('expected backup stacks (backups.enabled)');
  return built.backups;
}

/** The Resources of the one backup selection of `t`. */
function selected(t: Template): unknown[] {
  const [selection] = Object.values(t.findResources('AWS::Backup::BackupSelection'));
  if (selection === undefined) throw new Error('expected a backup selection');
  return (selection.Properties as { BackupSelection: { Resources: unknown[] } }).BackupSelection.Resources;
}

/** The construct paths of NIST 800-53 R5 `RDSInBackupPlan` findings in `app`. */
function rdsInBackupPlan(app: App): string[] {
  const report = new NIST80053R5Checks().validateScope(app);
  return report.violations
    .filter((v) => v.ruleName === 'NIST.800.53.R5-RDSInBackupPlan')
    .flatMap((v) => v.violatingResources.map((r) => r.constructPath ?? '?'));
}

describe('BackupStack', () => {
  // Prepare + Act: one app for the tests below.
  const { app, built, names, config } = buildTestApp();
  const stacks = backupStacks(built);
  const regions = deployedRegions(built);
  const { main, dr } = names.regions;
  const t = { main: Template.fromStack(stacks.main), dr: Template.fromStack(stacks.dr) };

  it('is <project>-<role>-backup in each region, after the region’s database and storage, DR’s before main’s', () => {
    expect(stacks.main.stackName).toBe('sonar-proj-1-main-backup');
    expect(stacks.dr.stackName).toBe('sonar-proj-1-dr-backup');
    expect(stacks.dr.region).toBe(config.regions.dr.region);
    expect(stacks.main.dependencies).toEqual(
      expect.arrayContaining([regions.main.database, regions.main.storage, stacks.dr]),
    );
    expect(stacks.dr.dependencies).toEqual(expect.arrayContaining([regions.dr.database, regions.dr.storage]));
    expect(stacks.dr.dependencies).not.toContain(stacks.main);
  });

  it('names the vault deterministically and retains it', () => {
    expect(main.backupVaultName).toBe('sonar-proj-1-main-backups');
    expect(dr.backupVaultArn).toBe(
      'arn:aws:backup:us-west-2:111111111111:backup-vault:sonar-proj-1-dr-backups',
    );
    t.dr.hasResource('AWS::Backup::BackupVault', {
      Properties: { BackupVaultName: 'sonar-proj-1-dr-backups' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('denies deleting recovery points, shortening them and changing the policy to all but the break-glass role', () => {
    expect(names.breakGlassRoleArn).toBe('arn:aws:iam::111111111111:role/sonar-proj-1-backup-break-glass');
    for (const template of [t.main, t.dr]) {
      template.hasResourceProperties('AWS::Backup::BackupVault', {
        AccessPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: [...VAULT_PROTECTED_ACTIONS],
              Resource: '*',
              Condition: { ArnNotEquals: { 'aws:PrincipalArn': names.breakGlassRoleArn } },
            },
          ],
        },
      });
    }
    expect(VAULT_PROTECTED_ACTIONS).toEqual([
      'backup:DeleteRecoveryPoint',
      'backup:UpdateRecoveryPointLifecycle',
      'backup:PutBackupVaultAccessPolicy',
      'backup:DeleteBackupVaultAccessPolicy',
    ]);
  });

  it('backs up on the schedule into the region’s vault and copies each point to the other region’s vault', () => {
    t.main.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'sonar-proj-1-main-backups',
        BackupPlanRule: [
          {
            ScheduleExpression: 'cron(0 5 * * ? *)',
            ScheduleExpressionTimezone: 'Etc/UTC',
            StartWindowMinutes: 60,
            TargetBackupVault: { 'Fn::GetAtt': [Match.anyValue(), 'BackupVaultName'] },
            Lifecycle: { DeleteAfterDays: 35 },
            CopyActions: [
              { DestinationBackupVaultArn: dr.backupVaultArn, Lifecycle: { DeleteAfterDays: 35 } },
            ],
          },
        ],
      },
    });
    t.dr.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            CopyActions: [Match.objectLike({ DestinationBackupVaultArn: main.backupVaultArn })],
          }),
        ],
      },
    });
  });

  it('selects the region’s clusters and buckets by ARN, with a role holding the Backup and S3 backup policies', () => {
    expect(selected(t.main)).toEqual([
      'arn:aws:rds:us-east-1:111111111111:cluster:sonar-proj-1-main-aurora',
      'arn:aws:s3:::sonar-proj-1-main-data-111111111111-us-east-1',
    ]);
    expect(selected(t.dr)).toEqual(dr.backupResourceArns);
    t.main.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'sonar-proj-1-main-backup',
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })],
      },
      ManagedPolicyArns: BACKUP_MANAGED_POLICIES.map((p) => ({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${p}`]],
      })),
    });
  });

  it('creates the break-glass role once, in main, assumable by the account with MFA only', () => {
    t.main.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'sonar-proj-1-backup-break-glass',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
            Principal: { AWS: Match.anyValue() },
          }),
        ],
      },
    });
    expect(
      Object.keys(
        t.dr.findResources('AWS::IAM::Role', { Properties: { RoleName: 'sonar-proj-1-backup-break-glass' } }),
      ),
    ).toEqual([]);
  });

  it('leaves NIST 800-53 R5 RDSInBackupPlan with no finding: each deployed cluster is in its region’s plan', () => {
    app.synth();
    expect(rdsInBackupPlan(app)).toEqual([]);
    const instances = Object.keys(
      Template.fromStack(regions.main.database).findResources('AWS::RDS::DBInstance'),
    );
    expect(instances.length).toBeGreaterThan(0);
    expect(selected(t.main)).toContain(main.databases[0]?.dbClusterArn);
  });

  it('reports RDSInBackupPlan on every instance when backups are off (the check is live)', () => {
    const off = baseConfig();
    off.backups.enabled = false;
    const { app: offApp, built: offBuilt } = buildTestApp(off);
    offApp.synth();
    expect(offBuilt.backups).toBeUndefined();
    expect(rdsInBackupPlan(offApp)).toEqual([
      'sonar-proj-1-main-database/Aurora/Cluster/Writer/Resource',
      'sonar-proj-1-main-database/Aurora/Cluster/Reader1/Resource',
      'sonar-proj-1-main-database/Aurora/Cluster/Reader2/Resource',
    ]);
  });

  it('has no RDSInBackupPlan finding for shop’s two databases either', () => {
    const { app: shopApp } = buildTestApp(shopConfig());
    shopApp.synth();
    expect(rdsInBackupPlan(shopApp)).toEqual([]);
  });

  it('backs up the team’s existing clusters and buckets by their own ids', () => {
    const { built: mixed } = buildTestApp(mixedConfig());
    expect(selected(Template.fromStack(backupStacks(mixed).main))).toEqual([
      `arn:aws:rds:us-east-1:111111111111:cluster:${TEAM.clusterIds.main}`,
      `arn:aws:s3:::${TEAM.buckets.main.bucketName}`,
    ]);
    const existing = existingAppConfig();
    const { built: all } = buildTestApp(existing);
    const stack = backupStacks(all).dr;
    expect(selected(Template.fromStack(stack))).toEqual(projectNames(existing).regions.dr.backupResourceArns);
    // Nothing of the application is deployed: the backup stack depends on nothing.
    expect(stack.dependencies).toEqual([]);
  });

  it('uses the configured schedule, retentions and break-glass role, and creates no role then', () => {
    const custom = baseConfig();
    custom.backups = {
      enabled: true,
      schedule: 'cron(0 */6 * * ? *)',
      retentionDays: 7,
      copyRetentionDays: 90,
      copyTargetHours: 8,
      breakGlassRoleArn: 'arn:aws:iam::111111111111:role/ops-break-glass',
    };
    const { built: b } = buildTestApp(custom);
    const main2 = Template.fromStack(backupStacks(b).main);
    main2.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: 'cron(0 */6 * * ? *)',
            Lifecycle: { DeleteAfterDays: 7 },
            CopyActions: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 90 } })],
          }),
        ],
      },
    });
    main2.hasResourceProperties('AWS::Backup::BackupVault', {
      AccessPolicy: Match.objectLike({
        Statement: [
          Match.objectLike({
            Condition: {
              ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ops-break-glass' },
            },
          }),
        ],
      }),
    });
    expect(backupStacks(b).main.breakGlass).toBeUndefined();
  });

  it('deploys no backup stack when backups are off', () => {
    const off = baseConfig();
    off.backups.enabled = false;
    const { app: offApp, built: offBuilt } = buildTestApp(off);
    expect(offBuilt.backups).toBeUndefined();
    expect(offApp.node.children.map((c) => c.node.id)).not.toContain('sonar-proj-1-main-backup');
  });

  it('lets the readiness function list this region’s vault only', () => {
    const orchestrator = Template.fromStack(built.orchestrators.dr);
    orchestrator.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'backup:ListRecoveryPointsByBackupVault', Resource: dr.backupVaultArn }),
        ]),
      },
    });
  });
});
