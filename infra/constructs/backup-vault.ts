import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The vault actions its access policy denies to every principal but the break-glass role: deleting
 * a recovery point, shortening its lifecycle, and replacing or removing the policy itself (the
 * three AWS Config's `backup-recovery-point-manual-deletion-disabled` rule looks for, plus the
 * removal). AWS Backup access policies take no wildcard in `Action`, so each is listed.
 */
export const VAULT_PROTECTED_ACTIONS = [
  'backup:DeleteRecoveryPoint',
  'backup:UpdateRecoveryPointLifecycle',
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultAccessPolicy',
] as const;

/** Props of {@link BackupVault}. */
export interface BackupVaultProps {
  /** `<project>-<role>-backups` (`infra/config/names.ts`): the other region copies into it by name. */
  readonly vaultName: string;
  /** The one principal the access policy lets delete recovery points or change the policy. */
  readonly breakGlassRoleArn: string;
}

/**
 * One region's AWS Backup vault: its own recovery points and the other region's copies. Retained
 * when its stack is deleted (a vault holding recovery points cannot be deleted anyway, and the
 * copies are what a lost region leaves). Its access policy denies {@link VAULT_PROTECTED_ACTIONS}
 * to every principal whose ARN is not the break-glass role's, so credentials that can run the
 * application or deploy it cannot destroy its backups; recovery points still expire by their
 * lifecycle (AWS Backup deletes those itself).
 */
export class BackupVault extends Construct {
  public readonly vault: backup.CfnBackupVault;

  constructor(scope: Construct, id: string, props: BackupVaultProps) {
    super(scope, id);
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'OnlyBreakGlassDeletes',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: [...VAULT_PROTECTED_ACTIONS],
          resources: ['*'],
          conditions: { ArnNotEquals: { 'aws:PrincipalArn': props.breakGlassRoleArn } },
        }),
      ],
    });
    this.vault = new backup.CfnBackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      accessPolicy: policy.toJSON(),
    });
    this.vault.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
