import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand, SSMClient, TooManyUpdates } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/fence-source';
import { FENCE_SOURCE_SERVICE_FIELDS } from '../../lambdas/fence-source/env';
import {
  type FenceSourceClients,
  type FenceSourceSettings,
  fenceSource,
  readFenceSourceSettings,
} from '../../lambdas/fence-source/fence-source';
import type { FencedService } from '../../lambdas/fence-source/goals';
import type { FenceEvent, FenceReport, StepResult } from '../../lambdas/shared/contracts';
import { InvalidInputError } from '../../lambdas/shared/errors';
import { type ServiceResource, servicesEnvironment } from '../../lambdas/shared/resources';
import {
  awsError,
  makePrevious,
  REGION_ENV,
  REGION_SETTINGS,
  SOURCE_REGION,
  secondsAgo,
  TARGET_REGION,
  throttled,
  WAIT,
  withEnv,
} from './helpers';

const cwMock = mockClient(CloudWatchClient);
const ecsMock = mockClient(ECSClient);
const ssmMock = mockClient(SSMClient);

const MAIN_DESIRED_COUNT_PARAMETER = '/proj/main/capacity/app-desired-count';

const RELEASE_MAIN =
  'aws cloudwatch put-metric-data --region us-east-1 --namespace PilotLight --metric-name TrafficClaim --dimensions Project=proj,Role=main --value 0 --unit Count';
const RECORD_MAIN =
  'aws ssm put-parameter --region us-east-1 --name /proj/main/capacity/app-desired-count --type String --value 0 --overwrite';
const STOP_MAIN =
  'aws ecs update-service --region us-east-1 --cluster proj-main-cluster --service proj-main-app --desired-count 0';

/** A `services[]` entry as DR's functions see it: the source (main) is `proj-main-<name>`. */
function serviceEntry(name: string, own = 'dr', source = 'main'): ServiceResource {
  return {
    name,
    ecsService: `proj-${own}-${name}`,
    desiredCount: 2,
    desiredCountParameter: `/proj/${own}/capacity/${name}-desired-count`,
    sourceEcsService: `proj-${source}-${name}`,
    sourceDesiredCountParameter: `/proj/${source}/capacity/${name}-desired-count`,
    image: `public.ecr.aws/proj/${name}:1`,
  };
}

/** `entry` as the step reads it: `name` and {@link FENCE_SOURCE_SERVICE_FIELDS}. */
function asRead({ name, sourceEcsService, sourceDesiredCountParameter }: ServiceResource): FencedService {
  return { name, sourceEcsService, sourceDesiredCountParameter };
}

function makeSettings(overrides: Partial<FenceSourceSettings> = {}): FenceSourceSettings {
  return {
    ...REGION_SETTINGS,
    project: 'proj',
    sourceEcsCluster: 'proj-main-cluster',
    sourceClaimAlarmName: 'proj-main-traffic-claim',
    services: [asRead(serviceEntry('app'))],
    ...overrides,
  };
}

/** Failback: this region is main, the source is DR. */
function failbackSettings(): FenceSourceSettings {
  return makeSettings({
    targetRole: 'main',
    targetRegion: SOURCE_REGION,
    sourceRegion: TARGET_REGION,
    sourceEcsCluster: 'proj-dr-cluster',
    sourceClaimAlarmName: 'proj-dr-traffic-claim',
    services: [asRead(serviceEntry('app', 'main', 'dr'))],
  });
}

/** The handler's environment for `services`, as infra writes it for DR. */
function makeEnv(services: readonly ServiceResource[] = [serviceEntry('app')]): Record<string, string> {
  return {
    ...REGION_ENV,
    PROJECT: 'proj',
    SERVICES: servicesEnvironment(services, FENCE_SOURCE_SERVICE_FIELDS),
    SOURCE_ECS_CLUSTER: 'proj-main-cluster',
    SOURCE_CLAIM_ALARM_NAME: 'proj-main-traffic-claim',
  };
}

function makeEvent(overrides: Partial<FenceEvent> = {}): FenceEvent {
  return { wait: WAIT, modeUsed: 'unplanned', ...overrides };
}

function previousCall(fence: FenceReport, overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('fence', { fence, ...overrides });
}

/**
 * One client per region, as the handler builds them: mocks are per class, so calls tell the
 * regions apart by `client.config.region`.
 */
const clients = (settings: FenceSourceSettings = makeSettings()): FenceSourceClients => ({
  sourceCloudwatch: new CloudWatchClient({ region: settings.sourceRegion }),
  sourceEcs: new ECSClient({ region: settings.sourceRegion }),
  sourceSsm: new SSMClient({ region: settings.sourceRegion }),
  targetCloudwatch: new CloudWatchClient({ region: settings.targetRegion }),
});

function givenAlarm(overrides: Partial<MetricAlarm> = {}): void {
  cwMock.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [
      {
        AlarmName: 'x',
        StateValue: 'ALARM',
        StateUpdatedTimestamp: new Date(secondsAgo(3600)),
        ...overrides,
      },
    ],
  });
}

function givenService(desiredCount: number): void {
  ecsMock
    .on(DescribeServicesCommand)
    .resolves({ services: [{ serviceName: 'proj-main-app', status: 'ACTIVE', desiredCount }] });
}

/** The source service's deployed desired count, as its capacity parameter holds it. */
function givenDeployedCount(value: string): void {
  ssmMock
    .on(GetParameterCommand)
    .resolves({ Parameter: { Name: MAIN_DESIRED_COUNT_PARAMETER, Value: value } });
}

async function regionsOfPuts(): Promise<{ region: string; role: string; value: number | undefined }[]> {
  return Promise.all(
    cwMock.commandCalls(PutMetricDataCommand).map(async (c) => ({
      region: await (c.thisValue as CloudWatchClient).config.region(),
      role: c.args[0].input.MetricData?.[0]?.Dimensions?.find((d) => d.Name === 'Role')?.Value ?? '',
      value: c.args[0].input.MetricData?.[0]?.Value,
    })),
  );
}

beforeEach(() => {
  cwMock.reset();
  ecsMock.reset();
  cwMock.on(PutMetricDataCommand).resolves({});
  ecsMock.on(UpdateServiceCommand).resolves({});
  ssmMock.reset();
  ssmMock.on(PutParameterCommand).resolves({});
  // main's service as deployed: its parameter still holds the configured count.
  givenDeployedCount('2');
});

describe('fenceSource (failover to DR)', () => {
  it('scales the old service to 0 and releases main’s claim in an unplanned run: FENCED', async () => {
    // Prepare: main's alarm says main claims (OK); its service still runs.
    givenAlarm({ StateValue: 'OK' });
    givenService(2);
    // Act
    const result = await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({
      step: 'fence',
      status: 'READY',
      alreadyDone: false,
      modeUsed: 'unplanned',
    });
    expect(result.fence).toEqual({
      state: 'FENCED',
      done: [
        "released main's traffic claim in us-east-1",
        `service app: main desired count recorded as 0 in ${MAIN_DESIRED_COUNT_PARAMETER}`,
        'service app: main ECS service proj-main-app scaled to 0',
      ],
      commands: [],
    });
    expect(await regionsOfPuts()).toEqual([{ region: SOURCE_REGION, role: 'main', value: 0 }]);
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'proj-main-cluster',
      service: 'proj-main-app',
      desiredCount: 0,
    });
  });

  it('returns READY alreadyDone when the service is at 0 and the claim released', async () => {
    // Prepare: main's alarm in ALARM: main does not claim (the resting state).
    givenAlarm({ StateValue: 'ALARM' });
    givenService(0);
    givenDeployedCount('0');
    // Act
    const result = await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(ssmMock).not.toHaveReceivedCommand(PutParameterCommand);
    expect(result.fence?.state).toBe('FENCED');
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('only releases the claim in a planned run: RELEASED, the service untouched', async () => {
    // Prepare
    givenAlarm({ StateValue: 'OK' });
    // Act
    const result = await fenceSource(makeEvent({ modeUsed: 'planned' }), makeSettings(), clients());
    // Assess
    expect(result.fence).toEqual({
      state: 'RELEASED',
      done: ["released main's traffic claim in us-east-1"],
      commands: [],
    });
    expect(ecsMock).not.toHaveReceivedCommand(DescribeServicesCommand);
    expect(ssmMock).not.toHaveReceivedAnyCommand();
  });

  it('publishes the release when the alarm cannot be read', async () => {
    // Prepare
    cwMock.on(DescribeAlarmsCommand).rejects(throttled());
    // Act
    const result = await fenceSource(makeEvent({ modeUsed: 'planned' }), makeSettings(), clients());
    // Assess
    expect(result.fence?.state).toBe('RELEASED');
    expect(cwMock).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
  });

  it('keeps PENDING with the commands to finish, never failing, when the source region errors', async () => {
    // Prepare: the old region is down.
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    cwMock.on(DescribeAlarmsCommand).rejects(down);
    cwMock.on(PutMetricDataCommand).rejects(down);
    ecsMock.on(DescribeServicesCommand).rejects(down);
    ssmMock.on(GetParameterCommand).rejects(down);
    // Act
    const result = await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 1 });
    expect(result.fence).toEqual({
      state: 'PENDING',
      done: [],
      commands: [RELEASE_MAIN, RECORD_MAIN, STOP_MAIN],
    });
    expect(result.detail).toContain('release: TransientAwsError: PutMetricData: Error: connect ECONNREFUSED');
  });

  it('keeps PENDING on a permanent source error too (AccessDenied on UpdateService)', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenService(2);
    ecsMock.on(UpdateServiceCommand).rejects(awsError('AccessDeniedException', 'not allowed'));
    // Act
    const result = await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.fence).toMatchObject({ state: 'PENDING', commands: [STOP_MAIN] });
    expect(result.detail).toContain('stop: AccessDeniedException: not allowed');
  });

  it('keeps PENDING when the old service or the alarm does not exist', async () => {
    // Prepare
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    ecsMock.on(DescribeServicesCommand).resolves({ services: [] });
    // Act
    const result = await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.detail).toContain('ResourceNotFoundError: ECS service proj-main-app');
    expect(result.fence?.done).toEqual([
      "released main's traffic claim in us-east-1",
      `service app: main desired count recorded as 0 in ${MAIN_DESIRED_COUNT_PARAMETER}`,
    ]);
  });

  it('gives up on a silent region after the call timeout', async () => {
    // Prepare: DescribeServices never answers.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      givenAlarm({ StateValue: 'ALARM' });
      ecsMock.on(DescribeServicesCommand).callsFake(() => new Promise(() => {}));
      // Act
      const run = fenceSource(makeEvent(), makeSettings(), clients());
      await jest.advanceTimersByTimeAsync(5_000);
      const result = await run;
      // Assess
      expect(result.fence).toMatchObject({ state: 'PENDING', commands: [STOP_MAIN] });
      expect(result.detail).toContain('TimeoutError');
    } finally {
      jest.useRealTimers();
    }
  });

  it('skips on a check what previous.fence.done records and finishes the rest', async () => {
    // Prepare
    givenService(2);
    const previous = previousCall({
      state: 'PENDING',
      done: ["released main's traffic claim in us-east-1"],
      commands: [STOP_MAIN],
    });
    // Act
    const result = await fenceSource(makeEvent({ previous }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 2, alreadyDone: false });
    expect(result.fence?.state).toBe('FENCED');
    expect(cwMock).not.toHaveReceivedCommand(DescribeAlarmsCommand);
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('returns READY with fence PENDING and the commands once the budget is spent, calling nothing', async () => {
    // Prepare
    const previous = previousCall(
      { state: 'PENDING', done: [], commands: [RELEASE_MAIN, RECORD_MAIN, STOP_MAIN] },
      { attempt: 5, startedAt: secondsAgo(WAIT.budgetMinutes * 60 + 1) },
    );
    // Act
    const result = await fenceSource(makeEvent({ previous }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 6 });
    expect(result.fence).toEqual({
      state: 'PENDING',
      done: [],
      commands: [RELEASE_MAIN, RECORD_MAIN, STOP_MAIN],
    });
    expect(result.detail).toContain('budget of 10 min spent');
    expect(cwMock.calls()).toHaveLength(0);
    expect(ecsMock.calls()).toHaveLength(0);
    expect(ssmMock.calls()).toHaveLength(0);
  });
});

describe('fenceSource (the old service’s deployed count)', () => {
  it('records 0 in the source region’s parameter before it stops the service', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenService(2);
    // Act
    await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(ssmMock).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: MAIN_DESIRED_COUNT_PARAMETER,
      Value: '0',
      Type: 'String',
      Overwrite: true,
    });
    const [put] = ssmMock.commandCalls(PutParameterCommand);
    const [update] = ecsMock.commandCalls(UpdateServiceCommand);
    if (put === undefined || update === undefined) throw new Error('expected both writes');
    // Sinon orders calls across spies (the mocks are spies of different clients).
    expect(put.calledBefore(update as unknown as typeof put)).toBe(true);
    expect(await (put.thisValue as SSMClient).config.region()).toBe(SOURCE_REGION);
  });

  it('records 0 even when the service is already at 0 (a deploy would start it again)', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenService(0);
    // Act
    const result = await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: false });
    expect(ssmMock).toHaveReceivedCommandTimes(PutParameterCommand, 1);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it.each([
    ['TooManyUpdates', new TooManyUpdates({ message: 'one at a time', $metadata: {} }), 'TransientAwsError'],
    [
      'ParameterMaxVersionLimitExceeded',
      awsError('ParameterMaxVersionLimitExceeded', 'labeled'),
      'InvalidStateError',
    ],
    ['AccessDenied', awsError('AccessDeniedException', 'no'), 'AccessDeniedException'],
  ])(
    'still stops the service when PutParameter fails (%s), and keeps PENDING with the command',
    async (_n, err, name) => {
      // Prepare
      givenAlarm({ StateValue: 'ALARM' });
      givenService(2);
      ssmMock.on(PutParameterCommand).rejects(err);
      // Act
      const result = await fenceSource(makeEvent(), makeSettings(), clients());
      // Assess
      expect(result.status).toBe('PENDING');
      expect(result.fence).toMatchObject({ state: 'PENDING', commands: [RECORD_MAIN] });
      expect(result.detail).toContain(`record: ${name}`);
      expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 0 });
    },
  );

  it('does not create a missing parameter: PENDING, naming it', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenService(0);
    ssmMock.on(GetParameterCommand).rejects(awsError('ParameterNotFound', 'not found'));
    // Act
    const result = await fenceSource(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.fence).toMatchObject({ state: 'PENDING', commands: [RECORD_MAIN] });
    expect(result.detail).toContain(
      `ResourceNotFoundError: parameter ${MAIN_DESIRED_COUNT_PARAMETER} does not exist`,
    );
    expect(ssmMock).not.toHaveReceivedCommand(PutParameterCommand);
  });
});

describe('fenceSource (three services, unplanned)', () => {
  const THREE = makeSettings({ services: ['api', 'web', 'worker'].map((n) => asRead(serviceEntry(n))) });
  const stopCommand = (name: string) =>
    `aws ecs update-service --region us-east-1 --cluster proj-main-cluster --service proj-main-${name} --desired-count 0`;

  /** main's services, by ECS name, at their desired counts; a name left out is MISSING. */
  function givenServices(counts: Readonly<Record<string, number>>): void {
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services?: string[] }) => ({
      services: (input.services ?? [])
        .filter((n) => counts[n] !== undefined)
        .map((n) => ({ serviceName: n, status: 'ACTIVE', desiredCount: counts[n] })),
      failures: (input.services ?? [])
        .filter((n) => counts[n] === undefined)
        .map((arn) => ({ arn, reason: 'MISSING' })),
    }));
  }

  it('records 0 and stops every service, releases the claim once: FENCED, one resource each', async () => {
    // Prepare
    givenAlarm({ StateValue: 'OK' });
    givenServices({ 'proj-main-api': 2, 'proj-main-web': 3, 'proj-main-worker': 1 });
    // Act
    const result = await fenceSource(makeEvent(), THREE, clients(THREE));
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: false });
    expect(result.fence).toEqual({
      state: 'FENCED',
      done: [
        "released main's traffic claim in us-east-1",
        'service api: main desired count recorded as 0 in /proj/main/capacity/api-desired-count',
        'service api: main ECS service proj-main-api scaled to 0',
        'service web: main desired count recorded as 0 in /proj/main/capacity/web-desired-count',
        'service web: main ECS service proj-main-web scaled to 0',
        'service worker: main desired count recorded as 0 in /proj/main/capacity/worker-desired-count',
        'service worker: main ECS service proj-main-worker scaled to 0',
      ],
      commands: [],
    });
    expect(cwMock).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, {
      cluster: 'proj-main-cluster',
      services: ['proj-main-api', 'proj-main-web', 'proj-main-worker'],
    });
    expect(
      ecsMock
        .commandCalls(UpdateServiceCommand)
        .map((c) => c.args[0].input.service)
        .sort(),
    ).toEqual(['proj-main-api', 'proj-main-web', 'proj-main-worker']);
    expect(result.resources).toEqual([
      {
        kind: 'service',
        name: 'api',
        done: true,
        detail: 'api: proj-main-api at 0 in us-east-1, its desired count recorded as 0',
      },
      expect.objectContaining({ name: 'web', done: true }),
      expect.objectContaining({ name: 'worker', done: true }),
    ]);
  });

  it('is idempotent: a rerun finds every service at 0 and recorded, changes nothing: READY alreadyDone', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenServices({ 'proj-main-api': 0, 'proj-main-web': 0, 'proj-main-worker': 0 });
    givenDeployedCount('0');
    // Act
    const result = await fenceSource(makeEvent(), THREE, clients(THREE));
    // Assess
    expect(result).toMatchObject({
      status: 'READY',
      alreadyDone: true,
      fence: { state: 'FENCED', commands: [] },
    });
    expect(result.fence?.done).toHaveLength(7);
    expect(ssmMock).not.toHaveReceivedCommand(PutParameterCommand);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('keeps PENDING with the one failing service named, its command left, the others fenced', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenServices({ 'proj-main-api': 2, 'proj-main-web': 2, 'proj-main-worker': 2 });
    ecsMock
      .on(UpdateServiceCommand, { service: 'proj-main-web' })
      .rejects(awsError('AccessDeniedException', 'not allowed'));
    // Act
    const result = await fenceSource(makeEvent(), THREE, clients(THREE));
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.fence).toMatchObject({ state: 'PENDING', commands: [stopCommand('web')] });
    expect(result.detail).toContain('waiting for: service web: stop: AccessDeniedException: not allowed');
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['api', true],
      ['web', false],
      ['worker', true],
    ]);
    expect(result.resources?.[1]?.detail).toBe(
      'web: left to do: stop (service web: stop: AccessDeniedException: not allowed)',
    );
  });

  it('finishes on a check only the service previous.fence.done leaves open', async () => {
    // Prepare: the first call fenced api and worker, and recorded web.
    const first = THREE.services.flatMap((s) => [
      `service ${s.name}: main desired count recorded as 0 in ${s.sourceDesiredCountParameter}`,
      ...(s.name === 'web' ? [] : [`service ${s.name}: main ECS service ${s.sourceEcsService} scaled to 0`]),
    ]);
    const previous = previousCall({
      state: 'PENDING',
      done: ["released main's traffic claim in us-east-1", ...first],
      commands: [stopCommand('web')],
    });
    givenServices({ 'proj-main-web': 2 });
    // Act
    const result = await fenceSource(makeEvent({ previous }), THREE, clients(THREE));
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 2, fence: { state: 'FENCED' } });
    expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, { services: ['proj-main-web'] });
    expect(ecsMock).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(ssmMock).not.toHaveReceivedAnyCommand();
    expect(cwMock).not.toHaveReceivedAnyCommand();
  });

  it('names the service missing in the old region and still fences the others', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenServices({ 'proj-main-api': 1, 'proj-main-web': 1 });
    // Act
    const result = await fenceSource(makeEvent(), THREE, clients(THREE));
    // Assess
    expect(result.fence).toMatchObject({ state: 'PENDING', commands: [stopCommand('worker')] });
    expect(result.detail).toContain(
      'service worker: stop: ResourceNotFoundError: ECS service proj-main-worker in cluster proj-main-cluster does not exist',
    );
    expect(ecsMock).toHaveReceivedCommandTimes(UpdateServiceCommand, 2);
  });

  it('leaves every service as it is in a planned run, saying so per service', async () => {
    // Prepare
    givenAlarm({ StateValue: 'OK' });
    // Act
    const result = await fenceSource(makeEvent({ modeUsed: 'planned' }), THREE, clients(THREE));
    // Assess
    expect(result.fence?.state).toBe('RELEASED');
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['api', true],
      ['web', true],
      ['worker', true],
    ]);
    expect(result.resources?.[0]?.detail).toMatch(/^api: proj-main-api left as it is \(planned/);
    expect(ecsMock).not.toHaveReceivedAnyCommand();
  });
});

describe('fenceSource (a service the team deployed: no capacity parameter)', () => {
  /** `legacy` as infra writes an `existing:` service: no parameters, its own tool owns its count. */
  function existingEntry(name: string): ServiceResource {
    const { desiredCountParameter: _own, sourceDesiredCountParameter: _source, ...rest } = serviceEntry(name);
    return { ...rest, existing: true };
  }
  const MIXED = makeSettings({ services: [asRead(serviceEntry('app')), asRead(existingEntry('legacy'))] });
  const STOP_LEGACY =
    'aws ecs update-service --region us-east-1 --cluster proj-main-cluster --service proj-main-legacy --desired-count 0';

  function givenServices(counts: Readonly<Record<string, number>>): void {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: Object.entries(counts).map(([serviceName, desiredCount]) => ({
        serviceName,
        status: 'ACTIVE',
        desiredCount,
      })),
    });
  }

  it('stops it without recording anything for it: FENCED, the other service recorded as before', async () => {
    // Prepare
    givenAlarm({ StateValue: 'OK' });
    givenServices({ 'proj-main-app': 2, 'proj-main-legacy': 3 });
    // Act
    const result = await fenceSource(makeEvent(), MIXED, clients(MIXED));
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: false });
    expect(result.fence).toEqual({
      state: 'FENCED',
      done: [
        "released main's traffic claim in us-east-1",
        `service app: main desired count recorded as 0 in ${MAIN_DESIRED_COUNT_PARAMETER}`,
        'service app: main ECS service proj-main-app scaled to 0',
        'service legacy: main ECS service proj-main-legacy scaled to 0',
      ],
      commands: [],
    });
    expect(ssmMock).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssmMock).toHaveReceivedCommandWith(GetParameterCommand, { Name: MAIN_DESIRED_COUNT_PARAMETER });
    expect(ssmMock).toHaveReceivedCommandTimes(PutParameterCommand, 1);
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      service: 'proj-main-legacy',
      desiredCount: 0,
    });
    expect(result.resources?.[1]).toEqual({
      kind: 'service',
      name: 'legacy',
      done: true,
      detail:
        'legacy: proj-main-legacy at 0 in us-east-1 (no capacity parameter: the tool that deploys it owns its count)',
    });
  });

  it('is idempotent: a rerun finds it at 0 and calls no SSM at all: READY alreadyDone', async () => {
    // Prepare
    const only = makeSettings({ services: [asRead(existingEntry('legacy'))] });
    givenAlarm({ StateValue: 'ALARM' });
    givenServices({ 'proj-main-legacy': 0 });
    // Act
    const result = await fenceSource(makeEvent(), only, clients(only));
    // Assess
    expect(result).toMatchObject({
      status: 'READY',
      alreadyDone: true,
      fence: {
        state: 'FENCED',
        done: [
          "main's traffic claim already released (alarm proj-main-traffic-claim)",
          'service legacy: main ECS service proj-main-legacy already at 0',
        ],
        commands: [],
      },
    });
    expect(ssmMock).not.toHaveReceivedAnyCommand();
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('leaves no ssm put-parameter command for it when the old region is down', async () => {
    // Prepare
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    cwMock.on(DescribeAlarmsCommand).rejects(down);
    cwMock.on(PutMetricDataCommand).rejects(down);
    ecsMock.on(DescribeServicesCommand).rejects(down);
    ssmMock.on(GetParameterCommand).rejects(down);
    // Act
    const result = await fenceSource(makeEvent(), MIXED, clients(MIXED));
    // Assess
    expect(result.fence).toEqual({
      state: 'PENDING',
      done: [],
      commands: [RELEASE_MAIN, RECORD_MAIN, STOP_MAIN, STOP_LEGACY],
    });
    expect(result.resources?.[1]).toMatchObject({
      name: 'legacy',
      done: false,
      detail: expect.stringMatching(/^legacy: left to do: stop \(/),
    });
  });

  it('reads an entry without sourceDesiredCountParameter', () => {
    // Act
    const settings = readFenceSourceSettings(makeEnv([serviceEntry('app'), existingEntry('legacy')]));
    // Assess
    expect(settings.services).toEqual([
      asRead(serviceEntry('app')),
      { name: 'legacy', sourceEcsService: 'proj-main-legacy' },
    ]);
  });
});

describe('fenceSource (failback to main)', () => {
  it('releases DR’s claim, then waits for Route 53 to read it before resetting main', async () => {
    // Prepare: DR's alarm in ALARM: DR claims.
    givenAlarm({ StateValue: 'ALARM' });
    // Act
    const result = await fenceSource(
      makeEvent({ modeUsed: 'planned' }),
      failbackSettings(),
      clients(failbackSettings()),
    );
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.fence?.done).toEqual(["released dr's traffic claim in us-west-2"]);
    expect(result.fence?.commands).toEqual([
      'aws cloudwatch put-metric-data --region us-east-1 --namespace PilotLight --metric-name TrafficClaim --dimensions Project=proj,Role=main --value 0 --unit Count',
    ]);
    expect(result.detail).toContain('reset: alarm proj-dr-traffic-claim to leave ALARM');
    expect(await regionsOfPuts()).toEqual([{ region: TARGET_REGION, role: 'dr', value: 0 }]);
  });

  it('waits while DR’s alarm has been OK for less than two claim periods', async () => {
    // Prepare
    givenAlarm({ StateValue: 'OK', StateUpdatedTimestamp: new Date(secondsAgo(30)) });
    const previous = previousCall({
      state: 'PENDING',
      done: ["released dr's traffic claim in us-west-2"],
      commands: [],
    });
    // Act
    const result = await fenceSource(
      makeEvent({ modeUsed: 'planned', previous }),
      failbackSettings(),
      clients(failbackSettings()),
    );
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.detail).toMatch(/OK for (29|30|31) s of 120 s/);
    expect(cwMock).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('resets main’s claim to 0 in main once DR’s alarm has been OK for two periods: RELEASED', async () => {
    // Prepare
    givenAlarm({ StateValue: 'OK', StateUpdatedTimestamp: new Date(secondsAgo(121)) });
    const previous = previousCall({
      state: 'PENDING',
      done: ["released dr's traffic claim in us-west-2"],
      commands: [],
    });
    // Act
    const result = await fenceSource(
      makeEvent({ modeUsed: 'planned', previous }),
      failbackSettings(),
      clients(failbackSettings()),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 2 });
    expect(result.fence).toEqual({
      state: 'RELEASED',
      done: [
        "released dr's traffic claim in us-west-2",
        "main's traffic claim reset to 0 in us-east-1 (resting state)",
      ],
      commands: [],
    });
    expect(await regionsOfPuts()).toEqual([{ region: SOURCE_REGION, role: 'main', value: 0 }]);
  });

  it('does not reset main while DR’s release is not done (DR down), and lists both commands', async () => {
    // Prepare
    cwMock.on(DescribeAlarmsCommand).rejects(throttled());
    cwMock.on(PutMetricDataCommand).rejects(throttled());
    ecsMock.on(DescribeServicesCommand).rejects(throttled());
    ssmMock.on(GetParameterCommand).rejects(throttled());
    // Act
    const result = await fenceSource(makeEvent(), failbackSettings(), clients(failbackSettings()));
    // Assess
    expect(result.fence?.commands).toEqual([
      'aws cloudwatch put-metric-data --region us-west-2 --namespace PilotLight --metric-name TrafficClaim --dimensions Project=proj,Role=dr --value 0 --unit Count',
      'aws ssm put-parameter --region us-west-2 --name /proj/dr/capacity/app-desired-count --type String --value 0 --overwrite',
      'aws ecs update-service --region us-west-2 --cluster proj-dr-cluster --service proj-dr-app --desired-count 0',
      'aws cloudwatch put-metric-data --region us-east-1 --namespace PilotLight --metric-name TrafficClaim --dimensions Project=proj,Role=main --value 0 --unit Count',
    ]);
    expect(result.detail).toContain("reset: dr's claim to be released first");
  });
});

describe('fenceSource input', () => {
  it('throws InvalidInputError when previous is another step’s result', async () => {
    // Act
    const act = fenceSource(makeEvent({ previous: makePrevious('dns') }), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
  });
});

describe('readFenceSourceSettings', () => {
  it('reads every service of SERVICES, in order, with only the fields it reads', () => {
    // Act
    const settings = readFenceSourceSettings(makeEnv(['api', 'web', 'worker'].map((n) => serviceEntry(n))));
    // Assess
    expect(settings.services).toEqual([
      {
        name: 'api',
        sourceEcsService: 'proj-main-api',
        sourceDesiredCountParameter: '/proj/main/capacity/api-desired-count',
      },
      {
        name: 'web',
        sourceEcsService: 'proj-main-web',
        sourceDesiredCountParameter: '/proj/main/capacity/web-desired-count',
      },
      {
        name: 'worker',
        sourceEcsService: 'proj-main-worker',
        sourceDesiredCountParameter: '/proj/main/capacity/worker-desired-count',
      },
    ]);
  });

  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readFenceSourceSettings({ ...REGION_ENV, PROJECT: 'proj' });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      'missing environment variable(s): SERVICES, SOURCE_ECS_CLUSTER, SOURCE_CLAIM_ALARM_NAME',
    );
  });

  it('throws InvalidInputError naming SERVICES, the entry and the field that is malformed', () => {
    // Prepare: the third service's source ECS service is empty.
    const services = [
      serviceEntry('api'),
      serviceEntry('web'),
      { ...serviceEntry('worker'), sourceEcsService: '' },
    ];
    // Act
    const act = () => readFenceSourceSettings(makeEnv(services));
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      "environment variable SERVICES: SERVICES[2].sourceEcsService: expected a non-empty string, got ''",
    );
  });

  it('throws InvalidInputError naming SERVICES, the entry and a field the step does not read', () => {
    // Prepare: the second entry carries this region's service, which fencing never touches.
    const entries = [
      asRead(serviceEntry('api')),
      { ...asRead(serviceEntry('web')), ecsService: 'proj-dr-web' },
    ];
    // Act
    const act = () => readFenceSourceSettings({ ...makeEnv(), SERVICES: JSON.stringify(entries) });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow("environment variable SERVICES: SERVICES[1]: unknown key 'ecsService'");
  });
});

describe('fence-source handler', () => {
  it('fences through clients for both regions', async () => {
    // Prepare
    givenAlarm({ StateValue: 'ALARM' });
    givenService(0);
    const env = makeEnv();
    givenDeployedCount('0');
    // Act
    const result = await withEnv(env, () => handler(makeEvent()));
    // Assess
    expect(result).toMatchObject({ step: 'fence', status: 'READY', alreadyDone: true });
    expect(result.fence?.state).toBe('FENCED');
    expect(cwMock).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: ['proj-main-traffic-claim'],
    });
  });
});
