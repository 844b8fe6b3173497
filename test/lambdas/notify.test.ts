import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/notify';
import { NOTIFY_DATABASE_FIELDS, type NOTIFY_ENV } from '../../lambdas/notify/env';
import { SUBJECT_LIMIT } from '../../lambdas/notify/notice';
import { type NotifySettings, notify, readNotifySettings } from '../../lambdas/notify/notify';
import type { NotifyEvent } from '../../lambdas/notify/run-record';
import { InvalidInputError, TransientAwsError } from '../../lambdas/shared/errors';
import { databasesEnvironment } from '../../lambdas/shared/resources';
import { STEPS } from '../../lambdas/shared/steps';
import {
  ACCOUNT,
  awsError,
  makePrevious,
  REGION_ENV,
  REGION_SETTINGS,
  SOURCE_REGION,
  TARGET_REGION,
  throttled,
  withEnv,
} from './helpers';
import { asRead, DATABASE, databaseEntry } from './notify-fixtures';

const rdsMock = mockClient(RDSClient);
const snsMock = mockClient(SNSClient);

const STATE_MACHINE_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:stateMachine:proj-dr-failover`;
const SETTINGS: NotifySettings = {
  ...REGION_SETTINGS,
  project: 'proj',
  configName: 'base',
  stateMachineArn: STATE_MACHINE_ARN,
  topicArn: `arn:aws:sns:${TARGET_REGION}:${ACCOUNT}:proj-dr-failover`,
  databases: [asRead(DATABASE)],
};
const ENV: Record<(typeof NOTIFY_ENV)[number], string> = {
  ...REGION_ENV,
  PROJECT: SETTINGS.project,
  CONFIG_NAME: SETTINGS.configName,
  TOPIC_ARN: SETTINGS.topicArn,
  STATE_MACHINE_ARN,
  /** As infra writes it for notify. */
  DATABASES: databasesEnvironment([DATABASE], NOTIFY_DATABASE_FIELDS),
};
const clusterArn = (region: string) => `arn:aws:rds:${region}:${ACCOUNT}:cluster:proj-${region}`;

function writerIn(region: string): void {
  rdsMock.on(DescribeGlobalClustersCommand).resolves({
    GlobalClusters: [
      {
        GlobalClusterMembers: [
          { DBClusterArn: clusterArn(region), IsWriter: true },
          {
            DBClusterArn: clusterArn(region === TARGET_REGION ? SOURCE_REGION : TARGET_REGION),
            IsWriter: false,
          },
        ],
      },
    ],
  });
}

function makeEvent(overrides: Partial<NotifyEvent> = {}): NotifyEvent {
  return {
    kind: 'PROMOTED',
    executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:run-1`,
    startTime: '2026-01-01T00:00:00.000Z',
    state: {
      preflight: { requestedMode: 'auto', mode: 'planned', reason: 'game day', status: 'PROCEED' },
      steps: {
        database: makePrevious('database', {
          status: 'READY',
          startedAt: '2026-01-01T00:00:00.000Z',
          finishedAt: '2026-01-01T00:10:00.000Z',
        }),
        service: makePrevious('service', { status: 'READY', finishedAt: '2026-01-01T00:05:00.000Z' }),
        promotion: makePrevious('promotion', { status: 'READY', modeUsed: 'planned' }),
        dns: makePrevious('dns', { status: 'READY' }),
      },
    },
    ...overrides,
  };
}

function published(): { Subject?: string; Message?: string; attributes: Record<string, string | undefined> } {
  const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
  return {
    ...(input?.Subject === undefined ? {} : { Subject: input.Subject }),
    ...(input?.Message === undefined ? {} : { Message: input.Message }),
    attributes: Object.fromEntries(
      Object.entries(input?.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
    ),
  };
}

describe('notify', () => {
  beforeEach(() => {
    rdsMock.reset();
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('publishes a readable success notice naming project, region and outcome', async () => {
    // Prepare
    writerIn(TARGET_REGION);

    // Act
    const result = await notify(makeEvent(), SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) });

    // Assess
    const msg = published();
    expect(result).toEqual({
      messageId: 'm-1',
      subject: 'pilot-light proj: us-west-2 (dr) PROMOTED (planned)',
    });
    expect(msg.Subject).toBe(result.subject);
    expect(msg.Message).toContain(`Database writer: ${TARGET_REGION} (dr)`);
    expect(msg.Message).toContain(`Traffic:         ${TARGET_REGION} (dr)`);
    expect(msg.Message).toMatch(new RegExp(`${STEPS.database.label}\\s+done in 600 s`));
    expect(msg.Message).not.toContain('{"');
    expect(msg.attributes).toMatchObject({
      outcome: 'PROMOTED',
      databasePromotedHere: 'true',
      trafficMovedHere: 'true',
    });
  });

  it('says loudly when the database is promoted here but traffic is not, with the command that finishes it', async () => {
    // Prepare: the promotion finished, the DNS step failed.
    writerIn(TARGET_REGION);
    const event = makeEvent({
      kind: 'FAILED',
      state: {
        outcome: 'FAILED',
        failedStep: STEPS.dns.label,
        error: 'TransientAwsError',
        cause: 'ChangeResourceRecordSets: TimeoutError',
        stateReached: {
          preflight: { requestedMode: 'auto', mode: 'unplanned', status: 'PROCEED' },
          steps: { promotion: makePrevious('promotion', { status: 'READY', modeUsed: 'unplanned' }) },
        },
      },
    });

    // Act
    await notify(event, SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) });

    // Assess
    const msg = published();
    expect(msg.Subject).toBe(`pilot-light proj: failover to us-west-2 (dr) FAILED at ${STEPS.dns.label}`);
    expect(msg.Message).toContain('>>> The database is promoted in us-west-2 but traffic is not here yet');
    expect(msg.Message).toContain('npm run failover -- --project base --region dr --mode unplanned --follow');
    expect(msg.Message).toContain(`Traffic:         ${SOURCE_REGION} (not moved by this run)`);
    expect(msg.attributes).toMatchObject({
      outcome: 'FAILED',
      failedStep: STEPS.dns.label,
      databasePromotedHere: 'true',
      trafficMovedHere: 'false',
    });
  });

  it('still publishes when the live writer read fails, saying what it could not read', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    const event = makeEvent({
      kind: 'FAILED',
      state: {
        outcome: 'FAILED',
        failedStep: STEPS.preflight.label,
        error: 'InvalidInputError',
        cause: "mode: expected one of 'planned'",
      },
    });

    // Act
    await notify(event, SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) });

    // Assess
    const msg = published();
    expect(msg.Message).toContain('live read failed: AccessDenied: not authorized');
    expect(msg.Message).toContain('Nothing has moved the database');
  });

  it('keeps the subject within SNS limits (ASCII, at most 100 characters)', async () => {
    // Prepare
    writerIn(TARGET_REGION);

    // Act
    const result = await notify(
      makeEvent(),
      { ...SETTINGS, project: `proj-${'x'.repeat(120)}–é` },
      {
        rds: new RDSClient({}),
        sns: new SNSClient({}),
      },
    );

    // Assess
    expect(result.subject.length).toBeLessThanOrEqual(SUBJECT_LIMIT);
    expect(result.subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('announces the start and the no-action outcomes', async () => {
    // Prepare
    writerIn(SOURCE_REGION);
    const start = makeEvent({
      kind: 'START',
      state: {
        preflight: { requestedMode: 'auto', mode: 'unplanned', status: 'PROCEED', message: 'will fail over' },
      },
    });
    const none = makeEvent({
      kind: 'NO_ACTION',
      state: {
        outcome: 'IN_FLIGHT',
        preflight: { status: 'IN_FLIGHT', message: 'another run is in flight' },
      },
    });

    // Act
    await notify(start, SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) });
    await notify(none, SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) });

    // Assess
    const subjects = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input.Subject);
    expect(subjects).toEqual([
      'pilot-light proj: failover to us-west-2 (dr) started (unplanned)',
      'pilot-light proj: no failover to us-west-2 (dr) (IN_FLIGHT)',
    ]);
    expect(snsMock.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(
      `Database writer: ${SOURCE_REGION}`,
    );
  });

  it('rejects an unknown kind before publishing anything', async () => {
    // Act / Assess
    await expect(
      notify(makeEvent({ kind: 'MAYBE' as NotifyEvent['kind'] }), SETTINGS, {
        rds: new RDSClient({}),
        sns: new SNSClient({}),
      }),
    ).rejects.toThrow(InvalidInputError);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('turns a throttled publish into TransientAwsError (the state machine retries it)', async () => {
    // Prepare
    writerIn(TARGET_REGION);
    snsMock.on(PublishCommand).rejects(throttled());

    // Act / Assess
    await expect(
      notify(makeEvent(), SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) }),
    ).rejects.toThrow(TransientAwsError);
  });

  it('passes a permanent publish error through unchanged (the raw fallback notification goes out)', async () => {
    // Prepare
    writerIn(TARGET_REGION);
    snsMock.on(PublishCommand).rejects(awsError('AuthorizationErrorException', 'no', 403));

    // Act / Assess
    await expect(
      notify(makeEvent(), SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) }),
    ).rejects.toMatchObject({
      name: 'AuthorizationErrorException',
    });
  });

  it('reads its settings from the environment, naming what is missing', async () => {
    // Act / Assess
    expect(readNotifySettings(ENV)).toEqual(SETTINGS);
    expect(() => readNotifySettings({ ...ENV, TOPIC_ARN: '' })).toThrow(
      'missing environment variable(s): TOPIC_ARN',
    );
  });

  it('handler: publishes with the environment it is given', async () => {
    // Prepare
    writerIn(TARGET_REGION);

    // Act
    const result = await withEnv(ENV, () => handler(makeEvent()));

    // Assess
    expect(result.messageId).toBe('m-1');
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, { TopicArn: SETTINGS.topicArn });
  });
});

describe('notify: the success summary shape', () => {
  beforeEach(() => {
    rdsMock.reset();
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-2' });
  });

  it('reads mode and steps from the Summarize output (no preflight object there)', async () => {
    // Prepare: what the Summarize state passes to NotifySuccess.
    writerIn(TARGET_REGION);
    const event = makeEvent({
      state: {
        outcome: 'PROMOTED',
        mode: 'unplanned',
        requestedMode: 'auto',
        reason: 'alarm',
        steps: { dns: makePrevious('dns', { status: 'READY' }) },
      },
    });

    // Act
    const result = await notify(event, SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) });

    // Assess
    expect(result.subject).toBe('pilot-light proj: us-west-2 (dr) PROMOTED (unplanned)');
    expect(published().attributes).toMatchObject({ trafficMovedHere: 'true', databasePromotedHere: 'true' });
  });
});

describe('notify with several databases and services', () => {
  const ORDERS = databaseEntry('orders');
  const TWO: NotifySettings = { ...SETTINGS, databases: [DATABASE, ORDERS].map(asRead) };
  const clients = () => ({ rds: new RDSClient({}), sns: new SNSClient({}) });

  beforeEach(() => {
    rdsMock.reset();
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-3' });
  });

  /** Each global cluster's writer: `app` here, `orders` in the region given. */
  function writersIn(orders: string): void {
    rdsMock.on(DescribeGlobalClustersCommand).callsFake((input: { GlobalClusterIdentifier?: string }) => {
      const region = input.GlobalClusterIdentifier === ORDERS.globalClusterId ? orders : TARGET_REGION;
      return {
        GlobalClusters: [{ GlobalClusterMembers: [{ DBClusterArn: clusterArn(region), IsWriter: true }] }],
      };
    });
  }

  it('reads every global cluster’s writer and shows each, and each resource of the steps', async () => {
    // Prepare
    writersIn(TARGET_REGION);
    const event = makeEvent({
      state: {
        preflight: { requestedMode: 'auto', mode: 'unplanned', status: 'PROCEED' },
        steps: {
          service: makePrevious('service', {
            status: 'READY',
            detail: 'all serving',
            resources: [
              { kind: 'service', name: 'api', done: true, detail: 'api: 3/3 task(s) running (target 3)' },
              { kind: 'service', name: 'web', done: true, detail: 'web: 2/2 task(s) running (target 2)' },
              {
                kind: 'service',
                name: 'worker',
                done: true,
                detail: 'worker: 1/1 task(s) running (target 1)',
              },
            ],
          }),
          promotion: makePrevious('promotion', {
            status: 'READY',
            modeUsed: 'unplanned',
            resources: [
              { kind: 'database', name: 'app', done: true, detail: 'app: writer', modeUsed: 'planned' },
              {
                kind: 'database',
                name: 'orders',
                done: true,
                detail: 'orders: writer',
                modeUsed: 'unplanned',
              },
            ],
          }),
          dns: makePrevious('dns', { status: 'READY' }),
        },
      },
    });

    // Act
    await notify(event, TWO, clients());

    // Assess
    expect(rdsMock).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: 'proj-app-global',
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: 'proj-orders-global',
    });
    const msg = published();
    expect(msg.Message).toContain(
      `  Database writers:\n    app: ${TARGET_REGION} (dr)\n    orders: ${TARGET_REGION} (dr)\n`,
    );
    expect(msg.Message).toContain(
      'What happened: the databases are promoted here and traffic has moved here.',
    );
    expect(msg.Message).toContain('Data loss allowed (unplanned failover) for: database orders');
    expect(msg.Message).toContain(
      [
        '      - service api (done): 3/3 task(s) running (target 3)',
        '      - service web (done): 2/2 task(s) running (target 2)',
        '      - service worker (done): 1/1 task(s) running (target 1)',
      ].join('\n'),
    );
    expect(msg.Message).toContain('      - database app (done, planned: no data lost): writer');
    expect(msg.Message).toContain('      - database orders (done, unplanned: data loss allowed): writer');
    expect(msg.attributes).toMatchObject({ databasePromotedHere: 'true' });
  });

  it('says which database is promoted here when another is not and traffic did not move', async () => {
    // Prepare
    writersIn(SOURCE_REGION);
    const event = makeEvent({
      kind: 'FAILED',
      state: { outcome: 'FAILED', failedStep: STEPS.promotion.label, error: 'WaitTimeoutError' },
    });

    // Act
    await notify(event, TWO, clients());

    // Assess
    const msg = published();
    expect(msg.Message).toContain(`    orders: ${SOURCE_REGION}\n`);
    expect(msg.Message).toContain('>>> Database(s) app is promoted in us-west-2 but traffic is not here yet');
    expect(msg.attributes).toMatchObject({ databasePromotedHere: 'false' });
  });

  it('throws TransientAwsError naming the database whose writer read was throttled', async () => {
    // Prepare
    writersIn(TARGET_REGION);
    rdsMock
      .on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: ORDERS.globalClusterId })
      .rejects(throttled());

    // Act / Assess
    await expect(notify(makeEvent(), TWO, clients())).rejects.toThrow(
      /^database orders: DescribeGlobalClusters: ThrottlingException/,
    );
    expect(snsMock).not.toHaveReceivedCommand(PublishCommand);
  });

  it('reads DATABASES from the environment, in order, with only the global cluster of each', () => {
    // Prepare
    const env = { ...ENV, DATABASES: databasesEnvironment([DATABASE, ORDERS], NOTIFY_DATABASE_FIELDS) };

    // Act / Assess
    expect(readNotifySettings(env).databases).toEqual([
      { name: 'app', globalClusterId: 'proj-app-global' },
      { name: 'orders', globalClusterId: 'proj-orders-global' },
    ]);
  });

  it.each<[string, unknown, string]>([
    [
      'a malformed field',
      { ...asRead(ORDERS), globalClusterId: 7 },
      'DATABASES[1].globalClusterId: expected string, got 7',
    ],
    [
      'a field notify does not read',
      { ...asRead(ORDERS), clusterId: ORDERS.clusterId },
      "DATABASES[1]: unknown key 'clusterId'",
    ],
  ])('throws InvalidInputError naming DATABASES, the entry and the field for %s', (_case, entry, message) => {
    // Prepare
    const bad = { ...ENV, DATABASES: JSON.stringify([asRead(DATABASE), entry]) };

    // Act / Assess
    expect(() => readNotifySettings(bad)).toThrow(
      new InvalidInputError(`environment variable DATABASES: ${message}`),
    );
  });
});
