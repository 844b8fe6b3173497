import { parseDrillArgs } from '../../drill/cli/args';
import { DrillUsageError } from '../../drill/errors';
import { flappingPlan } from '../../drill/faults/trigger';
import { CloudWatchModel } from '../../drill/sim/cloudwatch/cloudwatch';
import { evaluateProbeAlarm } from '../../drill/sim/cloudwatch/probe-alarm';
import type { ModelContext } from '../../drill/sim/context';
import { type ProbeAlarmSpec, rateSeconds, readTrigger } from '../../drill/synth/alarm-template';

const REGION = 'us-west-2';

function makeAlarm(overrides: Partial<ProbeAlarmSpec> = {}): ProbeAlarmSpec {
  return {
    logicalId: 'Alarm',
    name: 'probe',
    namespace: 'PilotLight',
    metric: 'SourceRegionHealthy',
    dimensions: [{ Name: 'Project', Value: 'p' }],
    statistic: 'Minimum',
    periodSeconds: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 1,
    comparison: 'LessThanThreshold',
    treatMissingData: 'breaching',
    ...overrides,
  };
}

/** A CloudWatch model at epoch 0 with one probe value per minute (undefined: none). */
function makeCloudWatch(values: readonly (number | undefined)[]): CloudWatchModel {
  const ctx = { clock: { epochMs: 0, now: () => 0 }, timings: { alarmEvaluationDelaySeconds: 20 } };
  const cw = new CloudWatchModel(ctx as unknown as ModelContext);
  values.forEach((value, i) => {
    if (value === undefined) return;
    const t = i * 60 + 7;
    cw.datapoints.push({
      region: REGION,
      namespace: 'PilotLight',
      metric: 'SourceRegionHealthy',
      dimensions: 'Project=p',
      value,
      timestamp: t,
      at: t,
    });
  });
  return cw;
}

describe('evaluateProbeAlarm', () => {
  it('goes to ALARM when datapointsToAlarm of evaluationPeriods breach', () => {
    const ev = evaluateProbeAlarm(makeCloudWatch([1, 0, 1, 0]), makeAlarm(), REGION, 240 + 20, 20);
    expect(ev.periods.map((p) => p.value)).toEqual([0, 1, 0]);
    expect(ev.state).toBe('ALARM');
  });

  it('stays OK with fewer breaching than datapointsToAlarm', () => {
    const ev = evaluateProbeAlarm(makeCloudWatch([1, 0, 1, 1]), makeAlarm(), REGION, 260, 20);
    expect(ev.state).toBe('OK');
  });

  it('counts missing data as breaching when the alarm says so', () => {
    const cw = makeCloudWatch([1, undefined, undefined, undefined]);
    expect(evaluateProbeAlarm(cw, makeAlarm(), REGION, 260, 20).state).toBe('ALARM');
    expect(
      evaluateProbeAlarm(cw, makeAlarm({ treatMissingData: 'notBreaching' }), REGION, 260, 20).state,
    ).toBe('OK');
  });

  it('does not see a data point put after the evaluation', () => {
    const cw = makeCloudWatch([1, 0, 0, 1]);
    expect(evaluateProbeAlarm(cw, makeAlarm(), REGION, 200, 20).state).toBe('ALARM');
  });
});

describe('readTrigger', () => {
  it('reads an existing alarm’s name from the rule’s Fn::Join ARN', () => {
    const template = {
      Resources: {
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: {
              source: ['aws.cloudwatch'],
              resources: [
                {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':cloudwatch:',
                      { Ref: 'AWS::Region' },
                      ':',
                      { Ref: 'AWS::AccountId' },
                      ':alarm:team',
                    ],
                  ],
                },
              ],
            },
            Targets: [{ Arn: { Ref: 'Machine' }, Input: '{"mode":"auto","reason":"x"}' }],
          },
        },
      },
    };
    const t = readTrigger(template, 'stack', { region: REGION, account: '111111111111' });
    expect(t?.existingAlarmName).toBe('team');
    expect(t?.rule.eventPattern.resources).toEqual(['arn:aws:cloudwatch:us-west-2:111111111111:alarm:team']);
    expect(t?.probe).toBeUndefined();
  });

  it('returns undefined for a template without an alarm rule', () => {
    expect(readTrigger({ Resources: {} }, 'stack', { region: REGION, account: '1' })).toBeUndefined();
  });

  it('reads rate schedules in seconds', () => {
    expect(rateSeconds('rate(1 minute)')).toBe(60);
    expect(rateSeconds('rate(5 minutes)')).toBe(300);
    expect(() => rateSeconds('cron(0 * * * ? *)')).toThrow('rate()');
  });
});

describe('flappingPlan', () => {
  it('goes down and up the asked number of times, then down for good', () => {
    const plan = flappingPlan(60, 3);
    expect(plan.down).toHaveLength(4);
    expect(plan.down[plan.down.length - 1]?.until).toBeUndefined();
    for (let i = 1; i < plan.down.length; i++) {
      expect(plan.down[i]?.from).toBeGreaterThan(plan.down[i - 1]?.until ?? Number.POSITIVE_INFINITY);
    }
  });
});

describe('parseDrillArgs --trigger', () => {
  it('accepts --trigger alarm and sets mode auto', () => {
    expect(parseDrillArgs(['--trigger', 'alarm'], ['base'])).toMatchObject({
      trigger: 'alarm',
      mode: 'auto',
    });
  });

  it('defaults to the direct start', () => {
    const args = parseDrillArgs([], ['base']);
    expect(args.trigger).toBeUndefined();
    expect(args.mode).toBe('planned');
  });

  it('refuses --mode with --trigger alarm: the rule sets the mode', () => {
    expect(() => parseDrillArgs(['--trigger', 'alarm', '--mode', 'planned'], ['base'])).toThrow(
      DrillUsageError,
    );
  });

  it('refuses an alarm-path fault without --trigger alarm', () => {
    expect(() => parseDrillArgs(['--fault', 'flapping-source'], ['base'])).toThrow('--trigger alarm');
  });
});
