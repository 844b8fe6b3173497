import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type { CommandContext } from '../../infra/cli/context';
import { readinessLines } from '../../infra/cli/status-readiness';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import { awsError } from '../lambdas/helpers';
import { makeDeps, NOW } from './helpers';

const cwMock = mockClient(CloudWatchClient);

function context(): { ctx: CommandContext; regions: string[] } {
  const config = loadConfig('base');
  const { deps, regions } = makeDeps();
  return { ctx: { deps, config, names: projectNames(config), profile: undefined }, regions };
}

describe('status: readiness', () => {
  beforeEach(() => cwMock.reset());

  it('reads each region’s readiness alarm in that region: OK is ready, ALARM is not ready with the reason', async () => {
    // Prepare
    cwMock
      .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-main-not-ready'] })
      .resolves({ MetricAlarms: [{ StateValue: 'OK', StateUpdatedTimestamp: NOW }] })
      .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-dr-not-ready'] })
      .resolves({
        MetricAlarms: [
          {
            StateValue: 'ALARM',
            StateUpdatedTimestamp: new Date('2026-11-24T09:30:00Z'),
            StateReason:
              'Threshold Crossed: 1 out of the last 2 datapoints\n[0.0] was less than the threshold (1.0).',
          },
        ],
      });
    const { ctx, regions } = context();
    // Act
    const lines = await readinessLines(ctx);
    // Assess
    expect(lines).toEqual([
      'readiness:',
      '  main (us-east-1) ready since 2026-11-24 10:00:00',
      '  dr (us-west-2)   NOT READY since 2026-11-24 09:30:00: Threshold Crossed: 1 out of the last 2 datapoints ' +
        '[0.0] was less than the threshold (1.0). (details: npm run readiness -- --region dr)',
    ]);
    expect(new Set(regions)).toEqual(new Set(['us-east-1', 'us-west-2']));
    expect(cwMock).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 2);
  });

  it('says not evaluated when the alarm has no data (never run, or the evaluator is silent)', async () => {
    // Prepare
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ StateValue: 'INSUFFICIENT_DATA' }] });
    const { ctx } = context();
    // Act
    const lines = await readinessLines(ctx);
    // Assess
    expect(lines[2]).toBe(
      '  dr (us-west-2)   not evaluated: no readiness evaluation reported (not run yet, or the evaluator is silent)',
    );
  });

  it('says which alarm is missing, and unreachable for a region that does not answer', async () => {
    // Prepare
    cwMock.on(DescribeAlarmsCommand).callsFake(async (_input, getClient) => {
      if ((await getClient().config.region()) === 'us-east-1')
        throw awsError('TimeoutError', 'connect timed out', 500);
      return { MetricAlarms: [] };
    });
    const { ctx } = context();
    // Act
    const lines = await readinessLines(ctx);
    // Assess
    expect(lines).toEqual([
      'readiness:',
      '  main (us-east-1) unreachable (TimeoutError: connect timed out)',
      '  dr (us-west-2)   no alarm sonar-proj-1-dr-not-ready (orchestrator not deployed?)',
    ]);
  });

  it('rethrows refused credentials: they are not an outage', async () => {
    // Prepare
    cwMock.on(DescribeAlarmsCommand).rejects(awsError('ExpiredTokenException', 'expired'));
    const { ctx } = context();
    // Act / Assess
    await expect(readinessLines(ctx)).rejects.toMatchObject({ name: 'ExpiredTokenException' });
  });
});
