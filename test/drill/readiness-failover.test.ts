import { READINESS_FAULT_CHECKS, READINESS_FAULT_NAMES } from '../../drill/readiness-faults';
import { loadTimingModel, sampleTimings, TIMING_KEYS, type Timings } from '../../drill/timing';
import type { OrchestratorWiring } from '../../drill/wiring';
import { drill, drWiring, expectInvariantsHeld } from './faults-helpers';

/**
 * The readiness faults in a failover drill: the run still runs (an outage does not wait), its
 * start notification names the red check, and `replication-broken` costs an unplanned failover the
 * writes since replication stopped while a switchover (which synchronizes first) loses none.
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
  it.each(READINESS_FAULT_NAMES)(
    '%s: the run promotes; the start notice lists the red check',
    async (fault) => {
      // Act
      const { run, a } = await drill(wiring, 'planned', [fault], { timings: TIMINGS });

      // Assess
      expect(a.outcome).toBe('PROMOTED');
      expectInvariantsHeld(a);
      const start = run.world.sns.published.find((p) => p.attributes.outcome === 'START');
      expect(start?.attributes.ready).toBe('false');
      expect(start?.message).toContain(`${READINESS_FAULT_CHECKS[fault]} FAIL`);
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
