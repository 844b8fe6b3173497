import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  baseConfig,
  buildTestApp,
  deployedRegions,
  deployedStacks,
  nth,
  resourcesOf,
  shopConfig,
} from './app-fixture';

describe('DatabaseStack', () => {
  // Prepare + Act: one app for the tests below.
  const { built, config, names } = buildTestApp();
  const regions = deployedRegions(built);
  const main = Template.fromStack(regions.main.database);
  const dr = Template.fromStack(regions.dr.database);
  const database = nth(config.databases);
  const mainDb = nth(names.regions.main.databases);
  const drDb = nth(names.regions.dr.databases);

  describe('main region', () => {
    it('creates the writer and 2 readers (base.yml) with deterministic identifiers', () => {
      // Assess
      const count = database.regions.main.instances;
      main.resourceCountIs('AWS::RDS::DBInstance', count);
      for (const n of Array.from({ length: count }, (_, i) => i)) {
        main.hasResourceProperties('AWS::RDS::DBInstance', {
          DBInstanceIdentifier: mainDb.dbInstanceIdentifier(n),
          DBInstanceClass: database.instanceClass,
          Engine: 'aurora-postgresql',
        });
      }
    });

    it('creates an encrypted Aurora PostgreSQL cluster with deletion protection and IAM auth', () => {
      // Assess
      main.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: mainDb.dbClusterIdentifier,
        Engine: 'aurora-postgresql',
        EngineVersion: database.engineVersion,
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
        GlobalClusterIdentifier: mainDb.globalClusterIdentifier,
        SourceDBClusterIdentifier: { Ref: clusterId },
      });
    });

    it('keeps the master credentials in Secrets Manager, replicated to the DR region', () => {
      // Assess
      main.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: mainDb.secretName,
        ReplicaRegions: [{ Region: config.regions.dr.region }],
      });
    });
  });

  describe('DR region', () => {
    it('joins a headless secondary cluster to the global cluster: no DB instance', () => {
      // Assess
      dr.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: drDb.dbClusterIdentifier,
        GlobalClusterIdentifier: drDb.globalClusterIdentifier,
        EngineVersion: database.engineVersion,
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
      expect(regions.dr.database.dependencies).toContain(regions.main.database);
    });

    it('creates N instances with the same identifier scheme when the entry’s regions.dr.instances is N', () => {
      // Prepare
      const config2 = baseConfig();
      nth(config2.databases).regions.dr.instances = 2;
      // Act
      const t = Template.fromStack(deployedStacks(buildTestApp(config2).built, 'dr').database);
      // Assess
      t.resourceCountIs('AWS::RDS::DBInstance', 2);
      for (const n of [0, 1]) {
        t.hasResourceProperties('AWS::RDS::DBInstance', {
          DBInstanceIdentifier: drDb.dbInstanceIdentifier(n),
          DBClusterIdentifier: Match.anyValue(),
        });
      }
    });
  });
});

describe('DatabaseStack (shop.yml: two databases)', () => {
  // Prepare + Act: one app for the tests below.
  const { built, config, names } = buildTestApp(shopConfig());
  const regions = deployedRegions(built);
  const main = Template.fromStack(regions.main.database);
  const dr = Template.fromStack(regions.dr.database);
  const [app, orders] = [nth(config.databases, 0), nth(config.databases, 1)];

  it('creates a global cluster per database, each from its own main cluster', () => {
    // Prepare
    const clusters = new Map(
      resourcesOf(main, 'AWS::RDS::DBCluster').map(([id, r]) => [r.Properties?.DBClusterIdentifier, id]),
    );
    // Assess
    main.resourceCountIs('AWS::RDS::GlobalCluster', 2);
    for (const db of names.regions.main.databases) {
      main.hasResourceProperties('AWS::RDS::GlobalCluster', {
        GlobalClusterIdentifier: db.globalClusterIdentifier,
        SourceDBClusterIdentifier: { Ref: clusters.get(db.dbClusterIdentifier) },
        DeletionProtection: true,
      });
    }
    expect(names.regions.main.databases.map((d) => d.globalClusterIdentifier)).toEqual([
      'shop-global',
      'shop-global-orders',
    ]);
  });

  it('gives each main cluster its own instances, class, key and master secret', () => {
    // Prepare
    const [appNames, ordersNames] = [
      nth(names.regions.main.databases, 0),
      nth(names.regions.main.databases, 1),
    ];
    // Assess
    main.resourceCountIs('AWS::RDS::DBInstance', app.regions.main.instances + orders.regions.main.instances);
    for (const [entry, n] of [
      [app, appNames],
      [orders, ordersNames],
    ] as const) {
      for (const i of Array.from({ length: entry.regions.main.instances }, (_, k) => k)) {
        main.hasResourceProperties('AWS::RDS::DBInstance', {
          DBInstanceIdentifier: n.dbInstanceIdentifier(i),
          DBInstanceClass: entry.instanceClass,
        });
      }
      main.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: n.dbClusterIdentifier,
        DatabaseName: entry.databaseName,
      });
      main.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: n.secretName,
        ReplicaRegions: [{ Region: config.regions.dr.region }],
      });
    }
    main.resourceCountIs('AWS::KMS::Key', 2);
    main.resourceCountIs('AWS::SecretsManager::Secret', 2);
    expect(ordersNames.secretName).toBe('shop/aurora/orders/master');
  });

  it('joins a headless secondary to each global cluster in DR', () => {
    // Assess
    dr.resourceCountIs('AWS::RDS::DBCluster', 2);
    dr.resourceCountIs('AWS::RDS::DBInstance', 0);
    dr.resourceCountIs('AWS::RDS::GlobalCluster', 0);
    dr.resourceCountIs('AWS::KMS::Key', 2);
    for (const [entry, n] of config.databases.map(
      (d, i) => [d, nth(names.regions.dr.databases, i)] as const,
    )) {
      dr.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: n.dbClusterIdentifier,
        GlobalClusterIdentifier: n.globalClusterIdentifier,
        EngineVersion: entry.engineVersion,
        StorageEncrypted: true,
      });
    }
  });

  it.each(['main', 'dr'] as const)(
    'shares one DB subnet group between both clusters of the %s region',
    (role) => {
      // Prepare
      const t = role === 'main' ? main : dr;
      const groups = resourcesOf(t, 'AWS::RDS::DBSubnetGroup');
      // Act
      const used = resourcesOf(t, 'AWS::RDS::DBCluster').map(([, r]) => r.Properties?.DBSubnetGroupName);
      // Assess
      expect(groups).toHaveLength(1);
      expect(nth(groups)[1].Properties?.DBSubnetGroupName).toBe(names.regions[role].dbSubnetGroupName);
      expect(used).toEqual([{ Ref: nth(groups)[0] }, { Ref: nth(groups)[0] }]);
    },
  );

  it('keeps the first database’s construct ids and puts the others under Aurora<Name>', () => {
    // Prepare
    const clusterIds = (t: Template) => resourcesOf(t, 'AWS::RDS::DBCluster').map(([id]) => id);
    const seed = Template.fromStack(deployedStacks(buildTestApp().built, 'dr').database);
    // Act
    const [seedIds, shopIds] = [clusterIds(seed), clusterIds(dr)];
    // Assess
    expect(shopIds).toContain(nth(seedIds));
    expect(shopIds.filter((id) => id !== nth(seedIds))).toEqual([expect.stringMatching(/^AuroraOrders/)]);
  });
});
