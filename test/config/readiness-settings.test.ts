import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { readinessSettingsOf } from '../../infra/config/readiness-settings';
import { baseConfig, existingAppConfig, nth, shopConfig } from '../infra/app-fixture';

describe('readinessSettingsOf', () => {
  it('builds DR’s settings from base.yml: its own resources, promotion sizes and both replication rules', () => {
    // Prepare
    const config = baseConfig();
    // Act
    const settings = readinessSettingsOf(config, projectNames(config), 'dr');
    // Assess
    expect(settings).toEqual({
      targetRole: 'dr',
      targetRegion: 'us-west-2',
      sourceRegion: 'us-east-1',
      project: 'sonar-proj-1',
      databases: [
        {
          name: 'app',
          globalClusterId: 'sonar-proj-1-global',
          clusterId: 'sonar-proj-1-dr-aurora',
          clusterArn: 'arn:aws:rds:us-west-2:111111111111:cluster:sonar-proj-1-dr-aurora',
          sourceClusterId: 'sonar-proj-1-main-aurora',
          instanceCount: 2,
          instanceClass: 'db.r6g.large',
          fallbackInstanceClasses: ['db.r7g.large', 'db.r6g.xlarge'],
          engineVersion: '16.6',
        },
      ],
      services: [
        {
          name: 'app',
          ecsService: 'sonar-proj-1-dr-app',
          desiredCount: 3,
          desiredCountParameter: '/sonar-proj-1/dr/capacity/service-desired-count',
          sourceEcsService: 'sonar-proj-1-main-app',
          sourceDesiredCountParameter: '/sonar-proj-1/main/capacity/service-desired-count',
          image: 'public.ecr.aws/nginx/nginx:1.27',
        },
      ],
      engine: 'aurora-postgresql',
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      promotion: { asgMinCapacity: 3, reservedInstances: 0 },
      asgName: 'sonar-proj-1-dr-ecs-asg',
      ecsClusterName: 'sonar-proj-1-dr-cluster',
      hostedZoneId: 'Z0123456789EXAMPLE',
      recordNames: ['app.example.com'],
      attachedRecordNames: [],
      regionalRecordName: 'dr.app.example.com',
      stateMachineArn: 'arn:aws:states:us-west-2:111111111111:stateMachine:sonar-proj-1-dr-failover',
      unroutedServices: [],
      certificate: { parameterName: '/sonar-proj-1/dr/tls/certificate-arn' },
      buckets: {
        own: {
          names: ['sonar-proj-1-dr-data-111111111111-us-west-2'],
          region: 'us-west-2',
          ruleIds: ['dr-to-main'],
        },
        other: {
          names: ['sonar-proj-1-main-data-111111111111-us-east-1'],
          region: 'us-east-1',
          ruleIds: ['main-to-dr'],
        },
        team: [],
      },
      maxReplicationLagSeconds: 10,
      backups: {
        vaultName: 'sonar-proj-1-dr-backups',
        copyTargetHours: 26,
        sourceClusterIds: ['sonar-proj-1-main-aurora'],
        sourceAccount: '111111111111',
        partition: 'aws',
      },
    });
  });

  it('reads main’s copies of DR’s clusters in main’s vault, and none when backups are off', () => {
    // Prepare
    const config = baseConfig();
    config.backups.copyTargetHours = 50;
    // Act
    const main = readinessSettingsOf(config, projectNames(config), 'main');
    config.backups.enabled = false;
    const off = readinessSettingsOf(config, projectNames(config), 'main');
    // Assess
    expect(main.backups).toEqual({
      vaultName: 'sonar-proj-1-main-backups',
      copyTargetHours: 50,
      sourceClusterIds: ['sonar-proj-1-dr-aurora'],
      sourceAccount: '111111111111',
      partition: 'aws',
    });
    expect(off.backups).toBeUndefined();
  });

  it('checks main (failback) against main’s own resources, and the configured lag bound', () => {
    // Prepare
    const config = baseConfig();
    config.failover.readiness.maxReplicationLagSeconds = 2.5;
    // Act
    const settings = readinessSettingsOf(config, projectNames(config), 'main');
    // Assess
    expect(settings).toMatchObject({
      targetRole: 'main',
      targetRegion: 'us-east-1',
      sourceRegion: 'us-west-2',
      databases: [{ clusterId: 'sonar-proj-1-main-aurora', sourceClusterId: 'sonar-proj-1-dr-aurora' }],
      services: [{ ecsService: 'sonar-proj-1-main-app', sourceEcsService: 'sonar-proj-1-dr-app' }],
      stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:sonar-proj-1-main-failover',
      unroutedServices: [],
      buckets: { own: { ruleIds: ['main-to-dr'] }, other: { ruleIds: ['dr-to-main'] } },
      maxReplicationLagSeconds: 2.5,
    });
  });

  it('checks the promotion’s own instance class when the region sets one', () => {
    // Prepare
    const config = baseConfig();
    nth(config.databases).regions.dr.promotion.instanceClass = 'db.r7g.xlarge';
    // Act
    const settings = readinessSettingsOf(config, projectNames(config), 'dr');
    // Assess
    expect(settings.databases[0]?.instanceClass).toBe('db.r7g.xlarge');
  });

  it('lists every database and service of shop.yml in config order, each with this region’s promotion size', () => {
    // Prepare
    const config = shopConfig();
    // Act
    const settings = readinessSettingsOf(config, projectNames(config), 'dr');
    // Assess
    expect(settings.databases).toEqual([
      expect.objectContaining({
        name: 'app',
        globalClusterId: 'shop-global',
        clusterId: 'shop-dr-aurora',
        instanceCount: 2,
        instanceClass: 'db.r6g.large',
      }),
      expect.objectContaining({
        name: 'orders',
        globalClusterId: 'shop-global-orders',
        clusterId: 'shop-dr-aurora-orders',
        sourceClusterId: 'shop-main-aurora-orders',
        instanceCount: 2,
        instanceClass: 'db.r6g.xlarge',
      }),
    ]);
    expect(settings.services.map((s) => [s.name, s.ecsService, s.desiredCount])).toEqual([
      ['web', 'shop-dr-app', 3],
      ['api', 'shop-dr-app-api', 2],
      ['admin', 'shop-dr-app-admin', 1],
    ]);
    expect(settings.recordNames).toEqual([
      'www.shop.example.com',
      'api.shop.example.com',
      'admin.shop.example.com',
    ]);
    expect(settings.buckets.own.names).toEqual([
      'shop-dr-data-222222222222-eu-central-1',
      'shop-dr-media-222222222222-eu-central-1',
    ]);
  });

  it('names the services no hostname routes to (limits.yml): behind no load balancer, no target group expected', () => {
    // Prepare
    const config = loadConfig('limits');
    // Act
    const settings = readinessSettingsOf(config, projectNames(config), 'dr');
    // Assess: the first service and the five a hostname names are behind the load balancer.
    expect(settings.unroutedServices).toEqual(['cart', 'checkout', 'catalog', 'accounts', 'notify']);
  });

  it('checks the team’s resources with each bucket’s own rule id (existing-app.yml)', () => {
    // Prepare
    const config = existingAppConfig();
    // Act
    const settings = readinessSettingsOf(config, projectNames(config), 'dr');
    // Assess
    expect(settings).toMatchObject({
      asgName: 'ledger-prod-usw2-ecs',
      ecsClusterName: 'ledger-prod-usw2',
      databases: [
        { globalClusterId: 'ledger-global', clusterId: 'ledger-usw2' },
        { globalClusterId: 'ledger-audit-global', clusterId: 'ledger-audit-usw2' },
      ],
      services: [{ ecsService: 'ledger-web' }, { ecsService: 'ledger-api' }],
      buckets: {
        own: { names: ['ledger-statements-usw2'], region: 'us-west-2', ruleIds: ['to-use1'] },
        other: { names: ['ledger-statements-use1'], region: 'us-east-1', ruleIds: ['to-usw2'] },
        team: ['ledger-statements-usw2', 'ledger-statements-use1'],
      },
      attachedRecordNames: ['api.ledger.example.com'],
    });
  });
});
