import type { PreparedTriggerDrill } from '../../drill/sweep/alarm-drill';
import {
  baseWith,
  DRILL_TIMEOUT_MS,
  drillWith,
  firstReason,
  prepare,
  SYNTH_TIMEOUT_MS,
  statuses,
} from './trigger-helpers';

/** Alarm settings the base project does not use: each needs its own synthesis. */
let twoOfThree: PreparedTriggerDrill;
let threeOfThree: PreparedTriggerDrill;
let existing: PreparedTriggerDrill;

beforeAll(async () => {
  threeOfThree = await prepare(baseWith({ evaluationPeriods: 3, datapointsToAlarm: 3 }));
  twoOfThree = await prepare(baseWith({ evaluationPeriods: 3, datapointsToAlarm: 2 }));
  existing = await prepare(baseWith({ existingAlarmName: 'team "app" 5xx' }));
}, 3 * SYNTH_TIMEOUT_MS);

describe('partial-outage', () => {
  it(
    'does not fail over when fewer than datapointsToAlarm of evaluationPeriods breach',
    async () => {
      const o = await drillWith(threeOfThree, [{ name: 'partial-outage' }]);
      expect(o.run.executions).toHaveLength(0);
      expect(o.report).toBeUndefined();
      expect(o.detection.probesFailed).toBeGreaterThan(0);
      expect(o.detection.alarmAt).toBeUndefined();
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'fails over once when datapointsToAlarm of evaluationPeriods breach',
    async () => {
      const o = await drillWith(twoOfThree, [{ name: 'partial-outage' }]);
      expect(o.run.detection?.probes.some((p) => p.healthy)).toBe(true);
      expect(o.run.detection?.changes[0]?.to).toBe('ALARM');
      expect(statuses(o)).toEqual(['PROMOTED']);
    },
    DRILL_TIMEOUT_MS,
  );
});

describe('failover.alarm.existingAlarmName', () => {
  it(
    'raises the existing alarm instead of running a probe; the rule matches it and starts the failover',
    async () => {
      expect(existing.trigger.probe).toBeUndefined();
      expect(existing.trigger.existingAlarmName).toBe('team "app" 5xx');
      const o = await drillWith(existing);
      expect(o.run.detection?.probes).toEqual([]);
      expect(o.run.detection?.source).toBe('existing alarm');
      expect(o.run.detection?.deliveries[0]).toMatchObject({ matched: true, validJson: true });
      expect(firstReason(o)).toContain('team "app" 5xx');
      expect(statuses(o)).toEqual(['PROMOTED']);
    },
    DRILL_TIMEOUT_MS,
  );
});
