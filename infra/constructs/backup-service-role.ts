import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * The AWS managed policies AWS Backup documents for its service role: Aurora and the other services
 * (`AWSBackupServiceRolePolicyForBackup`, `…ForRestores`) and S3, which has its own pair
 * (`AWSBackupServiceRolePolicyForS3Backup`, `…ForS3Restore`).
 */
export const BACKUP_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
] as const;

/** Props of {@link BackupServiceRole}. */
export interface BackupServiceRoleProps {
  /** `<project>-<role>-backup`: IAM is global, so each region's role has its own name. */
  readonly roleName: string;
}

/** The role AWS Backup assumes to back up, copy and restore one region's databases and buckets. */
export class BackupServiceRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BackupServiceRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: 'AWS Backup: back up, copy and restore the application databases and buckets',
      managedPolicies: BACKUP_MANAGED_POLICIES.map((name) =>
        iam.ManagedPolicy.fromAwsManagedPolicyName(name),
      ),
    });
    Validations.of(this.role).acknowledge(
      ...BACKUP_MANAGED_POLICIES.map((name) => ({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        reason:
          'An AWS Backup service role policy AWS documents for Aurora and S3 backups and restores (S3 has its own ' +
          'pair): AWS keeps it current as the services add what a backup or restore needs; a copy here would drift.',
      })),
    );
  }
}
