import { formatReport } from '../../drill/report/console';
import type { DrillReport } from '../../drill/report/types';
import type { DrillRun } from '../../drill/runner/run';
import { drillOnce, type PreparedDrill } from '../../drill/sweep/sweep';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import { loadTimingModel } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';
import type { RegionRole } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { expectInvariantsHeld, expectPromotionsWhereDocumented } from './faults-helpers';

/**
 * project-config/shop.yml: three services (web, api, admin) on one shared ASG per region, two global
 * databases (app, orders), two buckets and three hostnames. One failover moves every one of them:
 * each database's writer, each service's tasks, every hostname; the report shows each.
 */

const config = loadConfig('shop');
const DATABASES = config.databases.map((d) => d.name);
const SERVICES = config.services.map((s) => s.name);
/** Synthesis takes seconds: each role's orchestrator is synthesized once. */
const SYNTH_TIMEOUT_MS = 180_000;

/** The shop's orchestrator of `role`, ready to drill. */
async function prepare(role: RegionRole): Promise<PreparedDrill> {
  const { wiring, stackName } = await synthesizeOrchestrator(config, role, 'shop');
  return {
    plan: { configName: 'shop', role, mode: 'planned', faults: [] },
    config,
    model: loadTimingModel(),
    wiring,
    stackName,
    commit: 'test',
  };
}

/** Every database writes in `role` and every service serves there (healthy targets for its promotion count). */
function expectEverythingIn(run: DrillRun, role: RegionRole): void {
  const w = run.world;
  expect(w.rds.databases.map((db) => [db.name, db.global.writerRole])).toEqual(
    DATABASES.map((name) => [name, role]),
  );
  for (const s of config.services) {
    const group = w.elb.groupOf(role, s.name);
    expect([s.name, group === undefined ? -1 : w.elb.healthyCount(group)]).toEqual([
      s.name,
      s.regions[role].promotion.desiredCount,
    ]);
  }
  expect(w.dnsAnswers().map((a) => a.role)).toEqual(config.dns.records.map(() => role));
}

/** The report names every database and service, with where each one stands. */
function expectEveryResourceReported(report: DrillReport, role: RegionRole): void {
  const left = report.stateLeft;
  expect(left.databases.map((d) => [d.name, d.writerRole])).toEqual(DATABASES.map((n) => [n, role]));
  expect(left.services.map((s) => s.name)).toEqual(SERVICES);
  for (const s of left.services) {
    const here = s.regions.find((r) => r.role === role);
    expect(here).toMatchObject({ stable: true });
    expect(here?.healthy).toBe(here?.desired);
  }
  const summary = formatReport(report);
  for (const d of DATABASES)
    expect(summary).toContain(`Database ${d}: writes in ${report.targetRegion} (${role})`);
  for (const s of SERVICES) expect(summary).toMatch(new RegExp(`Service ${s} \\([a-z.]+\\): `));
}

describe('a drill of the shop (three services, two databases)', () => {
  let dr: PreparedDrill;
  beforeAll(async () => {
    dr = await prepare('dr');
  }, SYNTH_TIMEOUT_MS);

  it.each<[FailoverMode, 'planned' | 'unplanned']>([
    ['planned', 'planned'],
    ['unplanned', 'unplanned'],
    ['auto', 'planned'],
  ])(
    '%s: promotes every database and service, every invariant held, each resource reported',
    async (mode, used) => {
      // Act
      const { run, analysis, report } = await drillOnce({ ...dr, plan: { ...dr.plan, mode } });

      // Assess
      expect(analysis.outcome).toBe('PROMOTED');
      expect(analysis.mode).toBe(used);
      expectInvariantsHeld(analysis);
      expectPromotionsWhereDocumented(run);
      expectEverythingIn(run, 'dr');
      expectEveryResourceReported(report, 'dr');
      // One operation per database, each of the mode used, none lost anything planned.
      const kind = used === 'planned' ? 'switchover' : 'failover';
      expect(run.world.rds.operations.map((o) => [o.database, o.kind])).toEqual(
        expect.arrayContaining(DATABASES.map((d) => [d, kind])),
      );
      expect(run.world.rds.operations).toHaveLength(DATABASES.length);
      expect(report.stateLeft.databases.map((d) => d.modeUsed)).toEqual(DATABASES.map(() => used));
      // The lower bound is over every resource: it names the slowest of each kind.
      expect(report.incident.lowerBoundSlowest).toEqual({ database: 'app', service: 'web' });
      expect(report.incident.ratio).toBeLessThan(1.05);
    },
  );

  it('places every service’s tasks on the one shared group, within each instance’s CPU and memory', async () => {
    // Act
    const { run } = await drillOnce(dr);

    // Assess
    const w = run.world;
    const asg = w.autoscaling.ofRole('dr');
    const services = w.ecs.inRegion('dr');
    expect(services.map((s) => s.entry)).toEqual(SERVICES);
    const instances = new Set(asg?.instances.map((i) => i.id));
    for (const i of instances) {
      const on = services.flatMap((s) => s.tasks.filter((t) => t.instanceId === i).map(() => s));
      expect(on.reduce((sum, s) => sum + s.cpu, 0)).toBeLessThanOrEqual(2048);
      expect(on.reduce((sum, s) => sum + s.memoryMiB, 0)).toBeLessThanOrEqual(3686);
    }
    for (const s of services) for (const t of s.tasks) expect(instances.has(t.instanceId)).toBe(true);
  });
});

describe('a failback of the shop', () => {
  let main: PreparedDrill;
  beforeAll(async () => {
    main = await prepare('main');
  }, SYNTH_TIMEOUT_MS);

  it('moves every database and hostname back to main, every invariant held', async () => {
    // Act
    const { run, analysis, report } = await drillOnce(main);

    // Assess
    expect(analysis.outcome).toBe('PROMOTED');
    expect(report.kind).toBe('failback');
    expectInvariantsHeld(analysis);
    expectPromotionsWhereDocumented(run);
    expectEverythingIn(run, 'main');
    expectEveryResourceReported(report, 'main');
  });
});
