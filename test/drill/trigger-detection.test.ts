import type { PreparedTriggerDrill } from '../../drill/sweep/alarm-drill';
import {
  baseWith,
  DRILL_TIMEOUT_MS,
  drillWith,
  prepare,
  SYNTH_TIMEOUT_MS,
  statuses,
} from './trigger-helpers';

/**
 * Detection you can trust, one fault each, over one synthesis of the base project: a gray failure
 * fails over once; an outage that ends as the alarm fires gets a second opinion and no failover; a
 * lossy path, a broken probe and a blind DR never fail over (the last two notify); a lost start is
 * dead-lettered, notified, and the start its notice gives fails over.
 */
let prepared: PreparedTriggerDrill;

beforeAll(async () => {
  prepared = await prepare(baseWith());
}, SYNTH_TIMEOUT_MS);

describe('--trigger alarm: detection faults', () => {
  it(
    'partial-outage: two thirds failing breaches every period and fails over, once',
    async () => {
      const o = await drillWith(prepared, [{ name: 'partial-outage' }]);
      expect(o.run.detection?.probes.every((p) => p.share !== undefined && p.share < 0.5)).toBe(true);
      expect(o.run.detection?.changes.map((c) => c.to)).toEqual(['ALARM']);
      expect(statuses(o)).toEqual(['PROMOTED']);
      expect(o.detection.alarmAt).toBeLessThanOrEqual(300);
      expect(o.detection.lowestShare).toBeLessThan(0.5);
      expect(o.report?.invariants.filter((i) => !i.held)).toEqual([]);
      expect(o.detection.decision).toMatch(/^failed over/);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'source-recovers: main answers again as the alarm fires: the second opinion ends the run SOURCE_HEALTHY, notified once',
    async () => {
      const o = await drillWith(prepared, [{ name: 'source-recovers' }]);
      expect(o.run.detection?.changes[0]?.to).toBe('ALARM');
      expect(statuses(o)).toEqual(['SOURCE_HEALTHY']);
      const [e] = o.run.executions;
      expect(o.run.world.sns.published.filter((p) => p.execution === e?.executionArn)).toHaveLength(1);
      expect(o.report?.invariants.filter((i) => !i.held)).toEqual([]);
      expect(o.detection.decision).toMatch(/^did not fail over/);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'probe-flaky: one request in ten lost never breaches: no failover, nobody paged',
    async () => {
      const o = await drillWith(prepared, [{ name: 'probe-flaky' }]);
      expect(o.run.executions).toHaveLength(0);
      expect(o.detection.alarmAt).toBeUndefined();
      expect(o.detection.lowestShare).toBeCloseTo(5 / 6, 2);
      expect(o.run.detection?.notices).toEqual([]);
      expect(o.detection.probes).toBeGreaterThanOrEqual(15);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'probe-broken: the probe stops publishing while main is healthy: no failover; the probe alarm notifies',
    async () => {
      const o = await drillWith(prepared, [{ name: 'probe-broken' }]);
      expect(o.run.executions).toHaveLength(0);
      expect(o.detection.alarmAt).toBeUndefined();
      expect(o.detection.probesUnpublished).toBe(o.detection.probes);
      const notice = o.run.detection?.notices[0];
      expect(notice).toMatchObject({ kind: 'probe', to: 'ALARM' });
      expect(notice?.reason).toContain('Heartbeat');
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'dr-egress-broken: DR cannot see out: the probe publishes blind, no failover; the probe alarm notifies',
    async () => {
      const o = await drillWith(prepared, [{ name: 'dr-egress-broken' }]);
      expect(o.run.executions).toHaveLength(0);
      expect(o.detection.alarmAt).toBeUndefined();
      expect(o.detection.blindPeriods).toBe(o.detection.probes);
      expect(o.detection.lowestShare).toBeUndefined();
      const notice = o.run.detection?.notices[0];
      expect(notice).toMatchObject({ kind: 'probe', to: 'ALARM' });
      expect(notice?.reason).toContain('Blind');
      expect(o.detection.timeline.some((l) => l.what.startsWith('probe: blind'))).toBe(true);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'rule-target-failing: the denied start is dead-lettered, its alarm notifies, and the start it gives fails over',
    async () => {
      const o = await drillWith(prepared, [{ name: 'rule-target-failing' }]);
      const d = o.run.detection;
      expect(d?.deadLetters).toEqual([
        expect.objectContaining({ errorCode: 'AccessDeniedException', retryAttempts: 0 }),
      ]);
      const [fired, cleared] = d?.notices ?? [];
      expect(fired).toMatchObject({ kind: 'dead-letter', to: 'ALARM' });
      expect(cleared).toMatchObject({ kind: 'dead-letter', to: 'OK' });
      expect(d?.deliveries.filter((x) => x.execution !== undefined).map((x) => x.by)).toEqual(['person']);
      expect(statuses(o)).toEqual(['PROMOTED']);
      expect(o.report?.invariants.filter((i) => !i.held)).toEqual([]);
    },
    DRILL_TIMEOUT_MS,
  );
});
