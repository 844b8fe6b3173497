import { parseExecutionInput, parseStartTime } from '../../lambdas/preflight/input';
import { MAX_REASON_LENGTH } from '../../lambdas/shared/contracts';
import { InvalidInputError } from '../../lambdas/shared/errors';

describe('parseExecutionInput', () => {
  it('returns the input, the reason trimmed', () => {
    // Act
    const input = parseExecutionInput({ mode: 'auto', reason: '  alarm proj-main-health ', dryRun: true });
    // Assess
    expect(input).toEqual({ mode: 'auto', reason: 'alarm proj-main-health', dryRun: true });
  });

  it('accepts the trigger the alarm rule renders (a 255-character alarm name)', () => {
    // Prepare
    const trigger = { source: 'alarm', alarmName: 'a'.repeat(255), alarmAt: '2026-03-01T12:00:00Z' };
    // Act
    const input = parseExecutionInput({ mode: 'auto', reason: 'alarm', trigger });
    // Assess
    expect(input.trigger).toEqual(trigger);
  });

  it(`accepts a ${MAX_REASON_LENGTH}-character reason (an alarm's name fits)`, () => {
    // Prepare
    const reason = 'x'.repeat(MAX_REASON_LENGTH);
    // Act
    const input = parseExecutionInput({ mode: 'planned', reason });
    // Assess
    expect(input.reason).toBe(reason);
  });

  it.each<[string, unknown, string]>([
    ['a non-object', 'planned', "input: expected object, got 'planned'"],
    ['null', null, 'input: expected object, got null'],
    [
      'a missing mode',
      { reason: 'r' },
      "input.mode: expected one of 'planned', 'unplanned', 'auto' (missing)",
    ],
    [
      'an unknown mode',
      { mode: 'fast', reason: 'r' },
      "input.mode: expected one of 'planned', 'unplanned', 'auto', got 'fast'",
    ],
    ['a missing reason', { mode: 'planned' }, 'input.reason: expected string (missing)'],
    ['a blank reason', { mode: 'planned', reason: '   ' }, 'input.reason: expected a non-empty string'],
    [
      `a ${MAX_REASON_LENGTH + 1}-character reason`,
      { mode: 'planned', reason: 'x'.repeat(MAX_REASON_LENGTH + 1) },
      `input.reason: expected at most ${MAX_REASON_LENGTH} characters, got a string of ${MAX_REASON_LENGTH + 1} characters`,
    ],
    [
      'a non-boolean dryRun',
      { mode: 'planned', reason: 'r', dryRun: 'yes' },
      "input.dryRun: expected boolean, got 'yes'",
    ],
    [
      'a trigger from anything but the alarm',
      { mode: 'planned', reason: 'r', trigger: { source: 'cli', alarmName: 'x', alarmAt: 't' } },
      "input.trigger.source: expected 'alarm', got 'cli'",
    ],
    ['an unknown field', { mode: 'planned', reason: 'r', force: true }, "input: unknown key 'force'"],
  ])('throws InvalidInputError naming the field for %s', (_case, input, message) => {
    // Act
    const act = () => parseExecutionInput(input);
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(`invalid execution input: ${message}`);
  });

  it('names every bad field, on one line', () => {
    // Act
    const act = () => parseExecutionInput({ mode: 'fast', reason: '' });
    // Assess
    expect(act).toThrow(
      /^invalid execution input: input\.mode: expected one of .*, got 'fast'; input\.reason: expected a non-empty string, got ''$/,
    );
  });
});

describe('parseStartTime', () => {
  it('parses the execution start time', () => {
    // Act / Assess
    expect(parseStartTime('2026-03-01T12:00:00.000Z').toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });

  it('throws InvalidInputError for a malformed start time', () => {
    // Act
    const act = () => parseStartTime('yesterday');
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow("startTime: expected an ISO timestamp, got 'yesterday'");
  });
});
