import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { DatabaseNames, RegionNames } from '../config/names';
import type { DatabaseConfig } from '../config/schema';

/** Port of the Aurora PostgreSQL clusters (the security groups open this one). */
export const AURORA_PORT = 5432;

/** The master user of the clusters. Its password lives in Secrets Manager. */
export const AURORA_MASTER_USER = 'postgres';

/** Aurora PostgreSQL engine for a `major.minor` version from the config. */
export function auroraEngine(engineVersion: string): rds.IClusterEngine {
  const major = engineVersion.split('.')[0] ?? engineVersion;
  return rds.DatabaseClusterEngine.auroraPostgres({
    version: rds.AuroraPostgresEngineVersion.of(engineVersion, major),
  });
}

/**
 * The log group RDS exports PostgreSQL logs to, created ahead of the cluster so it has a retention
 * (CDK's `cloudwatchLogsRetention` would add a custom-resource Lambda for that).
 */
export function postgresLogGroup(scope: Construct, clusterIdentifier: string): logs.LogGroup {
  return new logs.LogGroup(scope, 'PostgresLogs', {
    logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
    retention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** Props of {@link AuroraPrimaryCluster}. */
export interface AuroraPrimaryClusterProps {
  /** The `databases[]` entry. */
  readonly database: DatabaseConfig;
  /** The entry's names in this region (cluster, instances, global cluster, secret). */
  readonly names: DatabaseNames;
  /** Names of the region the cluster is in (its DB subnet group). */
  readonly region: RegionNames;
  /**
   * The region's DB subnet group, when another database of the region already created it: each
   * region has one (`<project>-<role>-db-subnets`), created by its first database.
   */
  readonly subnetGroup?: rds.ISubnetGroup;
  /** Region the master secret is replicated to, so the promoted region has it without the source. */
  readonly secretReplicaRegion: string;
  readonly vpc: ec2.IVpc;
  /** The database security group, with its rules already in place. */
  readonly securityGroup: ec2.ISecurityGroup;
  /**
   * Instances to create: the first is the writer, the rest are readers.
   */
  readonly instances: number;
  /**
   * The AWS Backup plan whose selection names this cluster (`<project>-<role>-backups`, in the
   * region's backup stack); absent when `backups.enabled` is false.
   */
  readonly backupPlanName?: string;
}

/**
 * The primary cluster of the Aurora Global Database: a writer and `instances - 1` readers in the
 * isolated subnets, encrypted with a customer managed key, master credentials in Secrets Manager
 * (replicated to the other region), and the global cluster created from it.
 */
export class AuroraPrimaryCluster extends Construct {
  public readonly cluster: rds.DatabaseCluster;
  public readonly globalCluster: rds.CfnGlobalCluster;
  public readonly encryptionKey: kms.Key;
  /** The region's DB subnet group (this cluster's own, or the one it was given). */
  public readonly subnetGroup: rds.ISubnetGroup;

  constructor(scope: Construct, id: string, props: AuroraPrimaryClusterProps) {
    super(scope, id);
    const { database, names, region } = props;
    const instanceType = new ec2.InstanceType(database.instanceClass.replace(/^db\./, ''));

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: `Aurora storage of ${names.dbClusterIdentifier}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const logGroup = postgresLogGroup(this, names.dbClusterIdentifier);

    this.subnetGroup =
      props.subnetGroup ??
      new rds.SubnetGroup(this, 'Subnets', {
        subnetGroupName: region.dbSubnetGroupName,
        description: `Isolated subnets of ${names.dbClusterIdentifier}`,
        vpc: props.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });

    const readers = Array.from({ length: Math.max(props.instances - 1, 0) }, (_, i) =>
      rds.ClusterInstance.provisioned(`Reader${i + 1}`, {
        instanceIdentifier: names.dbInstanceIdentifier(i + 1),
        instanceType,
        enablePerformanceInsights: true,
      }),
    );

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: auroraEngine(database.engineVersion),
      clusterIdentifier: names.dbClusterIdentifier,
      credentials: rds.Credentials.fromGeneratedSecret(AURORA_MASTER_USER, {
        secretName: names.secretName,
        replicaRegions: [{ region: props.secretReplicaRegion }],
      }),
      defaultDatabaseName: database.databaseName,
      writer: rds.ClusterInstance.provisioned('Writer', {
        instanceIdentifier: names.dbInstanceIdentifier(0),
        instanceType,
        enablePerformanceInsights: true,
      }),
      readers,
      vpc: props.vpc,
      subnetGroup: this.subnetGroup,
      securityGroups: [props.securityGroup],
      port: AURORA_PORT,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      iamAuthentication: true,
      deletionProtection: true,
      backup: { retention: Duration.days(7) },
      copyTagsToSnapshot: true,
      cloudwatchLogsExports: ['postgresql'],
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });

    this.globalCluster = new rds.CfnGlobalCluster(this, 'Global', {
      globalClusterIdentifier: names.globalClusterIdentifier,
      sourceDbClusterIdentifier: this.cluster.clusterIdentifier,
      deletionProtection: true,
    });

    this.cluster.node.addDependency(logGroup);

    if (props.backupPlanName !== undefined) {
      Validations.of(this.cluster).acknowledge({
        id: 'NIST.800.53.R5-RDSInBackupPlan',
        reason:
          `AWS Backup backs up an Aurora cluster, not its instances: plan ${props.backupPlanName} (the region's backup ` +
          `stack) selects cluster ${names.dbClusterArn}. The rule only accepts a selection in this stack naming each ` +
          "DB instance; CDK's own BackupableResourcesCollector skips instances that belong to a cluster for that reason.",
      });
    }

    // fromGeneratedSecret always adds it; findChild throws if a CDK upgrade renames it.
    Validations.of(this.cluster.node.findChild('Secret')).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Master secret not rotated yet: it is replicated to the DR region and rotation must follow ' +
        'the writer across a failover; rotation is a follow-up.',
    });
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason: 'Default PostgreSQL port; only the container instances security group may reach it.',
    });
  }
}
