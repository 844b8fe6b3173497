import type { ProjectNames } from '../../infra/config/names';
import { type ProjectConfig, promotionInstanceClass } from '../../infra/config/schema';
import type { AutoScalingModel } from './autoscaling/autoscaling';
import { BackupModel } from './backup/backup';
import { Ec2Model, seedEc2 } from './ec2/ec2';
import { seedTaskDefinition, TaskDefinitionModel } from './ecs/task-definitions';
import { LambdaModel } from './lambda/lambda';
import { QuotaModel } from './quotas/quotas';
import type { AuroraModel } from './rds/aurora';
import { OrderableModel } from './rds/orderable';
import { BucketModel } from './s3/replication';

/**
 * What the stacks deployed and AWS offers the account that the failover never changes, but the
 * readiness checks read: launch templates and AMIs, task definitions, bucket replication rules,
 * the orchestrator's definition and functions, orderable DB classes, instance type offerings,
 * quotas and the backup vaults. Seeded from the config and names like the rest of the world; a readiness fault changes
 * one of them (drill/faults/readiness.ts).
 */
export class DeployedResources {
  readonly ec2 = new Ec2Model();
  readonly taskDefinitions = new TaskDefinitionModel();
  readonly buckets = new BucketModel();
  readonly lambda = new LambdaModel();
  readonly orderable = new OrderableModel();
  readonly quotas: QuotaModel;
  /** Both regions' backup vaults and their recovery points (`backups`). */
  readonly backup = new BackupModel();
  /** State machine ARN → its definition (JSON text) and role, for the orchestrators the drill deployed. */
  readonly stateMachines = new Map<string, { readonly definition: string; readonly roleArn: string }>();

  constructor(config: ProjectConfig, names: ProjectNames, autoscaling: AutoScalingModel, rds: AuroraModel) {
    this.quotas = new QuotaModel(
      [names.regions.main.region, names.regions.dr.region],
      this.ec2,
      autoscaling,
      rds,
    );
    // Every class a database runs or a promotion adds (its fallbacks too), orderable for every database's version.
    const classes = config.databases.flatMap((db) => [
      db.instanceClass,
      ...(['main', 'dr'] as const).flatMap((r) => [
        promotionInstanceClass(db, r),
        ...db.regions[r].promotion.fallbackInstanceClasses,
      ]),
    ]);
    this.backup.seed(names, config.backups);
    const versions = [...new Set(config.databases.map((db) => db.engineVersion))];
    for (const role of ['main', 'dr'] as const) {
      const n = names.regions[role];
      const other = names.regions[role === 'main' ? 'dr' : 'main'];
      seedEc2(this.ec2, config, n, role);
      for (const [i, entry] of config.services.entries()) {
        const s = n.services[i];
        if (s !== undefined) seedTaskDefinition(this.taskDefinitions, entry, n, s, role);
      }
      this.buckets.seed(n, other);
      this.orderable.seed(
        n.region,
        'aurora-postgresql',
        versions,
        config.regions[role].availabilityZones,
        classes,
      );
    }
  }
}
