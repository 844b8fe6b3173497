import {
  DescribeGlobalClustersCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { applyFaults, parseFault } from '../../drill/faults/catalog';
import { DRILL_EPOCH_MS } from '../../drill/runner/simulation';
import { MAX_EVENTS_PER_INSTANT, Scheduler, SimulationRunawayError } from '../../drill/sim/scheduler';
import type { World } from '../../drill/sim/world';
import {
  APP,
  appDatabase,
  DR,
  inSimulation,
  MAIN,
  makeWorld,
  names,
  rejectionOf,
  sleep,
} from './sim-helpers';

/**
 * The simulator's own machinery under faults: the step guard that stops an event rescheduling
 * itself at one instant, and answers that faults take over after the service acted.
 */

const dr = appDatabase(names.regions.dr);
const rdsMain = new RDSClient({ region: MAIN });
const rdsDr = new RDSClient({ region: DR });
const switchover = new SwitchoverGlobalClusterCommand({
  GlobalClusterIdentifier: dr.globalClusterIdentifier,
  TargetDbClusterIdentifier: dr.dbClusterArn,
});

describe('scheduler step guard', () => {
  it('stops an event that reschedules itself without time moving, naming it; every later sync fails alike', () => {
    // Prepare
    const clock = new Scheduler(DRILL_EPOCH_MS);
    const loop = () => clock.schedule(5, loop, 'task start (app)');
    clock.schedule(5, loop, 'task start (app)');
    clock.schedule(5, () => undefined, 'something else');

    // Act
    const first = (() => {
      try {
        clock.sync(10);
      } catch (err: unknown) {
        return err;
      }
      return undefined;
    })();

    // Assess
    expect(first).toBeInstanceOf(SimulationRunawayError);
    expect((first as Error).message).toContain(`${MAX_EVENTS_PER_INSTANT} events at simulated second 5.0`);
    expect((first as Error).message).toContain("'task start (app)' kept rescheduling itself");
    expect(() => clock.sync(20)).toThrow(first as Error);
    expect(clock.runaway).toBe(first);
  });

  it('lets events that move time run, however many', () => {
    // Prepare
    const clock = new Scheduler(DRILL_EPOCH_MS);
    let t = 0;
    const tick = () => {
      t += 1;
      if (t < 2 * MAX_EVENTS_PER_INSTANT) clock.schedule(t, tick, 'tick');
    };
    clock.schedule(0, tick, 'tick');

    // Act
    clock.sync(3 * MAX_EVENTS_PER_INSTANT);

    // Assess
    expect(t).toBe(2 * MAX_EVENTS_PER_INSTANT);
    expect(clock.runaway).toBeUndefined();
  });
});

describe('faults over answers', () => {
  it('switchover-timeout-accepted: the switchover starts, the caller waits the timeout and sees TimeoutError', async () => {
    // Prepare
    const world = makeWorld({ unreachableTimeoutSeconds: 10, apiLatencySeconds: 0.05 });
    applyFaults(world, [parseFault('switchover-timeout-accepted')]);

    // Act
    const { err, seenAt, again } = await inSimulation(world, async () => {
      addInstance(world);
      await sleep(world.timings.dbInstanceCreateSeconds + 1);
      const err = await rejectionOf(rdsMain.send(switchover));
      const seenAt = world.clock.now();
      const again = await rejectionOf(rdsMain.send(switchover));
      return { err, seenAt, again };
    });

    // Assess
    const [op] = world.rds.operations;
    expect(err.name).toBe('TimeoutError');
    expect(op?.kind).toBe('switchover');
    expect(seenAt - (op?.startedAt ?? 0)).toBeCloseTo(10, 6);
    expect(world.calls[0]).toMatchObject({ error: 'TimeoutError', acceptedDespiteError: true });
    // Asking again while it runs is refused as AWS refuses it: the operation is already underway.
    expect(again.name).toBe('InvalidGlobalClusterStateFault');
    expect(world.rds.operations).toHaveLength(1);
  });

  it('global-status-stuck: after the failover the global status stays failing-over while the old region is down', async () => {
    // Prepare
    const world = makeWorld({ failoverSeconds: 60 });
    applyFaults(world, [parseFault('global-status-stuck')]);
    const read = async () =>
      (
        await rdsDr.send(
          new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: dr.globalClusterIdentifier }),
        )
      ).GlobalClusters?.[0];

    // Act
    const [before, after, back] = await inSimulation(world, async () => {
      addInstance(world);
      await sleep(world.timings.dbInstanceCreateSeconds + 1);
      const before = await read();
      world.rds.database(APP).startGlobalOperation('failover', 'dr');
      await sleep(61);
      const after = await read();
      world.outages.regions.set(MAIN, { from: -180, until: world.clock.now() });
      const back = await read();
      return [before, after, back];
    });

    // Assess
    expect(before?.Status).toBe('available');
    expect(after?.Status).toBe('failing-over');
    expect(after?.FailoverState).toBeUndefined();
    expect(after?.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn).toBe(dr.dbClusterArn);
    expect(back?.Status).toBe('available');
  });

  it('promotion-overrun: the first operation takes the promotion budget plus five minutes', () => {
    // Prepare
    const world = makeWorld({ switchoverSeconds: 120 });
    applyFaults(world, [parseFault('promotion-overrun')]);

    // Act
    const first = world.rds.database(APP).startGlobalOperation('switchover', 'dr');

    // Assess
    const budget = world.config.failover.promotion.budgetMinutes * 60;
    expect(first.endsAt - first.startedAt).toBe(budget + 300);
  });
});

/** One instance in DR's headless cluster, so it can be promoted (call inside the simulation). */
function addInstance(world: World): void {
  const cluster = world.rds.database(APP).clusters.get('dr');
  if (cluster === undefined) throw new Error('no DR cluster');
  world.rds.createInstance(cluster, 'dr-1', `${cluster.arn}-dr-1`, 'db.r6g.large');
}
