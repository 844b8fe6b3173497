import { analyzeDrill } from '../../drill/analysis/analyze';
import type { DrillRun } from '../../drill/runner/run';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import type { ProjectConfig } from '../../infra/config/schema';
import type { StepResult } from '../../lambdas/shared/contracts';
import { FULL_TARGET_STATES, STEPS, WORKFLOW_STATES } from '../../lambdas/shared/steps';
import { type Drilled, drill, drWiring, expectInvariantsHeld, failureNotices } from './faults-helpers';
import { config } from './sim-helpers';

/**
 * A crowded DR region (issue 22): a service may take traffic at its `servingShare` of its tasks and
 * keeps scaling after traffic moved; every capacity shortfall reaches the notices and the record.
 * The seed's app runs 3 tasks in DR; here each task needs an instance of its own (1536 MiB of a
 * t3.small's 2048), so a missing instance is a missing task.
 */

const SYNTH_TIMEOUT_MS = 180_000;

/** base.yml with DR's app serving from `share` of its 3 tasks, one task per instance, 3 instances at promotion. */
function crowded(share: number): ProjectConfig {
  const dr = config.regions.dr;
  return {
    ...config,
    regions: {
      ...config.regions,
      dr: {
        ...dr,
        capacity: { ...dr.capacity, promotion: { ...dr.capacity.promotion, minCapacity: 3 } },
      },
    },
    services: config.services.map((s) => ({
      ...s,
      memoryMiB: 1536,
      regions: {
        ...s.regions,
        dr: { ...s.regions.dr, promotion: { ...s.regions.dr.promotion, servingShare: share } },
      },
    })),
  };
}

/** Three instances, two of them reserved: what EC2 is short of, the reservations still launch. */
/** EC2 has none of DR's types for good: the two reserved instances launch, the third never does. */
const NO_THIRD = 'ec2-capacity:t3.small+t3a.small+t3.medium';
const THREE_INSTANCES: ProjectConfig = (() => {
  const c = crowded(0.6);
  const dr = c.regions.dr;
  return {
    ...c,
    regions: { ...c.regions, dr: { ...dr, capacity: { ...dr.capacity, reservation: { instances: 2 } } } },
  };
})();

let wirings: { base: OrchestratorWiring; three: OrchestratorWiring };
beforeAll(async () => {
  const [base, three] = await Promise.all([drWiring(), drWiring(THREE_INSTANCES)]);
  wirings = { base, three };
}, SYNTH_TIMEOUT_MS);

/** The states the run entered, in order. */
function entered(run: DrillRun): string[] {
  return run.executions.flatMap((e) =>
    e.events.filter((ev) => ev.type === 'StateEntered').map((ev) => ev.state ?? ''),
  );
}

/** The service step's result in the run's output (the success summary). */
function serviceResult(d: Drilled): StepResult | undefined {
  return (d.a.primary.output as { steps?: { service?: StepResult } } | undefined)?.steps?.service;
}

/** The body of the notice `state` published. */
function notice(run: DrillRun, state: string): string {
  return run.world.sns.published.find((p) => p.state === state)?.message ?? '';
}

/** The run record's Markdown, as the recorder wrote it. */
function recordMarkdown(run: DrillRun): string {
  const bucket = run.world.names.regions.dr.runRecordBucketName;
  const md = [...run.world.runRecords.current(bucket).entries()].find(([key]) => key.endsWith('.md'));
  return md?.[1].body ?? '';
}

describe('servingShare on a crowded DR region', () => {
  it('moves traffic at 2/3 healthy, keeps scaling, and ends PROMOTED saying 2/3 when the budget ended', async () => {
    // Act
    const d = await drill(wirings.three, 'planned', [NO_THIRD], { project: THREE_INSTANCES });

    // Assess: the run promoted, traffic moved while app served at its share, every invariant held.
    const { run, a } = d;
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
    expect(a.invariants.find((i) => i.name === 'traffic never moved before the promotion')?.detail).toMatch(
      /→ dr/,
    );
    expect(run.world.dnsRole()).toBe('dr');
    // Scaling went on after fencing, until the service step's budget ended.
    const states = entered(run);
    expect(states.indexOf(FULL_TARGET_STATES.act)).toBeGreaterThan(states.indexOf(STEPS.fence.label));
    expect(states).toContain(FULL_TARGET_STATES.check);
    const service = serviceResult(d);
    expect(service).toMatchObject({ status: 'READY', partial: true });
    expect(service?.fullTarget).toMatchObject({
      state: 'BUDGET_ENDED',
      lines: ['app: 2/3 when the budget ended'],
    });
    // Each notice and the record say so.
    expect(notice(run, WORKFLOW_STATES.notifyTrafficMoved)).toContain(
      'Some services serve below their target count (servingShare)',
    );
    expect(notice(run, WORKFLOW_STATES.notifyTrafficMoved)).toContain(
      '      - still scaling: app: 2/3 so far',
    );
    const success = notice(run, WORKFLOW_STATES.notifySuccess);
    expect(success).toContain(
      'Services below their target count when traffic moved: app: 2/3 when the budget ended',
    );
    expect(success).toContain('      - after traffic moved: app: 2/3 when the budget ended');
    expect(recordMarkdown(run)).toContain(
      'ScaleService: after traffic moved: app: 2/3 when the budget ended',
    );
  });

  it('judges traffic against the share: one of the two serving targets failing breaks the invariant', async () => {
    // Prepare: the run above, then one of app's two healthy targets turns out to fail its checks.
    const { run } = await drill(wirings.three, 'planned', [NO_THIRD], { project: THREE_INSTANCES });
    const group = run.world.elb.groupOf('dr', 'app');
    const first = group?.targets[0]?.taskId;
    run.world.elb.healthInterceptors.push((_g, target) =>
      target.taskId === first ? 'Health checks failed with these codes: [502]' : undefined,
    );

    // Act
    const inv = analyzeDrill(run).invariants.find(
      (i) => i.name === 'traffic never moved before the promotion',
    );

    // Assess
    expect(inv?.held).toBe(false);
    expect(inv?.detail).toMatch(
      /answered dr at [\d.]+ s, with service app not serving at servingShare 0\.6$/,
    );
  });

  it('reaches 3/3 after traffic moved when the third instance comes late, and says when', async () => {
    // Prepare: EC2 has none of DR's types anywhere for the first 12 minutes; two of the three
    // instances launch into their reservations, the third once the shortage passes. The database
    // is ready in one minute, so traffic moves at 2 of 3.
    const timings = { ...sampleTimings(loadTimingModel()), dbInstanceCreateSeconds: 60 };

    // Act
    const d = await drill(wirings.three, 'planned', ['ec2-capacity:t3.small+t3a.small+t3.medium~12'], {
      project: THREE_INSTANCES,
      timings,
    });

    // Assess
    const { run, a } = d;
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
    const service = serviceResult(d);
    expect(service).toMatchObject({ status: 'READY', partial: false });
    expect(service?.fullTarget).toMatchObject({ state: 'REACHED' });
    expect(service?.fullTarget?.lines).toEqual([expect.stringMatching(/^app: 3\/3 at \+1[0-9]m\d\ds$/)]);
    // The refusals reached the result and the success notice.
    const refused = service?.capacity?.refusals.map((r) => `${r.instanceType}@${r.zone}`) ?? [];
    expect(refused).toEqual(expect.arrayContaining(['t3.medium@us-west-2c']));
    expect(notice(run, WORKFLOW_STATES.notifySuccess)).toMatch(
      /- capacity: t3\.medium: no capacity in .*us-west-2c ×\d+.* \(InsufficientInstanceCapacity\)/,
    );
    expect(notice(run, WORKFLOW_STATES.notifySuccess)).toMatch(
      /after traffic moved: app: 3\/3 at \+1\dm\d\ds/,
    );
  });

  it('with every service at share 1 (the default), adds one Choice and no Lambda call', async () => {
    // Act
    const d = await drill(wirings.base, 'planned');

    // Assess
    const states = entered(d.run);
    expect(states).toContain(FULL_TARGET_STATES.decide);
    expect(states.filter((s) => s.startsWith(FULL_TARGET_STATES.act))).toEqual([]);
    expect(serviceResult(d)).toMatchObject({ status: 'READY', partial: false });
    expect(serviceResult(d)).not.toHaveProperty('fullTarget');
  });
});

describe('capacity refusals in the failure notice and the record', () => {
  it('lists the refusals by type and zone when the service step runs out of budget', async () => {
    // Act: none of DR's types in a zone: no instance, no task.
    const { run, a } = await drill(wirings.base, 'planned', ['ec2-capacity:t3.small+t3a.small+t3.medium']);

    // Assess
    expect(a.outcome).toBe('FAILED (WaitTimeoutError)');
    expect(failureNotices(run)).toEqual([STEPS.service.label]);
    const body = notice(run, WORKFLOW_STATES.notifyFailure);
    // The sim's activity names the last type it tried in the zone, as a mixed-instances group's does.
    expect(body).toMatch(
      /capacity: t3\.medium: no capacity in (us-west-2[abc] ×\d+, ){2}us-west-2[abc] ×\d+ \(InsufficientInstanceCapacity\)/,
    );
    expect(recordMarkdown(run)).toContain('InsufficientInstanceCapacity');
    expectInvariantsHeld(a);
  });

  it('lists every refused DB instance class when none is left', async () => {
    // Act
    const { run } = await drill(wirings.base, 'planned', [
      'db-capacity:db.r6g.large+db.r7g.large+db.r6g.xlarge',
    ]);

    // Assess
    const body = notice(run, WORKFLOW_STATES.notifyFailure);
    expect(body).toContain(
      'db.r6g.large, db.r7g.large, db.r6g.xlarge refused (InsufficientDBInstanceCapacity)',
    );
    expect(recordMarkdown(run)).toContain('db.r6g.large, db.r7g.large, db.r6g.xlarge refused');
  });
});
