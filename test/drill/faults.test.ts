import { analyzeDrill, type DrillAnalysis } from '../../drill/analysis';
import type { ExecutionRecord } from '../../drill/execution';
import { failedStepOfNotice } from '../../drill/failure-notice';
import { type FaultSpec, parseFault } from '../../drill/faults';
import { type DrillRun, runDrill } from '../../drill/run';
import { synthesizeOrchestrator } from '../../drill/synthesize';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import type { OrchestratorWiring } from '../../drill/wiring';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { STEP_LIST, STEPS, WORKFLOW_STATES } from '../../lambdas/shared/steps';
import { config, DR, MAIN } from './sim-helpers';

/**
 * Every fault of `npm run drill -- --fault ...`, run end to end: the synthesized orchestrator, the
 * real handlers, the simulated AWS. Each asserts what the fault must produce and that every
 * invariant the drill checks held.
 */

let wiring: OrchestratorWiring;
beforeAll(async () => {
  ({ wiring } = await synthesizeOrchestrator(config, 'dr'));
}, 120_000);

const MUTATING = new Set([
  'CreateDBInstance',
  'SwitchoverGlobalCluster',
  'FailoverGlobalCluster',
  'UpdateAutoScalingGroup',
  'UpdateService',
  'ChangeResourceRecordSets',
]);

async function drill(
  mode: FailoverMode,
  faults: string[] = [],
  seed?: number,
): Promise<{ run: DrillRun; a: DrillAnalysis; progress: string[] }> {
  const specs: FaultSpec[] = faults.map(parseFault);
  const progress: string[] = [];
  const run = await runDrill({
    config,
    role: 'dr',
    mode,
    faults: specs,
    timings: sampleTimings(loadTimingModel(), seed),
    wiring,
    log: (line) => progress.push(line),
  });
  return { run, a: analyzeDrill(run), progress };
}

function expectInvariantsHeld(a: DrillAnalysis): void {
  expect(a.invariants.filter((i) => !i.held)).toEqual([]);
  expect(a.invariants.map((i) => i.name)).toEqual(
    expect.arrayContaining([
      'exactly one writer',
      'DNS points at the writer region',
      'planned mode lost no data',
      'no duplicate instances',
      'every failure notified with its step',
    ]),
  );
}

function calls(run: DrillRun, command: string, execution?: string) {
  return run.world.calls.filter(
    (c) => c.command === command && (execution === undefined || c.execution === execution),
  );
}

function failureNotices(run: DrillRun): string[] {
  return run.world.sns.published
    .map((p) => failedStepOfNotice(p))
    .filter((s): s is string => s !== undefined);
}

/** An execution's output field, or the output of one of its states. */
function outcomeOf(e: ExecutionRecord | undefined): string | undefined {
  const o = e?.output as { outcome?: unknown } | undefined;
  return typeof o?.outcome === 'string' ? o.outcome : undefined;
}

function preflightOf(e: ExecutionRecord | undefined): Record<string, unknown> {
  const exit = e?.events.find((ev) => ev.type === 'StateExited' && ev.state === STEPS.preflight.label);
  const out = exit?.output as { preflight?: Record<string, unknown> } | undefined;
  return out?.preflight ?? {};
}

function retried(run: DrillRun, state: string): number {
  return run.executions.flatMap((e) => e.events).filter((e) => e.type === 'StateRetried' && e.state === state)
    .length;
}

describe('drill without faults', () => {
  it('promotes DR in planned mode within 3 % of the critical path, under 100 transitions, losing no data', async () => {
    // Act
    const { run, a } = await drill('planned');

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expect(a.mode).toBe('planned');
    expect(a.criticalPath.seconds).toBe(780);
    expect(a.rtoSeconds / a.criticalPath.seconds).toBeLessThanOrEqual(1.03);
    expect(a.stateTransitions).toBeLessThanOrEqual(100);
    expect(a.lostWritesSeconds).toBe(0);
    expect(run.world.dnsRegion().role).toBe('dr');
    // The start notification is sent alongside the work, so it sorts with the parallel steps.
    expect(a.steps.map((s) => s.name)).toEqual([
      STEPS.preflight.label,
      WORKFLOW_STATES.notifyStart,
      ...STEP_LIST.filter((step) => step !== STEPS.preflight).map((step) => step.label),
      WORKFLOW_STATES.notifySuccess,
    ]);
    expectInvariantsHeld(a);
  });

  it('fails over in unplanned mode with AllowDataLoss, losing the replication lag', async () => {
    // Act
    const { run, a } = await drill('unplanned');

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expect(a.mode).toBe('unplanned');
    expect(calls(run, 'SwitchoverGlobalCluster')).toHaveLength(0);
    expect(
      calls(run, 'FailoverGlobalCluster').map((c) => (c.input as { AllowDataLoss?: boolean }).AllowDataLoss),
    ).toEqual([true]);
    expect(a.lostWritesSeconds).toBeCloseTo(run.world.timings.replicationLagSeconds, 6);
    expectInvariantsHeld(a);
  });

  it('holds its invariants with a randomized (seeded) timing model', async () => {
    // Act
    const { a } = await drill('auto', [], 20250115);

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
  });
});

describe('drill faults', () => {
  it('rds-throttling: throttled RDS calls are retried by the state machine and the run still promotes', async () => {
    // Act
    const { run, a } = await drill('planned', ['rds-throttling']);

    // Assess
    expect(
      run.world.calls.filter((c) => c.service === 'rds' && c.error === 'Throttling').length,
    ).toBeGreaterThanOrEqual(6);
    const retries =
      run.executions[0]?.events.filter((e) => e.type === 'StateFailed' && e.error === 'TransientAwsError') ??
      [];
    expect(retries.length).toBeGreaterThan(0);
    expect(a.outcome).toBe('PROMOTED');
    expect(a.lostWritesSeconds).toBe(0);
    expectInvariantsHeld(a);
  });

  it('lambda-service-exception: the failed invocation is retried and the run promotes', async () => {
    // Act
    const { run, a, progress } = await drill('planned', ['lambda-service-exception']);

    // Assess
    const failed = run.executions[0]?.events.filter((e) => e.type === 'StateFailed') ?? [];
    expect(failed.map((e) => [e.state, e.error])).toEqual([
      [STEPS.promotion.label, 'Lambda.ServiceException'],
    ]);
    expect(retried(run, STEPS.promotion.label)).toBe(1);
    expect(progress).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`#1 ✖ ${STEPS.promotion.label}: Lambda\\.ServiceException$`)),
        expect.stringMatching(new RegExp(`#1 ↻ ${STEPS.promotion.label} retried$`)),
      ]),
    );
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
  });

  it('instance-capacity: the capacity step fails, the failure is notified naming it, nothing is promoted', async () => {
    // Act
    const { run, a } = await drill('planned', ['instance-capacity']);

    // Assess
    expect(a.primary.status).toBe('FAILED');
    expect(a.primary.error).toBe('InstanceCreationFailedError');
    expect(failureNotices(run)).toEqual([STEPS.database.label]);
    expect(run.world.rds.global.writerRole).toBe('main');
    expect(run.world.dnsRegion().role).toBe('main');
    expect(run.world.rds.clusterInstances('dr')).toHaveLength(0);
    expectInvariantsHeld(a);
  });

  it('source-down-switchover (auto): the refused switchover falls back to a failover with data loss', async () => {
    // Act
    const { run, a } = await drill('auto', ['source-down-switchover']);

    // Assess
    expect(calls(run, 'SwitchoverGlobalCluster').map((c) => c.error)).toEqual([
      'InvalidGlobalClusterStateFault',
    ]);
    expect(
      calls(run, 'FailoverGlobalCluster').map((c) => (c.input as { AllowDataLoss?: boolean }).AllowDataLoss),
    ).toEqual([true]);
    expect(a.mode).toBe('unplanned');
    expect(a.outcome).toBe('PROMOTED');
    expect(run.world.dnsRegion().role).toBe('dr');
    expectInvariantsHeld(a);
  });

  it('source-down-switchover (planned): never falls back to data loss; fails and notifies at the promotion', async () => {
    // Act
    const { run, a } = await drill('planned', ['source-down-switchover']);

    // Assess
    expect(a.primary.error).toBe('SwitchoverRefusedError');
    expect(calls(run, 'FailoverGlobalCluster')).toHaveLength(0);
    expect(failureNotices(run)).toEqual([STEPS.promotion.label]);
    expect(run.world.rds.global.writerRole).toBe('main');
    expectInvariantsHeld(a);
  });

  it('source-region-down (auto): the source probe times out, preflight picks unplanned, the run promotes', async () => {
    // Act
    const { run, a } = await drill('auto', ['source-region-down']);

    // Assess
    expect(preflightOf(a.primary)).toMatchObject({
      mode: 'unplanned',
      sourceReachable: false,
    });
    expect(
      run.world.calls.filter((c) => c.region === MAIN && c.service === 'rds').map((c) => c.error),
    ).toEqual(['AbortError']);
    expect(calls(run, 'SwitchoverGlobalCluster')).toHaveLength(0);
    expect(a.outcome).toBe('PROMOTED');
    expect(run.world.dnsRegion().role).toBe('dr');
    expectInvariantsHeld(a);
  });

  it('ecs-unhealthy: the service wait ends within its time budget, in WaitTimeoutError and a failure notification', async () => {
    // Act
    const { run, a } = await drill('planned', ['ecs-unhealthy']);

    // Assess
    const { budgetMinutes, windowSeconds } = config.failover.service;
    const service = a.steps.find((s) => s.name === STEPS.service.label);
    expect(service?.end).toBeGreaterThanOrEqual(budgetMinutes * 60);
    expect((service?.end ?? 0) - (service?.start ?? 0)).toBeLessThanOrEqual(
      budgetMinutes * 60 + windowSeconds,
    );
    expect(a.primary.error).toBe('WaitTimeoutError');
    expect(failureNotices(run)).toEqual([STEPS.service.label]);
    // Traffic is never moved to a region that cannot serve it.
    expect(run.world.dnsRegion().role).toBe('main');
    expectInvariantsHeld(a);
  });

  it('route53-prior-request: PriorRequestNotComplete is retried until the change is accepted', async () => {
    // Act
    const { run, a } = await drill('planned', ['route53-prior-request:3']);

    // Assess
    expect(calls(run, 'ChangeResourceRecordSets').map((c) => c.error)).toEqual([
      'PriorRequestNotComplete',
      'PriorRequestNotComplete',
      'PriorRequestNotComplete',
      undefined,
    ]);
    expect(retried(run, STEPS.dns.label)).toBe(3);
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
  });

  it('route53-control-plane-down:15: the flip retries until us-east-1 answers again, then promotes', async () => {
    // Act
    const { run, a } = await drill('planned', ['route53-control-plane-down:15']);

    // Assess
    const accepted = calls(run, 'ChangeResourceRecordSets').find((c) => c.error === undefined);
    expect(accepted?.at).toBeGreaterThanOrEqual(15 * 60);
    expect(
      run.world.calls.filter((c) => c.service === 'route53' && c.error === 'ETIMEDOUT').length,
    ).toBeGreaterThan(2);
    expect(a.outcome).toBe('PROMOTED');
    expect(run.world.dnsRegion().role).toBe('dr');
    expectInvariantsHeld(a);
  });

  it('route53-control-plane-down:30: the flip gives up after its retries and the failure is notified at FlipDns', async () => {
    // Act
    const { run, a } = await drill('planned', ['route53-control-plane-down:30']);

    // Assess
    expect(a.primary.status).toBe('FAILED');
    expect(a.primary.error).toBe('TransientAwsError');
    expect(failureNotices(run)).toEqual([STEPS.dns.label]);
    // The database was promoted; the record still names main: the known gap a data-plane flip closes.
    expect(run.world.rds.global.writerRole).toBe('dr');
    expect(run.world.dnsRegion().role).toBe('main');
    expectInvariantsHeld(a);
  });

  it('second-trigger: a second execution while the first runs ends IN_FLIGHT without acting', async () => {
    // Act
    const { run, a } = await drill('planned', ['second-trigger:60']);

    // Assess
    const [first, second] = [...run.executions].sort((x, y) => x.startedAt - y.startedAt);
    expect(second?.startedAt).toBeCloseTo(60, 0);
    expect(outcomeOf(second)).toBe('IN_FLIGHT');
    expect(
      run.world.calls.filter((c) => c.execution === second?.executionArn && MUTATING.has(c.command)),
    ).toEqual([]);
    expect(outcomeOf(first)).toBe('PROMOTED');
    expect(
      run.world.sns.published.filter((p) => p.execution === second?.executionArn).map((p) => p.state),
    ).toEqual(['NotifyNoAction']);
    expectInvariantsHeld(a);
  });

  it('rerun-after-failure: the rerun resumes past the finished steps and creates nothing twice', async () => {
    // Act
    const { run, a, progress } = await drill('planned', ['rerun-after-failure']);

    // Assess
    const [first, second] = run.executions;
    expect(first?.status).toBe('FAILED');
    expect(progress).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`#1 ↪ ${STEPS.promotion.label} caught$`)),
        expect.stringMatching(/#1 execution drill-1 FAILED: SwitchoverRefusedError$/),
        expect.stringMatching(/fault fixed; rerun in 120 s$/),
        expect.stringMatching(/#2 execution drill-2 SUCCEEDED$/),
      ]),
    );
    expect(failureNotices(run)).toEqual([STEPS.promotion.label]);
    expect(outcomeOf(second)).toBe('PROMOTED');
    const created = run.world.rds.createAttempts;
    expect(created.map((c) => [c.outcome, c.execution])).toEqual([
      ['created', first?.executionArn],
      ['created', first?.executionArn],
    ]);
    expect(calls(run, 'UpdateAutoScalingGroup', second?.executionArn)).toEqual([]);
    expect(preflightOf(second).alreadyDone).toEqual({
      database: true,
      service: true,
      promotion: false,
      dns: false,
    });
    expect(run.world.rds.clusterInstances('dr')).toHaveLength(config.regions.dr.promotion.dbInstances);
    expect(run.world.dnsRegion().role).toBe('dr');
    expect(a.primary).toBe(second);
    expectInvariantsHeld(a);
  });
});

describe('drill failback', () => {
  it('promotes main back from DR: capacity already there, switchover, DNS back to main', async () => {
    // Act
    const { wiring: mainWiring } = await synthesizeOrchestrator(config, 'main');
    const run = await runDrill({
      config,
      role: 'main',
      mode: 'planned',
      timings: sampleTimings(loadTimingModel()),
      wiring: mainWiring,
    });
    const a = analyzeDrill(run);

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expect(run.world.rds.global.writerRole).toBe('main');
    expect(run.world.dnsRegion().role).toBe('main');
    expect(calls(run, 'CreateDBInstance')).toEqual([]);
    expect(
      run.world.calls.every(
        (c) => c.region !== DR || c.command.startsWith('Describe') || c.service !== 'rds',
      ),
    ).toBe(true);
    expectInvariantsHeld(a);
  }, 120_000);
});
