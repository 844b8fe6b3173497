import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import type { TimedEvent } from '../../drill/sim/sfn/sfn';
import { readTimeline } from '../../lambdas/record-run/timeline';
import { DR, inSimulation, MAIN, makeWorld, names, rejectionOf } from './sim-helpers';

const BUCKET = names.regions.dr.runRecordBucketName;
const put = (region: string, input: Partial<ConstructorParameters<typeof PutObjectCommand>[0]>) =>
  new S3Client({ region, maxAttempts: 1 }).send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'runs/x.md', Body: 'x', ...input }),
  );

describe('simulated S3: the run-record buckets', () => {
  it('keeps every version of a put that asks for SSE-S3', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    await inSimulation(world, async () => {
      await put(DR, { ServerSideEncryption: 'AES256', Body: 'one' });
      await put(DR, { ServerSideEncryption: 'AES256', Body: 'two' });
    });

    // Assess
    expect(world.runRecords.current(BUCKET).get('runs/x.md')?.body).toBe('two');
    expect(world.runRecords.buckets.get(BUCKET)?.objects.get('runs/x.md')).toHaveLength(2);
  });

  it.each([
    ['a put without SSE-S3 (the bucket policy denies it)', DR, {}, 'AccessDenied'],
    [
      'a put to another region’s endpoint',
      MAIN,
      { ServerSideEncryption: 'AES256' as const },
      'PermanentRedirect',
    ],
    [
      'a put to a bucket that does not exist',
      DR,
      { Bucket: 'nope', ServerSideEncryption: 'AES256' as const },
      'NoSuchBucket',
    ],
  ])('refuses %s', async (_case, region, input, name) => {
    // Prepare
    const world = makeWorld();

    // Act
    const err = await inSimulation(world, () => rejectionOf(put(region, input)));

    // Assess
    expect(err.name).toBe(name);
    expect(world.runRecords.current(BUCKET).size).toBe(0);
  });
});

describe('simulated Step Functions: a drill execution’s history', () => {
  const ARN = `arn:aws:states:${DR}:${names.regions.dr.account}:execution:${names.regions.dr.stateMachineName}:drill-1`;

  /** An execution whose interpreter events are `events` (the array a running execution appends to). */
  function withExecution(events: TimedEvent[]) {
    const world = makeWorld();
    world.sfn.add({
      executionArn: ARN,
      stateMachineArn: names.regions.dr.stateMachineArn,
      name: 'drill-1',
      status: 'RUNNING',
      startDate: 0,
      input: '{"mode":"planned","reason":"x"}',
      interpreterEvents: events,
      lambdaTasks: new Set(['FlipDns']),
    });
    return world;
  }

  const history = (
    world: ReturnType<typeof makeWorld>,
    input: { nextToken?: string; maxResults?: number } = {},
  ) =>
    inSimulation(world, () =>
      new SFNClient({ region: DR }).send(
        new GetExecutionHistoryCommand({ executionArn: ARN, includeExecutionData: true, ...input }),
      ),
    );

  it('translates the interpreter’s events as they happen, a Lambda retry chained to its Task’s entry', async () => {
    // Prepare
    const events: TimedEvent[] = [{ at: 1, type: 'StateEntered', state: 'FlipDns', stateType: 'Task' }];
    const world = withExecution(events);
    const early = await history(world);
    events.push(
      {
        at: 2,
        type: 'StateFailed',
        state: 'FlipDns',
        stateType: 'Task',
        error: 'TransientAwsError',
        cause: 'x',
      },
      { at: 4, type: 'StateRetried', state: 'FlipDns', stateType: 'Task' },
      {
        at: 9,
        type: 'StateExited',
        state: 'FlipDns',
        stateType: 'Task',
        output: { steps: { dns: { step: 'dns', status: 'READY' } } },
      },
    );

    // Act
    const late = await history(world);

    // Assess
    expect(early.events?.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
    ]);
    const all = late.events ?? [];
    expect(all.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 1, 'TaskStateEntered'],
      [3, 2, 'LambdaFunctionScheduled'],
      [4, 3, 'LambdaFunctionStarted'],
      [5, 4, 'LambdaFunctionFailed'],
      [6, 5, 'LambdaFunctionScheduled'],
      [7, 6, 'LambdaFunctionStarted'],
      [8, 7, 'LambdaFunctionSucceeded'],
      [9, 8, 'TaskStateExited'],
    ]);
    // What the recorder makes of it: one step, two attempts, one error, traffic moved at 9 s.
    const read = readTimeline(all as HistoryEvent[]);
    expect(read.spans).toMatchObject([{ name: 'FlipDns', attempts: 2, errors: 1, entries: 1 }]);
    expect(read.trafficMovedAt?.getTime()).toBe(world.clock.dateAt(9).getTime());
  });

  it('pages with a token', async () => {
    // Prepare
    const world = withExecution([{ at: 1, type: 'StateEntered', state: 'Start', stateType: 'Pass' }]);

    // Act
    const first = await history(world, { maxResults: 1 });
    const second = await history(world, { maxResults: 1, nextToken: first.nextToken ?? '' });

    // Assess
    expect(first.events?.map((e) => e.type)).toEqual(['ExecutionStarted']);
    expect(second.events?.map((e) => e.type)).toEqual(['PassStateEntered']);
    expect(second.nextToken).toBeUndefined();
  });
});
