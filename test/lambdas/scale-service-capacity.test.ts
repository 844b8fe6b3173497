import {
  DescribeScalingActivitiesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  capacityReport,
  MAX_MESSAGE_LENGTH,
  shorten,
  tally,
} from '../../lambdas/scale-service/capacity-report';
import { scaleService } from '../../lambdas/scale-service/scale-service';
import { readScaleServiceSettings } from '../../lambdas/scale-service/settings';
import type { StepEvent } from '../../lambdas/shared/contracts';
import { InvalidInputError, WaitTimeoutError } from '../../lambdas/shared/errors';
import { servicesEnvironment } from '../../lambdas/shared/resources';
import { awsError, makePrevious, REGION_ENV, secondsAgo, throttled, WAIT } from './helpers';
import {
  ASG,
  asgMock,
  clients,
  givenActivities,
  givenAsg,
  givenServices,
  givenTargets,
  makeSettings,
  refusal,
  resetMocks,
} from './scale-service-fixtures';

const makeEvent = (overrides: Partial<StepEvent> = {}): StepEvent => ({ wait: WAIT, ...overrides });

beforeEach(resetMocks);

describe('scaleService (capacity shortfall)', () => {
  it('reports each refusal by type and zone, and what it launched instead of the first choice', async () => {
    // Prepare: t3.small refused three times in 2a and once in 2b; the group got t3a.small.
    givenAsg(['t3a.small', 't3a.small']);
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    givenActivities(
      { StatusMessage: refusal('t3.small', 'us-west-2a') },
      { StatusMessage: refusal('t3.small', 'us-west-2b') },
      { StatusMessage: refusal('t3.small', 'us-west-2a') },
      { StatusMessage: refusal('t3.small', 'us-west-2a') },
      { StatusCode: 'Successful', StatusMessage: 'launched' },
    );
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('READY');
    expect(result.capacity).toEqual({
      refusals: [
        { instanceType: 't3.small', zone: 'us-west-2a', count: 3 },
        { instanceType: 't3.small', zone: 'us-west-2b', count: 1 },
      ],
      otherFailures: [],
      firstChoice: 't3.small',
      substitutes: [{ instanceType: 't3a.small', count: 2 }],
      lines: [
        't3.small: no capacity in us-west-2a ×3, us-west-2b ×1 (InsufficientInstanceCapacity)',
        'launched t3a.small ×2 instead of t3.small',
      ],
    });
    expect(result.detail).toContain(
      'capacity: t3.small: no capacity in us-west-2a ×3, us-west-2b ×1 (InsufficientInstanceCapacity); launched t3a.small ×2 instead of t3.small',
    );
    expect(asgMock).toHaveReceivedCommandWith(DescribeScalingActivitiesCommand, {
      AutoScalingGroupName: ASG,
      MaxRecords: 100,
    });
  });

  it('counts only activities since the step started', async () => {
    // Prepare: a refusal from an earlier drill, before this step's first call.
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    givenActivities(
      { StatusMessage: refusal('t3.small', 'us-west-2a') },
      { StatusMessage: refusal('t3.small', 'us-west-2c'), StartTime: new Date(Date.now() - 3_600_000) },
    );
    // Act
    const result = await scaleService(
      makeEvent({ previous: makePrevious('service', { startedAt: secondsAgo(60) }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result.capacity?.refusals).toEqual([{ instanceType: 't3.small', zone: 'us-west-2a', count: 1 }]);
  });

  it('keeps a failed launch it cannot parse verbatim, shortened, with its count', async () => {
    // Prepare
    const long = `InsufficientInstanceCapacity: We currently do not have sufficient capacity in the Region you requested. ${'x'.repeat(300)}`;
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    givenActivities(
      { StatusMessage: long },
      { StatusMessage: long },
      { StatusCode: 'Cancelled', StatusMessage: 'quota' },
    );
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    const others = result.capacity?.otherFailures ?? [];
    expect(others).toHaveLength(2);
    expect(others[0]?.count).toBe(2);
    expect(others[0]?.message).toHaveLength(MAX_MESSAGE_LENGTH);
    expect(others[0]?.message).toMatch(
      /^InsufficientInstanceCapacity: We currently do not have sufficient capacity in the Region.*…$/,
    );
    expect(result.capacity?.lines).toContain('launch failed ×1: quota');
  });

  it('reports nothing when no launch failed and the group runs its first choice', async () => {
    // Prepare
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    givenActivities({ StatusCode: 'Successful' });
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.capacity?.lines).toEqual([]);
    expect(result.detail).not.toContain('capacity:');
  });

  it('reports no substitutes when the instance types are not known', async () => {
    // Prepare
    givenAsg(['m5.large']);
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    // Act
    const result = await scaleService(makeEvent(), makeSettings({ instanceTypes: [] }), clients());
    // Assess
    expect(result.capacity).toMatchObject({ substitutes: [], lines: [] });
    expect(result.capacity).not.toHaveProperty('firstChoice');
  });

  it.each([
    [
      'AccessDenied',
      () =>
        awsError('AccessDeniedException', 'not authorized to perform autoscaling:DescribeScalingActivities'),
    ],
    ['throttling', throttled],
  ])('goes on and says the activities are unreadable on %s', async (_case, error) => {
    // Prepare
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    asgMock.on(DescribeScalingActivitiesCommand).rejects(error());
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('READY');
    expect(result.capacity?.unreadable).toMatch(/^(AccessDeniedException|ThrottlingException): /);
    expect(result.detail).toMatch(
      /capacity: scaling activities unreadable: (AccessDeniedException|ThrottlingException): /,
    );
  });

  it('says the page may not hold every activity since the start when it is full', async () => {
    // Prepare
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    givenActivities(
      ...Array.from({ length: 100 }, () => ({ StatusMessage: refusal('t3.small', 'us-west-2a') })),
    );
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.capacity?.lines).toEqual([
      't3.small: no capacity in us-west-2a ×100 (InsufficientInstanceCapacity)',
      '(the latest 100 scaling activities only)',
    ]);
  });

  it('carries the refusals in the WaitTimeoutError when the budget ends', async () => {
    // Prepare: one instance of two; the second launch refused in every zone.
    givenAsg(['t3.small'], { DesiredCapacity: 2 });
    givenServices({ name: 'api', desired: 3, running: 1 });
    givenActivities(
      { StatusMessage: refusal('t3.small', 'us-west-2a') },
      { StatusMessage: refusal('t3a.small', 'us-west-2a') },
    );
    const previous = makePrevious('service', {
      attempt: 9,
      startedAt: secondsAgo(WAIT.budgetMinutes * 60 + 1),
    });
    // Act
    const act = scaleService(makeEvent({ previous }), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(
      /still .*capacity: t3\.small: no capacity in us-west-2a ×1 \(InsufficientInstanceCapacity\); t3a\.small: no capacity in us-west-2a ×1/,
    );
  });

  it('reports the same shortfall again on a rerun and changes nothing', async () => {
    // Prepare
    givenAsg(['t3a.small', 't3a.small']);
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    givenActivities({ StatusMessage: refusal('t3.small', 'us-west-2a') });
    const first = await scaleService(makeEvent(), makeSettings(), clients());
    // Act
    const again = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(again.capacity).toEqual(first.capacity);
    expect(again).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
  });
});

describe('scaleService (when the activities are read)', () => {
  const earlier = {
    refusals: [{ instanceType: 't3.small', zone: 'us-west-2a', count: 2 }],
    otherFailures: [],
    firstChoice: 't3.small',
    substitutes: [],
    lines: [],
  };

  it('does not read them while every instance the group wants is in service, keeping the last call’s refusals', async () => {
    // Prepare: tasks still starting; the group has its two instances.
    givenAsg(['t3a.small', 't3a.small']);
    givenServices({ name: 'api', desired: 3, running: 1 });
    // Act
    const result = await scaleService(
      makeEvent({ previous: makePrevious('service', { capacity: earlier }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(asgMock).not.toHaveReceivedCommand(DescribeScalingActivitiesCommand);
    expect(result.capacity?.lines).toEqual([
      't3.small: no capacity in us-west-2a ×2 (InsufficientInstanceCapacity)',
      'launched t3a.small ×2 instead of t3.small',
    ]);
  });

  it('reads them while the group launches', async () => {
    // Prepare: one of two instances in service.
    givenAsg(['t3.small']);
    givenServices({ name: 'api', desired: 3, running: 1 });
    givenActivities({ StatusMessage: refusal('t3.small', 'us-west-2b') });
    // Act
    const result = await scaleService(
      makeEvent({ previous: makePrevious('service', { capacity: earlier }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(asgMock).toHaveReceivedCommand(DescribeScalingActivitiesCommand);
    expect(result.capacity?.refusals).toEqual([{ instanceType: 't3.small', zone: 'us-west-2b', count: 1 }]);
  });

  it('reads them again after a read that failed', async () => {
    // Prepare
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 1 });
    givenActivities();
    // Act
    const result = await scaleService(
      makeEvent({
        previous: makePrevious('service', {
          capacity: { ...earlier, unreadable: 'ThrottlingException: Rate exceeded' },
        }),
      }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(asgMock).toHaveReceivedCommand(DescribeScalingActivitiesCommand);
    expect(result.capacity).not.toHaveProperty('unreadable');
  });
});

describe('capacityReport', () => {
  it('names each type with its zones in the order first seen', () => {
    // Act
    const report = capacityReport(
      tally({
        failed: [
          { StatusMessage: refusal('t3.small', 'us-west-2b') },
          { StatusMessage: refusal('t3a.small', 'us-west-2b') },
          { StatusMessage: refusal('t3.small', 'us-west-2a') },
        ].map((a, i) => ({
          ...a,
          ActivityId: `a${i}`,
          AutoScalingGroupName: ASG,
          Cause: 'c',
          StartTime: new Date(),
          StatusCode: 'Failed',
        })),
        truncated: false,
      }),
      { 't3.medium': 1, 't3.small': 1 },
      't3.small',
    );
    // Assess
    expect(report.lines).toEqual([
      't3.small: no capacity in us-west-2b ×1, us-west-2a ×1 (InsufficientInstanceCapacity)',
      't3a.small: no capacity in us-west-2b ×1 (InsufficientInstanceCapacity)',
      'launched t3.medium ×1 instead of t3.small',
    ]);
  });

  it('shortens a message to one line', () => {
    expect(shorten('a\n  b\tc ')).toBe('a b c');
  });
});

describe('readScaleServiceSettings (INSTANCE_TYPES)', () => {
  const env = {
    ...REGION_ENV,
    ASG_NAME: ASG,
    ASG_MIN_CAPACITY: '2',
    ECS_CLUSTER: 'proj-dr-cluster',
    SERVICES: servicesEnvironment(
      [
        {
          name: 'api',
          ecsService: 'proj-dr-api',
          desiredCount: 3,
          servingShare: 0.5,
          sourceEcsService: 'proj-main-api',
          image: 'public.ecr.aws/proj/api:1',
        },
      ],
      ['ecsService', 'desiredCount', 'servingShare', 'desiredCountParameter'],
    ),
    ASG_MIN_CAPACITY_PARAMETER: '',
  };

  it('reads the types in order, first choice first', () => {
    // Act
    const settings = readScaleServiceSettings({ ...env, INSTANCE_TYPES: 't3.small, t3a.small,t3.medium' });
    // Assess
    expect(settings.instanceTypes).toEqual(['t3.small', 't3a.small', 't3.medium']);
    expect(settings.services).toEqual([
      { name: 'api', ecsService: 'proj-dr-api', desiredCount: 3, servingShare: 0.5 },
    ]);
  });

  it('reads an empty INSTANCE_TYPES as not known', () => {
    expect(readScaleServiceSettings({ ...env, INSTANCE_TYPES: '' }).instanceTypes).toEqual([]);
  });

  it('throws InvalidInputError naming INSTANCE_TYPES when unset or with an empty item', () => {
    expect(() => readScaleServiceSettings(env)).toThrow('missing environment variable(s): INSTANCE_TYPES');
    expect(() => readScaleServiceSettings({ ...env, INSTANCE_TYPES: 't3.small,,t3a.small' })).toThrow(
      InvalidInputError,
    );
  });
});

describe('scaleService (acting with a shortfall)', () => {
  it('still raises the ASG and the service when the activities cannot be read', async () => {
    // Prepare
    givenAsg([], { MinSize: 0, DesiredCapacity: 0, MaxSize: 1 });
    givenServices({ name: 'api', desired: 0, running: 0 });
    givenTargets('api', 0);
    asgMock.on(DescribeScalingActivitiesCommand).rejects(throttled());
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(asgMock).toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
  });
});
