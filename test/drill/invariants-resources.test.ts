import { analyzeDrill } from '../../drill/analysis/analyze';
import type { Invariant } from '../../drill/analysis/invariants';
import type { DrillRun } from '../../drill/runner/run';
import type { SimCall } from '../../drill/sim/calls';
import { rdsApi } from '../../drill/sim/rds/api';
import * as describeModule from '../../drill/sim/rds/describe';
import { drillOnce, type PreparedDrill } from '../../drill/sweep/sweep';
import { loadConfig } from '../../infra/config/load';
import { prepareDrill, rejectionOf } from './sim-helpers';

/**
 * The invariants judge each resource of the shop on its own (two databases, three services): a
 * violation in one of them fails the invariant and names that one, while the others still read as
 * held. Each case breaks one resource of a promoted run the way AWS could, then judges it again.
 */

const config = loadConfig('shop');
const SYNTH_TIMEOUT_MS = 180_000;

let prepared: PreparedDrill;
beforeAll(async () => {
  prepared = await prepareDrill(config, 'dr', 'shop');
}, SYNTH_TIMEOUT_MS);

afterEach(() => {
  jest.restoreAllMocks();
});

/** A promoted drill of the shop, every invariant held. */
async function promoted(): Promise<DrillRun> {
  const { run, analysis } = await drillOnce(prepared);
  expect(analysis.invariants.filter((i) => !i.held)).toEqual([]);
  return run;
}

/** Invariant `name` judged again after the world was changed. */
function judged(run: DrillRun, name: string): Invariant {
  const found = analyzeDrill(run).invariants.find((i) => i.name === name);
  if (found === undefined) throw new Error(`no invariant '${name}'`);
  return found;
}

describe('invariants per resource', () => {
  it('exactly one writer: fails when one of two global databases reports two writers, naming it', async () => {
    // Prepare: AWS describes orders' main cluster with a writer instance too (a detached old primary).
    const run = await promoted();
    const describeCluster = describeModule.describeCluster;
    jest.spyOn(describeModule, 'describeCluster').mockImplementation((world, c) => {
      const out = describeCluster(world, c);
      if (c.database !== 'orders' || c.role !== 'main') return out;
      return {
        ...out,
        DBClusterMembers: (out.DBClusterMembers ?? []).map((m, i) => ({ ...m, IsClusterWriter: i === 0 })),
      };
    });

    // Act
    const inv = judged(run, 'exactly one writer');

    // Assess
    expect(inv.held).toBe(false);
    expect(inv.detail).toMatch(
      /^orders FAILS: .*cluster\(s\) with a writer instance: shop-main-aurora-orders, shop-dr-aurora-orders/,
    );
    expect(inv.detail).toMatch(/\| app: .*cluster\(s\) with a writer instance: shop-dr-aurora$/);
  });

  it('no duplicate instances: fails when one database’s cluster is asked twice for an instance, naming it', async () => {
    // Prepare: a second CreateDBInstance of an instance orders' DR cluster already has.
    const run = await promoted();
    const w = run.world;
    const cluster = w.rds.database('orders').clusters.get('dr');
    const [existing] = w.rds.database('orders').clusterInstances('dr');
    const input = {
      DBInstanceIdentifier: existing?.id,
      DBClusterIdentifier: cluster?.id,
      DBInstanceClass: 'db.r6g.xlarge',
      Engine: 'aurora-postgresql',
    };
    const call: SimCall = {
      seq: w.calls.length,
      service: 'rds',
      command: 'CreateDBInstance',
      region: w.regionOf('dr'),
      at: w.clock.now(),
      input,
    };
    const refused = await rejectionOf(
      Promise.resolve().then(() => rdsApi.CreateDBInstance?.(input, w, call.region, call)),
    );

    // Act
    const inv = judged(run, 'no duplicate instances');

    // Assess
    expect(refused.name).toBe('DBInstanceAlreadyExistsFault');
    expect(inv.held).toBe(false);
    expect(inv.detail).toMatch(/^orders FAILS: 2 created .*, 1 duplicate create\(s\) refused/);
    expect(inv.detail).toMatch(/\| app: 2 created .*, 0 duplicate create\(s\) refused/);
  });

  it('never scaled in: fails when one service of three was scaled in, naming it', async () => {
    // Prepare
    const run = await promoted();
    const api = run.world.ecs.service('dr', 'api');
    if (api === undefined) throw new Error('no api service in DR');
    run.world.ecs.setDesired(api, 1);

    // Act
    const inv = judged(run, 'never scaled in');

    // Assess
    expect(inv.held).toBe(false);
    expect(inv.detail).toMatch(/api 0 → 2, 2 → 1 \(SCALED IN\)/);
    expect(inv.detail).not.toMatch(/web [^;]*SCALED IN/);
  });

  it('traffic never moved before the promotion: fails when one service was not serving when traffic moved, naming it', async () => {
    // Prepare: admin's targets turn out to fail the health check (as read at any instant).
    const run = await promoted();
    run.world.elb.healthInterceptors.push((group) =>
      group.service === 'admin' ? 'Health checks failed with these codes: [502]' : undefined,
    );

    // Act
    const inv = judged(run, 'traffic never moved before the promotion');

    // Assess
    expect(inv.held).toBe(false);
    expect(inv.detail).toMatch(/the hostnames answered dr at [\d.]+ s, with service admin not serving$/);
  });

  it('planned mode lost no data: fails when one database’s switchover lost writes, naming it', async () => {
    // Prepare
    const run = await promoted();
    const orders = run.world.rds.operations.find((o) => o.database === 'orders');
    if (orders === undefined) throw new Error('no switchover of orders');
    orders.lostWritesSeconds = 2;

    // Act
    const inv = judged(run, 'planned mode lost no data');

    // Assess
    expect(inv.held).toBe(false);
    expect(inv.detail).toMatch(/app 0\.000 s, orders 2\.000 s/);
  });
});
