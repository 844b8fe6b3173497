import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { ProjectNames } from '../config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { BackupPlan } from '../constructs/backup-plan';
import { BackupServiceRole } from '../constructs/backup-service-role';
import { BackupVault } from '../constructs/backup-vault';
import { BreakGlassRole } from '../constructs/break-glass-role';

/** Props of {@link BackupStack}. */
export interface BackupStackProps extends StackProps {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  readonly role: RegionRole;
}

/**
 * One region's backups (`<project>-<role>-backup`): the vault, the service role and the plan that
 * backs up every database cluster and bucket of the region (deployed and existing) and copies each
 * recovery point to the other region's vault. The main region's stack also creates the break-glass
 * role when the config names none (IAM is global: one role for both vaults).
 */
export class BackupStack extends Stack {
  public readonly vault: BackupVault;
  public readonly plan: BackupPlan;
  /** Main region, when pilot-light creates the break-glass role. */
  public readonly breakGlass?: BreakGlassRole;

  constructor(scope: Construct, id: string, props: BackupStackProps) {
    super(scope, id, props);
    const { config, names, role } = props;
    const own = names.regions[role];
    const other = names.regions[otherRole(role)];
    this.vault = new BackupVault(this, 'Vault', {
      vaultName: own.backupVaultName,
      breakGlassRoleArn: names.breakGlassRoleArn,
    });
    const serviceRole = new BackupServiceRole(this, 'ServiceRole', { roleName: own.backupRoleName });
    this.plan = new BackupPlan(this, 'Plan', {
      planName: own.backupPlanName,
      vault: this.vault.vault,
      copyVaultArn: other.backupVaultArn,
      resourceArns: own.backupResourceArns,
      role: serviceRole.role,
      backups: config.backups,
    });
    if (role === 'main' && names.breakGlassRoleName !== undefined) {
      this.breakGlass = new BreakGlassRole(this, 'BreakGlass', {
        roleName: names.breakGlassRoleName,
        vaultArns: [own.backupVaultArn, other.backupVaultArn],
        recoveryPointArns: [own, other].map((r) => r.arn('backup', 'recovery-point:*')),
      });
    }
  }
}
