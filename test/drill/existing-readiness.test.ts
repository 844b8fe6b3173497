import { parseFault } from '../../drill/faults/catalog';
import { MISSING_RESOURCE_CHECKS } from '../../drill/faults/missing';
import {
  runReadinessDrill,
  type SynthesizedReadiness,
  synthesizeReadiness,
} from '../../drill/runner/readiness';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';
import { READINESS_CHECK_IDS, type ReadinessCheck } from '../../lambdas/shared/readiness-contract';

/**
 * `npm run drill -- --readiness --project existing-app`: DR's synthesized readiness Lambda against
 * the team's world. READY as seeded (the `attach` hostname's own pair included); `missing-resource`
 * turns the check that finds the entry's resource red, naming it, and no finding about anything else
 * (the checks that read the same resource say it too: for a database replication-lag and quotas, for a
 * service task-definition and traffic-routing).
 */

const existing = loadConfig('existing-app');
/** Synthesis takes seconds: once. */
const SYNTH_TIMEOUT_MS = 180_000;

let synthesized: SynthesizedReadiness;
beforeAll(async () => {
  synthesized = await synthesizeReadiness(existing, 'dr', 'existing-app');
}, SYNTH_TIMEOUT_MS);

const evaluate = (faults: readonly string[] = []) =>
  runReadinessDrill({
    config: existing,
    role: 'dr',
    faults: faults.map(parseFault),
    timings: sampleTimings(loadTimingModel()),
    synthesized,
  });

/** A finding as one line: what was checked and why it is not PASS. */
const line = (c: ReadinessCheck) => `${c.id} ${c.status}: ${c.what} | ${c.why ?? ''}`;

describe('readiness of existing-app in the drill’s world', () => {
  it('is READY, the attach hostname’s own pair included: every call answered, every finding PASS', async () => {
    // Act
    const { report, world } = await evaluate();

    // Assess
    expect(new Set(report.checks.map((c) => c.id))).toEqual(new Set(READINESS_CHECK_IDS));
    expect(world.calls.filter((c) => c.error !== undefined).map((c) => `${c.command}: ${c.error}`)).toEqual(
      [],
    );
    // The team's pair for api aliases its load balancer directly, which the regional record aliases too.
    expect(report.checks.filter((c) => c.status !== 'PASS').map(line)).toEqual([]);
    expect(report.ready).toBe(true);
  });

  it.each([
    ['database', 'ledger', 'database ledger'],
    ['database', 'audit', 'database audit'],
    ['service', 'web', 'service web'],
    ['service', 'api', 'service api'],
    ['bucket', 'statements', 'ledger-statements-usw2'],
  ] as const)(
    'missing-resource:%s:%s turns its check red naming it; whatever else it turns red is about the same entry',
    async (kind, name, named) => {
      // Prepare
      const before = new Set((await evaluate()).report.checks.filter((c) => c.status !== 'PASS').map(line));

      // Act
      const { report } = await evaluate([`missing-resource:${kind}:${name}`]);

      // Assess: what the fault turned red (or changed the reason of) is about the entry, its own check first.
      expect(report.ready).toBe(false);
      const own = report.checks.filter((c) => c.id === MISSING_RESOURCE_CHECKS[kind] && c.status === 'FAIL');
      expect(own.map(line)).toEqual([expect.stringContaining(named)]);
      const changed = report.checks
        .filter((c) => c.status !== 'PASS')
        .map(line)
        .filter((l) => !before.has(l));
      expect(changed.filter((l) => !l.includes(named))).toEqual([]);
    },
  );
});
