import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetExecutionHistoryCommand, type HistoryEvent, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../lambdas/record-run';
import { MAX_HISTORY_PAGES } from '../../lambdas/record-run/history';
import type { RecordRunEvent, RunRecord } from '../../lambdas/record-run/record';
import { type RecordRunSettings, recordRun } from '../../lambdas/record-run/record-run';
import { consoleUrl } from '../../lambdas/record-run/store';
import { InvalidInputError, TransientAwsError } from '../../lambdas/shared/errors';
import {
  ACCOUNT,
  awsError,
  REGION_ENV,
  REGION_SETTINGS,
  SOURCE_REGION,
  TARGET_REGION,
  throttled,
  withEnv,
} from './helpers';

const sfnMock = mockClient(SFNClient);
const s3Mock = mockClient(S3Client);

const BUCKET = `proj-dr-run-records-${ACCOUNT}-${TARGET_REGION}`;
const SETTINGS: RecordRunSettings = { ...REGION_SETTINGS, bucket: BUCKET };
const EXECUTION_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:execution:proj-dr-failover:run-1`;
const START = new Date('2026-11-25T09:00:00.000Z');
const NOW = () => new Date('2026-11-25T09:10:00.000Z');
const at = (s: number) => new Date(START.getTime() + s * 1000);

/** An execution history built event by event, with ids and previous-event links as AWS writes them. */
class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  private last = 0;

  add(type: string, s: number, details: Partial<HistoryEvent> = {}, previous = this.last): number {
    const id = this.events.length + 1;
    this.events.push({ id, previousEventId: previous, timestamp: at(s), type, ...details } as HistoryEvent);
    this.last = id;
    return id;
  }

  started(input: unknown): this {
    this.add('ExecutionStarted', 0, { executionStartedEventDetails: { input: JSON.stringify(input) } }, 0);
    return this;
  }

  /** One entry of Task `name` from `from` to `to`: a Lambda call per attempt, failures first. */
  task(
    name: string,
    from: number,
    to: number,
    opts: { failures?: string[]; output?: unknown; caught?: boolean } = {},
  ): this {
    let prev = this.add('TaskStateEntered', from, { stateEnteredEventDetails: { name, input: '{}' } });
    for (const error of opts.failures ?? []) {
      prev = this.add('LambdaFunctionScheduled', from, {}, prev);
      prev = this.add('LambdaFunctionStarted', from, {}, prev);
      prev = this.add(
        'LambdaFunctionFailed',
        from + 1,
        { lambdaFunctionFailedEventDetails: { error, cause: `${error} cause` } },
        prev,
      );
    }
    if (opts.caught === true) return this;
    prev = this.add('LambdaFunctionScheduled', from, {}, prev);
    prev = this.add('LambdaFunctionStarted', from, {}, prev);
    prev = this.add('LambdaFunctionSucceeded', to, {}, prev);
    this.add(
      'TaskStateExited',
      to,
      { stateExitedEventDetails: { name, output: JSON.stringify(opts.output ?? {}) } },
      prev,
    );
    return this;
  }
}

const READINESS = {
  role: 'dr',
  region: TARGET_REGION,
  evaluatedAt: '2026-11-25T08:59:58.000Z',
  ready: false,
  checks: [
    { id: 'global-cluster', status: 'PASS', what: 'member of proj-global' },
    { id: 'quotas', status: 'FAIL', what: 'DB instances', why: '40 of 40 used', fix: 'raise the quota' },
  ],
  replicationLagSeconds: 1.5,
  replicationLagAt: '2026-11-25T08:59:00.000Z',
};

const PREFLIGHT = {
  status: 'PROCEED',
  requestedMode: 'auto',
  mode: 'unplanned',
  reason: 'main is down',
  targetRegion: TARGET_REGION,
  sourceRegion: SOURCE_REGION,
  alreadyDone: {
    database: true,
    service: false,
    replication: false,
    promotion: false,
    dns: false,
    fence: false,
  },
  message: 'promote',
};

const step = (key: string, extra: Record<string, unknown> = {}) => ({
  step: key,
  status: 'READY',
  attempt: 1,
  startedAt: at(2).toISOString(),
  alreadyDone: false,
  detail: `${key} done`,
  ...extra,
});

const STEPS_DONE = {
  database: step('database', { alreadyDone: true }),
  service: step('service'),
  replication: step('replication', {
    replication: { sourceBucket: 'a', destinationBucket: 'b', ruleId: 'r', pendingOperations: 3 },
  }),
  promotion: step('promotion', { modeUsed: 'unplanned' }),
  dns: step('dns', { answer: ['dr.app.example.com'] }),
  fence: step('fence', { fence: { state: 'PENDING', done: [], commands: ['aws ecs update-service …'] } }),
};

function successHistory(): HistoryEvent[] {
  return new HistoryBuilder()
    .started({
      mode: 'auto',
      reason: 'main is down',
      trigger: { source: 'alarm', alarmName: 'proj-main-down', alarmAt: at(-60).toISOString() },
    })
    .task('Preflight', 0, 2)
    .task('ScaleDatabase', 2, 3)
    .task('ScaleService', 2, 5, { failures: ['TransientAwsError'] })
    .task('ScaleServiceCheck', 10, 80)
    .task('PromoteDatabase', 80, 90)
    .task('PromoteDatabaseCheck', 100, 150)
    .task('FlipDns', 150, 151, { output: { steps: { dns: { step: 'dns', status: 'PENDING' } } } })
    .task('FlipDnsCheck', 160, 200, { output: { steps: { dns: { step: 'dns', status: 'READY' } } } })
    .task('FenceSource', 200, 210)
    .task('RecordRunOnSuccess', 211, 212, { caught: true }).events;
}

const SUCCESS_STATE = {
  outcome: 'PROMOTED',
  mode: 'unplanned',
  requestedMode: 'auto',
  reason: 'main is down',
  targetRegion: TARGET_REGION,
  sourceRegion: SOURCE_REGION,
  steps: STEPS_DONE,
  readiness: READINESS,
  preflight: PREFLIGHT,
  approval: {
    decision: 'APPROVED',
    by: 'arn:aws:iam::111111111111:user/oncall',
    at: at(1).toISOString(),
    reason: 'confirmed outage',
  },
};

const event = (overrides: Partial<RecordRunEvent> = {}): RecordRunEvent => ({
  state: SUCCESS_STATE,
  executionArn: EXECUTION_ARN,
  startTime: START.toISOString(),
  outcome: 'PROMOTED',
  ...overrides,
});

function putBody(key: string): string {
  const call = [...s3Mock.commandCalls(PutObjectCommand)].reverse().find((c) => c.args[0].input.Key === key);
  if (call === undefined) throw new Error(`no PutObject of ${key}`);
  return String(call.args[0].input.Body);
}

const JSON_KEY = 'runs/2026/11/25/run-1.json';
const MD_KEY = 'runs/2026/11/25/run-1.md';
const record = (): RunRecord => JSON.parse(putBody(JSON_KEY)) as RunRecord;
const run = (e: unknown = event()) =>
  recordRun(e, SETTINGS, { sfn: new SFNClient({}), s3: new S3Client({}) }, NOW);

beforeEach(() => {
  sfnMock.reset();
  s3Mock.reset();
  sfnMock.on(GetExecutionHistoryCommand).resolves({ events: successHistory() });
  s3Mock.on(PutObjectCommand).resolves({});
});

describe('record-run', () => {
  it('writes the JSON and the Markdown, encrypted, and returns their link', async () => {
    const link = await run();

    expect(s3Mock).toHaveReceivedCommandTimes(PutObjectCommand, 2);
    for (const Key of [JSON_KEY, MD_KEY]) {
      expect(s3Mock).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: BUCKET,
        Key,
        ServerSideEncryption: 'AES256',
      });
    }
    expect(link).toEqual({
      bucket: BUCKET,
      jsonKey: JSON_KEY,
      markdownKey: MD_KEY,
      s3Uri: `s3://${BUCKET}/${MD_KEY}`,
      consoleUrl: `https://console.aws.amazon.com/s3/object/${BUCKET}?region=${TARGET_REGION}&bucketType=general&prefix=runs%2F2026%2F11%2F25%2Frun-1.md`,
    });
    expect(sfnMock).toHaveReceivedCommandWith(GetExecutionHistoryCommand, {
      executionArn: EXECUTION_ARN,
      includeExecutionData: true,
      maxResults: 1000,
    });
  });

  it('records the outcome, the trigger, the RTO from the alarm, the lag, readiness and approval', async () => {
    await run();
    const r = record();

    expect(r.outcome).toEqual({ result: 'PROMOTED' });
    expect(r.mode).toEqual({ requested: 'auto', used: 'unplanned' });
    expect(r.trigger).toEqual({
      source: 'alarm',
      alarmName: 'proj-main-down',
      alarmAt: at(-60).toISOString(),
    });
    expect(r.origin).toEqual({ at: at(-60).toISOString(), from: 'alarm' });
    expect(r.rto).toEqual({ seconds: 260, trafficMovedAt: at(200).toISOString() });
    expect(r.replicationLag).toEqual({ seconds: 1.5, at: '2026-11-25T08:59:00.000Z' });
    expect(r.alreadyDone?.database).toBe(true);
    expect(r.readiness?.ready).toBe(false);
    expect(r.readiness?.notPassing.map((c) => c.id)).toEqual(['quotas']);
    expect(r.approval).toEqual({
      decision: 'APPROVED',
      by: 'arn:aws:iam::111111111111:user/oncall',
      at: at(1).toISOString(),
      reason: 'confirmed outage',
    });
    expect(r.stateLeft).toMatchObject({
      writerRegion: TARGET_REGION,
      nameAnswers: ['dr.app.example.com'],
      fence: { state: 'PENDING' },
      s3PendingOperations: 3,
    });
  });

  it('builds one timeline row per step, counting attempts, retries and errors', async () => {
    await run();
    const rows = record().timeline;

    expect(rows.map((s) => s.name)).toEqual([
      'Preflight',
      'ScaleDatabase',
      'ScaleService',
      'PromoteDatabase',
      'FlipDns',
      'FenceSource',
    ]);
    const service = rows.find((s) => s.name === 'ScaleService');
    expect(service).toMatchObject({ start: 62, end: 140, attempts: 3, retries: 1, errors: 1, failed: false });
    expect(rows.find((s) => s.name === 'FlipDns')).toMatchObject({
      start: 210,
      end: 260,
      seconds: 50,
      attempts: 2,
    });
    expect(record().errors.failedInvocations).toEqual([
      {
        state: 'ScaleService',
        type: 'LambdaFunctionFailed',
        error: 'TransientAwsError',
        cause: 'TransientAwsError cause',
        at: at(3).toISOString(),
      },
    ]);
  });

  it('writes Markdown with the shared sections and timeline table', async () => {
    await run();
    const md = putBody(MD_KEY);

    expect(md).toContain('## Summary');
    expect(md).toContain('| step | start s | end s | took s | attempts | errors | notes |');
    expect(md).toContain('| ScaleService | 62.0 | 140.0 | 78.0 | 3 | 1 | 1 retry |');
    expect(md).toContain('- **RTO (alarm → traffic):** 260.0 s');
    expect(md).toContain('- FAIL quotas: DB instances — 40 of 40 used (fix: raise the quota)');
    expect(md.indexOf('## State left')).toBeGreaterThan(md.indexOf('## Figures'));
  });

  it('reads what preflight found already done from the history when the summary does not carry it', async () => {
    const events = successHistory().map((e) =>
      e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Preflight'
        ? {
            ...e,
            stateExitedEventDetails: { name: 'Preflight', output: JSON.stringify({ preflight: PREFLIGHT }) },
          }
        : e,
    );
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events });
    const { preflight: _dropped, ...summary } = SUCCESS_STATE;

    await run(event({ state: summary }));

    expect(record().alreadyDone).toEqual(PREFLIGHT.alreadyDone);
    expect(putBody(MD_KEY)).toContain('- ScaleDatabase (skipped by this run)');
  });

  it('measures the RTO from the start when the input names no trigger', async () => {
    const events = successHistory();
    events[0] = {
      ...events[0],
      executionStartedEventDetails: { input: '{"mode":"planned","reason":"x"}' },
    } as HistoryEvent;
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events });

    await run();

    expect(record().origin.from).toBe('start');
    expect(record().rto?.seconds).toBe(200);
    expect(record().trigger).toBeUndefined();
  });

  it('reads every page of the history, passing the token back', async () => {
    const events = successHistory();
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({ events: events.slice(0, 10), nextToken: 'page-2' })
      .resolvesOnce({ events: events.slice(10) });

    await run();

    expect(sfnMock).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, 2);
    const tokens = sfnMock.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input.nextToken);
    expect(tokens).toEqual([undefined, 'page-2']);
    expect(record().history).toEqual({ events: events.length, truncated: false });
    expect(record().rto?.seconds).toBe(260);
  });

  it('stops at the page cap when the service never stops paging, and says the history was cut', async () => {
    sfnMock
      .on(GetExecutionHistoryCommand)
      .resolves({ events: successHistory().slice(0, 1), nextToken: 'again' });

    await run();

    expect(sfnMock).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, MAX_HISTORY_PAGES);
    expect(record().history.truncated).toBe(true);
    expect(putBody(MD_KEY)).toContain('history was cut');
  });

  it('records a failed run: the step, its error and cause, no RTO', async () => {
    const events = new HistoryBuilder()
      .started({ mode: 'planned', reason: 'drill' })
      .task('Preflight', 0, 2)
      .task('FlipDns', 100, 101)
      .task('FlipDnsCheck', 110, 110, { failures: ['WaitTimeoutError'], caught: true }).events;
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events });
    const state = {
      outcome: 'FAILED',
      failedStep: 'FlipDns',
      error: 'WaitTimeoutError',
      cause: 'budget used',
      stateReached: {
        preflight: { ...PREFLIGHT, requestedMode: 'planned', mode: 'planned' },
        steps: { dns: step('dns', { status: 'PENDING' }) },
      },
    };

    await run(event({ state, outcome: 'FAILED' }));
    const r = record();

    expect(r.outcome).toEqual({
      result: 'FAILED',
      failedStep: 'FlipDns',
      error: 'WaitTimeoutError',
      cause: 'budget used',
    });
    expect(r.rto).toBeUndefined();
    expect(r.timeline.find((s) => s.name === 'FlipDns')).toMatchObject({ failed: true, errors: 1, end: 111 });
    expect(r.stateLeft.writerRegion).toBeUndefined();
    expect(putBody(MD_KEY)).toContain('| FlipDns | 100.0 | 111.0 | 11.0 | 2 | 1 | ✖ FAILED |');
  });

  it('finds the readiness of a failed run under the step results, and an unavailable one', async () => {
    const failed = (readiness: unknown) => ({
      outcome: 'FAILED',
      failedStep: 'PromoteDatabase',
      error: 'SwitchoverRefusedError',
      cause: 'x',
      stateReached: { preflight: PREFLIGHT, steps: { readiness } },
    });

    await run(event({ state: failed(READINESS), outcome: 'FAILED' }));
    expect(record().replicationLag?.seconds).toBe(1.5);

    await run(
      event({
        state: failed({ ready: false, unavailable: { error: 'Lambda.Unknown', cause: 'boom' } }),
        outcome: 'FAILED',
      }),
    );
    expect(record().readiness).toEqual({
      ready: false,
      unavailable: 'Lambda.Unknown: boom',
      notPassing: [],
      checks: 0,
    });
    expect(putBody(MD_KEY)).toContain('- not evaluated at the start (Lambda.Unknown: boom)');
  });

  it('finds the readiness in the history when the failure record lost it (a Parallel that failed)', async () => {
    const events = new HistoryBuilder()
      .started({ mode: 'planned', reason: 'x' })
      .task('Preflight', 0, 2)
      .task('CheckReadiness', 2, 3, { output: { preflight: PREFLIGHT, readiness: READINESS } })
      .task('ScaleDatabase', 2, 9, { failures: ['InstanceCreationFailedError'], caught: true }).events;
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events });
    const state = {
      outcome: 'FAILED',
      failedStep: 'ScaleDatabase',
      error: 'InstanceCreationFailedError',
      cause: 'x',
      stateReached: { preflight: PREFLIGHT },
    };

    await run(event({ state, outcome: 'FAILED' }));

    expect(record().readiness).toMatchObject({ ready: false, checks: 2 });
    expect(record().replicationLag?.seconds).toBe(1.5);
  });

  it('records a denied approval as no action, with the denier’s reason, and no gate as none', async () => {
    const state = {
      outcome: 'DENIED',
      message: 'approval denied: not an outage',
      preflight: PREFLIGHT,
      readiness: READINESS,
      approval: { outcome: 'DENIED', cause: 'not an outage' },
    };
    await run(event({ state, outcome: 'NO_ACTION' }));
    expect(record().outcome.status).toBe('DENIED');
    expect(record().approval).toEqual({ decision: 'DENIED', reason: 'not an outage' });

    await run(event({ state: { ...SUCCESS_STATE, approval: { outcome: 'NOT_REQUIRED' } } }));
    expect(record().approval).toBeUndefined();
    expect(putBody(MD_KEY)).toContain('- none asked for this run');
  });

  it('records a run that took no action, with preflight’s status and sentence', async () => {
    const events = new HistoryBuilder().started({ mode: 'auto', reason: 'x' }).task('Preflight', 0, 2).events;
    sfnMock.on(GetExecutionHistoryCommand).resolves({ events });
    const state = {
      outcome: 'COOL_DOWN',
      message: 'a promotion finished 5 min ago',
      reason: 'x',
      targetRegion: TARGET_REGION,
      preflight: { ...PREFLIGHT, status: 'COOL_DOWN' },
    };

    await run(event({ state, outcome: 'NO_ACTION' }));

    expect(record().outcome).toEqual({
      result: 'NO_ACTION',
      status: 'COOL_DOWN',
      message: 'a promotion finished 5 min ago',
    });
    expect(record().timeline.map((s) => s.name)).toEqual(['Preflight']);
    expect(putBody(MD_KEY)).toContain('Run record: proj-dr-failover, run-1: NO_ACTION (COOL_DOWN)');
  });

  it('writes the same keys with the same content when run again for the same execution', async () => {
    const first = await run();
    const bodies = [putBody(JSON_KEY), putBody(MD_KEY)];
    s3Mock.reset();
    s3Mock.on(PutObjectCommand).resolves({});

    const second = await run();

    expect(second).toEqual(first);
    expect([putBody(JSON_KEY), putBody(MD_KEY)]).toEqual(bodies);
  });

  it('lets S3 AccessDenied through with its own name', async () => {
    s3Mock.on(PutObjectCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));

    await expect(run()).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('throws TransientAwsError when S3 or Step Functions throttle', async () => {
    s3Mock.on(PutObjectCommand).rejects(throttled());
    await expect(run()).rejects.toBeInstanceOf(TransientAwsError);

    sfnMock.on(GetExecutionHistoryCommand).rejects(throttled());
    await expect(run()).rejects.toBeInstanceOf(TransientAwsError);
  });

  it('still writes a record when the state is not an object', async () => {
    await run(event({ state: 'garbage' }));

    expect(record().outcome).toEqual({ result: 'PROMOTED' });
    expect(record().mode).toEqual({});
    expect(record().timeline).toHaveLength(6);
  });

  it.each([
    ['no execution ARN', { ...event(), executionArn: 'not-an-arn' }],
    ['an unknown outcome', { ...event(), outcome: 'MAYBE' }],
    ['no start time', { ...event(), startTime: 'soon' }],
    ['not an object', 'garbage'],
  ])('throws InvalidInputError for an event with %s, before calling AWS', async (_name, bad) => {
    await expect(run(bad)).rejects.toBeInstanceOf(InvalidInputError);
    expect(sfnMock).not.toHaveReceivedCommand(GetExecutionHistoryCommand);
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('links to the console of the execution’s partition', () => {
    expect(consoleUrl('aws-cn', 'cn-north-1', 'b', 'runs/x.md')).toBe(
      'https://console.amazonaws.cn/s3/object/b?region=cn-north-1&bucketType=general&prefix=runs%2Fx.md',
    );
    expect(consoleUrl('aws-us-gov', 'us-gov-west-1', 'b', 'k')).toMatch(
      /^https:\/\/console\.amazonaws-us-gov\.com\//,
    );
  });
});

describe('record-run (several databases and services)', () => {
  const svc = (name: string, done: boolean, detail: string) => ({ kind: 'service', name, done, detail });
  const db = (name: string, modeUsed: 'planned' | 'unplanned') => ({
    kind: 'database',
    name,
    done: true,
    detail: `${name}: writer in ${TARGET_REGION}`,
    modeUsed,
  });
  const WITH_RESOURCES = {
    ...SUCCESS_STATE,
    steps: {
      ...STEPS_DONE,
      service: step('service', {
        resources: [
          svc('api', true, 'api: 3/3 task(s) running (target 3)'),
          svc('web', true, 'web: 2/2 task(s) running (target 2)'),
          svc('worker', true, 'worker: 1/1 task(s) running (target 1)'),
        ],
      }),
      promotion: step('promotion', {
        modeUsed: 'unplanned',
        resources: [db('app', 'planned'), db('orders', 'unplanned')],
      }),
      fence: step('fence', {
        fence: { state: 'FENCED', done: [], commands: [] },
        resources: [svc('api', true, 'api: at 0'), { kind: 'service', name: 'broken' }],
      }),
    },
  };

  it('lists each step’s resources in the JSON, and each database’s mode with the data loss it allowed', async () => {
    await run(event({ state: WITH_RESOURCES }));
    const left = record().stateLeft;

    expect(Object.keys(left.resources ?? {})).toEqual(['ScaleService', 'PromoteDatabase', 'FenceSource']);
    expect(left.resources?.ScaleService?.map((r) => [r.name, r.done])).toEqual([
      ['api', true],
      ['web', true],
      ['worker', true],
    ]);
    // A malformed entry is left out, not fatal.
    expect(left.resources?.FenceSource).toHaveLength(1);
    expect(left.databaseModes).toEqual([
      { name: 'app', modeUsed: 'planned', dataLossAllowed: false },
      { name: 'orders', modeUsed: 'unplanned', dataLossAllowed: true },
    ]);
  });

  it('shows each resource on its own line in the Markdown, and which database allowed data loss', async () => {
    await run(event({ state: WITH_RESOURCES }));
    const md = putBody(MD_KEY);

    expect(md).toContain(
      [
        '- per resource:',
        '  - ScaleService: service api (done): 3/3 task(s) running (target 3)',
        '  - ScaleService: service web (done): 2/2 task(s) running (target 2)',
        '  - ScaleService: service worker (done): 1/1 task(s) running (target 1)',
        `  - PromoteDatabase: database app (done, planned: no data lost): writer in ${TARGET_REGION}`,
        `  - PromoteDatabase: database orders (done, unplanned: data loss allowed): writer in ${TARGET_REGION}`,
        '  - FenceSource: service api (done): at 0',
        '- data loss allowed (unplanned failover) for: database orders',
      ].join('\n'),
    );
  });

  it('adds nothing per resource when the steps reported none', async () => {
    await run();

    expect(record().stateLeft).not.toHaveProperty('resources');
    expect(record().stateLeft).not.toHaveProperty('databaseModes');
    expect(putBody(MD_KEY)).not.toContain('per resource');
  });
});

describe('record-run (capacity shortfalls)', () => {
  const SHORT = {
    ...SUCCESS_STATE,
    steps: {
      ...STEPS_DONE,
      service: step('service', {
        partial: true,
        capacity: {
          refusals: [{ instanceType: 't3.small', zone: 'us-west-2a', count: 3 }],
          otherFailures: [],
          firstChoice: 't3.small',
          substitutes: [{ instanceType: 't3a.small', count: 2 }],
          lines: [
            't3.small: no capacity in us-west-2a ×3 (InsufficientInstanceCapacity)',
            'launched t3a.small ×2 instead of t3.small',
          ],
        },
        fullTarget: { state: 'BUDGET_ENDED', lines: ['api: 2/3 when the budget ended'] },
      }),
    },
  };

  it('lists the service step’s refusals, substitutes and how far it scaled after traffic moved', async () => {
    await run(event({ state: SHORT }));

    expect(record().shortfall).toEqual([
      'ScaleService: capacity: t3.small: no capacity in us-west-2a ×3 (InsufficientInstanceCapacity)',
      'ScaleService: capacity: launched t3a.small ×2 instead of t3.small',
      'ScaleService: after traffic moved: api: 2/3 when the budget ended',
    ]);
    expect(putBody(MD_KEY)).toContain(
      [
        '## Capacity',
        '',
        '- ScaleService: capacity: t3.small: no capacity in us-west-2a ×3 (InsufficientInstanceCapacity)',
        '- ScaleService: capacity: launched t3a.small ×2 instead of t3.small',
        '- ScaleService: after traffic moved: api: 2/3 when the budget ended',
      ].join('\n'),
    );
  });

  it('says nothing fell short when nothing did', async () => {
    await run();

    expect(record().shortfall).toEqual([]);
    expect(putBody(MD_KEY)).toContain('## Capacity\n\n- no capacity shortfall reported');
  });

  it('skips shortfall lines that are not text', async () => {
    const odd = {
      ...SHORT,
      steps: {
        ...SHORT.steps,
        service: step('service', { capacity: { lines: [1, 'x'] }, fullTarget: 'no' }),
      },
    };
    await run(event({ state: odd }));

    expect(record().shortfall).toEqual(['ScaleService: capacity: x']);
  });
});

describe('record-run handler', () => {
  it('reads the bucket from its environment', async () => {
    const link = await withEnv({ ...REGION_ENV, RUN_RECORD_BUCKET: BUCKET }, () => handler(event()));

    expect(link.bucket).toBe(BUCKET);
  });

  it('throws InvalidInputError naming a missing variable', async () => {
    await expect(withEnv({ ...REGION_ENV, RUN_RECORD_BUCKET: '' }, () => handler(event()))).rejects.toThrow(
      /RUN_RECORD_BUCKET/,
    );
  });
});
