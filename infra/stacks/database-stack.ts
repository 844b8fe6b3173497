import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { ProjectNames } from '../config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { AuroraPrimaryCluster } from '../constructs/aurora-primary-cluster';
import { AuroraSecondaryCluster } from '../constructs/aurora-secondary-cluster';

/** Props of {@link DatabaseStack}. */
export interface DatabaseStackProps extends StackProps {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  /** `main` creates the global database and its primary cluster; `dr` joins it as a secondary. */
  readonly role: RegionRole;
  readonly vpc: ec2.IVpc;
  /** The database security group (from the security groups stack). */
  readonly securityGroup: ec2.ISecurityGroup;
}

/**
 * One region's member of the Aurora Global Database. The main region owns the global cluster and
 * the primary (writer + readers); the DR region has a secondary cluster joined to it, headless
 * (no DB instance) when `regions.dr.database.instances` is 0. Deploy the main stack first.
 */
export class DatabaseStack extends Stack {
  /** Present in the main region. */
  public readonly primary?: AuroraPrimaryCluster;
  /** Present in the DR region. */
  public readonly secondary?: AuroraSecondaryCluster;

  constructor(scope: Construct, id: string, props: DatabaseStackProps) {
    super(scope, id, props);
    const { config, names, role } = props;
    const common = {
      config,
      names,
      region: names.regions[role],
      vpc: props.vpc,
      securityGroup: props.securityGroup,
      instances: config.regions[role].database.instances,
    };
    if (role === 'main') {
      this.primary = new AuroraPrimaryCluster(this, 'Aurora', {
        ...common,
        secretReplicaRegion: config.regions[otherRole(role)].region,
      });
    } else {
      this.secondary = new AuroraSecondaryCluster(this, 'Aurora', common);
    }
  }
}
