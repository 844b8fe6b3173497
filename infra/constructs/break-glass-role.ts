import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { VAULT_PROTECTED_ACTIONS } from './backup-vault';

/** Props of {@link BreakGlassRole}. */
export interface BreakGlassRoleProps {
  /** `<project>-backup-break-glass`. */
  readonly roleName: string;
  /** Both regions' vaults: the role may act on them and their recovery points only. */
  readonly vaultArns: readonly string[];
  /** The recovery points of both vaults (`arn:…:backup:<region>:<account>:recovery-point:*`). */
  readonly recoveryPointArns: readonly string[];
}

/**
 * The break-glass role pilot-light creates when `backups.breakGlassRoleArn` names none: the only
 * principal the vaults let delete recovery points or change their policy. Assumable by the
 * account's principals only with MFA, so a leaked access key alone cannot destroy the backups.
 */
export class BreakGlassRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BreakGlassRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      description: 'Break glass: delete AWS Backup recovery points or change the vault policy (MFA only)',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [...VAULT_PROTECTED_ACTIONS, 'backup:ListRecoveryPointsByBackupVault'],
        resources: [...props.vaultArns, ...props.recoveryPointArns],
      }),
    );
    Validations.of(this.role).acknowledge(
      ...props.recoveryPointArns.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${arn}]`,
        reason:
          "The vault's recovery points: AWS Backup names each when it creates it, so they are known only as the " +
          "vault's pattern; the role exists to delete them when nothing else may.",
      })),
    );
  }
}
