import { DrillUsageError } from '../../drill/errors';
import { checkFaultEntries, faultHelp, parseFault } from '../../drill/faults/catalog';
import type { DrillRun } from '../../drill/runner/run';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadConfig } from '../../infra/config/load';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { STEPS } from '../../lambdas/shared/steps';
import { calls, drill as drillWith, drWiring, expectInvariantsHeld, failureNotices } from './faults-helpers';
import { APP, DR } from './sim-helpers';

/**
 * `db-capacity`: RDS has no capacity for some DB instance classes in the promoted region, and
 * scale-database falls back to the database's `fallbackInstanceClasses` in order (issue 22).
 */

const shop = loadConfig('shop');
const SYNTH_TIMEOUT_MS = 180_000;

let base: OrchestratorWiring;
let shopWiring: OrchestratorWiring;
beforeAll(async () => {
  [base, shopWiring] = await Promise.all([drWiring(), drWiring(shop)]);
}, SYNTH_TIMEOUT_MS);

/** DR's instances of `database`: id and class. */
function drInstances(run: DrillRun, database: string): { id: string; instanceClass: string }[] {
  return run.world.rds
    .database(database)
    .clusterInstances('dr')
    .map((i) => ({ id: i.id, instanceClass: i.instanceClass }));
}

/** The classes CreateDBInstance asked for, and what RDS answered (the error's name, or `ok`). */
function creates(run: DrillRun): string[] {
  return calls(run, 'CreateDBInstance').map(
    (c) => `${(c.input as { DBInstanceClass: string }).DBInstanceClass} ${c.error ?? 'ok'}`,
  );
}

describe('db-capacity on the base config', () => {
  it.each<FailoverMode>(['planned', 'unplanned', 'auto'])(
    '%s: db.r6g.large is refused, every DR instance is created as db.r7g.large, the run promotes with every invariant held',
    async (mode) => {
      // Act
      const { run, a } = await drillWith(base, mode, ['db-capacity']);

      // Assess
      expect(a.outcome).toBe('PROMOTED');
      expect(run.world.dnsRole()).toBe('dr');
      expect(run.world.rds.database(APP).global.writerRole).toBe('dr');
      const instances = drInstances(run, APP);
      expect(instances).toHaveLength(2);
      for (const i of instances) expect(i.instanceClass).toBe('db.r7g.large');
      expect(creates(run)).toEqual([
        'db.r6g.large InsufficientDBInstanceCapacityFault',
        'db.r7g.large ok',
        'db.r6g.large InsufficientDBInstanceCapacityFault',
        'db.r7g.large ok',
      ]);
      // The report shows the classes created, and that they are fallbacks.
      const dr = a.stateLeft.databases[0]?.members.find((m) => m.role === 'dr');
      expect(dr?.created?.map((c) => [c.instanceClass, c.fallback])).toEqual([
        ['db.r7g.large', true],
        ['db.r7g.large', true],
      ]);
      expectInvariantsHeld(a);
    },
  );

  it('without the fault, the promotion class is used, the report says no fallback; every class is orderable', async () => {
    // Act
    const { run, a } = await drillWith(base, 'planned');

    // Assess
    const offered = new Set(run.world.deployed.orderable.options(DR).map((o) => o.instanceClass));
    for (const c of ['db.r6g.large', 'db.r7g.large', 'db.r6g.xlarge']) expect(offered).toContain(c);
    const dr = a.stateLeft.databases[0]?.members.find((m) => m.role === 'dr');
    expect(dr?.created?.map((c) => [c.instanceClass, c.fallback])).toEqual([
      ['db.r6g.large', false],
      ['db.r6g.large', false],
    ]);
  });

  it('every class out: fails at ScaleDatabase, notified, no instance created, traffic untouched', async () => {
    // Act
    const { run, a } = await drillWith(base, 'planned', [
      'db-capacity:db.r6g.large+db.r7g.large+db.r6g.xlarge',
    ]);

    // Assess
    expect(a.primary.status).toBe('FAILED');
    expect(a.primary.error).toBe('InstanceCreationFailedError');
    expect(failureNotices(run)).toEqual([STEPS.database.label]);
    expect(creates(run)).toEqual([
      'db.r6g.large InsufficientDBInstanceCapacityFault',
      'db.r7g.large InsufficientDBInstanceCapacityFault',
      'db.r6g.xlarge InsufficientDBInstanceCapacityFault',
    ]);
    expect(drInstances(run, APP)).toEqual([]);
    expect(run.world.rds.database(APP).global.writerRole).toBe('main');
    expect(run.world.dnsRole()).toBe('main');
    expectInvariantsHeld(a);
  });

  it('instance-capacity (the seed fault: its promotion class refused) now promotes on the next class', async () => {
    // Act
    const { run, a } = await drillWith(base, 'planned', ['instance-capacity']);

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expect(creates(run)[0]).toBe('db.r6g.large InsufficientDBInstanceCapacityFault');
    expect(new Set(drInstances(run, APP).map((i) => i.instanceClass))).toEqual(new Set(['db.r7g.large']));
  });
});

describe('db-capacity in some zones', () => {
  it('db.r6g.large out in us-west-2a and 2b: RDS places both instances in 2c, no fallback; the report shows the refusals', async () => {
    // Act
    const { run, a } = await drillWith(base, 'planned', ['db-capacity:db.r6g.large@us-west-2a+us-west-2b']);

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
    expect(creates(run)).toEqual(['db.r6g.large ok', 'db.r6g.large ok']);
    const placed = run.world.rds.database(APP).clusterInstances('dr');
    expect(placed.map((i) => `${i.instanceClass}@${i.availabilityZone}`)).toEqual([
      'db.r6g.large@us-west-2c',
      'db.r6g.large@us-west-2c',
    ]);
    const dr = a.capacity.find((c) => c.role === 'dr')?.databases.find((d) => d.database === APP);
    expect(dr?.refused.map((r) => `${r.instanceType}@${r.zone}`)).toEqual([
      'db.r6g.large@us-west-2a',
      'db.r6g.large@us-west-2b',
    ]);
    expect(dr?.refusedCreates).toEqual([]);
  });
});

describe('db-capacity on the shop', () => {
  it('db-capacity:orders:db.r6g.xlarge: orders has no fallbacks, the run fails naming orders; app is unaffected', async () => {
    // Act
    const { run, a } = await drillWith(shopWiring, 'planned', ['db-capacity:orders:db.r6g.xlarge'], {
      project: shop,
    });

    // Assess
    expect(a.incident.failure?.step).toBe(STEPS.database.label);
    expect(failureNotices(run)).toEqual([STEPS.database.label]);
    const body = run.world.sns.published.find((p) => p.attributes.outcome === 'FAILED')?.message ?? '';
    expect(body).toMatch(/database orders/);
    expect(drInstances(run, 'orders')).toEqual([]);
    const app = drInstances(run, 'app');
    expect(app).toHaveLength(2);
    for (const i of app) expect(i.instanceClass).toBe('db.r6g.large');
    expect(run.world.rds.databases.map((db) => db.global.writerRole)).toEqual(['main', 'main']);
    expect(run.world.dnsRole()).toBe('main');
    expectInvariantsHeld(a);
  });
});

describe('reservation-inactive on the shop (its DR reserves 2 instances)', () => {
  it('the reservations expired: the start notice lists capacity-reservations red, the group launches on open capacity, the run promotes', async () => {
    // Act
    const { run, a } = await drillWith(shopWiring, 'planned', ['reservation-inactive'], { project: shop });

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
    const start = run.world.sns.published.find((p) => p.attributes.outcome === 'START');
    expect(start?.attributes.ready).toBe('false');
    expect(start?.message).toContain('capacity-reservations FAIL');
    const instances = run.world.autoscaling.ofRole('dr')?.instances.filter((i) => i.launchedAt >= 0) ?? [];
    expect(instances.map((i) => i.reservationId)).toEqual([undefined, undefined, undefined]);
    expect(run.world.reservations.inRegion(run.world.regionOf('dr')).map((r) => r.state)).toEqual([
      'expired',
      'expired',
    ]);
  });

  it('without the fault, two of the three instances run in the reservations', async () => {
    // Act
    const { a } = await drillWith(shopWiring, 'planned', [], { project: shop });

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    const dr = a.capacity.find((c) => c.role === 'dr')?.asg;
    expect(dr?.reservations.map((r) => `${r.zone} ${r.used}/${r.total} ${r.state}`)).toEqual([
      'eu-central-1a 1/1 active',
      'eu-central-1b 1/1 active',
    ]);
    expect(dr?.launched).toEqual([
      expect.objectContaining({ instanceType: 't3.medium', count: 3, reserved: 2 }),
    ]);
  });
});

describe('db-capacity syntax', () => {
  it('reads classes, of one database or every one; refuses anything else', () => {
    expect(parseFault('db-capacity:db.r6g.large+db.r7g.large')).toEqual({
      name: 'db-capacity',
      argument: 'db.r6g.large+db.r7g.large',
    });
    expect(parseFault('db-capacity:orders:db.r6g.xlarge').argument).toBe('orders:db.r6g.xlarge');
    expect(() => parseFault('db-capacity:r6g')).toThrow(/expected \[<database>:\]<class>/);
    expect(() => parseFault('db-capacity:a:b:db.r6g.large')).toThrow(DrillUsageError);
    expect(() => checkFaultEntries(shop, [parseFault('db-capacity:payments:db.r6g.large')])).toThrow(
      /no database 'payments' in databases \(app, orders\)/,
    );
    expect(parseFault('db-capacity:db.r6g.large@us-west-2a+us-west-2b').argument).toBe(
      'db.r6g.large@us-west-2a+us-west-2b',
    );
    expect(parseFault('db-capacity:@us-west-2a').argument).toBe('@us-west-2a');
    expect(() => parseFault('db-capacity:db.r6g.large@2a')).toThrow(DrillUsageError);
    expect(faultHelp('db-capacity')).toMatch(
      /^db-capacity\[:\[<database>:\]<class>\[\+<class>\.\.\.\]\[@<zone>\[\+<zone>\.\.\.\]\]\]: /,
    );
  });
});
