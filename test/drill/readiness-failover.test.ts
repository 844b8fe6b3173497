import { READINESS_FAULT_CHECKS, type READINESS_FAULT_NAMES } from '../../drill/faults/readiness';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings, TIMING_KEYS, type Timings } from '../../drill/timing';
import { STEPS } from '../../lambdas/shared/steps';
import { drill, drWiring, expectInvariantsHeld, failureNotices } from './faults-helpers';
import { APP, appDatabaseConfig } from './sim-helpers';

/**
 * The readiness faults in a failover drill: the run still runs (an outage does not wait). Where the
 * simulator models what the red check foretells, the run meets it: RDS refuses the instances of a
 * class it does not offer, or past the DB instance quota (the run fails at the database step,
 * notified), and `replication-broken` costs an unplanned failover the writes since replication
 * stopped while a switchover (which synchronizes first) loses none. Otherwise (a deregistered AMI,
 * the vCPU quota: the ASG model launches regardless) the run promotes and its start notice names
 * the red check.
 */

/** A tenth of every duration of the default model (as faults-pairs.test.ts). */
const TIMINGS: Timings = Object.fromEntries(
  TIMING_KEYS.map((k) => [k, sampleTimings(loadTimingModel())[k] / 10]),
) as Timings;

let wiring: OrchestratorWiring;
beforeAll(async () => {
  wiring = await drWiring();
}, 120_000);

describe('readiness faults in a failover drill', () => {
  // ACM is not on the failover's path: a certificate fault is only foretold.
  it.each([
    'replication-broken',
    'ami-missing',
    'quota-too-low:vcpu',
    'instance-type-unavailable',
    'certificate-expiring',
    'certificate-pending',
  ] as const)('%s: the run promotes; the start notice lists the red check', async (fault) => {
    // Act
    const { run, a } = await drill(wiring, 'planned', [fault], { timings: TIMINGS });

    // Assess
    expect(a.outcome).toBe('PROMOTED');
    expectInvariantsHeld(a);
    const start = run.world.sns.published.find((p) => p.attributes.outcome === 'START');
    expect(start?.attributes.ready).toBe('false');
    const name = fault.split(':')[0] as (typeof READINESS_FAULT_NAMES)[number];
    expect(start?.message).toContain(`${READINESS_FAULT_CHECKS[name]} FAIL`);
  });

  it.each([
    ['instance-class-unavailable', 'InvalidParameterCombination', 0],
    // The quota is one short: every instance but the last is created.
    ['quota-too-low', 'InstanceQuotaExceededFault', appDatabaseConfig().regions.dr.promotion.instances - 1],
  ] as const)(
    '%s: RDS refuses the instances; the run fails at the database step, notified (%s)',
    async (fault, error, created) => {
      // Act
      const { run, a } = await drill(wiring, 'planned', [fault], { timings: TIMINGS });

      // Assess
      expect(a.outcome).toBe(`FAILED (${error})`);
      expectInvariantsHeld(a);
      expect(failureNotices(run)).toEqual([STEPS.database.label]);
      expect(run.world.rds.database(APP).clusterInstances('dr')).toHaveLength(created);
      // The start branch was stopped before its readiness returned: the failure path evaluates it.
      const failed = run.world.sns.published.find((p) => p.attributes.outcome === 'FAILED');
      expect(failed?.attributes.ready).toBe('false');
      expect(failed?.message).toContain(`${READINESS_FAULT_CHECKS[fault]} FAIL`);
    },
  );

  it('without faults the start notice says ready', async () => {
    // Act
    const { run } = await drill(wiring, 'planned', [], { timings: TIMINGS });

    // Assess
    const start = run.world.sns.published.find((p) => p.attributes.outcome === 'START');
    expect(start?.attributes.ready).toBe('true');
  });

  it('replication-broken: an unplanned failover loses the writes since the stall, a switchover none', async () => {
    // Act
    const unplanned = await drill(wiring, 'unplanned', ['replication-broken:30'], { timings: TIMINGS });
    const planned = await drill(wiring, 'planned', ['replication-broken:30'], { timings: TIMINGS });

    // Assess
    expect(unplanned.a.lostWritesSeconds).toBeGreaterThan(30 * 60);
    expect(planned.a.lostWritesSeconds).toBe(0);
  });
});
