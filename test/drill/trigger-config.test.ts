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

/** An existing alarm instead of the probe: its own synthesis. */
let existing: PreparedTriggerDrill;

beforeAll(async () => {
  existing = await prepare(baseWith({ existingAlarmName: 'team "app" 5xx' }));
}, SYNTH_TIMEOUT_MS);

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
