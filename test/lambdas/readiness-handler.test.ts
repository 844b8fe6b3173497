import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { handler } from '../../lambdas/readiness';
import { readinessEnvironment } from '../../lambdas/readiness/env';
import { ReadinessPublishError } from '../../lambdas/readiness/publish';
import { InvalidInputError } from '../../lambdas/shared/errors';
import { READINESS_CHECK_IDS } from '../../lambdas/shared/readiness-contract';
import { throttled, withEnv } from './helpers';
import { healthyWorld, mocks, resetMocks, SETTINGS } from './readiness-fixtures';

const ENV = readinessEnvironment(SETTINGS);
const SCHEDULED = {
  source: 'aws.events',
  'detail-type': 'Scheduled Event',
  time: '2026-01-01T12:00:00Z',
} as const;
const FROM_RUN = {
  source: 'execution',
  executionArn: 'arn:aws:states:us-west-2:111111111111:execution:proj-dr-failover:run-1',
} as const;

beforeEach(() => {
  resetMocks();
  healthyWorld();
});

describe('readiness handler', () => {
  it.each([
    ['scheduled', SCHEDULED],
    ['from a run', FROM_RUN],
  ] as const)('%s: evaluates, publishes the metrics and returns the report', async (_mode, event) => {
    const report = await withEnv(ENV, () => handler(event));
    expect(report).toMatchObject({ role: 'dr', region: 'us-west-2' });
    expect(report.checks.map((c) => c.id)).toEqual([...READINESS_CHECK_IDS]);
    expect(mocks.cloudwatch).toHaveReceivedCommandWith(PutMetricDataCommand, {
      Namespace: 'PilotLight/Readiness',
    });
    expect(JSON.stringify(report).length).toBeLessThan(256 * 1024);
  });

  it('scheduled: a failed publish throws ReadinessPublishError', async () => {
    mocks.cloudwatch.on(PutMetricDataCommand).rejects(throttled());
    await expect(withEnv(ENV, () => handler(SCHEDULED))).rejects.toBeInstanceOf(ReadinessPublishError);
  });

  it('from a run: a failed publish is logged and the report still returned', async () => {
    mocks.cloudwatch.on(PutMetricDataCommand).rejects(throttled());
    const report = await withEnv(ENV, () => handler(FROM_RUN));
    expect(report.checks).toHaveLength(READINESS_CHECK_IDS.length);
  });

  it('throws InvalidInputError when the environment is incomplete', async () => {
    const { SERVICES: _omit, ...partial } = ENV;
    const saved = process.env.SERVICES;
    delete process.env.SERVICES;
    try {
      await expect(withEnv(partial, () => handler(SCHEDULED))).rejects.toThrow(
        new InvalidInputError('missing environment variable(s): SERVICES'),
      );
    } finally {
      if (saved !== undefined) process.env.SERVICES = saved;
    }
  });
});
