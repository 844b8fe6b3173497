import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { projectNames } from '../../infra/config/names';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { triggerNames } from '../../infra/config/trigger-names';
import { OrchestratorStack } from '../../infra/stacks/orchestrator-stack';
import { READINESS_CHECK_IDS } from '../../lambdas/shared/readiness-contract';
import { shopConfig } from './app-fixture';

/** The dashboard's body as one string: tokens (alarm ARNs, the state machine) left as their JSON. */
function dashboardOf(role: RegionRole, config: ProjectConfig): { name: string; body: string } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { account, region } = config.regions[role];
  const stack = new OrchestratorStack(app, projectNames(config).regions[role].stacks.orchestrator, {
    env: { account, region },
    config,
    role,
  });
  const dashboards = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const props = dashboards[0]?.Properties as { DashboardName: string; DashboardBody: unknown };
  return { name: props.DashboardName, body: JSON.stringify(props.DashboardBody) };
}

const shop = shopConfig();
const names = projectNames(shop);
const dr = dashboardOf('dr', shop);
const main = dashboardOf('main', shop);

describe('FailoverDashboard', () => {
  it('is one dashboard per region, named after the region’s role (dashboard names are global)', () => {
    expect(dr.name).toBe(triggerNames(names.regions.dr).dashboardName);
    expect(main.name).toBe(triggerNames(names.regions.main).dashboardName);
    expect(dr.name).not.toBe(main.name);
  });

  it('shows the probe’s share, blind runs, heartbeat and failure reasons where the probe runs', () => {
    for (const metric of [
      'SourceRegionHealthy',
      'SourceRegionHealthyBlind',
      'SourceRegionHealthyHeartbeat',
    ]) {
      expect(dr.body).toContain(`\\"${metric}\\"`);
    }
    expect(dr.body).toContain('SourceRegionHealthyFailure');
    expect(main.body).not.toContain('SourceRegionHealthyBlind');
  });

  it('shows the failover alarm, the probe alarm, the dead-letter alarm, readiness and the claim in an alarm status widget', () => {
    expect(dr.body).toContain('\\"type\\":\\"alarm\\"');
    expect(dr.body).toMatch(/TriggerAlarm[0-9A-F]{8}/);
    expect(dr.body).toMatch(/TriggerProbeHealthAlarm[0-9A-F]{8}/);
    expect(dr.body).toMatch(/TriggerDeadLettersAlarm[0-9A-F]{8}/);
    expect(dr.body).toMatch(/ReadinessAlarm[0-9A-F]{8}/);
    expect(dr.body).toMatch(/TrafficClaimAlarm[0-9A-F]{8}/);
  });

  it('shows readiness per check, each database cluster’s replication lag in this region and both claims', () => {
    for (const check of READINESS_CHECK_IDS) expect(dr.body).toContain(`\\"Check\\",\\"${check}\\"`);
    expect(names.regions.dr.databases.length).toBeGreaterThan(1);
    for (const db of names.regions.dr.databases) {
      expect(dr.body).toContain(`\\"DBClusterIdentifier\\",\\"${db.dbClusterIdentifier}\\"`);
    }
    expect(dr.body).toContain('AuroraGlobalDBReplicationLag');
    for (const role of ['main', 'dr'] as const) {
      expect(dr.body).toContain(
        `${role} claim (${names.regions[role].region})\\",\\"region\\":\\"${names.regions[role].region}\\"`,
      );
    }
  });

  it('shows the state machine’s runs by outcome', () => {
    for (const metric of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]) {
      expect(dr.body).toContain(metric);
    }
    expect(dr.body).toMatch(/FailoverStateMachine[0-9A-F]{8}/);
  });
});
