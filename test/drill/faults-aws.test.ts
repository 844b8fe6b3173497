import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { STEPS } from '../../lambdas/shared/steps';
import {
  calls,
  changesBy,
  drill,
  drWiring,
  expectInvariantsHeld,
  expectPromotionsWhereDocumented,
  failureNotices,
  outcomeOf,
  preflightOf,
} from './faults-helpers';
import { APP, appDatabaseConfig, config, DR, MAIN } from './sim-helpers';

/**
 * The faults AWS's references allow and the simulator now produces (issue 8), run end to end. Each
 * asserts the behaviour that keeps data safe and says what state the run left, and that every
 * invariant held and every promotion went where the Aurora guide sends it.
 */

let wiring: OrchestratorWiring;
beforeAll(async () => {
  wiring = await drWiring();
}, 120_000);

function allowedDataLoss(c: { readonly input: unknown }): boolean | undefined {
  return (c.input as { AllowDataLoss?: boolean }).AllowDataLoss;
}

describe('promotion faults', () => {
  it('switchover-server-error (auto): a 500 and a 503 are retried, the switchover happens, no data is lost', async () => {
    // Act
    const { run, a } = await drill(wiring, 'auto', ['switchover-server-error:2']);

    // Assess
    expect(calls(run, 'SwitchoverGlobalCluster').map((c) => c.error)).toEqual([
      'InternalFailure',
      'ServiceUnavailable',
      undefined,
    ]);
    expect(calls(run, 'FailoverGlobalCluster')).toEqual([]);
    expect(run.world.rds.operations.map((o) => o.kind)).toEqual(['switchover']);
    expect(a.mode).toBe('planned');
    expect(a.outcome).toBe('PROMOTED');
    expect(a.lostWritesSeconds).toBe(0);
    expectPromotionsWhereDocumented(run);
    expectInvariantsHeld(a);
  });

  it('switchover-server-error (planned): retried, never refused; promotes', async () => {
    // Act
    const { run, a } = await drill(wiring, 'planned', ['switchover-server-error:3']);

    // Assess
    expect(calls(run, 'SwitchoverGlobalCluster').filter((c) => c.error === undefined)).toHaveLength(1);
    expect(a.outcome).toBe('PROMOTED');
    expect(a.lostWritesSeconds).toBe(0);
    expectInvariantsHeld(a);
  });

  it.each(['planned', 'auto'] as const)(
    'switchover-timeout-accepted (%s): the accepted switchover is waited for; no second operation, no failover',
    async (mode) => {
      // Act
      const { run, a } = await drill(wiring, mode, ['switchover-timeout-accepted']);

      // Assess
      const [first] = calls(run, 'SwitchoverGlobalCluster');
      expect([first?.error, first?.acceptedDespiteError]).toEqual(['TimeoutError', true]);
      expect(run.world.rds.operations.map((o) => o.kind)).toEqual(['switchover']);
      expect(calls(run, 'FailoverGlobalCluster')).toEqual([]);
      expect(a.outcome).toBe('PROMOTED');
      expect(a.lostWritesSeconds).toBe(0);
      expectPromotionsWhereDocumented(run);
      expectInvariantsHeld(a);
    },
  );

  it('global-status-stuck (unplanned): promotes as soon as this cluster is the writer, whatever the global status', async () => {
    // Act
    const { run, a } = await drill(wiring, 'unplanned', ['global-status-stuck']);

    // Assess
    const [op] = run.world.rds.operations;
    expect(op?.kind).toBe('failover');
    expect(run.world.outages.regionDown(MAIN, run.endedAt)).toBe(true);
    // The Lambda saw the stuck status after the failover ended, and still finished within a poll.
    expect(
      calls(run, 'DescribeGlobalClusters').some((c) => c.at > (op?.completedAt ?? Number.POSITIVE_INFINITY)),
    ).toBe(true);
    const promotion = a.steps.find((s) => s.name === STEPS.promotion.label);
    const { pollSeconds } = config.failover.promotion;
    expect((promotion?.end ?? 0) - (op?.completedAt ?? 0)).toBeLessThanOrEqual(pollSeconds + 5);
    expect(a.outcome).toBe('PROMOTED');
    expect(run.world.dnsRole()).toBe('dr');
    expectPromotionsWhereDocumented(run);
    expectInvariantsHeld(a);
  });

  it('global-status-stuck (auto): preflight picks unplanned (the source does not answer) and the run promotes', async () => {
    // Act
    const { run, a } = await drill(wiring, 'auto', ['global-status-stuck']);

    // Assess
    expect(preflightOf(a.primary)).toMatchObject({ mode: 'unplanned', sourceReachable: false });
    expect(calls(run, 'FailoverGlobalCluster').map(allowedDataLoss)).toEqual([true]);
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
  });

  it('promotion-overrun: fails at the promotion while AWS still runs it, says so, and the rerun waits for it', async () => {
    // Act
    const { run, a, progress } = await drill(wiring, 'planned', ['promotion-overrun']);

    // Assess
    const [first, second] = run.executions;
    expect([first?.status, first?.error]).toEqual(['FAILED', 'WaitTimeoutError']);
    expect(failureNotices(run)).toEqual([STEPS.promotion.label]);
    const notice = run.world.sns.published.find(
      (p) => p.execution === first?.executionArn && p.attributes.failedStep !== undefined,
    );
    expect(notice?.message).toMatch(/still (running|in progress|switching over)|switching-over/i);
    expect(progress).toEqual(
      expect.arrayContaining([expect.stringMatching(/AWS still runs the promotion; rerun in 60 s$/)]),
    );
    expect(outcomeOf(second)).toBe('PROMOTED');
    // One operation in all: the rerun waited for the first run's switchover instead of asking again.
    expect(run.world.rds.operations).toHaveLength(1);
    expect(calls(run, 'SwitchoverGlobalCluster', second?.executionArn)).toEqual([]);
    expect(calls(run, 'FailoverGlobalCluster')).toEqual([]);
    expect(a.primary).toBe(second);
    expectInvariantsHeld(a);
  });
});

describe('what a failure notice says under throttling', () => {
  it('rds-throttling + ecs-unhealthy (unplanned): the notice says the database now writes here, though RDS throttled its read', async () => {
    // Act
    const { run, a } = await drill(wiring, 'unplanned', ['rds-throttling', 'ecs-unhealthy']);

    // Assess: promoted database, traffic left behind (the service never became stable).
    expect(run.world.rds.database(APP).global.writerRole).toBe('dr');
    expect(run.world.dnsRole()).toBe('main');
    expect(failureNotices(run)).toEqual([STEPS.service.label]);
    expectInvariantsHeld(a);
  });
});

describe('misconfiguration', () => {
  it.each(['auto', 'planned'] as const)(
    'source-probe-access-denied (%s): preflight fails, the failure is notified, nothing is changed',
    async (mode) => {
      // Act
      const { run, a } = await drill(wiring, mode, ['source-probe-access-denied']);

      // Assess
      const [only] = run.executions;
      expect(only?.status).toBe('FAILED');
      expect(failureNotices(run)).toEqual([STEPS.preflight.label]);
      expect(changesBy(run, only?.executionArn)).toEqual([]);
      expect(
        run.world.calls.filter((c) => c.region === MAIN && c.service === 'rds').map((c) => c.error),
      ).toContain('AccessDeniedException');
      expect(run.world.rds.database(APP).global.writerRole).toBe('main');
      expect(run.world.dnsRole()).toBe('main');
      expectInvariantsHeld(a);
    },
  );
});

describe('capacity faults', () => {
  it('asg-scaling-in-progress: ScalingActivityInProgress is retried until the group accepts the update', async () => {
    // Act
    const { run, a } = await drill(wiring, 'planned', ['asg-scaling-in-progress:3']);

    // Assess
    expect(calls(run, 'UpdateAutoScalingGroup').map((c) => c.error)).toEqual([
      'ScalingActivityInProgressFault',
      'ScalingActivityInProgressFault',
      'ScalingActivityInProgressFault',
      undefined,
    ]);
    expect(run.world.autoscaling.ofRole('dr')?.min).toBe(config.regions.dr.capacity.promotion.minCapacity);
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
  });

  it('create-instance-cluster-modifying: InvalidDBClusterStateFault is retried; every instance is created once', async () => {
    // Act
    const { run, a } = await drill(wiring, 'planned', ['create-instance-cluster-modifying:2']);

    // Assess
    const creates = calls(run, 'CreateDBInstance').filter((c) => c.region === DR);
    expect(creates.slice(0, 2).map((c) => c.error)).toEqual([
      'InvalidDBClusterStateFault',
      'InvalidDBClusterStateFault',
    ]);
    expect(run.world.rds.createAttempts.map((c) => c.outcome)).toEqual(
      Array(appDatabaseConfig().regions.dr.promotion.instances).fill('created'),
    );
    expect(run.world.rds.database(APP).clusterInstances('dr')).toHaveLength(
      appDatabaseConfig().regions.dr.promotion.instances,
    );
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
  });
});

describe('where promotions are sent', () => {
  it.each([
    ['planned', 'SwitchoverGlobalCluster', MAIN],
    ['unplanned', 'FailoverGlobalCluster', DR],
  ] as const)('%s: %s goes to %s, as the Aurora guide sends it', async (mode, command, region) => {
    // Act
    const { run, a } = await drill(wiring, mode);

    // Assess
    expect(calls(run, command).map((c) => [c.region, c.documentedRegion])).toEqual([[region, region]]);
    expect(a.outcome).toBe('PROMOTED');
  });
});
