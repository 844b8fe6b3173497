import { FAULT_NAMES as EVERY_FAULT, type FaultName, faultRunsOn } from '../../drill/faults/catalog';
import type { OrchestratorWiring } from '../../drill/synth/wiring';
import { loadTimingModel, sampleTimings, TIMING_KEYS, type Timings } from '../../drill/timing';
import { FAILOVER_MODES, type FailoverMode } from '../../lambdas/shared/contracts';
import { drill, drWiring, expectInvariantsHeld, expectPromotionsWhereDocumented } from './faults-helpers';
import { config } from './sim-helpers';

/** The faults the base config can run (reservation-inactive needs a reservation it does not keep). */
const FAULT_NAMES = EVERY_FAULT.filter((f) => faultRunsOn(f, config, 'dr'));

/**
 * Every fault alone (in every mode) and every compatible pair of faults (in a mode taken in turn)
 * leaves the drill's invariants true, and every promotion goes where the Aurora guide sends it.
 *
 * Durations are the default model's at a tenth (the virtual clock makes waits free; what costs is
 * each simulated call, and most calls are polls over those durations). Pairs grow with the square
 * of the faults (31 faults on base: 93 drills alone, 463 compatible pairs), so CI runs every fault
 * alone in every mode and a sample of the pairs in table order that gives each fault about
 * {@link PAIRS_PER_FAULT} partners (stride 6 for 31 faults: 78 pairs); `DRILL_PAIRS=all npx jest
 * test/drill/faults-pairs.test.ts` runs them all.
 */

/** Pairs whose faults contradict each other by design: the second can never show. */
const CONTRADICTORY: readonly (readonly [FaultName, FaultName, string])[] = [
  [
    'source-probe-access-denied',
    'source-region-down',
    'a region that is down gives no answer, and AccessDenied is an answer: the denial is never seen',
  ],
  [
    'source-probe-access-denied',
    'global-status-stuck',
    'global-status-stuck takes the source region down: the denial is never seen',
  ],
];

/** A tenth of every duration of the default model. */
const TIMINGS: Timings = Object.fromEntries(
  TIMING_KEYS.map((k) => [k, sampleTimings(loadTimingModel())[k] / 10]),
) as Timings;

function contradictory(a: FaultName, b: FaultName): boolean {
  return CONTRADICTORY.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/** Every compatible pair, each with a mode taken in turn (the same mode whether sampled or not). */
const allPairs: [FaultName, FaultName, FailoverMode][] = [];
FAULT_NAMES.forEach((a, i) => {
  for (const b of FAULT_NAMES.slice(i + 1)) {
    if (contradictory(a, b)) continue;
    allPairs.push([a, b, FAILOVER_MODES[allPairs.length % FAILOVER_MODES.length] ?? 'auto']);
  }
});
/** How many partners CI pairs each fault with, on average: enough to meet most interactions. */
const PAIRS_PER_FAULT = 5;
/** Every n-th pair (each fault with about {@link PAIRS_PER_FAULT} others), or every pair with `DRILL_PAIRS=all`. */
const PAIR_STRIDE =
  process.env.DRILL_PAIRS === 'all'
    ? 1
    : Math.max(1, Math.round(allPairs.length / ((FAULT_NAMES.length * PAIRS_PER_FAULT) / 2)));
const pairs = allPairs.filter((_pair, i) => i % PAIR_STRIDE === 0);

let wiring: OrchestratorWiring;
beforeAll(async () => {
  wiring = await drWiring();
}, 120_000);

describe('each fault alone', () => {
  it.each(FAULT_NAMES.flatMap((f) => FAILOVER_MODES.map((m) => [f, m] as const)))(
    '%s (%s): invariants hold',
    async (fault, mode) => {
      // Act
      const { run, a } = await drill(wiring, mode, [fault], { timings: TIMINGS });

      // Assess
      expectInvariantsHeld(a);
      expectPromotionsWhereDocumented(run);
    },
  );
});

describe('each compatible pair of faults', () => {
  it('skips only pairs named contradictory, each with its reason', () => {
    // Assess
    for (const [a, b, why] of CONTRADICTORY) {
      expect(FAULT_NAMES).toEqual(expect.arrayContaining([a, b]));
      expect(why.length).toBeGreaterThan(20);
    }
    const all = (FAULT_NAMES.length * (FAULT_NAMES.length - 1)) / 2;
    expect(allPairs).toHaveLength(all - CONTRADICTORY.length);
    // The sample still pairs every fault with another.
    expect(new Set(pairs.flatMap((pair) => pair.slice(0, 2)))).toEqual(new Set(FAULT_NAMES));
  });

  it.each(pairs)('%s + %s (%s): invariants hold', async (first, second, mode) => {
    // Act
    const { run, a } = await drill(wiring, mode, [first, second], { timings: TIMINGS });

    // Assess
    expectInvariantsHeld(a);
    expectPromotionsWhereDocumented(run);
  });
});
