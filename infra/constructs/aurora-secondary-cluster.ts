import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { DatabaseNames, RegionNames } from '../config/names';
import type { DatabaseConfig } from '../config/schema';
import { AURORA_PORT, postgresLogGroup } from './aurora-primary-cluster';

/** Props of {@link AuroraSecondaryCluster}. */
export interface AuroraSecondaryClusterProps {
  /** The `databases[]` entry. */
  readonly database: DatabaseConfig;
  /** The entry's names in this region (cluster, instances, global cluster). */
  readonly names: DatabaseNames;
  /** Names of the region the cluster is in (its DB subnet group). */
  readonly region: RegionNames;
  /**
   * The name of the region's DB subnet group, when another database of the region already created
   * it (each region has one, created by its first database).
   */
  readonly subnetGroupName?: string;
  readonly vpc: ec2.IVpc;
  /** The database security group, with its rules already in place. */
  readonly securityGroup: ec2.ISecurityGroup;
  /**
   * DB instances to create in the cluster. 0 makes it headless: storage only, replicating from the
   * primary, with instances added by the failover state machine before promotion.
   */
  readonly instances: number;
}

/**
 * A secondary cluster joined to the Aurora Global Database (L1: a secondary has no master
 * credentials of its own). Encrypted with a key of its own region, as a cross-region encrypted
 * replica requires.
 */
export class AuroraSecondaryCluster extends Construct {
  public readonly cluster: rds.CfnDBCluster;
  public readonly instances: rds.CfnDBInstance[];
  public readonly encryptionKey: kms.Key;
  /** The name of the region's DB subnet group (this cluster's own, or the one it was given). */
  public readonly subnetGroupName: string;

  constructor(scope: Construct, id: string, props: AuroraSecondaryClusterProps) {
    super(scope, id);
    const { database, names, region } = props;

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: `Aurora storage of ${names.dbClusterIdentifier}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.subnetGroupName =
      props.subnetGroupName ??
      new rds.CfnDBSubnetGroup(this, 'Subnets', {
        dbSubnetGroupName: region.dbSubnetGroupName,
        dbSubnetGroupDescription: `Isolated subnets of ${names.dbClusterIdentifier}`,
        subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
      }).ref;

    this.cluster = new rds.CfnDBCluster(this, 'Cluster', {
      engine: 'aurora-postgresql',
      engineVersion: database.engineVersion,
      dbClusterIdentifier: names.dbClusterIdentifier,
      globalClusterIdentifier: names.globalClusterIdentifier,
      dbSubnetGroupName: this.subnetGroupName,
      vpcSecurityGroupIds: [props.securityGroup.securityGroupId],
      port: AURORA_PORT,
      storageEncrypted: true,
      kmsKeyId: this.encryptionKey.keyArn,
      enableIamDatabaseAuthentication: true,
      deletionProtection: true,
      backupRetentionPeriod: 7,
      copyTagsToSnapshot: true,
      enableCloudwatchLogsExports: ['postgresql'],
    });
    this.cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    this.cluster.node.addDependency(postgresLogGroup(this, names.dbClusterIdentifier));
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason: 'Default PostgreSQL port; only the container instances security group may reach it.',
    });

    this.instances = Array.from({ length: props.instances }, (_, i) => {
      const instance = new rds.CfnDBInstance(this, `Instance${i + 1}`, {
        dbInstanceIdentifier: names.dbInstanceIdentifier(i),
        dbClusterIdentifier: this.cluster.ref,
        dbInstanceClass: database.instanceClass,
        engine: 'aurora-postgresql',
        enablePerformanceInsights: true,
      });
      return instance;
    });
  }
}
