import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ProjectNames } from '../config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../config/schema';
import { AuroraPrimaryCluster } from '../constructs/aurora-primary-cluster';
import { AuroraSecondaryCluster } from '../constructs/aurora-secondary-cluster';
import { entryIdSuffix } from '../constructs/entry-id';
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
 * One region's members of the application's Aurora Global Databases (`databases[]`), in config
 * order. The main region owns each global cluster and its primary (writer + readers); the DR region
 * has a secondary cluster joined to each, headless (no DB instance) when the entry's
 * `regions.dr.instances` is 0. The region's DB subnet group is created by the first database and
 * shared by the others. Deploy the main stack first.
 */
export class DatabaseStack extends Stack {
  /** Main region: one per database, in config order. */
  public readonly primaries: readonly AuroraPrimaryCluster[];
  /** DR region: one per database, in config order. */
  public readonly secondaries: readonly AuroraSecondaryCluster[];

  constructor(scope: Construct, id: string, props: DatabaseStackProps) {
    super(scope, id, props);
    const { config, names, role } = props;
    const region = names.regions[role];
    const primaries: AuroraPrimaryCluster[] = [];
    const secondaries: AuroraSecondaryCluster[] = [];
    for (const [i, database] of config.databases.entries()) {
      // The team's global databases (`existing:`) are read and promoted, never deployed.
      if (database.existing !== undefined) continue;
      const dbNames = region.databases[i];
      if (dbNames === undefined) throw new Error(`databases[${i}]: no names derived`);
      // The first database keeps the seed's construct ids (and so its logical ids).
      const constructId = `Aurora${entryIdSuffix(i, database.name)}`;
      const common = {
        database,
        names: dbNames,
        region,
        vpc: props.vpc,
        securityGroup: props.securityGroup,
        instances: database.regions[role].instances,
      };
      if (role === 'main') {
        const primary = new AuroraPrimaryCluster(this, constructId, {
          ...common,
          ...(config.backups.enabled ? { backupPlanName: region.backupPlanName } : {}),
          secretReplicaRegion: config.regions[otherRole(role)].region,
          ...(primaries[0] === undefined ? {} : { subnetGroup: primaries[0].subnetGroup }),
        });
        if (i === 0) {
          // CDK derives this id from the path (former stack id `MainDatabase`); the secret has a fixed
          // name, so a new id would create a duplicate that fails and rolls the update back.
          pinLogicalId(
            primary,
            CfnSecret,
            'MainDatabaseAuroraClusterSecret5BF59C813fdaad7efa858a3daf9490cf0a702aeb',
          );
        }
        primaries.push(primary);
      } else {
        secondaries.push(
          new AuroraSecondaryCluster(this, constructId, {
            ...common,
            ...(secondaries[0] === undefined ? {} : { subnetGroupName: secondaries[0].subnetGroupName }),
          }),
        );
      }
    }
    this.primaries = primaries;
    this.secondaries = secondaries;
  }
}
