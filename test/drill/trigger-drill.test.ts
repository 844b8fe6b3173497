import { quotedAlarmName } from '../../drill/faults/trigger';
import { timelineInput } from '../../drill/report/files';
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

let prepared: PreparedTriggerDrill;

beforeAll(async () => {
  prepared = await prepare(baseWith());
}, SYNTH_TIMEOUT_MS);

describe('the synthesized alarm path', () => {
  it('reads the probe alarm from the template, not from config', () => {
    const alarm = prepared.trigger.alarm;
    expect(alarm).toMatchObject({
      statistic: 'Average',
      comparison: 'LessThanOrEqualToThreshold',
      threshold: 0.5,
      treatMissingData: 'notBreaching',
      periodSeconds: prepared.config.failover.alarm.periodSeconds,
    });
    expect(prepared.trigger.probe?.fn.entry).toBe('lambdas/health-probe');
    expect(prepared.trigger.rule.transformer?.InputTemplate).toContain('<detail-alarmName>');
    // The probe alarm's children, the rule's retry policy and dead-letter queue, and its alarm.
    expect(prepared.trigger.probeAlarm?.anyOf.map((a) => a.metric).sort()).toEqual([
      'SourceRegionHealthyBlind',
      'SourceRegionHealthyHeartbeat',
    ]);
    expect(prepared.trigger.probeAlarm?.notifies).toBe(true);
    expect(prepared.trigger.rule).toMatchObject({
      retryAttempts: 8,
      maxEventAgeSeconds: 1800,
      deadLetterQueue: 'sonar-proj-1-dr-failover-alarm-dlq',
    });
    expect(prepared.trigger.deadLetterAlarm).toMatchObject({
      metric: 'ApproximateNumberOfMessagesVisible',
      dimensions: [{ Name: 'QueueName', Value: 'sonar-proj-1-dr-failover-alarm-dlq' }],
    });
  });
});

describe('--trigger alarm', () => {
  it(
    'detects the outage through probe, alarm and rule, and fails over once; RTO counts from the outage',
    async () => {
      const o = await drillWith(prepared);
      const { detection } = o;
      expect(statuses(o)).toEqual(['PROMOTED']);
      expect(o.run.detection?.probes.every((p) => !p.healthy && p.published && p.share === 0)).toBe(true);
      expect(o.run.detection?.notices).toEqual([]);
      expect(o.run.detection?.changes.map((c) => c.to)).toEqual(['ALARM']);
      const delivery = o.run.detection?.deliveries[0];
      expect(delivery).toMatchObject({ matched: true, validJson: true, execution: 'drill-1' });
      expect(JSON.parse(delivery?.input ?? '{}')).toMatchObject({ mode: 'auto' });
      // The alarm cannot fire before datapointsToAlarm periods have breached.
      expect(detection.alarmAt).toBeGreaterThanOrEqual(detection.minimumDetectionSeconds);
      const rto = o.report?.incident.rtoSeconds ?? Number.NaN;
      expect(detection.rtoFromOutageSeconds).toBeCloseTo((detection.firstStartAt ?? 0) + rto, 0);
      expect(detection.lowerBoundFromOutageSeconds).toBeCloseTo(
        detection.minimumDetectionSeconds + (o.analysis?.criticalPath.seconds ?? 0),
        0,
      );
      expect(o.report?.invariants.filter((i) => !i.held)).toEqual([]);
      expect(o.report?.detection?.executionsStarted).toBe(1);
      expect(o.report === undefined ? '' : timelineInput(o.report).note).toContain('detection: alarm at');
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'flapping-source: exactly one failover; every other alarm-started run ends in single flight or cool-down, notified once',
    async () => {
      const o = await drillWith(prepared, [{ name: 'flapping-source' }]);
      const s = statuses(o);
      expect(s.filter((x) => x === 'PROMOTED')).toHaveLength(1);
      expect(s.length).toBeGreaterThan(2);
      const others = o.run.executions.filter(
        (e) => (e.output as { outcome?: string })?.outcome !== 'PROMOTED',
      );
      for (const e of others) {
        expect(['IN_FLIGHT', 'COOL_DOWN']).toContain((e.output as { outcome?: string }).outcome);
        expect(o.run.world.sns.published.filter((p) => p.execution === e.executionArn)).toHaveLength(1);
      }
      expect(s).toContain('COOL_DOWN');
      expect(o.run.detection?.changes.some((c) => c.to === 'OK')).toBe(true);
    },
    DRILL_TIMEOUT_MS,
  );

  it('refuses faults that script the direct start’s triggers', async () => {
    await expect(drillWith(prepared, [{ name: 'second-trigger' }])).rejects.toThrow('--trigger alarm');
  });

  it(
    'probe-cannot-publish: missing data is not evidence: nothing starts, the probe alarm notifies',
    async () => {
      const o = await drillWith(prepared, [{ name: 'probe-cannot-publish' }]);
      expect(o.run.detection?.probes.every((p) => !p.published)).toBe(true);
      expect(o.run.detection?.changes).toEqual([]);
      expect(o.run.executions).toHaveLength(0);
      expect(o.detection.probeAlarmAt).toBeDefined();
      expect(o.detection.decision).toMatch(/^no failover/);
    },
    DRILL_TIMEOUT_MS,
  );

  it(
    'alarm-name-quoted: the rendered input is valid JSON carrying the name, and preflight accepts it',
    async () => {
      const o = await drillWith(prepared, [{ name: 'alarm-name-quoted' }]);
      const name = quotedAlarmName();
      const delivery = o.run.detection?.deliveries[0];
      expect(delivery?.validJson).toBe(true);
      expect((JSON.parse(delivery?.input ?? '{}') as { reason: string }).reason).toContain(name);
      expect(firstReason(o)).toContain(name);
      expect(statuses(o)).toEqual(['PROMOTED']);
    },
    DRILL_TIMEOUT_MS,
  );
});
