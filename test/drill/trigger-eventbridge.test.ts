import { MAX_ALARM_NAME_LENGTH, quotedAlarmName } from '../../drill/faults/trigger';
import { type BusEvent, matchesPattern, renderInput, valueAt } from '../../drill/sim/eventbridge';
import { parseExecutionInput } from '../../lambdas/preflight/input';

/** The rule's input transformer, as the orchestrator template synthesizes it. */
const TRANSFORMER = {
  InputPathsMap: { 'detail-alarmName': '$.detail.alarmName', time: '$.time' },
  InputTemplate: '{"mode":"auto","reason":"CloudWatch alarm <detail-alarmName> in ALARM at <time>"}',
};

const ALARM_ARN = 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:probe';

/** The rule's event pattern, as synthesized (the alarm's ARN resolved). */
const PATTERN = {
  source: ['aws.cloudwatch'],
  'detail-type': ['CloudWatch Alarm State Change'],
  resources: [ALARM_ARN],
  detail: { state: { value: ['ALARM'] } },
};

function makeEvent(overrides: { state?: string; alarmName?: string; resources?: string[] } = {}): BusEvent {
  return {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '111111111111',
    time: '2025-01-15T12:03:20Z',
    region: 'us-west-2',
    resources: overrides.resources ?? [ALARM_ARN],
    detail: {
      alarmName: overrides.alarmName ?? 'probe',
      state: { value: overrides.state ?? 'ALARM', reason: 'Threshold Crossed' },
      previousState: { value: 'OK' },
    },
  };
}

describe('matchesPattern', () => {
  it('matches the alarm state change of the rule’s alarm in ALARM', () => {
    expect(matchesPattern(PATTERN, makeEvent())).toBe(true);
  });

  it('does not match the alarm returning to OK', () => {
    expect(matchesPattern(PATTERN, makeEvent({ state: 'OK' }))).toBe(false);
  });

  it('does not match another alarm', () => {
    const other = 'arn:aws:cloudwatch:us-west-2:111111111111:alarm:other';
    expect(matchesPattern(PATTERN, makeEvent({ resources: [other] }))).toBe(false);
  });

  it('matches prefix, anything-but and exists operators', () => {
    const event = makeEvent();
    expect(matchesPattern({ detail: { alarmName: [{ prefix: 'pro' }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { alarmName: [{ prefix: 'x' }] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { state: { value: [{ 'anything-but': ['OK'] }] } } }, event)).toBe(true);
    expect(matchesPattern({ detail: { state: { value: [{ 'anything-but': 'ALARM' }] } } }, event)).toBe(
      false,
    );
    expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { alarmName: [{ exists: false }] } }, event)).toBe(false);
  });

  it('refuses an operator it does not model rather than guessing', () => {
    expect(() => matchesPattern({ detail: { alarmName: [{ wildcard: 'p*' }] } }, makeEvent())).toThrow(
      'pattern operator',
    );
  });
});

describe('renderInput', () => {
  it('renders the rule’s input with the alarm name and the event time', () => {
    const input = JSON.parse(renderInput(TRANSFORMER, makeEvent())) as { mode: string; reason: string };
    expect(input).toEqual({
      mode: 'auto',
      reason: 'CloudWatch alarm probe in ALARM at 2025-01-15T12:03:20Z',
    });
  });

  it('escapes a quoted, 255-character name inside the quoted placeholder: valid JSON that preflight accepts', () => {
    const name = quotedAlarmName();
    expect(name).toHaveLength(MAX_ALARM_NAME_LENGTH);
    const rendered = renderInput(TRANSFORMER, makeEvent({ alarmName: name }));
    const input = parseExecutionInput(JSON.parse(rendered));
    expect(input.reason).toBe(`CloudWatch alarm ${name} in ALARM at 2025-01-15T12:03:20Z`);
    expect(input.mode).toBe('auto');
  });

  it('inserts a value outside quotes as JSON', () => {
    const t = {
      InputPathsMap: { state: '$.detail.state', none: '$.detail.nothing' },
      InputTemplate: '{"s": <state>, "n": <none>}',
    };
    expect(JSON.parse(renderInput(t, makeEvent()))).toEqual({
      s: { value: 'ALARM', reason: 'Threshold Crossed' },
      n: null,
    });
  });

  it('inserts values as they are in a plain-text template', () => {
    const t = { InputPathsMap: { name: '$.detail.alarmName' }, InputTemplate: 'alarm "<name>"' };
    expect(renderInput(t, makeEvent({ alarmName: 'a"b' }))).toBe('alarm "a"b"');
  });
});

describe('valueAt', () => {
  it('reads dot paths and array indices', () => {
    expect(valueAt(makeEvent(), '$.resources.0')).toBe(ALARM_ARN);
    expect(valueAt(makeEvent(), '$.detail.state.value')).toBe('ALARM');
    expect(valueAt(makeEvent(), '$.detail.nothing.here')).toBeUndefined();
  });
});
