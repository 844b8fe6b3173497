import { DrillUsageError } from '../../drill/errors';
import { checkFaultEntries, parseFault } from '../../drill/faults/catalog';
import type { DrillRun } from '../../drill/runner/run';
import { type DrillOutcome, drillOnce, type PreparedDrill } from '../../drill/sweep/sweep';
import { loadConfig } from '../../infra/config/load';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { STEPS } from '../../lambdas/shared/steps';
import { calls, expectInvariantsHeld, failureNotices } from './faults-helpers';
import { prepareDrill } from './sim-helpers';

/**
 * Faults aimed at one resource of the shop (two databases, three services): each hits the resource
 * it names and no other, and the run fails naming it, or recovers, as the fault implies.
 */

const config = loadConfig('shop');
const SYNTH_TIMEOUT_MS = 180_000;

let prepared: PreparedDrill;
beforeAll(async () => {
  prepared = await prepareDrill(config, 'dr', 'shop');
}, SYNTH_TIMEOUT_MS);

/** A drill of the shop with `faults`. */
function drill(faults: readonly string[], mode: FailoverMode = 'planned'): Promise<DrillOutcome> {
  return drillOnce({ ...prepared, plan: { ...prepared.plan, mode, faults: faults.map(parseFault) } });
}

/** The body of the failure notification. */
function failureBody(run: DrillRun): string {
  return run.world.sns.published.find((p) => p.attributes.outcome === 'FAILED')?.message ?? '';
}

/** Instances in DR's cluster of each database (being created or available). */
function drInstances(run: DrillRun): Record<string, number> {
  return Object.fromEntries(run.world.rds.databases.map((db) => [db.name, db.clusterInstances('dr').length]));
}

describe('a fault on one database', () => {
  it('instance-capacity:orders: only orders’ instances are refused; the run fails at the database step naming orders', async () => {
    // Act
    const { run, analysis } = await drill(['instance-capacity:orders']);

    // Assess
    const refused = calls(run, 'CreateDBInstance').filter((c) => c.error !== undefined);
    expect(refused.length).toBeGreaterThan(0);
    for (const c of refused)
      expect((c.input as { DBClusterIdentifier: string }).DBClusterIdentifier).toMatch(/orders/);
    expect(drInstances(run)).toEqual({ app: 2, orders: 0 });
    expect(analysis.incident.failure?.step).toBe(STEPS.database.label);
    expect(failureNotices(run)).toEqual([STEPS.database.label]);
    expect(failureBody(run)).toMatch(/database orders/);
    expect(run.world.rds.databases.map((db) => db.global.writerRole)).toEqual(['main', 'main']);
    expectInvariantsHeld(analysis);
  });

  it('switchover-server-error:orders:3: only orders’ switchover meets the errors; the run retries and promotes both', async () => {
    // Act
    const { run, analysis } = await drill(['switchover-server-error:orders:3']);

    // Assess
    const switchovers = calls(run, 'SwitchoverGlobalCluster');
    const failed = switchovers.filter((c) => c.error !== undefined);
    expect(failed).toHaveLength(3);
    for (const c of failed)
      expect((c.input as { GlobalClusterIdentifier: string }).GlobalClusterIdentifier).toBe(
        'shop-global-orders',
      );
    expect(switchovers.filter((c) => c.error === undefined)).toHaveLength(2);
    expect(analysis.outcome).toBe('PROMOTED');
    expect(run.world.rds.databases.map((db) => db.global.writerRole)).toEqual(['dr', 'dr']);
    expectInvariantsHeld(analysis);
  });

  it('replication-broken:orders:10, unplanned: orders loses the ten minutes, app only its lag; the report says which', async () => {
    // Act
    const { run, analysis, report } = await drill(['replication-broken:orders:10'], 'unplanned');

    // Assess
    expect(analysis.outcome).toBe('PROMOTED');
    const lost = Object.fromEntries(report.stateLeft.databases.map((d) => [d.name, d.lostWritesSeconds]));
    expect(lost.orders).toBeGreaterThan(600);
    expect(lost.app).toBeLessThanOrEqual(run.world.timings.replicationLagSeconds);
    expect(report.lostWritesSeconds).toBe(lost.orders);
    expectInvariantsHeld(analysis);
  });
});

describe('a fault on one service', () => {
  it('ecs-unhealthy:api: only api’s tasks fail; the run fails at the service step naming api', async () => {
    // Act
    const { run, analysis, report } = await drill(['ecs-unhealthy:api']);

    // Assess
    const failedTasks = Object.fromEntries(run.world.ecs.inRegion('dr').map((s) => [s.entry, s.failedTasks]));
    expect(failedTasks.api).toBeGreaterThan(0);
    expect(failedTasks).toMatchObject({ web: 0, admin: 0 });
    const stable = Object.fromEntries(
      report.stateLeft.services.map((s) => [s.name, s.regions.find((r) => r.role === 'dr')?.stable]),
    );
    expect(stable).toEqual({ web: true, api: false, admin: true });
    expect(analysis.incident.failure?.step).toBe(STEPS.service.label);
    expect(failureBody(run)).toMatch(/service api: 0\/2 task\(s\) running/);
    expect(run.world.dnsRole()).toBe('main');
    expectInvariantsHeld(analysis);
  });

  it('targets-unhealthy:admin: only admin’s targets fail the health check; traffic stays, the failure names admin', async () => {
    // Act
    const { run, analysis, report } = await drill(['targets-unhealthy:admin']);

    // Assess
    const healthy = Object.fromEntries(
      report.stateLeft.services.map((s) => [s.name, s.regions.find((r) => r.role === 'dr')?.healthy]),
    );
    expect(healthy).toEqual({ web: 3, api: 2, admin: 0 });
    expect(analysis.incident.failure?.step).toBe(STEPS.service.label);
    expect(failureBody(run)).toMatch(/service admin: 1\/1 task\(s\) running \(target 1\), healthy 0\/1/);
    expect(run.world.dnsRole()).toBe('main');
    expectInvariantsHeld(analysis);
  });
});

describe('fault arguments naming an entry', () => {
  it.each([
    [
      'instance-capacity:payments',
      /--fault instance-capacity:payments: no database 'payments' in databases \(app, orders\)/,
    ],
    ['switchover-server-error:payments:2', /no database 'payments' in databases \(app, orders\)/],
    [
      'ecs-unhealthy:orders',
      /--fault ecs-unhealthy:orders: no service 'orders' in services \(web, api, admin\)/,
    ],
    ['replication-backlog:logs:10', /no bucket 'logs' in buckets \(data, media\)/],
  ])('refuses %s before anything is synthesized, listing the valid ones', (fault, message) => {
    // Act
    const check = () => checkFaultEntries(config, [parseFault(fault)]);

    // Assess
    expect(check).toThrow(DrillUsageError);
    expect(check).toThrow(message);
  });

  it('accepts every database, service and bucket of the project', () => {
    // Act
    const check = () =>
      checkFaultEntries(
        config,
        [
          'instance-capacity:orders',
          'promotion-overrun:app:25',
          'replication-broken:orders',
          'ecs-unhealthy:admin',
          'targets-unhealthy:web',
          'replication-backlog:media:10',
          'rds-throttling:3',
        ].map(parseFault),
      );

    // Assess
    expect(check).not.toThrow();
  });
});
