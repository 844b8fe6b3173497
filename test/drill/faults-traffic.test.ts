import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { FAILOVER_MODES, type FailoverMode } from '../../lambdas/shared/contracts';
import { STEPS } from '../../lambdas/shared/steps';
import { drill as drillWith, drWiring, expectInvariantsHeld, failureNotices } from './faults-helpers';
import { APP, DR, failoverCalls, MAIN } from './sim-helpers';

/**
 * The faults over traffic (issue 10), end to end: traffic moves through Route 53's data plane (a
 * claim metric, its alarm, health checks, a failover pair), so the control plane's outage moves
 * nothing; targets that never pass the load balancer's check keep traffic where it was; an old
 * region that stops answering after the promotion leaves fencing PENDING, with its commands.
 */

let wiring: OrchestratorWiring;
beforeAll(async () => {
  wiring = await drWiring();
}, 120_000);

function drill(mode: FailoverMode, faults: string[] = []) {
  return drillWith(wiring, mode, faults);
}

describe('traffic faults', () => {
  it.each(FAILOVER_MODES)(
    'route53-control-plane-down:15 (%s): no step calls the control plane; promotes and the name answers DR',
    async (mode) => {
      // Act
      const { run, a } = await drill(mode, ['route53-control-plane-down:15']);

      // Assess
      expect(a.outcome).toBe('PROMOTED');
      expect(failoverCalls(run.world.calls).filter((c) => c.service === 'route53')).toEqual([]);
      expect(run.world.dnsRole()).toBe('dr');
      expect(a.trafficMovedSeconds).toBeLessThan(15 * 60);
      expectInvariantsHeld(a);
    },
  );

  it('targets-unhealthy: the service step runs out of budget, traffic stays on main, the failure is notified', async () => {
    // Act
    const { run, a } = await drill('planned', ['targets-unhealthy']);

    // Assess
    expect(a.primary.status).toBe('FAILED');
    expect(failureNotices(run)).toEqual([STEPS.service.label]);
    expect(run.world.dnsRole()).toBe('main');
    expect(run.world.rds.database(APP).global.writerRole).toBe('main');
    expect(failoverCalls(run.world.calls).filter((c) => c.command === 'PutMetricData')).toEqual([]);
    expectInvariantsHeld(a);
  });

  it.each(['planned', 'unplanned'] as const)(
    'fence-unreachable (%s): traffic moves, the run ends PROMOTED, fencing PENDING with the commands that finish it',
    async (mode) => {
      // Act
      const { run, a } = await drill(mode, ['fence-unreachable']);

      // Assess
      expect(a.outcome).toBe('PROMOTED');
      expect(run.world.dnsRole()).toBe('dr');
      expect(a.fence?.state).toBe('PENDING');
      expect(a.fence?.commands.length).toBeGreaterThan(0);
      expect(a.fence?.commands.join('\n')).toContain(MAIN);
      const success = run.world.sns.published.find((p) => p.state === 'NotifySuccess');
      expect(success?.message).toContain('PENDING');
      // Nothing reached the old region after the promotion.
      const op = run.world.rds.operations.find((o) => o.toRole === 'dr');
      const late = run.world.calls.filter(
        (c) => c.region === MAIN && c.at >= (op?.completedAt ?? 0) && c.error === undefined,
      );
      expect(late).toEqual([]);
      expectInvariantsHeld(a);
    },
  );

  it('without faults: fencing is reported as the fence step left it, and the claim went to DR', async () => {
    // Act
    const { run, a } = await drill('planned');

    // Assess
    expect(a.fence?.state).toBe('RELEASED');
    expect(
      run.world.calls
        .filter((c) => c.command === 'PutMetricData' && c.error === undefined)
        .map((c) => c.region),
    ).toEqual(expect.arrayContaining([DR]));
    expect(a.invariants.find((i) => i.name === 'traffic never moved before the promotion')?.held).toBe(true);
  });
});
