import type { RegionRole } from '../../../infra/config/schema';
import type { AutoScalingModel } from '../autoscaling/autoscaling';
import type { Ec2Model } from '../ec2/ec2';
import type { AuroraModel } from '../rds/aurora';

/**
 * The account's quotas the promotion consumes, per region: EC2's running On-Demand Standard vCPUs
 * (Service Quotas `ec2` / `L-1216C47A`) and RDS's DB instances (`DescribeAccountAttributes`
 * `DBInstances`, Service Quotas `rds` / `L-7B6409FD`). Usage is derived from the world: the ASGs'
 * instances and the clusters' DB instances, plus what other workloads of the account run.
 */

/** Service Quotas' code of "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" (vCPUs). */
export const EC2_STANDARD_VCPU_QUOTA_CODE = 'L-1216C47A';
/** Service Quotas' code of RDS "DB instances". */
export const RDS_DB_INSTANCES_QUOTA_CODE = 'L-7B6409FD';

/**
 * Defaults of an account past its first months (assumptions: AWS sets new accounts' EC2 vCPU
 * quota by account history; 40 is RDS's published default for DB instances).
 */
const DEFAULT_VCPU_QUOTA = 256;
const DEFAULT_DB_INSTANCES_QUOTA = 40;
/** vCPUs the account's other workloads run in each region (an assumption: a little besides this project). */
const OTHER_VCPUS = 4;

export class QuotaModel {
  /** Region → applied quota value. */
  readonly vcpuQuota = new Map<string, number>();
  readonly dbInstancesQuota = new Map<string, number>();

  constructor(
    private readonly regions: readonly string[],
    private readonly ec2: Ec2Model,
    private readonly autoscaling: AutoScalingModel,
    private readonly rds: AuroraModel,
  ) {
    for (const r of regions) {
      this.vcpuQuota.set(r, DEFAULT_VCPU_QUOTA);
      this.dbInstancesQuota.set(r, DEFAULT_DB_INSTANCES_QUOTA);
    }
  }

  knows(region: string): boolean {
    return this.regions.includes(region);
  }

  /** Running On-Demand Standard vCPUs in `region` at `t` (launched instances count from launch). */
  vcpusUsed(region: string, t: number): number {
    let used = OTHER_VCPUS;
    for (const g of this.autoscaling.groups.values()) {
      if (g.region !== region) continue;
      for (const i of g.instances) {
        if (i.launchedAt <= t) used += this.ec2.instanceTypes.get(i.instanceType)?.vcpus ?? 2;
      }
    }
    return used;
  }

  /** DB instances of the account in `region` (every instance not being deleted). */
  dbInstancesUsed(region: string): number {
    return [...this.rds.instances.values()].filter((i) => i.region === region && i.status !== 'deleting')
      .length;
  }

  /** vCPUs `role`'s promotion adds: the ASG up to its promotion minimum. */
  vcpusToPromote(role: RegionRole, asgMinCapacity: number): number {
    const g = this.autoscaling.ofRole(role);
    if (g === undefined) return 0;
    const per = this.ec2.instanceTypes.get(g.instanceType)?.vcpus ?? 2;
    return Math.max(0, asgMinCapacity - g.instances.length) * per;
  }

  /** DB instances `role`'s promotion adds: over every global database, up to what `wanted` says it needs. */
  dbInstancesToPromote(role: RegionRole, wanted: (database: string) => number): number {
    return this.rds.databases.reduce(
      (sum, db) => sum + Math.max(0, wanted(db.name) - db.clusterInstances(role).length),
      0,
    );
  }
}
