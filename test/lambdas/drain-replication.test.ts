import 'aws-sdk-client-mock-jest';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/drain-replication';
import { BACKLOG_LOOKBACK_SECONDS } from '../../lambdas/drain-replication/backlog';
import {
  type DrainReplicationSettings,
  drainReplication,
  readDrainReplicationSettings,
} from '../../lambdas/drain-replication/drain-replication';
import type { StepEvent } from '../../lambdas/shared/contracts';
import { InvalidInputError, TransientAwsError, WaitTimeoutError } from '../../lambdas/shared/errors';
import {
  awsError,
  makePrevious,
  REGION_SETTINGS,
  SOURCE_REGION,
  secondsAgo,
  TARGET_REGION,
  throttled,
  WAIT,
  withEnv,
} from './helpers';

const cwMock = mockClient(CloudWatchClient);

const DR_BUCKET = 'proj-dr-data-111111111111-us-west-2';
const MAIN_BUCKET = 'proj-main-data-111111111111-us-east-1';

/** Failover: this region is DR; main's bucket (the source) replicates here. */
function failoverSettings(): DrainReplicationSettings {
  return {
    ...REGION_SETTINGS,
    sourceBucket: MAIN_BUCKET,
    destinationBucket: DR_BUCKET,
    ruleId: 'main-to-dr',
  };
}

/** Failback: this region is main; DR's bucket (the source) replicates here. */
function failbackSettings(): DrainReplicationSettings {
  return {
    targetRole: 'main',
    targetRegion: SOURCE_REGION,
    sourceRegion: TARGET_REGION,
    sourceBucket: DR_BUCKET,
    destinationBucket: MAIN_BUCKET,
    ruleId: 'dr-to-main',
  };
}

function makeEvent(overrides: Partial<StepEvent> = {}): StepEvent {
  return { wait: WAIT, ...overrides };
}

/** Per-minute Maximum values, oldest first, the last one for the minute that began a minute ago. */
function datapoints(values: readonly number[], now: number) {
  // Out of order on purpose: CloudWatch does not sort datapoints.
  return values
    .map((v, i) => ({ Timestamp: new Date(now - (values.length - i) * 60_000), Maximum: v }))
    .reverse();
}

/**
 * CloudWatch answers these OperationsPendingReplication values and, for the same minutes, a
 * ReplicationLatency of `latency` seconds (default: a day behind, older than any step start).
 */
function givenBacklog(...values: number[]): void {
  givenBacklogWithLatency(values, 86_400);
}

function givenBacklogWithLatency(values: readonly number[], latency: number): void {
  // One clock for both series: CloudWatch's minutes of the two metrics are the same minutes.
  const now = Date.now();
  cwMock
    .on(GetMetricStatisticsCommand, { MetricName: 'OperationsPendingReplication' })
    .resolves({ Datapoints: datapoints(values, now) })
    .on(GetMetricStatisticsCommand, { MetricName: 'ReplicationLatency' })
    .resolves({
      Datapoints: datapoints(
        values.map(() => latency),
        now,
      ),
    });
}

const clients = () => ({ sourceCloudwatch: new CloudWatchClient({ region: 'us-west-2' }) });

describe('drain-replication', () => {
  beforeEach(() => {
    cwMock.reset();
  });

  describe('failback (target main)', () => {
    it('returns READY when the latest minute shows no operation pending', async () => {
      // Prepare
      givenBacklog(40, 3, 0);
      // Act
      const result = await drainReplication(makeEvent(), failbackSettings(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.alreadyDone).toBe(true);
      expect(result.replication).toMatchObject({ pendingOperations: 0, ruleId: 'dr-to-main' });
      expect(cwMock).toHaveReceivedCommandWith(GetMetricStatisticsCommand, {
        Namespace: 'AWS/S3',
        MetricName: 'OperationsPendingReplication',
        Dimensions: [
          { Name: 'SourceBucket', Value: DR_BUCKET },
          { Name: 'DestinationBucket', Value: MAIN_BUCKET },
          { Name: 'RuleId', Value: 'dr-to-main' },
        ],
        Period: 60,
        Statistics: ['Maximum'],
      });
    });

    it('reads the last minutes of the metric', async () => {
      // Prepare
      givenBacklog(0);
      // Act
      await drainReplication(makeEvent(), failbackSettings(), clients());
      // Assess
      const input = cwMock.commandCalls(GetMetricStatisticsCommand)[0]?.args[0].input;
      const span = (input?.EndTime?.getTime() ?? 0) - (input?.StartTime?.getTime() ?? 0);
      expect(span).toBe(BACKLOG_LOOKBACK_SECONDS * 1000);
    });

    it('returns PENDING with the backlog while operations are pending', async () => {
      // Prepare: a large backlog shrinking, not yet 0.
      givenBacklog(5000, 1200);
      // Act
      const result = await drainReplication(makeEvent(), failbackSettings(), clients());
      // Assess
      expect(result.status).toBe('PENDING');
      expect(result.detail).toContain('1200 operation(s) pending replication');
      expect(result.replication?.pendingOperations).toBe(1200);
    });

    it('treats no datapoint as nothing pending, and says so', async () => {
      // Prepare
      cwMock.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
      // Act
      const result = await drainReplication(makeEvent(), failbackSettings(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.replication?.note).toContain('no datapoint');
    });

    it('resumes on a rerun: counts the attempt and keeps startedAt', async () => {
      // Prepare
      givenBacklog(7, 0);
      const previous = makePrevious('replication', { attempt: 4, startedAt: secondsAgo(120) });
      // Act
      const result = await drainReplication(makeEvent({ previous }), failbackSettings(), clients());
      // Assess
      expect(result).toMatchObject({ status: 'READY', attempt: 5, startedAt: previous.startedAt });
      expect(result.alreadyDone).toBe(false);
    });

    it('returns READY while writes continue when the oldest pending object was written after the step began', async () => {
      // Prepare: 4 pending at the end of the latest minute (which ended just now), the oldest 20 s
      // old; the step began 5 minutes ago.
      givenBacklogWithLatency([9, 4], 20);
      const previous = makePrevious('replication', { attempt: 2, startedAt: secondsAgo(300) });
      // Act
      const result = await drainReplication(makeEvent({ previous }), failbackSettings(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.detail).toContain('every object written before the failback began');
      expect(result.replication).toMatchObject({ pendingOperations: 4, latencySeconds: 20 });
    });

    it('stays PENDING while the oldest pending object predates the step', async () => {
      // Prepare: the destination is 10 minutes behind; the step began 5 minutes ago.
      givenBacklogWithLatency([9, 4], 600);
      const previous = makePrevious('replication', { attempt: 2, startedAt: secondsAgo(300) });
      // Act
      const result = await drainReplication(makeEvent({ previous }), failbackSettings(), clients());
      // Assess
      expect(result.status).toBe('PENDING');
    });

    it('throws WaitTimeoutError once the budget is spent with operations pending', async () => {
      // Prepare
      givenBacklog(30);
      const previous = makePrevious('replication', { startedAt: secondsAgo(WAIT.budgetMinutes * 60 + 1) });
      // Act + Assess
      await expect(drainReplication(makeEvent({ previous }), failbackSettings(), clients())).rejects.toThrow(
        WaitTimeoutError,
      );
    });

    it('throws TransientAwsError when CloudWatch throttles (the state machine retries)', async () => {
      // Prepare
      cwMock.on(GetMetricStatisticsCommand).rejects(throttled());
      // Act + Assess
      await expect(drainReplication(makeEvent(), failbackSettings(), clients())).rejects.toThrow(
        TransientAwsError,
      );
    });

    it('lets a permanent error through unchanged (caught into the failure notification)', async () => {
      // Prepare
      cwMock.on(GetMetricStatisticsCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
      // Act + Assess
      await expect(drainReplication(makeEvent(), failbackSettings(), clients())).rejects.toMatchObject({
        name: 'AccessDenied',
      });
    });
  });

  describe('failover (target dr)', () => {
    it("never waits: READY with main's backlog reported (the S3 part of the data-loss window)", async () => {
      // Prepare
      givenBacklog(12, 9);
      // Act
      const result = await drainReplication(makeEvent(), failoverSettings(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.replication).toMatchObject({
        sourceBucket: MAIN_BUCKET,
        destinationBucket: DR_BUCKET,
        ruleId: 'main-to-dr',
        pendingOperations: 9,
      });
    });

    it('is READY with the backlog unknown when main does not answer', async () => {
      // Prepare
      cwMock.on(GetMetricStatisticsCommand).rejects(awsError('ETIMEDOUT', 'connect ETIMEDOUT', 500));
      // Act
      const result = await drainReplication(makeEvent(), failoverSettings(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.replication?.pendingOperations).toBeUndefined();
      expect(result.replication?.note).toContain('did not answer');
      expect(result.detail).toContain('unknown');
    });
  });

  describe('settings and handler', () => {
    it('names every missing variable', () => {
      // Act + Assess
      expect(() => readDrainReplicationSettings({ TARGET_ROLE: 'dr' })).toThrow(InvalidInputError);
      expect(() => readDrainReplicationSettings({ TARGET_ROLE: 'dr' })).toThrow(/SOURCE_BUCKET/);
    });

    it('rejects bad wait settings before reading anything', async () => {
      // Act + Assess
      await expect(
        drainReplication(makeEvent({ wait: { ...WAIT, pollSeconds: 0 } }), failbackSettings(), clients()),
      ).rejects.toThrow(InvalidInputError);
      expect(cwMock).not.toHaveReceivedCommand(GetMetricStatisticsCommand);
    });

    it('runs from the environment (a failback whose backlog is empty)', async () => {
      // Prepare
      givenBacklog(0);
      // Act
      const result = await withEnv(
        {
          TARGET_ROLE: 'main',
          TARGET_REGION: SOURCE_REGION,
          SOURCE_REGION: TARGET_REGION,
          SOURCE_BUCKET: DR_BUCKET,
          TARGET_BUCKET: MAIN_BUCKET,
          SOURCE_REPLICATION_RULE_ID: 'dr-to-main',
        },
        () => handler(makeEvent()),
      );
      // Assess
      expect(result).toMatchObject({ step: 'replication', status: 'READY' });
    });
  });
});
