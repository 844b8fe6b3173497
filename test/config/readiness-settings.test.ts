import { projectNames } from '../../infra/config/names';
import { readinessSettingsOf } from '../../infra/config/readiness-settings';
import { baseConfig } from '../infra/app-fixture';

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
      globalClusterId: 'sonar-proj-1-global',
      dbClusterId: 'sonar-proj-1-dr-aurora',
      engine: 'aurora-postgresql',
      engineVersion: '16.6',
      dbInstanceClass: 'db.r6g.large',
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      promotion: { dbInstances: 2, asgMinCapacity: 3, serviceDesiredCount: 3 },
      asgName: 'sonar-proj-1-dr-ecs-asg',
      ecsClusterName: 'sonar-proj-1-dr-cluster',
      ecsServiceName: 'sonar-proj-1-dr-app',
      appImage: 'public.ecr.aws/nginx/nginx:1.27',
      hostedZoneId: 'Z0123456789EXAMPLE',
      recordNames: ['app.example.com'],
      regionalRecordName: 'dr.app.example.com',
      stateMachineArn: 'arn:aws:states:us-west-2:111111111111:stateMachine:sonar-proj-1-dr-failover',
      buckets: {
        own: {
          names: ['sonar-proj-1-dr-data-111111111111-us-west-2'],
          region: 'us-west-2',
          ruleId: 'dr-to-main',
        },
        other: {
          names: ['sonar-proj-1-main-data-111111111111-us-east-1'],
          region: 'us-east-1',
          ruleId: 'main-to-dr',
        },
      },
      maxReplicationLagSeconds: 10,
    });
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
      dbClusterId: 'sonar-proj-1-main-aurora',
      stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:sonar-proj-1-main-failover',
      buckets: { own: { ruleId: 'main-to-dr' }, other: { ruleId: 'dr-to-main' } },
      maxReplicationLagSeconds: 2.5,
    });
  });

  it('checks the promotion’s own instance class when the region sets one', () => {
    // Prepare
    const config = baseConfig();
    config.regions.dr.promotion.dbInstanceClass = 'db.r7g.xlarge';
    // Act
    const settings = readinessSettingsOf(config, projectNames(config), 'dr');
    // Assess
    expect(settings.dbInstanceClass).toBe('db.r7g.xlarge');
  });
});
