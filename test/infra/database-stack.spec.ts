import { Match, Template } from 'aws-cdk-lib/assertions';
import { baseConfig, buildTestApp } from './app-fixture';

describe('DatabaseStack', () => {
  // Prepare + Act: one app for the tests below.
  const { built, config, names } = buildTestApp();
  const main = Template.fromStack(built.regions.main.database);
  const dr = Template.fromStack(built.regions.dr.database);

  describe('main region', () => {
    it('creates the writer and 2 readers (base.yml) with deterministic identifiers', () => {
      // Assess
      const count = config.regions.main.database.instances;
      main.resourceCountIs('AWS::RDS::DBInstance', count);
      for (const n of Array.from({ length: count }, (_, i) => i)) {
        main.hasResourceProperties('AWS::RDS::DBInstance', {
          DBInstanceIdentifier: names.regions.main.dbInstanceIdentifier(n),
          DBInstanceClass: config.database.instanceClass,
          Engine: 'aurora-postgresql',
        });
      }
    });

    it('creates an encrypted Aurora PostgreSQL cluster with deletion protection and IAM auth', () => {
      // Assess
      main.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: names.regions.main.dbClusterIdentifier,
        Engine: 'aurora-postgresql',
        EngineVersion: config.database.engineVersion,
        StorageEncrypted: true,
        KmsKeyId: Match.anyValue(),
        DeletionProtection: true,
        EnableIAMDatabaseAuthentication: true,
        BackupRetentionPeriod: 7,
        DBSubnetGroupName: Match.anyValue(),
      });
      main.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
        DBSubnetGroupName: names.regions.main.dbSubnetGroupName,
      });
    });

    it('creates the global cluster from the main cluster', () => {
      // Prepare
      const clusterId = Object.keys(main.findResources('AWS::RDS::DBCluster'))[0];
      // Assess
      main.hasResourceProperties('AWS::RDS::GlobalCluster', {
        GlobalClusterIdentifier: names.globalClusterIdentifier,
        SourceDBClusterIdentifier: { Ref: clusterId },
      });
    });

    it('keeps the master credentials in Secrets Manager, replicated to the DR region', () => {
      // Assess
      main.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: names.dbSecretName,
        ReplicaRegions: [{ Region: config.regions.dr.region }],
      });
    });
  });

  describe('DR region', () => {
    it('joins a headless secondary cluster to the global cluster: no DB instance', () => {
      // Assess
      dr.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: names.regions.dr.dbClusterIdentifier,
        GlobalClusterIdentifier: names.globalClusterIdentifier,
        EngineVersion: config.database.engineVersion,
        StorageEncrypted: true,
        KmsKeyId: Match.anyValue(),
        MasterUsername: Match.absent(),
        MasterUserPassword: Match.absent(),
      });
      dr.resourceCountIs('AWS::RDS::DBInstance', 0);
      dr.resourceCountIs('AWS::RDS::GlobalCluster', 0);
      dr.resourceCountIs('AWS::KMS::Key', 1);
    });

    it('deploys after the main database stack', () => {
      // Assess
      expect(built.regions.dr.database.dependencies).toContain(built.regions.main.database);
    });

    it('creates N instances with the same identifier scheme when regions.dr.database.instances is N', () => {
      // Prepare
      const config2 = baseConfig();
      config2.regions.dr.database.instances = 2;
      // Act
      const t = Template.fromStack(buildTestApp(config2).built.regions.dr.database);
      // Assess
      t.resourceCountIs('AWS::RDS::DBInstance', 2);
      for (const n of [0, 1]) {
        t.hasResourceProperties('AWS::RDS::DBInstance', {
          DBInstanceIdentifier: names.regions.dr.dbInstanceIdentifier(n),
          DBClusterIdentifier: Match.anyValue(),
        });
      }
    });
  });
});
