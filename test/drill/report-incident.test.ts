import { analyzeDrill, type DrillAnalysis } from '../../drill/analysis/analyze';
import { parseFault } from '../../drill/faults/catalog';
import { gitCommit } from '../../drill/report/meta';
import { buildReport } from '../../drill/report/report';
import type { DrillReport } from '../../drill/report/types';
import { type DrillRun, REPO_ROOT, runDrill } from '../../drill/runner/run';
import { synthesizeOrchestrator } from '../../drill/synth/synthesize';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings, type Timings } from '../../drill/timing';
import type { RegionRole } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { STEPS } from '../../lambdas/shared/steps';
import { config } from './sim-helpers';

/**
 * What a drill reports about the incident it rehearsed, end to end (the synthesized orchestrator,
 * the real handlers, the simulated AWS): a failed run has no RTO, a rerun reports the incident
 * from the first trigger, a half-done promotion is the loudest line.
 */

const CONFIG_NAME = 'base';
const wirings = new Map<RegionRole, OrchestratorWiring>();
beforeAll(async () => {
  for (const role of ['dr', 'main'] as const) {
    wirings.set(role, (await synthesizeOrchestrator(config, role, CONFIG_NAME)).wiring);
  }
}, 120_000);

async function drill(
  faults: string[],
  options: { mode?: FailoverMode; role?: RegionRole; timings?: Partial<Timings> } = {},
): Promise<{ run: DrillRun; a: DrillAnalysis; report: DrillReport }> {
  const role = options.role ?? 'dr';
  const wiring = wirings.get(role);
  if (wiring === undefined) throw new Error(`no ${role} wiring`);
  const run = await runDrill({
    config,
    role,
    mode: options.mode ?? 'planned',
    faults: faults.map(parseFault),
    timings: { ...sampleTimings(loadTimingModel()), ...options.timings },
    wiring,
  });
  const a = analyzeDrill(run, { configName: CONFIG_NAME });
  return { run, a, report: buildReport(run, a, { faults, commit: gitCommit(REPO_ROOT) }) };
}

/** Health checks that follow the claim 11 minutes late: past the DNS step's 10-minute budget. */
const LATE_HEALTH_CHECKS: Partial<Timings> = { route53HealthCheckLagSeconds: 11 * 60 };

function brokenInvariants(a: DrillAnalysis): string[] {
  return a.invariants.filter((i) => !i.held).map((i) => `${i.name}: ${i.detail}`);
}

describe('drill incident report', () => {
  it('reports a run that failed after the promotion: no RTO, the failed step, the split and the command', async () => {
    // Act: the health checks follow the claim only after the DNS step's 10-minute budget.
    const { run, a, report } = await drill([], { timings: LATE_HEALTH_CHECKS });

    // Assess
    expect(report.incident).toMatchObject({ result: 'FAILED', failedStep: STEPS.dns.label });
    expect(report.incident.rtoSeconds).toBeUndefined();
    expect(report.incident.ratio).toBeUndefined();
    expect(report.incident.failedAfterSeconds).toBeCloseTo(run.endedAt, 0);
    expect(Number.isNaN(a.rtoSeconds)).toBe(true);
    expect(report.stateLeft).toMatchObject({
      split: true,
      writerRole: 'dr',
      dns: { role: 'main' },
      finishCommand: `npm run failover -- --project ${CONFIG_NAME} --region dr --mode planned --follow`,
    });
    expect(report.executions[0]?.steps.find((s) => s.failed)?.name).toBe(STEPS.dns.label);
    expect(a.invariants.find((i) => i.name.startsWith('a run that promoted the database'))?.detail).toMatch(
      /failure notification says so with the command; report says so/,
    );
    // The late health checks are the fault here, set through the timings, not --fault: the drill
    // judges the run as one without faults, and says it failed.
    expect(brokenInvariants(a)).toEqual([expect.stringMatching(/^succeeds without faults: FAILED/)]);
  });

  it('carries what an independent checker needs: calls, capacity, notifications, config, timings, commit', async () => {
    // Act
    const { run, report } = await drill([], { timings: LATE_HEALTH_CHECKS });

    // Assess
    const json = JSON.parse(JSON.stringify(report)) as DrillReport;
    expect(json.configFile).toBe('project-config/base.yml');
    expect(json.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect(Object.keys(json.timings).sort()).toEqual(Object.keys(run.world.timings).sort());
    expect(json.calls).toHaveLength(run.world.calls.length);
    const switchover = json.calls.find((c) => c.operation === 'SwitchoverGlobalCluster');
    expect(switchover).toMatchObject({
      service: 'rds',
      region: expect.any(String),
      execution: 'drill-1',
      state: STEPS.promotion.label,
      input: {
        GlobalClusterIdentifier: expect.any(String),
        TargetDbClusterIdentifier: expect.stringMatching(/^arn:/),
      },
    });
    expect(json.calls.filter((c) => c.operation === 'PutMetricData').map((c) => c.region)).toContain(
      run.world.regionOf('dr'),
    );
    expect(json.calls.filter((c) => c.service === 'dns').length).toBeGreaterThan(0);
    const dr = json.capacity.find((c) => c.role === 'dr');
    expect(dr?.asg?.updates.map((u) => [u.previousDesired, u.desired])).toEqual([[0, 3]]);
    expect(dr?.services.map((s) => s.updates.map((u) => u.desired))).toEqual([[3]]);
    expect(dr?.services[0]?.events.map((e) => e.message).join('\n')).toMatch(/steady state/);
    const failure = json.notifications.find((n) => n.attributes.outcome === 'FAILED');
    expect(failure).toMatchObject({ execution: 'drill-1', subject: expect.stringMatching(/FAILED/) });
    expect(failure?.body).toContain('npm run failover -- --project base --region dr');
    expect(json.apiPeakPerMinute.rds?.requests).toBeGreaterThan(0);
  });

  it('reports a run that failed before acting on the database: no RTO, nothing split', async () => {
    // Act
    const { a, report } = await drill(['db-capacity:db.r6g.large+db.r7g.large+db.r6g.xlarge']);

    // Assess
    expect(report.incident).toMatchObject({ result: 'FAILED', failedStep: STEPS.database.label });
    expect(report.incident.headline).toMatch(/^failover FAILED at ScaleDatabase after \d+\.\d s · no RTO/);
    expect(report.stateLeft).toMatchObject({ split: false, writerRole: 'main', dns: { role: 'main' } });
    expect(report.stateLeft.finishCommand).toBeUndefined();
    expect(brokenInvariants(a)).toEqual([]);
  });

  it('reports an unplanned failover whose service never became ready: promoted, traffic not moved', async () => {
    // Act: unplanned promotes as soon as its instances are available, while the service still scales.
    const { a, report } = await drill(['ecs-unhealthy'], { mode: 'unplanned' });

    // Assess
    expect(report.incident).toMatchObject({ result: 'FAILED', failedStep: STEPS.service.label });
    expect(report.stateLeft).toMatchObject({ split: true, writerRole: 'dr', dns: { role: 'main' } });
    expect(report.stateLeft.finishCommand).toContain('--region dr --mode unplanned --follow');
    expect(report.stateLeft.inFlight.join('\n')).toMatch(/ECS service .* task\(s\) running/);
    expect(brokenInvariants(a)).toEqual([]);
  });

  it('reports a rerun as one incident: RTO from the first trigger, both executions drawn, no ratio', async () => {
    // Act
    const { run, report } = await drill(['rerun-after-failure']);

    // Assess
    const [first, second] = report.executions;
    expect(first).toMatchObject({ status: 'FAILED', failedStep: STEPS.promotion.label, start: 0 });
    expect(second).toMatchObject({ status: 'SUCCEEDED', outcome: 'PROMOTED' });
    expect(second?.start).toBeGreaterThan(first?.end ?? Number.POSITIVE_INFINITY);
    expect(report.incident).toMatchObject({
      result: 'RECOVERED',
      recoveredBy: second?.name,
      failedExecutions: 1,
    });
    const flip = second?.steps.find((s) => s.name === STEPS.dns.label);
    expect(report.incident.rtoSeconds).toBeCloseTo(flip?.end ?? 0, 0);
    expect(report.incident.ratio).toBeUndefined();
    expect(report.incident.headline).toMatch(/from the first trigger, after 1 failed run/);
    expect(run.executions).toHaveLength(2);
  });

  it('reports a second trigger that ended IN_FLIGHT beside the run that recovered', async () => {
    // Act
    const { a, report } = await drill(['second-trigger']);

    // Assess
    expect(report.executions.map((e) => e.outcome)).toEqual(['PROMOTED', 'IN_FLIGHT']);
    expect(report.incident.result).toBe('RECOVERED');
    expect(report.incident.ratio).toBeGreaterThanOrEqual(1);
    expect(report.stateTransitions).toBe(report.executions.reduce((n, e) => n + e.stateTransitions, 0));
    expect(brokenInvariants(a)).toEqual([]);
  });

  it('labels a failback a failback, bounded by what is already there, with no runbook comparison', async () => {
    // Act
    const { a, report } = await drill([], { role: 'main' });

    // Assess
    expect(report.kind).toBe('failback');
    expect(report.runbook).toBeUndefined();
    expect(report.incident.headline).toMatch(/^failback RTO /);
    expect(report.incident.lowerBoundParts).toMatchObject({ database: 0, service: 0 });
    expect(report.incident.ratio).toBeGreaterThanOrEqual(1);
    expect(brokenInvariants(a)).toEqual([]);
  });
});
