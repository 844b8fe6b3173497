import { DrillUsageError } from '../../drill/errors';
import { applyFaults, faultHelp, faultRunsOn, parseFault } from '../../drill/faults/catalog';
import { throttleInBursts } from '../../drill/faults/interceptors';
import { capacityLines } from '../../drill/report/capacity';
import type { DrillRun } from '../../drill/runner/run';
import type { SimCall } from '../../drill/sim/calls';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadConfig } from '../../infra/config/load';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { rethrow, TransientAwsError } from '../../lambdas/shared/errors';
import { STEPS } from '../../lambdas/shared/steps';
import { calls, drill, drWiring, expectInvariantsHeld, failureNotices, retried } from './faults-helpers';
import { config, DR as DR_REGION, makeWorld } from './sim-helpers';

/**
 * The crowded DR region's faults (issue 22) end to end: `ec2-capacity` (the group falls back
 * through its types, or to other zones, or never gets its capacity), `stampede` (zones short of
 * the first type and class plus throttling bursts on RDS, EC2, Auto Scaling and ECS), and their
 * syntax. One synthesis for the file.
 */

const SYNTH_TIMEOUT_MS = 180_000;
const EVERY_TYPE = 't3.small+t3a.small+t3.medium';

let wiring: OrchestratorWiring;
beforeAll(async () => {
  wiring = await drWiring();
}, SYNTH_TIMEOUT_MS);

/** DR's instances as `type@zone`, in launch order. */
function drInstances(run: DrillRun): string[] {
  return (run.world.autoscaling.ofRole('dr')?.instances ?? []).map((i) => `${i.instanceType}@${i.az}`);
}

describe('ec2-capacity', () => {
  it.each<FailoverMode>(['planned', 'unplanned', 'auto'])(
    '%s: no t3.small anywhere, the group launches t3a.small in every zone; promotes, every invariant held, the report names the fallback',
    async (mode) => {
      // Act
      const { run, a } = await drill(wiring, mode, ['ec2-capacity']);

      // Assess
      expect(a.outcome).toBe('PROMOTED');
      expectInvariantsHeld(a);
      expect(drInstances(run)).toEqual([
        't3a.small@us-west-2a',
        't3a.small@us-west-2b',
        't3a.small@us-west-2c',
      ]);
      const dr = a.capacity.find((c) => c.role === 'dr')?.asg;
      expect(dr?.launched).toEqual([
        expect.objectContaining({ instanceType: 't3a.small', count: 3, fallback: true, reserved: 0 }),
      ]);
      expect(dr?.refused.map((r) => `${r.instanceType}@${r.zone}×${r.count}`)).toEqual([
        't3.small@us-west-2a×1',
        't3.small@us-west-2b×1',
        't3.small@us-west-2c×1',
      ]);
      expect(dr?.shortfall?.costSeconds).toBe(0);
      expect(capacityLines(a.capacity).join('\n')).toMatch(/launched 3 t3a\.small \(fallback\)/);
    },
  );

  it('every type out in the first zone: the activity fails and the group launches in the other zones at once; the shortfall costs nothing', async () => {
    // Act
    const { run, a } = await drill(wiring, 'planned', [`ec2-capacity:${EVERY_TYPE}@us-west-2a`]);

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
    expect(drInstances(run)).toEqual(['t3.small@us-west-2b', 't3.small@us-west-2c', 't3.small@us-west-2b']);
    const dr = a.capacity.find((c) => c.role === 'dr')?.asg;
    expect(dr?.failedActivities).toBe(1);
    expect(dr?.shortfall?.costSeconds).toBeCloseTo(0, 6);
    expect(capacityLines(a.capacity).join('\n')).toMatch(/1 scaling activity failed/);
  });

  it.each<FailoverMode>(['planned', 'unplanned'])(
    '%s, every type out everywhere for 10 minutes: promotes once EC2 has them; the lower bound counts the capacity AWS had',
    async (mode) => {
      // Act
      const { a } = await drill(wiring, mode, [`ec2-capacity:${EVERY_TYPE}~10`]);

      // Assess
      expect(a.outcome).toBe('PROMOTED');
      expectInvariantsHeld(a);
      const wait = a.capacity.find((c) => c.role === 'dr')?.asg?.shortfall?.costSeconds ?? 0;
      expect(wait).toBeGreaterThanOrEqual(600 - 121);
      expect(a.criticalPath.branch).toBe('service');
      expect(a.criticalPath.parts.service).toBeGreaterThan(wait);
      expect(a.incident.ratio).toBeGreaterThanOrEqual(1);
      expect(a.incident.ratio).toBeLessThan(1.05);
    },
  );

  it('every type out everywhere: the service step never gets its capacity and fails at its budget, notified; nothing moved', async () => {
    // Act
    const { run, a } = await drill(wiring, 'planned', [`ec2-capacity:${EVERY_TYPE}`]);

    // Assess
    expect(a.primary.status).toBe('FAILED');
    expect(a.primary.error).toBe('WaitTimeoutError');
    expect(failureNotices(run)).toEqual([STEPS.service.label]);
    expect(drInstances(run)).toEqual([]);
    expect(run.world.dnsRole()).toBe('main');
    expectInvariantsHeld(a);
    const dr = a.capacity.find((c) => c.role === 'dr')?.asg;
    // Retried every asgLaunchRetrySeconds for the whole budget, zone after zone.
    const budget = config.failover.service.budgetMinutes * 60;
    expect(dr?.failedActivities).toBeGreaterThan(budget / run.world.timings.asgLaunchRetrySeconds / 2);
    expect(dr?.shortfall?.reachedAt).toBeUndefined();
    expect(new Set(dr?.refused.map((r) => r.instanceType))).toEqual(new Set(EVERY_TYPE.split('+')));
  });

  it('reads types and zones; refuses a malformed one, and a zone outside the promoted region', () => {
    expect(parseFault(`ec2-capacity:${EVERY_TYPE}@us-west-2a+us-west-2b`).argument).toBe(
      `${EVERY_TYPE}@us-west-2a+us-west-2b`,
    );
    expect(parseFault('ec2-capacity:@us-west-2c').argument).toBe('@us-west-2c');
    expect(() => parseFault('ec2-capacity:small')).toThrow(/expected <type>\[\+<type>\.\.\.\]\[@<zone>/);
    expect(() => parseFault('ec2-capacity:t3.small@west')).toThrow(DrillUsageError);
    expect(parseFault(`ec2-capacity:${EVERY_TYPE}~12`).argument).toBe(`${EVERY_TYPE}~12`);
    expect(() => parseFault('ec2-capacity:t3.small~0')).toThrow(/\[~<minutes>\]/);
    expect(() => parseFault('ec2-capacity:t3.small~1~2')).toThrow(DrillUsageError);
    expect(() => applyFaults(makeWorld(), [parseFault('ec2-capacity:t3.small@us-east-1a')])).toThrow(
      /us-east-1a is not a zone of the promoted region \(regions\.dr\.availabilityZones: us-west-2a, us-west-2b, us-west-2c\)/,
    );
    expect(faultHelp('ec2-capacity')).toMatch(
      /^ec2-capacity\[:<type>\[\+<type>\.\.\.\]\[@<zone>\[\+<zone>\.\.\.\]\]\[~<minutes>\]\]: /,
    );
  });
});

describe('stampede', () => {
  it.each<FailoverMode>(['planned', 'unplanned'])(
    '%s: the first zones are out of t3.small and db.r6g.large, every service throttles; promotes with every invariant held',
    async (mode) => {
      // Act
      const { run, a } = await drill(wiring, mode, ['stampede']);

      // Assess
      expect(a.outcome).toBe('PROMOTED');
      expectInvariantsHeld(a);
      expect(drInstances(run)).toEqual([
        't3a.small@us-west-2a',
        't3a.small@us-west-2b',
        't3.small@us-west-2c',
      ]);
      const app = run.world.rds.database('app').clusterInstances('dr');
      expect(app.map((i) => `${i.instanceClass}@${i.availabilityZone}`)).toEqual([
        'db.r6g.large@us-west-2c',
        'db.r6g.large@us-west-2c',
      ]);
      const throttled = new Set(
        run.world.calls.filter((c) => c.error !== undefined).map((c) => `${c.service} ${c.error}`),
      );
      for (const e of ['rds Throttling', 'autoscaling Throttling', 'ecs ThrottlingException'])
        expect(throttled).toContain(e);
      expect(retried(run, STEPS.service.label)).toBeGreaterThan(0);
      expect(calls(run, 'CreateDBInstance').every((c) => c.region === run.world.regionOf('dr'))).toBe(true);
      const lines = capacityLines(a.capacity).join('\n');
      expect(lines).toMatch(
        /launched 2 t3a\.small \(fallback\) in us-west-2a, us-west-2b; 1 t3\.small in us-west-2c/,
      );
      expect(lines).toMatch(/RDS had no db\.r6g\.large in us-west-2a/);
    },
  );

  it('takes no argument', () => {
    expect(() => parseFault('stampede:3')).toThrow(/--fault stampede takes no argument/);
  });

  it.each([
    ['rds', 'Throttling', 400],
    ['ec2', 'RequestLimitExceeded', 503],
    ['autoscaling', 'Throttling', 400],
    ['ecs', 'ThrottlingException', 400],
  ] as const)(
    '%s answers its documented %s (HTTP %d) to the first 2 calls of a state, which the Lambdas retry as TransientAwsError',
    (service, name, status) => {
      // Prepare
      const throttle = throttleInBursts(2, [service], DR_REGION);
      const call = (seq: number, region = DR_REGION): SimCall => ({
        seq,
        service,
        command: 'Describe',
        region,
        at: 0,
        input: {},
        execution: 'arn:x',
        state: STEPS.service.label,
      });

      // Act
      const answers = [1, 2, 3].map((n) => throttle(call(n), makeWorld()));
      const elsewhere = throttle(call(4, 'us-east-1'), makeWorld());

      // Assess
      expect(answers.map((e) => e?.name)).toEqual([name, name, undefined]);
      expect((answers[0] as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(
        status,
      );
      expect(elsewhere).toBeUndefined();
      expect(() => rethrow(answers[0], 'Describe')).toThrow(TransientAwsError);
    },
  );
});

describe('readiness capacity faults', () => {
  it('instance-type-unavailable reads one type (by default the last fallback) and withdraws it from the first zone', () => {
    // Prepare
    const w = makeWorld();

    // Act
    applyFaults(w, [parseFault('instance-type-unavailable')]);

    // Assess
    expect([...w.deployed.ec2.zonesOffering(w.regionOf('dr'), 't3.medium')]).toEqual([
      'us-west-2b',
      'us-west-2c',
    ]);
    expect(() => parseFault('instance-type-unavailable:t3')).toThrow(/expected an EC2 instance type/);
    expect(faultHelp('instance-type-unavailable')).toMatch(/^instance-type-unavailable\[:<type>\]: /);
  });

  it('reservation-inactive needs a reservation: on the base config it says which setting is missing', () => {
    // Act / Assess
    expect(faultRunsOn('reservation-inactive', config, 'dr')).toBe(false);
    expect(faultRunsOn('reservation-inactive', loadConfig('shop'), 'dr')).toBe(true);
    expect(() => applyFaults(makeWorld(), [parseFault('reservation-inactive')])).toThrow(
      /--fault reservation-inactive: the promoted region keeps no capacity reservation: set regions\.dr\.capacity\.reservation/,
    );
  });
});
