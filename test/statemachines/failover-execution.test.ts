import type { PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import type { CreateDBInstanceCommandInput, FailoverGlobalClusterCommandInput } from '@aws-sdk/client-rds';
import { RDSServiceException } from '@aws-sdk/client-rds';
import { fieldsOf } from '../../drill/analysis/execution-output';
import { failedStepOfNotice } from '../../drill/analysis/failure-notice';
import { applyFaults, parseFault, type ScenarioEffects } from '../../drill/faults/catalog';
import {
  type ApprovalSettings,
  DRILL_APPROVER,
  DRILL_DENY_REASON,
  type DrillApproval,
  installApprover,
  withApproval,
} from '../../drill/runner/approval';
import type { ExecutionRecord } from '../../drill/runner/execution';
import { pause } from '../../drill/runner/lambda-emulation';
import { Orchestrator } from '../../drill/runner/orchestrator';
import { REPO_ROOT } from '../../drill/runner/run';
import { DRILL_EPOCH_MS, Simulation } from '../../drill/runner/simulation';
import { serviceError } from '../../drill/sim/aws-errors';
import type { SimCall } from '../../drill/sim/calls';
import { createWorld } from '../../drill/sim/create-world';
import type { SimPublished } from '../../drill/sim/sns';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import type { RegionRole } from '../../infra/config/schema';
import { READINESS_NAMESPACE } from '../../lambdas/shared/readiness-contract';
import { STEPS, WORKFLOW_STATES } from '../../lambdas/shared/steps';
import { failoverCalls } from '../drill/sim-helpers';

/**
 * Executes the synthesized definition with the real handlers (environment as synthesized) on the
 * drill's runner, against the drill's simulated two-region AWS, on its virtual clock: waits cost
 * no wall time. Behaviour is asserted through the world's state and the calls it received.
 */

const config = loadConfig('base');
const names = projectNames(config);
const { main, dr } = names.regions;

/** The one entry of each list in base.yml: this suite's shape (test/drill/shop.test.ts runs several). */
function only<T>(list: readonly T[], what: string): T {
  const [entry] = list;
  if (entry === undefined || list.length !== 1) throw new Error(`base.yml: expected one ${what}`);
  return entry;
}
const baseDatabase = only(config.databases, 'database');
const baseService = only(config.services, 'service');
const [drDb, mainDb] = [only(dr.databases, 'database'), only(main.databases, 'database')];
const [drService, mainService] = [only(dr.services, 'service'), only(main.services, 'service')];
/** What a promotion of DR reaches (the seed's `regions.dr.promotion`). */
const drPromotion = {
  dbInstances: baseDatabase.regions.dr.promotion.instances,
  asgMinCapacity: config.regions.dr.capacity.promotion.minCapacity,
  serviceDesiredCount: baseService.regions.dr.promotion.desiredCount,
};

const MUTATING = new Set([
  'CreateDBInstance',
  'SwitchoverGlobalCluster',
  'FailoverGlobalCluster',
  'UpdateAutoScalingGroup',
  'UpdateService',
  'PutMetricData',
]);

const wirings = {} as Record<RegionRole, OrchestratorWiring>;
beforeAll(async () => {
  for (const role of ['dr', 'main'] as const)
    ({ wiring: wirings[role] } = await synthesizeOrchestrator(config, role));
}, 120_000);

let sim: Simulation;
/** Lambda.ServiceException faults the orchestrators inject (filled by {@link inject}). */
let lambdaFaults: Map<string, number>;
let orchestrators: Record<RegionRole, Orchestrator>;

beforeEach(() => {
  const timings = sampleTimings(loadTimingModel());
  sim = Simulation.start(createWorld({ config, names, targetRole: 'dr', timings, epochMs: DRILL_EPOCH_MS }));
  lambdaFaults = new Map();
  const deploy = (role: RegionRole) =>
    new Orchestrator(sim.world, wirings[role], { repoRoot: REPO_ROOT, serviceExceptions: lambdaFaults });
  orchestrators = { dr: deploy('dr'), main: deploy('main') };
});
afterEach(() => sim.stop());

/** Run one execution of `role`'s orchestrator to its end. */
function execute(role: RegionRole, input: Record<string, unknown>): Promise<ExecutionRecord> {
  return sim.drive(orchestrators[role].execute(input));
}

/** Inject drill faults (`--fault` syntax) into the world. */
function inject(...faults: string[]): ScenarioEffects {
  const effects = applyFaults(sim.world, faults.map(parseFault));
  for (const [state, count] of effects.lambdaServiceExceptions) lambdaFaults.set(state, count);
  return effects;
}

/** A change AWS accepted, in a line: `Command target`. */
function describeChange(c: SimCall): string {
  if (c.command === 'CreateDBInstance') {
    return `${c.command} ${(c.input as CreateDBInstanceCommandInput).DBInstanceIdentifier}`;
  }
  if (c.command === 'FailoverGlobalCluster' || c.command === 'SwitchoverGlobalCluster') {
    const input = c.input as FailoverGlobalClusterCommandInput;
    const loss = input.AllowDataLoss === undefined ? '' : ` AllowDataLoss=${input.AllowDataLoss}`;
    return `${c.command} ${input.TargetDbClusterIdentifier}${loss}`;
  }
  if (c.command === 'UpdateAutoScalingGroup') {
    const input = c.input as { AutoScalingGroupName?: string; MinSize?: number };
    return `${c.command} ${input.AutoScalingGroupName} min=${input.MinSize}`;
  }
  if (c.command === 'UpdateService') {
    const input = c.input as { service?: string; desiredCount?: number };
    return `${c.command} ${input.service} desired=${input.desiredCount}`;
  }
  // PutMetricData: a traffic claim (1) or release (0), and the region it was published in.
  const datum = (c.input as PutMetricDataCommandInput).MetricData?.[0];
  const role = datum?.Dimensions?.find((d) => d.Name === 'Role')?.Value;
  return `${c.command} ${datum?.MetricName} ${role}=${datum?.Value} in ${c.region}`;
}

/** The traffic claim (1) or release (0) of `role`, published in `role`'s own region. */
function claim(role: RegionRole, value: 0 | 1): string {
  return `PutMetricData TrafficClaim ${role}=${value} in ${names.regions[role].region}`;
}

/** The readiness Lambda's metrics: a report, not a change the failover makes. */
function isReadinessMetric(c: SimCall): boolean {
  return (
    c.command === 'PutMetricData' && (c.input as PutMetricDataCommandInput).Namespace === READINESS_NAMESPACE
  );
}

/** The changes AWS accepted (from `e` only, when given), in order. */
function changes(e?: ExecutionRecord): string[] {
  return changeCalls(e).map(describeChange);
}

function changeCalls(e?: ExecutionRecord): SimCall[] {
  return sim.world.calls
    .filter((c) => MUTATING.has(c.command) && c.error === undefined && !isReadinessMetric(c))
    .filter((c) => e === undefined || c.execution === e.executionArn);
}

/** How many times `e` invoked Task state `state` (retries included). */
function invocations(e: ExecutionRecord, state: string): number {
  return e.events.filter(
    (ev) => ev.state === state && (ev.type === 'StateEntered' || ev.type === 'StateRetried'),
  ).length;
}

function published(e: ExecutionRecord): SimPublished[] {
  return sim.world.sns.published.filter((p) => p.execution === e.executionArn);
}

/** The failed step and error a failure notification names. */
function failureNotice(e: ExecutionRecord): { failedStep?: string; error?: string } {
  const notice = published(e).find((p) => p.state === WORKFLOW_STATES.notifyFailure);
  if (notice === undefined) return {};
  // The notify Lambda quotes Lambda's error payload (`errorType`); the raw fallback, the state (`error`).
  const error = /"error(?:Type)?":"([A-Za-z.]+)"/.exec(notice.message)?.[1];
  return { failedStep: failedStepOfNotice(notice), ...(error === undefined ? {} : { error }) };
}

const recordTarget = () => sim.world.dnsRole();
const writerRole = () => sim.world.rds.database(baseDatabase.name).global.writerRole;

describe('failover state machine (executed on the drill simulator)', () => {
  it('planned: adds DB instances and capacity in parallel, switches over, flips DNS, notifies success', async () => {
    // Prepare
    const promotion = drPromotion;

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'PROMOTED', mode: 'planned', targetRegion: dr.region });
    const made = changes(result);
    expect(made).toEqual(
      expect.arrayContaining([
        ...Array.from(
          { length: promotion.dbInstances },
          (_v, i) => `CreateDBInstance ${drDb.dbInstanceIdentifier(i)}`,
        ),
        `UpdateAutoScalingGroup ${dr.asgName} min=${promotion.asgMinCapacity}`,
        `UpdateService ${drService.ecsServiceName} desired=${promotion.serviceDesiredCount}`,
        `SwitchoverGlobalCluster ${drDb.dbClusterArn}`,
        claim('dr', 1),
        claim('main', 0),
      ]),
    );
    // Planned: the old region keeps running (its database is now a read-only secondary).
    expect(made).toHaveLength(promotion.dbInstances + 5);
    // Traffic is claimed only after the database is promoted; the old claim released after that.
    expect(made.indexOf(claim('dr', 1))).toBeGreaterThan(
      made.indexOf(`SwitchoverGlobalCluster ${drDb.dbClusterArn}`),
    );
    expect(made.indexOf(claim('main', 0))).toBeGreaterThan(made.indexOf(claim('dr', 1)));
    // No step calls Route 53's control plane on the way (only the readiness report reads it, beside the work).
    expect(failoverCalls(sim.world.calls).filter((c) => c.service === 'route53')).toEqual([]);
    expect(writerRole()).toBe('dr');
    expect(recordTarget()).toBe('dr');
    expect(published(result).map((p) => p.state)).toEqual([
      WORKFLOW_STATES.notifyStart,
      WORKFLOW_STATES.notifyTrafficMoved,
      WORKFLOW_STATES.notifySuccess,
    ]);
    const success = published(result).find((p) => p.state === WORKFLOW_STATES.notifySuccess);
    expect(success?.attributes.outcome).toBe('PROMOTED');
    expect(success?.subject).toContain(dr.region);
    expect(success?.subject).toContain('(planned)');
  });

  it('unplanned: fails over with AllowDataLoss and never calls switchover', async () => {
    // Act
    const result = await execute('dr', { mode: 'unplanned', reason: `${main.region} outage` });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'PROMOTED', mode: 'unplanned' });
    expect(changes(result)).toContain(`FailoverGlobalCluster ${drDb.dbClusterArn} AllowDataLoss=true`);
    expect(sim.world.calls.filter((c) => c.command === 'SwitchoverGlobalCluster')).toEqual([]);
    expect(writerRole()).toBe('dr');
    // Fenced: the old region's application stops writing, its claim is released.
    expect(changes(result)).toEqual(
      expect.arrayContaining([`UpdateService ${mainService.ecsServiceName} desired=0`, claim('main', 0)]),
    );
    expect(result.output).toMatchObject({ steps: { fence: { fence: { state: 'FENCED' } } } });
    expect(recordTarget()).toBe('dr');
  });

  it('auto: chooses unplanned when the source region does not answer', async () => {
    // Prepare
    inject('source-region-down');

    // Act
    const result = await execute('dr', { mode: 'auto', reason: 'alarm' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ mode: 'unplanned', requestedMode: 'auto' });
    expect(changes(result)).toContain(`FailoverGlobalCluster ${drDb.dbClusterArn} AllowDataLoss=true`);
    expect(writerRole()).toBe('dr');
  });

  it('auto: falls back to unplanned when the switchover is refused', async () => {
    // Prepare
    inject('source-down-switchover');

    // Act
    const result = await execute('dr', { mode: 'auto', reason: 'alarm' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ mode: 'unplanned', requestedMode: 'auto' });
    expect(changes(result)).toContain(`FailoverGlobalCluster ${drDb.dbClusterArn} AllowDataLoss=true`);
    expect(writerRole()).toBe('dr');
  });

  it('planned: a refused switchover fails the run, notified, and DNS is left alone', async () => {
    // Prepare
    inject('source-down-switchover');

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('SwitchoverRefusedError');
    expect(recordTarget()).toBe('main');
    expect(sim.world.calls.filter((c) => c.command === 'FailoverGlobalCluster')).toEqual([]);
    expect(failureNotice(result).failedStep).toBe(STEPS.promotion.label);
  });

  it('resumes after a partial run: creates nothing twice and finishes the remaining steps', async () => {
    // Prepare
    const effects = inject('rerun-after-failure');
    const first = await execute('dr', { mode: 'planned', reason: 'game day' });
    effects.rerun?.fix();

    // Act
    const second = await execute('dr', { mode: 'planned', reason: 'game day, retry' });

    // Assess
    expect(first.status).toBe('FAILED');
    expect(changes(first).filter((m) => m.startsWith('CreateDBInstance'))).toHaveLength(
      drPromotion.dbInstances,
    );
    expect(second.status).toBe('SUCCEEDED');
    expect(changes(second)).toEqual([
      `SwitchoverGlobalCluster ${drDb.dbClusterArn}`,
      claim('dr', 1),
      claim('main', 0),
    ]);
    expect(second.output).toMatchObject({
      steps: {
        database: { alreadyDone: true },
        service: { alreadyDone: true },
        promotion: { alreadyDone: false },
      },
    });
  });

  it('single flight: ends without acting while an earlier execution runs', async () => {
    // Prepare
    const { stateMachineArn } = orchestrators.dr;
    sim.world.sfn.add({
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:earlier`,
      stateMachineArn,
      name: 'earlier',
      status: 'RUNNING',
      startDate: -60,
      input: '{}',
    });

    // Act
    const result = await execute('dr', { mode: 'auto', reason: 'alarm again' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'IN_FLIGHT' });
    expect(String(fieldsOf(result.output)?.message)).toContain('earlier');
    expect(changes()).toEqual([]);
    expect(published(result).map((p) => p.state)).toEqual([WORKFLOW_STATES.notifyNoAction]);
  });

  it('cool-down: ends without acting shortly after a promotion', async () => {
    // Prepare
    const { stateMachineArn } = orchestrators.dr;
    sim.world.sfn.add({
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:done`,
      stateMachineArn,
      name: 'done',
      status: 'SUCCEEDED',
      startDate: -20 * 60,
      stopDate: -5 * 60,
      input: '{}',
      output: JSON.stringify({ outcome: 'PROMOTED' }),
    });

    // Act
    const result = await execute('dr', { mode: 'auto', reason: 'flapping alarm' });

    // Assess
    expect(result.output).toMatchObject({ outcome: 'COOL_DOWN' });
    expect(changes()).toEqual([]);
  });

  it('dry run: reports the plan after preflight and changes nothing', async () => {
    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'rehearsal', dryRun: true });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      outcome: 'DRY_RUN',
      preflight: { alreadyDone: { database: false, service: false, promotion: false, dns: false } },
    });
    expect(changes()).toEqual([]);
    expect(invocations(result, STEPS.database.label)).toBe(0);
  });

  it('rejects bad input before touching AWS, with a failure notification naming the field', async () => {
    // Act
    const result = await execute('dr', { mode: 'sideways', reason: 'typo' });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('InvalidInputError');
    expect(result.cause).toContain('mode');
    expect(changes()).toEqual([]);
    expect(failureNotice(result)).toEqual({ failedStep: STEPS.preflight.label, error: 'InvalidInputError' });
  });

  it('a service that never stabilises ends within its time budget and a failure notification', async () => {
    // Prepare
    inject('ecs-unhealthy');
    const { budgetMinutes, windowSeconds } = config.failover.service;

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('WaitTimeoutError');
    const started = result.events.find((e) => e.type === 'StateEntered' && e.state === STEPS.service.label);
    const gaveUp = result.events.find((e) => e.type === 'StateFailed' && e.error === 'WaitTimeoutError');
    const waited = (gaveUp?.at ?? Number.POSITIVE_INFINITY) - (started?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(budgetMinutes * 60);
    expect(waited).toBeLessThanOrEqual(budgetMinutes * 60 + windowSeconds);
    expect(failureNotice(result)).toEqual({ failedStep: STEPS.service.label, error: 'WaitTimeoutError' });
    // Traffic stays where it was: DNS is never flipped to a region that is not ready.
    expect(recordTarget()).toBe('main');
  });

  it('retries transient errors (throttling, Lambda service exceptions) and succeeds', async () => {
    // Prepare
    let throttles = 2;
    sim.world.interceptors.push((call) =>
      call.command === 'CreateDBInstance' && throttles-- > 0
        ? serviceError(RDSServiceException, 'Throttling', 'Rate exceeded')
        : undefined,
    );
    inject(
      `lambda-service-exception:${STEPS.promotion.label}`,
      `lambda-service-exception:${STEPS.dns.label}`,
    );

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(invocations(result, STEPS.database.label)).toBe(3);
    expect(invocations(result, STEPS.promotion.label)).toBe(2);
    expect(invocations(result, STEPS.dns.label)).toBe(2);
    expect(changes(result).filter((m) => m.startsWith('CreateDBInstance'))).toHaveLength(
      drPromotion.dbInstances,
    );
  });

  it('fails back: the main-region copy promotes main again after a DR promotion', async () => {
    // Prepare
    await execute('dr', { mode: 'planned', reason: 'game day' });
    expect(writerRole()).toBe('dr');

    // Act
    const result = await execute('main', { mode: 'planned', reason: 'failback' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(writerRole()).toBe('main');
    expect(recordTarget()).toBe('main');
    // Main kept its writer and readers: nothing to create there. Main claims traffic in main, then
    // releases DR's claim and, once Route 53 has seen that, resets its own (the resting state).
    expect(changes(result)).toEqual([
      `SwitchoverGlobalCluster ${mainDb.dbClusterArn}`,
      claim('main', 1),
      claim('dr', 0),
      claim('main', 0),
    ]);
    expect(recordTarget()).toBe('main');
  });

  it('ends with nothing to do when the region is already promoted (after the cool-down)', async () => {
    // Prepare
    await execute('dr', { mode: 'planned', reason: 'game day' });
    await sim.drive(pause(config.failover.coolDownMinutes * 60));

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'double click' });

    // Assess
    expect(result.output).toMatchObject({ outcome: 'ALREADY_PROMOTED' });
    expect(changes(result)).toEqual([]);
  });

  it('evaluates readiness at the start, alongside the work, and carries it to the summary and the start notice', async () => {
    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      outcome: 'PROMOTED',
      readiness: { region: dr.region, role: 'dr', ready: expect.any(Boolean) },
      approval: { outcome: 'NOT_REQUIRED' },
    });
    expect(invocations(result, 'CheckReadiness')).toBe(1);
    expect(invocations(result, WORKFLOW_STATES.approval)).toBe(0);
    const start = published(result).find((p) => p.state === WORKFLOW_STATES.notifyStart);
    expect(start?.message).toMatch(/Readiness of us-west-2 \(dr\), evaluated .*: (NOT )?READY/);
  });

  it('still promotes when the readiness Lambda fails: the start notice says readiness was not evaluated', async () => {
    // Prepare: every attempt fails (the first and its 6 retries).
    lambdaFaults.set('CheckReadiness', 7);

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      outcome: 'PROMOTED',
      readiness: { ready: false, unavailable: { error: 'Lambda.ServiceException' } },
    });
    const start = published(result).find((p) => p.state === WORKFLOW_STATES.notifyStart);
    expect(start?.message).toContain('Readiness: not evaluated (Lambda.ServiceException');
    expect(writerRole()).toBe('dr');
  });

  describe('approval gate', () => {
    const gate = (overrides: Partial<ApprovalSettings> = {}): ApprovalSettings => ({
      required: 'all',
      timeoutSeconds: 600,
      onTimeout: 'stop',
      ...overrides,
    });

    /** Run one execution of DR's orchestrator deployed with `settings`, answered as `answer` says. */
    async function gated(
      settings: ApprovalSettings,
      answer: DrillApproval,
      input: Record<string, unknown> = { mode: 'planned', reason: 'game day' },
    ) {
      const approvals = installApprover(sim.world, answer);
      const orchestrator = new Orchestrator(sim.world, withApproval(wirings.dr, settings), {
        repoRoot: REPO_ROOT,
        serviceExceptions: lambdaFaults,
      });
      const result = await sim.drive(orchestrator.execute(input));
      return { result, approvals };
    }

    it('waits for approval after preflight, changes nothing before it, then promotes; RTO includes the wait', async () => {
      // Prepare: alarm-started runs need approval; this one carries the alarm rule's trigger.
      const input = {
        mode: 'planned',
        reason: 'CloudWatch alarm probe in ALARM',
        trigger: { source: 'alarm', alarmName: 'probe', alarmAt: '2025-01-15T12:00:00Z' },
      };

      // Act
      const { result, approvals } = await gated(
        gate({ required: 'alarm-started' }),
        { decision: 'approve', afterSeconds: 300 },
        input,
      );

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({
        outcome: 'PROMOTED',
        approval: { outcome: 'APPROVED', approver: DRILL_APPROVER },
        readiness: { region: dr.region },
      });
      const answeredAt = approvals[0]?.answeredAt ?? Number.NaN;
      expect(answeredAt - (approvals[0]?.requestedAt ?? 0)).toBeGreaterThanOrEqual(300);
      expect(changeCalls(result).length).toBeGreaterThan(0);
      expect(changeCalls(result).every((c) => c.at >= answeredAt)).toBe(true);
      expect(result.stoppedAt - result.startedAt).toBeGreaterThan(300);
      expect(published(result).map((p) => p.state)).toEqual([
        WORKFLOW_STATES.approval,
        WORKFLOW_STATES.notifyStart,
        WORKFLOW_STATES.notifyTrafficMoved,
        WORKFLOW_STATES.notifySuccess,
      ]);
      const request = published(result)[0];
      expect(request?.attributes.outcome).toBe('APPROVAL_REQUESTED');
      expect(request?.message).toContain(`npm run failover -- approve ${result.executionArn}`);
      expect(request?.message).toContain('Started by: CloudWatch alarm probe');
      // Readiness was evaluated once, for the request, and reused for the start notice.
      expect(invocations(result, 'CheckReadinessForApproval')).toBe(1);
      expect(invocations(result, 'CheckReadiness')).toBe(0);
      expect(published(result).at(-1)?.message).toContain(`Approval: approved by ${DRILL_APPROVER}`);
    });

    it('decides on reads made after the wait: main back by the approval → planned, not the unplanned of before', async () => {
      // Prepare: main's endpoints do not answer for the first 200 s; the approval comes at 300 s.
      sim.world.outages.regions.set(main.region, { from: 0, until: 200 });

      // Act
      const { result } = await gated(
        gate(),
        { decision: 'approve', afterSeconds: 300 },
        {
          mode: 'auto',
          reason: `${main.region} unreachable`,
        },
      );

      // Assess
      expect(published(result)[0]?.subject).toContain('(unplanned)');
      expect(invocations(result, STEPS.preflight.label)).toBe(2);
      expect(result.output).toMatchObject({ outcome: 'PROMOTED', mode: 'planned' });
      expect(changes(result)).toContain(`SwitchoverGlobalCluster ${drDb.dbClusterArn}`);
      expect(sim.world.calls.filter((c) => c.command === 'FailoverGlobalCluster')).toEqual([]);
    });

    it('deny: ends without changing anything, notified with who denied and why', async () => {
      // Act
      const { result } = await gated(gate(), { decision: 'deny', afterSeconds: 60 });

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ outcome: 'DENIED', approval: { outcome: 'DENIED' } });
      expect(changes(result)).toEqual([]);
      expect(writerRole()).toBe('main');
      const notice = published(result).find((p) => p.state === WORKFLOW_STATES.notifyNoAction);
      expect(notice?.subject).toContain('(DENIED)');
      expect(notice?.message).toContain(`approval denied: denied by ${DRILL_APPROVER}: ${DRILL_DENY_REASON}`);
    });

    it('timeout with onTimeout stop: ends without changing anything after the timeout, notified', async () => {
      // Act
      const { result, approvals } = await gated(gate({ timeoutSeconds: 600 }), { decision: 'none' });

      // Assess
      expect(result.output).toMatchObject({ outcome: 'APPROVAL_TIMED_OUT' });
      expect(changes(result)).toEqual([]);
      expect(result.stoppedAt - (approvals[0]?.requestedAt ?? 0)).toBeGreaterThanOrEqual(600);
      expect(sim.world.sfn.tasks.byToken.get([...sim.world.sfn.tasks.byToken.keys()][0] ?? '')?.status).toBe(
        'TIMED_OUT',
      );
      const notice = published(result).find((p) => p.state === WORKFLOW_STATES.notifyNoAction);
      expect(notice?.message).toContain('nobody approved or denied within 600 s');
    });

    it('timeout with onTimeout proceed: promotes after the timeout', async () => {
      // Act
      const { result } = await gated(gate({ timeoutSeconds: 300, onTimeout: 'proceed' }), {
        decision: 'none',
      });

      // Assess
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({
        outcome: 'PROMOTED',
        approval: { outcome: 'TIMED_OUT_PROCEEDED', timeoutSeconds: 300 },
      });
      expect(writerRole()).toBe('dr');
    });

    it('an answer after the timeout is refused as timed out (the CLI says so)', async () => {
      // Act
      const { result, approvals } = await gated(gate({ timeoutSeconds: 120 }), {
        decision: 'approve',
        afterSeconds: 200,
      });
      await sim.drive(pause(200));

      // Assess
      expect(result.output).toMatchObject({ outcome: 'APPROVAL_TIMED_OUT' });
      expect(approvals[0]?.refused).toMatch(/NotWaitingForApprovalError: .*is SUCCEEDED|timed out/);
    });

    it('a request the notify Lambda could not send fails the run, notified (it must not wait unheard)', async () => {
      // Prepare: every attempt of the request fails.
      lambdaFaults.set(WORKFLOW_STATES.approval, 7);

      // Act
      const { result } = await gated(gate(), { decision: 'approve', afterSeconds: 60 });

      // Assess
      expect(result.status).toBe('FAILED');
      expect(failureNotice(result).failedStep).toBe(WORKFLOW_STATES.approval);
      expect(changes(result)).toEqual([]);
    });
  });
});

describe('failover state machine: the run record', () => {
  /** The record the execution wrote in DR's run-record bucket, and the link its final state carries. */
  function recordOf(e: ExecutionRecord): {
    record?: Record<string, unknown>;
    markdown?: string;
    link?: unknown;
  } {
    const objects = sim.world.runRecords.current(dr.runRecordBucketName);
    const key = [...objects.keys()].find((k) => k.endsWith(`/${e.name}.json`));
    const json = key === undefined ? undefined : objects.get(key);
    const md = key === undefined ? undefined : objects.get(key.replace(/\.json$/, '.md'));
    const output = fieldsOf(e.output);
    return {
      ...(json === undefined ? {} : { record: JSON.parse(json.body) as Record<string, unknown> }),
      ...(md === undefined ? {} : { markdown: md.body }),
      ...(output?.runRecord === undefined ? {} : { link: output.runRecord }),
    };
  }

  /** The final notice's text (success, failure or no action). */
  function finalNotice(e: ExecutionRecord): string {
    const finals: readonly string[] = [
      WORKFLOW_STATES.notifySuccess,
      WORKFLOW_STATES.notifyFailure,
      WORKFLOW_STATES.notifyNoAction,
    ];
    return published(e).find((p) => finals.includes(p.state ?? ''))?.message ?? '';
  }

  it('success: writes the record, encrypted, before the success notice, which links it', async () => {
    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const { record, markdown, link } = recordOf(result);
    expect(record).toMatchObject({
      outcome: { result: 'PROMOTED' },
      region: dr.region,
      mode: { used: 'planned' },
    });
    expect(markdown).toContain('| step | start s | end s | took s | attempts | errors | notes |');
    expect(link).toMatchObject({ bucket: dr.runRecordBucketName, s3Uri: expect.stringMatching(/\.md$/) });
    expect(finalNotice(result)).toContain(`Run record: ${(link as { s3Uri: string }).s3Uri}`);
    const puts = sim.world.calls.filter(
      (c) => c.command === 'PutObject' && c.execution === result.executionArn,
    );
    expect(
      puts.map((c) => [c.region, (c.input as { ServerSideEncryption?: string }).ServerSideEncryption]),
    ).toEqual([
      [dr.region, 'AES256'],
      [dr.region, 'AES256'],
    ]);
  });

  it('failure: writes the record with the failed step, then the failure notice links it, and the run still fails', async () => {
    // Prepare
    inject('db-capacity:db.r6g.large+db.r7g.large+db.r6g.xlarge');

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('FAILED');
    const { record, link } = recordOf(result);
    expect(record).toMatchObject({
      outcome: { result: 'FAILED', failedStep: failureNotice(result).failedStep },
    });
    expect(record?.rto).toBeUndefined();
    expect(finalNotice(result)).toContain('Run record: s3://');
    expect(link).toBeUndefined(); // the Fail state's output is its error, not the state
  });

  it('no action: a dry run writes a record with preflight’s status', async () => {
    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'rehearsal', dryRun: true });

    // Assess
    const { record, link } = recordOf(result);
    expect(record).toMatchObject({ outcome: { result: 'NO_ACTION', status: 'DRY_RUN' } });
    expect(link).toMatchObject({ bucket: dr.runRecordBucketName });
  });

  it('a recorder that cannot write changes nothing about how the run ends; the notice goes out without a link', async () => {
    // Prepare: the bucket refuses every put.
    sim.world.interceptors.push((call) =>
      call.command === 'PutObject'
        ? serviceError(RDSServiceException, 'AccessDenied', 'Access Denied', 403)
        : undefined,
    );

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'PROMOTED', runRecordError: { Error: 'AccessDenied' } });
    expect(recordOf(result).record).toBeUndefined();
    expect(finalNotice(result)).not.toContain('Run record:');
    expect(invocations(result, 'RecordRunOnSuccess')).toBe(1);
  });

  it('a recorder that keeps failing on the Lambda service is retried, then the run fails as it would have', async () => {
    // Prepare: more Lambda.ServiceExceptions than the retry policy allows.
    lambdaFaults.set('RecordRunOnFailure', 7);
    inject('db-capacity:db.r6g.large+db.r7g.large+db.r6g.xlarge');

    // Act
    const result = await execute('dr', { mode: 'planned', reason: 'game day' });

    // Assess
    expect(result.status).toBe('FAILED');
    expect(failureNotice(result).failedStep).toBe(STEPS.database.label);
    expect(invocations(result, 'RecordRunOnFailure')).toBe(7);
    expect(recordOf(result).record).toBeUndefined();
  });
});
