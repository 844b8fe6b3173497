import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFault } from '../../drill/faults/catalog';
import type { DrillRun } from '../../drill/runner/run';
import { drillOnce, type PreparedDrill } from '../../drill/sweep/sweep';
import { CONFIG_DIR, loadConfig } from '../../infra/config/load';
import { ConfigSchema, type ProjectConfig, type RegionRole } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { parseYaml } from '../../lambdas/shared/parse-yaml';
import { expectInvariantsHeld, expectPromotionsWhereDocumented, failureNotices } from './faults-helpers';
import { prepareDrill } from './sim-helpers';

/**
 * project-config/existing-app.yml: an application pilot-light did not deploy (two services on the
 * team's cluster, two global databases, `audit` already with a DR instance, a bucket pair, two
 * hostnames, one `attach`). The drill synthesizes its orchestrators, seeds the team's world and
 * promotes it like any other: every database and service moves, both hostnames with the claims,
 * every invariant held. `missing-resource` takes one entry's resource away in the promoted region: a
 * run fails at the step that needs it, notified naming it (readiness: existing-readiness.test.ts). A
 * mixed config (base.yml with its database existing) drills too.
 */

const existing = loadConfig('existing-app');
const DATABASES = existing.databases.map((d) => d.name);
/** Synthesis takes seconds: each role's orchestrator is synthesized once. */
const SYNTH_TIMEOUT_MS = 180_000;

/** Every database writes in `role`, every service serves its promotion count there, every hostname answers it. */
function expectEverythingIn(run: DrillRun, project: ProjectConfig, role: RegionRole): void {
  const w = run.world;
  expect(w.rds.databases.map((db) => [db.name, db.global.writerRole])).toEqual(
    project.databases.map((d) => [d.name, role]),
  );
  for (const s of project.services) {
    const group = w.elb.groupOf(role, s.name);
    expect([s.name, group === undefined ? -1 : w.elb.healthyCount(group)]).toEqual([
      s.name,
      s.regions[role].promotion.desiredCount,
    ]);
  }
  expect(w.dnsAnswers().map((a) => [a.recordName, a.role])).toEqual(
    project.dns.records.map((r) => [r.recordName, role]),
  );
}

/** The failure notice `run` published, its body. */
function failureBody(run: DrillRun): string {
  const failed = run.world.sns.published.filter((p) => p.attributes.outcome === 'FAILED');
  expect(failed).toHaveLength(1);
  return failed[0]?.message ?? '';
}

describe('a drill of existing-app (every resource existing)', () => {
  let dr: PreparedDrill;
  let main: PreparedDrill;
  beforeAll(async () => {
    dr = await prepareDrill(existing, 'dr', 'existing-app');
    main = await prepareDrill(existing, 'main', 'existing-app');
  }, SYNTH_TIMEOUT_MS);

  it.each<[FailoverMode, 'planned' | 'unplanned']>([
    ['planned', 'planned'],
    ['unplanned', 'unplanned'],
    ['auto', 'planned'],
  ])(
    '%s: promotes every database and service, both hostnames move, every invariant held',
    async (mode, used) => {
      // Act
      const { run, analysis, report } = await drillOnce({ ...dr, plan: { ...dr.plan, mode } });

      // Assess
      expect(analysis.outcome).toBe('PROMOTED');
      expect(analysis.mode).toBe(used);
      expectInvariantsHeld(analysis);
      expectPromotionsWhereDocumented(run);
      expectEverythingIn(run, existing, 'dr');
      expect(report.stateLeft.databases.map((d) => [d.name, d.writerRole, d.modeUsed])).toEqual(
        DATABASES.map((d) => [d, 'dr', used]),
      );
      // ledger gets its two DR instances; audit already runs the one its promotion asks for.
      expect(run.world.rds.createAttempts.map((a) => a.clusterId)).toEqual(['ledger-usw2', 'ledger-usw2']);
      // The team's services and group are what scaled, by their names.
      expect(run.world.calls.filter((c) => c.command === 'UpdateService').map((c) => c.input)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ cluster: 'ledger-prod-usw2', service: 'ledger-web', desiredCount: 4 }),
          expect.objectContaining({ cluster: 'ledger-prod-usw2', service: 'ledger-api', desiredCount: 3 }),
        ]),
      );
      // Nothing wrote a capacity parameter: there is none.
      expect(run.world.calls.filter((c) => c.service === 'ssm')).toEqual([]);
      expect(report.incident.ratio).toBeLessThan(1.05);
    },
  );

  it('fails back to main: every database, service and hostname, every invariant held', async () => {
    // Act
    const { run, analysis, report } = await drillOnce(main);

    // Assess
    expect(analysis.outcome).toBe('PROMOTED');
    expect(report.kind).toBe('failback');
    expectInvariantsHeld(analysis);
    expectPromotionsWhereDocumented(run);
    expectEverythingIn(run, existing, 'main');
  });

  /** The steps that read a database's or a service's resource in the promoted region (preflight reads what is done). */
  const NEEDS = {
    database: ['Preflight', 'ScaleDatabase', 'PromoteDatabase'],
    service: ['Preflight', 'ScaleService'],
  };

  it.each([
    ['database:ledger', 'database ledger', NEEDS.database],
    ['database:audit', 'database audit', NEEDS.database],
    ['service:web', 'service web', NEEDS.service],
    ['service:api', 'service api', NEEDS.service],
  ])(
    'missing-resource:%s: the run fails at the step that needs it, notified naming it',
    async (arg, named, steps) => {
      // Act
      const { run, analysis } = await drillOnce({
        ...dr,
        plan: { ...dr.plan, faults: [parseFault(`missing-resource:${arg}`)] },
      });

      // Assess
      expect(analysis.outcome).toMatch(/^FAILED/);
      expectInvariantsHeld(analysis);
      const [step] = failureNotices(run);
      expect(steps).toContain(step);
      expect(failureBody(run)).toContain(`FAILED at ${step}`);
      expect(failureBody(run)).toContain(named);
      // Nothing moved: every writer and hostname is still main's.
      expect(run.world.rds.databases.map((d) => d.global.writerRole)).toEqual(DATABASES.map(() => 'main'));
      expect(run.world.dnsRole()).toBe('main');
    },
  );

  it('missing-resource:bucket:statements: a failover needs no bucket of DR, it promotes; the start notice lists s3-replication red', async () => {
    // Act
    const { run, analysis } = await drillOnce({
      ...dr,
      plan: { ...dr.plan, faults: [parseFault('missing-resource:bucket:statements')] },
    });

    // Assess
    expect(analysis.outcome).toBe('PROMOTED');
    expectInvariantsHeld(analysis);
    const start = run.world.sns.published.find((p) => p.attributes.outcome === 'START');
    expect(start?.attributes.ready).toBe('false');
    expect(start?.message).toContain('s3-replication FAIL');
  });
});

/** base.yml with its one database made existing: the team's global database, pilot-light's service. */
function mixedConfig(): ProjectConfig {
  const raw = parseYaml(
    readFileSync(join(CONFIG_DIR, 'base.yml'), 'utf8'),
    'base.yml',
    (m) => new Error(m),
  ) as {
    databases: Record<string, unknown>[];
  };
  const [db] = raw.databases;
  if (db === undefined) throw new Error('base.yml lists no database');
  db.existing = {
    globalClusterId: 'team-orders-global',
    regions: { main: { clusterId: 'team-orders-use1' }, dr: { clusterId: 'team-orders-usw2' } },
  };
  return ConfigSchema.parse(raw);
}

describe('a mixed config (base.yml, its database existing)', () => {
  const mixed = mixedConfig();
  let dr: PreparedDrill;
  beforeAll(async () => {
    dr = await prepareDrill(mixed, 'dr', 'base');
  }, SYNTH_TIMEOUT_MS);

  it('synthesizes and drills planned: the team’s database and pilot-light’s service promoted, every invariant held', async () => {
    // Act
    const { run, analysis, report } = await drillOnce(dr);

    // Assess
    expect(analysis.outcome).toBe('PROMOTED');
    expectInvariantsHeld(analysis);
    expectPromotionsWhereDocumented(run);
    expectEverythingIn(run, mixed, 'dr');
    expect(run.world.rds.database('app').clusters.get('dr')?.id).toBe('team-orders-usw2');
    expect(report.stateLeft.databases.map((d) => [d.name, d.writerRole])).toEqual([['app', 'dr']]);
    // pilot-light's service keeps its capacity parameters, raised by the failover.
    expect(run.world.ssm.parameters.size).toBeGreaterThan(0);
  });
});
