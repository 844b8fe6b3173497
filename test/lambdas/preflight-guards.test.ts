import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { checkGuards, type GuardSettings } from '../../lambdas/preflight/guards';
import { TransientAwsError } from '../../lambdas/shared/errors';
import { TARGET_REGION, throttled } from './helpers';
import { EXEC_ARN, execution, makeEvent, OTHER_ARN, SM_ARN, START, TIMINGS } from './preflight-fixtures';

const sfnMock = mockClient(SFNClient);
const SETTINGS: GuardSettings = { targetRegion: TARGET_REGION, coolDownMinutes: 30, timings: TIMINGS };
const NOW = new Date('2026-03-01T12:00:10.000Z');
const minutesBefore = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function check(settings: GuardSettings = SETTINGS) {
  return checkGuards(new SFNClient({ region: TARGET_REGION }), makeEvent(), new Date(START), settings, NOW);
}

beforeEach(() => {
  sfnMock.reset();
  sfnMock
    .on(ListExecutionsCommand, { statusFilter: 'RUNNING' })
    .resolves({ executions: [execution(EXEC_ARN, START)] });
  sfnMock.on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' }).resolves({ executions: [] });
});

describe('checkGuards: single flight', () => {
  it('lets the only running execution through', async () => {
    // Act
    const stop = await check();
    // Assess
    expect(stop).toBeUndefined();
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: SM_ARN,
      statusFilter: 'RUNNING',
    });
  });

  it('returns IN_FLIGHT naming the earlier running execution, without looking at the cool-down', async () => {
    // Prepare
    sfnMock.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({
      executions: [execution(EXEC_ARN, START), execution(OTHER_ARN, '2026-03-01T11:58:00.000Z')],
    });
    // Act
    const stop = await check();
    // Assess
    expect(stop?.status).toBe('IN_FLIGHT');
    expect(stop?.message).toBe(
      `Execution ${OTHER_ARN} (started 2026-03-01T11:58:00.000Z) is already promoting this region, so this one ends without acting.`,
    );
    expect(sfnMock).not.toHaveReceivedCommandWith(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' });
  });

  it('breaks a start-time tie by execution ARN', async () => {
    // Prepare
    sfnMock
      .on(ListExecutionsCommand, { statusFilter: 'RUNNING' })
      .resolves({ executions: [execution(EXEC_ARN, START), execution(OTHER_ARN, START)] });
    // Act
    const stop = await check();
    // Assess
    expect(stop?.status).toBe('IN_FLIGHT');
  });

  it('lets this one through when the other running execution started later (it will defer to this one)', async () => {
    // Prepare
    sfnMock.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({
      executions: [execution(EXEC_ARN, START), execution(OTHER_ARN, '2026-03-01T12:00:05.000Z')],
    });
    // Act
    const stop = await check();
    // Assess
    expect(stop).toBeUndefined();
  });

  it('reads every page of running executions', async () => {
    // Prepare
    sfnMock
      .on(ListExecutionsCommand, { statusFilter: 'RUNNING' })
      .resolvesOnce({ executions: [execution(EXEC_ARN, START)], nextToken: 'page-2' })
      .resolves({ executions: [execution(OTHER_ARN, '2026-03-01T11:59:00.000Z')] });
    // Act
    const stop = await check();
    // Assess
    expect(stop?.status).toBe('IN_FLIGHT');
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      statusFilter: 'RUNNING',
      nextToken: 'page-2',
    });
  });

  it('throws TransientAwsError when Step Functions throttles', async () => {
    // Prepare
    sfnMock.on(ListExecutionsCommand).rejects(throttled());
    // Act / Assess
    await expect(check()).rejects.toThrow(TransientAwsError);
  });
});

describe('checkGuards: cool-down', () => {
  it('returns COOL_DOWN when an execution promoted within the cool-down, saying when it ends', async () => {
    // Prepare
    const stopped = minutesBefore(10);
    sfnMock
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' })
      .resolves({ executions: [execution(OTHER_ARN, '2026-03-01T11:00:00.000Z', stopped)] });
    sfnMock.on(DescribeExecutionCommand).resolves({ output: JSON.stringify({ outcome: 'PROMOTED' }) });
    // Act
    const stop = await check();
    // Assess
    expect(stop?.status).toBe('COOL_DOWN');
    expect(stop?.message).toBe(
      `Execution ${OTHER_ARN} promoted ${TARGET_REGION} at ${stopped}; the 30-minute cool-down ends at ` +
        `${new Date(new Date(stopped).getTime() + 30 * 60_000).toISOString()}, so this one ends without acting.`,
    );
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      statusFilter: 'SUCCEEDED',
      maxResults: 100,
    });
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: OTHER_ARN });
  });

  it('ignores recent executions that ended without promoting, and older ones', async () => {
    // Prepare
    sfnMock.on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' }).resolves({
      executions: [
        execution(OTHER_ARN, START, minutesBefore(5)),
        execution(`${OTHER_ARN}-old`, START, minutesBefore(90)),
      ],
    });
    sfnMock.on(DescribeExecutionCommand).resolves({ output: JSON.stringify({ outcome: 'IN_FLIGHT' }) });
    // Act
    const stop = await check();
    // Assess
    expect(stop).toBeUndefined();
    expect(sfnMock).toHaveReceivedCommandTimes(DescribeExecutionCommand, 1);
  });

  it.each<[string, string | undefined]>([
    ['no output', undefined],
    ['an output that is not JSON', 'Promoted!'],
    ['a JSON output that is not an object', '"PROMOTED"'],
  ])('does not count an execution with %s as a promotion', async (_case, output) => {
    // Prepare
    sfnMock
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' })
      .resolves({ executions: [execution(OTHER_ARN, START, minutesBefore(5))] });
    sfnMock.on(DescribeExecutionCommand).resolves(output === undefined ? {} : { output });
    // Act
    const stop = await check();
    // Assess
    expect(stop).toBeUndefined();
  });

  it('reads every page of the window: a promotion behind more than 20 later triggers still applies', async () => {
    // Prepare: 45 executions newest first, 20 per page; the one that promoted is on the third page.
    const promoted = `${OTHER_ARN}-promoted`;
    const triggers = Array.from({ length: 44 }, (_, i) =>
      execution(`${OTHER_ARN}-${i}`, minutesBefore(1 + i * 0.5), minutesBefore(0.9 + i * 0.5)),
    );
    const all = [...triggers, execution(promoted, minutesBefore(28), minutesBefore(25))];
    sfnMock
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' })
      .resolves({ executions: all.slice(0, 20), nextToken: 'page-2' })
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED', nextToken: 'page-2' })
      .resolves({ executions: all.slice(20, 40), nextToken: 'page-3' })
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED', nextToken: 'page-3' })
      .resolves({ executions: all.slice(40) });
    sfnMock.on(DescribeExecutionCommand).callsFake(({ executionArn }) => ({
      output: JSON.stringify({ outcome: executionArn === promoted ? 'PROMOTED' : 'COOL_DOWN' }),
    }));
    // Act
    const stop = await check();
    // Assess
    expect(stop?.status).toBe('COOL_DOWN');
    expect(stop?.message).toContain(promoted);
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, { nextToken: 'page-3' });
    expect(sfnMock).toHaveReceivedCommandTimes(DescribeExecutionCommand, 45);
  });

  it('reads on past executions that started before the window: a long promotion may have stopped inside it', async () => {
    // Prepare: a short trigger that started before the window (and stopped before it) is listed
    // before a promotion that started earlier still but stopped inside the window.
    const promoted = `${OTHER_ARN}-promoted`;
    sfnMock
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' })
      .resolves({
        executions: [execution(OTHER_ARN, minutesBefore(40), minutesBefore(39))],
        nextToken: 'page-2',
      })
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED', nextToken: 'page-2' })
      .resolves({ executions: [execution(promoted, minutesBefore(90), minutesBefore(20))] });
    sfnMock.on(DescribeExecutionCommand).resolves({ output: JSON.stringify({ outcome: 'PROMOTED' }) });
    // Act
    const stop = await check();
    // Assess
    expect(stop?.status).toBe('COOL_DOWN');
    expect(stop?.message).toContain(promoted);
  });

  it('stops paging once an execution started before any run that could still end in the window', async () => {
    // Prepare: the window is 30 min and a run lasts at most the steps' budgets and windows plus
    // 15 min of retries (164 min with these timings), so a start 4 h ago ends the reading.
    sfnMock.on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' }).resolves({
      executions: [execution(OTHER_ARN, minutesBefore(240), minutesBefore(230))],
      nextToken: 'page-2',
    });
    // Act
    const stop = await check();
    // Assess
    expect(stop).toBeUndefined();
    expect(sfnMock).toHaveReceivedCommandTimes(ListExecutionsCommand, 2);
    expect(sfnMock).not.toHaveReceivedCommandWith(ListExecutionsCommand, { nextToken: 'page-2' });
    expect(sfnMock).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  it('throws TransientAwsError when a later page is throttled', async () => {
    // Prepare
    sfnMock
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' })
      .resolves({
        executions: [execution(OTHER_ARN, minutesBefore(5), minutesBefore(4))],
        nextToken: 'page-2',
      })
      .on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED', nextToken: 'page-2' })
      .rejects(throttled());
    sfnMock.on(DescribeExecutionCommand).resolves({ output: JSON.stringify({ outcome: 'IN_FLIGHT' }) });
    // Act / Assess
    await expect(check()).rejects.toThrow(TransientAwsError);
  });

  it('does not look for recent promotions when the cool-down is 0 (off)', async () => {
    // Act
    const stop = await check({ ...SETTINGS, coolDownMinutes: 0 });
    // Assess
    expect(stop).toBeUndefined();
    expect(sfnMock).not.toHaveReceivedCommandWith(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' });
  });
});
