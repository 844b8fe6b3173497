import 'aws-sdk-client-mock-jest';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/drain-replication';
import {
  BACKLOG_LOOKBACK_SECONDS,
  GET_METRIC_DATA_MAX_QUERIES,
  PAIRS_PER_REQUEST,
} from '../../lambdas/drain-replication/backlog';
import {
  type DrainReplicationSettings,
  drainReplication,
  MINUTE_READ_MARGIN_SECONDS,
  nextReadSeconds,
  readDrainReplicationSettings,
} from '../../lambdas/drain-replication/drain-replication';
import type { StepEvent } from '../../lambdas/shared/contracts';
import {
  InvalidInputError,
  MetricQueryError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
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
    buckets: [{ sourceBucket: MAIN_BUCKET, destinationBucket: DR_BUCKET, ruleId: 'main-to-dr' }],
  };
}

/** Failback: this region is main; DR's bucket (the source) replicates here. */
function failbackSettings(): DrainReplicationSettings {
  return {
    targetRole: 'main',
    targetRegion: SOURCE_REGION,
    sourceRegion: TARGET_REGION,
    buckets: [{ sourceBucket: DR_BUCKET, destinationBucket: MAIN_BUCKET, ruleId: 'dr-to-main' }],
  };
}

/** DR's and main's buckets `data`, `media` and `exports`, paired by index. */
const drBucket = (name: string) => `proj-dr-${name}-111111111111-us-west-2`;
const mainBucket = (name: string) => `proj-main-${name}-111111111111-us-east-1`;
const THREE = ['data', 'media', 'exports'] as const;

/** Failback with three buckets: each of DR's replicates to main's at the same index. */
function threeBucketFailback(): DrainReplicationSettings {
  return {
    ...failbackSettings(),
    buckets: THREE.map((n) => ({
      sourceBucket: drBucket(n),
      destinationBucket: mainBucket(n),
      ruleId: 'dr-to-main',
    })),
  };
}

/** Failover with three buckets: each of main's replicates to DR's at the same index. */
function threeBucketFailover(): DrainReplicationSettings {
  return {
    ...failoverSettings(),
    buckets: THREE.map((n) => ({
      sourceBucket: mainBucket(n),
      destinationBucket: drBucket(n),
      ruleId: 'main-to-dr',
    })),
  };
}

/** A team's three bucket pairs (failback), each replicating under its own rule id. */
function ownRulesFailback(): DrainReplicationSettings {
  return {
    ...failbackSettings(),
    buckets: THREE.map((n) => ({
      sourceBucket: drBucket(n),
      destinationBucket: mainBucket(n),
      ruleId: `${n}-back`,
    })),
  };
}

function makeEvent(overrides: Partial<StepEvent> = {}): StepEvent {
  return { wait: WAIT, ...overrides };
}

/** Per-minute Maximum values, oldest first, the last one for the minute that began a minute ago. */
function series(values: readonly number[], now: number): Pick<MetricDataResult, 'Timestamps' | 'Values'> {
  // Oldest first on purpose although the request asks newest first: the reading must not rely on it.
  return {
    Timestamps: values.map((_, i) => new Date(now - (values.length - i) * 60_000)),
    Values: [...values],
  };
}

interface Backlog {
  /** OperationsPendingReplication per minute, oldest first. */
  readonly pending: readonly number[];
  /** ReplicationLatency for the same minutes (default: a day behind, older than any step start). */
  readonly latency?: number;
}

/**
 * CloudWatch answers every query of a GetMetricData request: a bucket's from `bySource` (keyed by
 * its SourceBucket dimension), `fallback` for any other bucket.
 */
function givenBacklogs(
  bySource: Readonly<Record<string, Backlog>>,
  fallback: Backlog = { pending: [] },
): void {
  // One clock for both series: CloudWatch's minutes of the two metrics are the same minutes.
  const now = Date.now();
  cwMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const metric = q.MetricStat?.Metric;
      const source = metric?.Dimensions?.find((d) => d.Name === 'SourceBucket')?.Value ?? '';
      const b = bySource[source] ?? fallback;
      const values =
        metric?.MetricName === 'ReplicationLatency' ? b.pending.map(() => b.latency ?? 86_400) : b.pending;
      return { Id: q.Id, StatusCode: 'Complete', ...series(values, now) };
    }),
  }));
}

/** Every bucket's OperationsPendingReplication is these values (latency: a day behind). */
function givenBacklog(...values: number[]): void {
  givenBacklogs({}, { pending: values });
}

function givenBacklogWithLatency(values: readonly number[], latency: number): void {
  givenBacklogs({}, { pending: values, latency });
}

/** The queries of the `n`th GetMetricData request. */
function queriesOf(n = 0) {
  return cwMock.commandCalls(GetMetricDataCommand)[n]?.args[0].input.MetricDataQueries ?? [];
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
      expect(result.detail).toBe(
        `replication drained: 0 operation(s) pending replication ${DR_BUCKET} → ${MAIN_BUCKET} (rule dr-to-main)`,
      );
      expect(cwMock).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
      expect(queriesOf()).toContainEqual({
        Id: 'pending_0',
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/S3',
            MetricName: 'OperationsPendingReplication',
            Dimensions: [
              { Name: 'SourceBucket', Value: DR_BUCKET },
              { Name: 'DestinationBucket', Value: MAIN_BUCKET },
              { Name: 'RuleId', Value: 'dr-to-main' },
            ],
          },
          Period: 60,
          Stat: 'Maximum',
        },
      });
    });

    it('reads the last minutes of the metric', async () => {
      // Prepare
      givenBacklog(0);
      // Act
      await drainReplication(makeEvent(), failbackSettings(), clients());
      // Assess
      const input = cwMock.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
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
      givenBacklog();
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
      cwMock.on(GetMetricDataCommand).rejects(throttled());
      // Act + Assess
      await expect(drainReplication(makeEvent(), failbackSettings(), clients())).rejects.toThrow(
        TransientAwsError,
      );
    });

    it('lets a permanent error through unchanged (caught into the failure notification)', async () => {
      // Prepare
      cwMock.on(GetMetricDataCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
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
      // One bucket: its reading plus its rule id, the bucket's own entry without one.
      const reading = {
        sourceBucket: MAIN_BUCKET,
        destinationBucket: DR_BUCKET,
        pendingOperations: 9,
        measuredAt: expect.any(String),
        latencySeconds: 86_400,
      };
      expect(result.replication).toEqual({ ...reading, ruleId: 'main-to-dr', buckets: [reading] });
    });

    it('is READY with the backlog unknown when main does not answer', async () => {
      // Prepare
      cwMock.on(GetMetricDataCommand).rejects(awsError('ETIMEDOUT', 'connect ETIMEDOUT', 500));
      // Act
      const result = await drainReplication(makeEvent(), failoverSettings(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.replication?.pendingOperations).toBeUndefined();
      expect(result.replication?.note).toContain('did not answer');
      expect(result.detail).toContain('unknown');
    });
  });

  describe('several buckets', () => {
    it('returns PENDING naming the one bucket of three still behind, with the total and each backlog', async () => {
      // Prepare: data and exports drained, media 40 behind.
      givenBacklogs({ [drBucket('media')]: { pending: [90, 40] } }, { pending: [5, 0] });
      // Act
      const result = await drainReplication(makeEvent(), threeBucketFailback(), clients());
      // Assess
      expect(result.status).toBe('PENDING');
      expect(result.detail).toBe(
        `waiting for ${drBucket('media')} → ${mainBucket('media')}: ` +
          `40 operation(s) pending replication in 1 of 3 bucket(s) (rule dr-to-main): ${drBucket('media')} → ${mainBucket('media')}: 40`,
      );
      expect(result.replication).toMatchObject({
        ruleId: 'dr-to-main',
        pendingOperations: 40,
        sourceBucket: THREE.map(drBucket).join(','),
        destinationBucket: THREE.map(mainBucket).join(','),
      });
      expect(result.replication?.buckets?.map((b) => [b.sourceBucket, b.pendingOperations])).toEqual([
        [drBucket('data'), 0],
        [drBucket('media'), 40],
        [drBucket('exports'), 0],
      ]);
    });

    it('returns PENDING with the sum when several buckets are behind, naming each', async () => {
      // Prepare
      givenBacklogs({
        [drBucket('data')]: { pending: [7] },
        [drBucket('media')]: { pending: [0] },
        [drBucket('exports')]: { pending: [12] },
      });
      // Act
      const result = await drainReplication(makeEvent(), threeBucketFailback(), clients());
      // Assess
      expect(result.status).toBe('PENDING');
      expect(result.replication?.pendingOperations).toBe(19);
      expect(result.detail).toContain(`in 2 of 3 bucket(s)`);
      expect(result.detail).toContain(`${drBucket('data')} → ${mainBucket('data')}: 7`);
      expect(result.detail).toContain(`${drBucket('exports')} → ${mainBucket('exports')}: 12`);
      expect(result.detail).not.toContain(`${drBucket('media')} →`);
    });

    it('returns READY when every bucket of three is at 0', async () => {
      // Prepare
      givenBacklog(300, 20, 0);
      // Act
      const result = await drainReplication(makeEvent(), threeBucketFailback(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.detail).toBe(
        'replication drained: 0 operation(s) pending replication in none of 3 bucket(s) (rule dr-to-main)',
      );
      expect(result.replication?.pendingOperations).toBe(0);
      expect(result.replication?.buckets).toHaveLength(3);
    });

    it('returns READY when the buckets still behind hold only objects written after the step began', async () => {
      // Prepare: media has 4 in flight, the oldest 20 s old; the step began 5 minutes ago.
      givenBacklogs({ [drBucket('media')]: { pending: [9, 4], latency: 20 } }, { pending: [0] });
      const previous = makePrevious('replication', { attempt: 2, startedAt: secondsAgo(300) });
      // Act
      const result = await drainReplication(makeEvent({ previous }), threeBucketFailback(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.detail).toContain('every object written before the failback began');
      expect(result.replication).toMatchObject({ pendingOperations: 4, latencySeconds: 20 });
    });

    it('stays PENDING while one bucket holds an object from before the step, even when another is fresh', async () => {
      // Prepare: media's backlog is fresh (20 s), exports' ten minutes old; the step began 5 minutes ago.
      givenBacklogs(
        {
          [drBucket('media')]: { pending: [4], latency: 20 },
          [drBucket('exports')]: { pending: [2], latency: 600 },
        },
        { pending: [0] },
      );
      const previous = makePrevious('replication', { attempt: 2, startedAt: secondsAgo(300) });
      // Act
      const result = await drainReplication(makeEvent({ previous }), threeBucketFailback(), clients());
      // Assess
      expect(result.status).toBe('PENDING');
      expect(result.detail).toMatch(
        new RegExp(`^waiting for ${drBucket('exports')} → ${mainBucket('exports')}:`),
      );
      expect(result.replication?.latencySeconds).toBe(600);
    });

    it('counts a bucket without a datapoint as nothing pending, and says how many had none', async () => {
      // Prepare
      givenBacklogs({ [drBucket('data')]: { pending: [0] } });
      // Act
      const result = await drainReplication(makeEvent(), threeBucketFailback(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.replication?.note).toBe(
        'no datapoint in the last 5 min for 2 of 3 bucket(s): nothing reported pending there',
      );
    });

    it('reads every bucket in one GetMetricData request: a backlog and a latency query per bucket', async () => {
      // Prepare
      givenBacklog(0);
      // Act
      await drainReplication(makeEvent(), threeBucketFailback(), clients());
      // Assess
      expect(cwMock).toHaveReceivedCommandTimes(GetMetricDataCommand, 1);
      const queries = queriesOf();
      expect(queries.map((q) => q.Id)).toEqual([
        'pending_0',
        'latency_0',
        'pending_1',
        'latency_1',
        'pending_2',
        'latency_2',
      ]);
      expect(
        queries.map((q) => [
          q.MetricStat?.Metric?.MetricName,
          ...(q.MetricStat?.Metric?.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`),
        ]),
      ).toEqual(
        THREE.flatMap((n) =>
          ['OperationsPendingReplication', 'ReplicationLatency'].map((m) => [
            m,
            `SourceBucket=${drBucket(n)}`,
            `DestinationBucket=${mainBucket(n)}`,
            'RuleId=dr-to-main',
          ]),
        ),
      );
    });

    it("queries each bucket's metrics with its own rule id (a team's bucket pairs)", async () => {
      // Prepare
      givenBacklogs({ [drBucket('media')]: { pending: [4] } }, { pending: [0] });
      // Act
      const result = await drainReplication(makeEvent(), ownRulesFailback(), clients());
      // Assess
      expect(
        queriesOf().map((q) => [
          q.Id,
          q.MetricStat?.Metric?.Dimensions?.find((d) => d.Name === 'RuleId')?.Value,
        ]),
      ).toEqual([
        ['pending_0', 'data-back'],
        ['latency_0', 'data-back'],
        ['pending_1', 'media-back'],
        ['latency_1', 'media-back'],
        ['pending_2', 'exports-back'],
        ['latency_2', 'exports-back'],
      ]);
      expect(result.replication?.ruleId).toBe('data-back,media-back,exports-back');
      expect(result.replication?.buckets?.[1]).toEqual({
        sourceBucket: drBucket('media'),
        destinationBucket: mainBucket('media'),
        pendingOperations: 4,
        measuredAt: expect.any(String),
        latencySeconds: 86_400,
      });
      expect(result.detail).toContain(
        '4 operation(s) pending replication in 1 of 3 bucket(s) (rules data-back, media-back, exports-back)',
      );
    });

    it('reports the joined rule ids of every bucket when main does not answer on a failover', async () => {
      // Prepare
      cwMock.on(GetMetricDataCommand).rejects(awsError('ETIMEDOUT', 'connect ETIMEDOUT', 500));
      const settings: DrainReplicationSettings = {
        ...threeBucketFailover(),
        buckets: threeBucketFailover().buckets.map((b, i) => ({ ...b, ruleId: `rule-${i}` })),
      };
      // Act
      const result = await drainReplication(makeEvent(), settings, clients());
      // Assess
      expect(result.replication?.ruleId).toBe('rule-0,rule-1,rule-2');
      expect(result.replication?.buckets).toEqual(
        THREE.map((n) => ({ sourceBucket: mainBucket(n), destinationBucket: drBucket(n) })),
      );
    });

    it('splits the queries over requests of at most 500 when the buckets need more', async () => {
      // Prepare: one bucket pair more than one request can read.
      givenBacklog(0);
      const settings: DrainReplicationSettings = {
        ...failbackSettings(),
        buckets: Array.from({ length: PAIRS_PER_REQUEST + 1 }, (_, i) => ({
          sourceBucket: `dr-${i}`,
          destinationBucket: `main-${i}`,
          ruleId: 'dr-to-main',
        })),
      };
      // Act
      const result = await drainReplication(makeEvent(), settings, clients());
      // Assess
      expect(cwMock).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
      expect(queriesOf(0)).toHaveLength(GET_METRIC_DATA_MAX_QUERIES);
      expect(queriesOf(1).map((q) => q.Id)).toEqual([
        `pending_${PAIRS_PER_REQUEST}`,
        `latency_${PAIRS_PER_REQUEST}`,
      ]);
      expect(result.replication?.buckets).toHaveLength(PAIRS_PER_REQUEST + 1);
    });

    it('follows NextToken and reads each series across the pages', async () => {
      // Prepare: the first page has the older minute of media's backlog, the second the latest.
      const now = Date.now();
      const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
      const page = (pendingAt: number, value: number) =>
        THREE.flatMap((n, i) => [
          {
            Id: `pending_${i}`,
            StatusCode: 'PartialData' as const,
            Timestamps: [at(pendingAt)],
            Values: [n === 'media' ? value : 0],
          },
          { Id: `latency_${i}`, StatusCode: 'PartialData' as const, Timestamps: [], Values: [] },
        ]);
      cwMock
        .on(GetMetricDataCommand)
        .resolvesOnce({ MetricDataResults: page(2, 0), NextToken: 'page-2' })
        .resolvesOnce({ MetricDataResults: page(1, 8) });
      // Act
      const result = await drainReplication(makeEvent(), threeBucketFailback(), clients());
      // Assess
      expect(cwMock).toHaveReceivedCommandTimes(GetMetricDataCommand, 2);
      expect(cwMock.commandCalls(GetMetricDataCommand)[1]?.args[0].input.NextToken).toBe('page-2');
      expect(result.status).toBe('PENDING');
      expect(result.replication?.pendingOperations).toBe(8);
    });

    it('throws TransientAwsError when CloudWatch answers a query with InternalError (never "nothing pending")', async () => {
      // Prepare
      cwMock.on(GetMetricDataCommand).resolves({
        MetricDataResults: [
          {
            Id: 'pending_0',
            StatusCode: 'InternalError',
            Messages: [{ Code: 'InternalError', Value: 'retry' }],
          },
        ],
      });
      // Act + Assess
      await expect(drainReplication(makeEvent(), threeBucketFailback(), clients())).rejects.toThrow(
        TransientAwsError,
      );
    });

    it('throws MetricQueryError when CloudWatch refuses a query (Forbidden)', async () => {
      // Prepare
      cwMock.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 'latency_1', StatusCode: 'Forbidden' }],
      });
      // Act + Assess
      await expect(drainReplication(makeEvent(), threeBucketFailback(), clients())).rejects.toThrow(
        new MetricQueryError('cloudwatch:GetMetricData query latency_1: Forbidden'),
      );
    });

    it('throws TransientAwsError when the answer lacks a query (a bucket must not read as drained)', async () => {
      // Prepare
      cwMock.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ Id: 'pending_0', StatusCode: 'Complete', Timestamps: [], Values: [] }],
      });
      // Act + Assess
      await expect(drainReplication(makeEvent(), threeBucketFailback(), clients())).rejects.toThrow(
        /no result for query latency_0/,
      );
    });

    it("reports on a failover main's three backlogs, their total and each bucket's", async () => {
      // Prepare
      givenBacklogs(
        { [mainBucket('data')]: { pending: [3] }, [mainBucket('exports')]: { pending: [6] } },
        {
          pending: [0],
        },
      );
      // Act
      const result = await drainReplication(makeEvent(), threeBucketFailover(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.detail).toBe(
        'failover does not wait for S3: 9 operation(s) pending replication in 2 of 3 bucket(s) (rule main-to-dr): ' +
          `${mainBucket('data')} → ${drBucket('data')}: 3, ${mainBucket('exports')} → ${drBucket('exports')}: 6`,
      );
      expect(result.replication?.buckets?.map((b) => b.pendingOperations)).toEqual([3, 0, 6]);
    });

    it('is READY on a failover with every backlog unknown when main does not answer, listing the buckets', async () => {
      // Prepare
      cwMock.on(GetMetricDataCommand).rejects(awsError('ETIMEDOUT', 'connect ETIMEDOUT', 500));
      // Act
      const result = await drainReplication(makeEvent(), threeBucketFailover(), clients());
      // Assess
      expect(result.status).toBe('READY');
      expect(result.detail).toBe(
        'failover does not wait for S3: replication backlog of 3 bucket(s) (rule main-to-dr) unknown: us-east-1 did not answer (TransientAwsError: cloudwatch:GetMetricData: ETIMEDOUT: connect ETIMEDOUT)',
      );
      expect(result.replication?.pendingOperations).toBeUndefined();
      expect(result.replication?.buckets).toEqual(
        THREE.map((n) => ({ sourceBucket: mainBucket(n), destinationBucket: drBucket(n) })),
      );
    });
  });

  describe('settings and handler', () => {
    it('names every missing variable', () => {
      // Act + Assess
      expect(() => readDrainReplicationSettings({ TARGET_ROLE: 'dr' })).toThrow(InvalidInputError);
      expect(() => readDrainReplicationSettings({ TARGET_ROLE: 'dr' })).toThrow(
        'missing environment variable(s): TARGET_REGION, SOURCE_REGION, SOURCE_BUCKETS, TARGET_BUCKETS, SOURCE_REPLICATION_RULE_IDS',
      );
    });

    const ENV = {
      TARGET_ROLE: 'main',
      TARGET_REGION: SOURCE_REGION,
      SOURCE_REGION: TARGET_REGION,
      SOURCE_BUCKETS: THREE.map(drBucket).join(','),
      TARGET_BUCKETS: THREE.map(mainBucket).join(','),
      SOURCE_REPLICATION_RULE_IDS: 'dr-to-main,dr-to-main,dr-to-main',
    };

    it('pairs SOURCE_BUCKETS with TARGET_BUCKETS by index, trimmed', () => {
      // Act
      const settings = readDrainReplicationSettings({
        ...ENV,
        SOURCE_BUCKETS: ` ${drBucket('data')} , ${drBucket('media')},${drBucket('exports')}`,
      });
      // Assess
      expect(settings).toEqual(threeBucketFailback());
    });

    it('rejects SOURCE_BUCKETS and TARGET_BUCKETS of different lengths, naming the three lists', () => {
      // Act + Assess
      expect(() =>
        readDrainReplicationSettings({
          ...ENV,
          TARGET_BUCKETS: `${mainBucket('data')},${mainBucket('media')}`,
        }),
      ).toThrow(
        new InvalidInputError(
          'environment variables SOURCE_BUCKETS (3), TARGET_BUCKETS (2) and SOURCE_REPLICATION_RULE_IDS (3): expected lists of the same length (entry i of each goes with entry i of the others)',
        ),
      );
    });

    it('rejects fewer SOURCE_REPLICATION_RULE_IDS than buckets, naming it with its length', () => {
      // Act + Assess: the id of the one rule every bucket used to share is no longer enough.
      expect(() =>
        readDrainReplicationSettings({ ...ENV, SOURCE_REPLICATION_RULE_IDS: 'dr-to-main' }),
      ).toThrow(
        new InvalidInputError(
          'environment variables SOURCE_BUCKETS (3), TARGET_BUCKETS (3) and SOURCE_REPLICATION_RULE_IDS (1): expected lists of the same length (entry i of each goes with entry i of the others)',
        ),
      );
    });

    it('pairs SOURCE_REPLICATION_RULE_IDS with the buckets by index, trimmed', () => {
      // Act
      const settings = readDrainReplicationSettings({
        ...ENV,
        SOURCE_REPLICATION_RULE_IDS: 'data-back, media-back ,exports-back',
      });
      // Assess
      expect(settings).toEqual(ownRulesFailback());
    });

    it.each([
      ['SOURCE_BUCKETS', `${drBucket('data')},,${drBucket('media')}`],
      ['TARGET_BUCKETS', `${mainBucket('data')},${mainBucket('media')},`],
      ['SOURCE_REPLICATION_RULE_IDS', 'a,,b'],
    ])('rejects %s with an empty entry, naming it', (name, value) => {
      // Act + Assess
      expect(() => readDrainReplicationSettings({ ...ENV, [name]: value })).toThrow(
        new InvalidInputError(
          `environment variable ${name}: expected a comma-separated list without empty items, got '${value}'`,
        ),
      );
    });

    it('rejects a TARGET_ROLE other than main or dr', () => {
      // Act + Assess
      expect(() => readDrainReplicationSettings({ ...ENV, TARGET_ROLE: 'primary' })).toThrow(
        InvalidInputError,
      );
    });

    it('rejects bad wait settings before reading anything', async () => {
      // Act + Assess
      await expect(
        drainReplication(makeEvent({ wait: { ...WAIT, pollSeconds: 0 } }), failbackSettings(), clients()),
      ).rejects.toThrow(InvalidInputError);
      expect(cwMock).not.toHaveReceivedCommand(GetMetricDataCommand);
    });

    it('runs from the environment with three buckets (a failback whose backlogs are empty)', async () => {
      // Prepare
      givenBacklog(0);
      // Act
      const result = await withEnv(ENV, () => handler(makeEvent()));
      // Assess
      expect(result).toMatchObject({ step: 'replication', status: 'READY' });
      expect(queriesOf()).toHaveLength(6);
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
          SOURCE_BUCKETS: DR_BUCKET,
          TARGET_BUCKETS: MAIN_BUCKET,
          SOURCE_REPLICATION_RULE_IDS: 'dr-to-main',
        },
        () => handler(makeEvent()),
      );
      // Assess
      expect(result).toMatchObject({ step: 'replication', status: 'READY' });
    });
  });
});

describe('nextReadSeconds', () => {
  const minute = 60_000;

  it('waits the poll when no metric minute ends sooner', () => {
    // Prepare: 5 s into a minute, a 10 s poll.
    // Act, Assess
    expect(nextReadSeconds(7 * minute + 5_000, 10)).toBe(10);
  });

  it('reads right after the minute ends when that is sooner than the poll', () => {
    // Prepare: 55 s into a minute, a 10 s poll: the minute ends in 5 s.
    // Act, Assess
    expect(nextReadSeconds(7 * minute + 55_000, 10)).toBe(5 + MINUTE_READ_MARGIN_SECONDS);
  });

  it('never waits longer than the poll, even just after a minute ended', () => {
    // Act, Assess
    expect(nextReadSeconds(7 * minute, 10)).toBe(10);
    expect(nextReadSeconds(7 * minute + 59_500, 3)).toBe(0.5 + MINUTE_READ_MARGIN_SECONDS);
  });
});
