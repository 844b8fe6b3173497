import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ProjectNames } from '../config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { AuroraPrimaryCluster } from '../constructs/aurora-primary-cluster';
import { AuroraSecondaryCluster } from '../constructs/aurora-secondary-cluster';
import { pinLogicalId } from './pin-logical-id';

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
      // CDK derives this id from the path (former stack id `MainDatabase`); the secret has a fixed
      // name, so a new id would create a duplicate that fails and rolls the update back.
      pinLogicalId(
        this.primary,
        CfnSecret,
        'MainDatabaseAuroraClusterSecret5BF59C813fdaad7efa858a3daf9490cf0a702aeb',
      );
    } else {
      this.secondary = new AuroraSecondaryCluster(this, 'Aurora', common);
    }
  }
}
