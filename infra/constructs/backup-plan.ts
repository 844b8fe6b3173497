import * as backup from 'aws-cdk-lib/aws-backup';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BackupsConfig } from '../config/schema';

/**
 * Minutes after the scheduled time a backup must start (AWS Backup's minimum; its default is 8
 * hours): the copy target (`backups.copyTargetHours`, 26 h by default) leaves 2 h beyond the daily
 * interval, which a job starting hours late would spend.
 */
export const START_WINDOW_MINUTES = 60;

/** Props of {@link BackupPlan}. */
export interface BackupPlanProps {
  readonly planName: string;
  /** This region's vault: the rule's target. */
  readonly vault: backup.CfnBackupVault;
  /**
   * The other region's vault, by the ARN its deterministic name gives: each recovery point is copied
   * there. A plan names its copy destination as a string; AWS Backup resolves it when a copy job
   * runs, so the other region's backup stack need not be deployed first (the app deploys it first
   * all the same).
   */
  readonly copyVaultArn: string;
  /** The region's databases (cluster ARNs) and buckets (bucket ARNs), deployed and existing. */
  readonly resourceArns: readonly string[];
  readonly role: iam.IRole;
  readonly backups: BackupsConfig;
}

/**
 * One region's AWS Backup plan: one rule on `backups.schedule` that backs up each of the region's
 * databases and buckets into its own vault, keeps the point `retentionDays`, and copies it to the
 * other region's vault, kept there `copyRetentionDays`. The selection names each resource by ARN
 * (no tags: an existing resource is the team's to tag).
 */
export class BackupPlan extends Construct {
  public readonly plan: backup.CfnBackupPlan;
  public readonly selection: backup.CfnBackupSelection;

  constructor(scope: Construct, id: string, props: BackupPlanProps) {
    super(scope, id);
    const { backups } = props;
    this.plan = new backup.CfnBackupPlan(this, 'Plan', {
      backupPlan: {
        backupPlanName: props.planName,
        backupPlanRule: [
          {
            ruleName: 'daily-with-copy',
            targetBackupVault: props.vault.attrBackupVaultName,
            scheduleExpression: backups.schedule,
            scheduleExpressionTimezone: 'Etc/UTC',
            startWindowMinutes: START_WINDOW_MINUTES,
            lifecycle: { deleteAfterDays: backups.retentionDays },
            copyActions: [
              {
                destinationBackupVaultArn: props.copyVaultArn,
                lifecycle: { deleteAfterDays: backups.copyRetentionDays },
              },
            ],
          },
        ],
      },
    });
    this.selection = new backup.CfnBackupSelection(this, 'Selection', {
      backupPlanId: this.plan.attrBackupPlanId,
      backupSelection: {
        selectionName: 'databases-and-buckets',
        iamRoleArn: props.role.roleArn,
        resources: [...props.resourceArns],
      },
    });
  }
}
