import { analyzeDrill } from '../../drill/analysis/analyze';
import { replicationFigures } from '../../drill/analysis/replication';
import { parseFault } from '../../drill/faults/catalog';
import { runDrill } from '../../drill/runner/run';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import type { RegionRole } from '../../infra/config/schema';
import { STEPS } from '../../lambdas/shared/steps';
import { expectInvariantsHeld, failureNotices } from './faults-helpers';
import { APP, config } from './sim-helpers';

/**
 * S3 replication end to end (issue 14): a failback waits at DrainReplication until DR's backlog is
 * in main, then moves traffic; past its budget it fails, notified, and traffic stays in DR. A
 * failover never waits and reports main's backlog.
 */

const wirings = new Map<RegionRole, OrchestratorWiring>();
beforeAll(async () => {
  for (const role of ['main', 'dr'] as const) {
    wirings.set(role, (await synthesizeOrchestrator(config, role)).wiring);
  }
}, 180_000);

async function drill(role: RegionRole, faults: string[] = [], mode: 'planned' | 'unplanned' = 'planned') {
  const wiring = wirings.get(role);
  if (wiring === undefined) throw new Error(`no ${role} wiring`);
  const run = await runDrill({
    config,
    role,
    mode,
    faults: faults.map(parseFault),
    timings: sampleTimings(loadTimingModel()),
    wiring,
    log: () => undefined,
  });
  return { run, a: analyzeDrill(run) };
}

/** When the replication step last left a state, in the run's first execution. */
function drainEndedAt(run: Awaited<ReturnType<typeof drill>>['run']): number | undefined {
  const exits = (run.executions[0]?.events ?? []).filter(
    (e) =>
      e.type === 'StateExited' &&
      (e.state === STEPS.replication.label || e.state === STEPS.replication.check),
  );
  return exits[exits.length - 1]?.at;
}

/** How long the replication step took: first entered to last left, in the run's first execution. */
function drainTook(run: Awaited<ReturnType<typeof drill>>['run']): number | undefined {
  const entered = (run.executions[0]?.events ?? []).find(
    (e) => e.type === 'StateEntered' && e.state === STEPS.replication.label,
  );
  const ended = drainEndedAt(run);
  return entered === undefined || ended === undefined ? undefined : ended - entered.at;
}

describe('S3 replication in the drill', () => {
  it('failback with replication-backlog:6000 waits until DR’s objects are in main, then moves traffic', async () => {
    // Act: 6000 objects at 20/s take 300 s.
    const { run, a } = await drill('main', ['replication-backlog:6000']);
    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expect(drainEndedAt(run)).toBeGreaterThanOrEqual(300);
    expect(a.trafficMovedSeconds).toBeGreaterThan(300);
    expect(replicationFigures(run)).toEqual({ pendingAtStart: expect.any(Number), pendingAtEnd: 0 });
    expect(replicationFigures(run).pendingAtStart).toBeGreaterThanOrEqual(6000);
    const invariant = a.invariants.find((i) => i.name === "failback waited for DR's objects");
    expect(invariant).toMatchObject({ held: true });
    expectInvariantsHeld(a);
    // The lower bound counts S3's reading of the drained backlog: at the end of a metric minute.
    const origin = Math.min(...run.executions.map((e) => e.startedAt));
    const drained = a.criticalPath.parts.replication;
    expect(drained).toBeGreaterThanOrEqual(300);
    expect((origin + drained) % 60).toBe(0);
    expect(a.criticalPath.seconds).toBeGreaterThanOrEqual(drained + a.criticalPath.parts.promotion);
  });

  it('failback with a backlog longer than the budget fails at DrainReplication, notified; traffic stays in DR', async () => {
    // Act: 40000 objects at 20/s take 2000 s, past the 30-minute budget.
    const { run, a } = await drill('main', ['replication-backlog:40000']);
    // Assess
    expect(a.outcome).not.toBe('PROMOTED');
    expect(run.executions[0]?.error).toBe('WaitTimeoutError');
    expect(failureNotices(run).join('\n')).toContain(STEPS.replication.label);
    expect(run.world.dnsRole()).toBe('dr');
    // The drain gates the switchover: the database stays where traffic is (no split).
    expect(run.world.rds.database(APP).global.writerRole).toBe('dr');
    expect(run.world.calls.filter((c) => c.command === 'SwitchoverGlobalCluster')).toEqual([]);
    const invariant = a.invariants.find((i) => i.name === "failback waited for DR's objects");
    expect(invariant).toMatchObject({ held: true });
    expect(invariant?.detail).toContain('traffic did not move back');
  });

  it('failover never waits for S3: the step is READY at once and main’s backlog is reported', async () => {
    // Act
    const { run, a } = await drill('dr', ['replication-backlog:6000'], 'unplanned');
    // Assess
    expect(a.outcome).toBe('PROMOTED');
    // It sits before the promotion: one read (≤ 2 s when main is silent), never a wait.
    expect(drainTook(run)).toBeLessThan(5);
    expect(replicationFigures(run).pendingAtStart).toBeGreaterThanOrEqual(6000);
    expect(a.invariants.map((i) => i.name)).not.toContain("failback waited for DR's objects");
  });
});
