import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { handler } from '../../lambdas/scale-service';
import { offset } from '../../lambdas/scale-service/full-target';
import { servingCount } from '../../lambdas/scale-service/progress';
import { scaleService } from '../../lambdas/scale-service/scale-service';
import type { ScaleServiceEvent, StepResult } from '../../lambdas/shared/contracts';
import { InvalidStateError, TransientAwsError } from '../../lambdas/shared/errors';
import { makePrevious, REGION_ENV, secondsAgo, throttled, WAIT, withEnv } from './helpers';
import {
  asgMock,
  clients,
  ecsMock,
  elbMock,
  givenAsg,
  givenServices,
  givenTargets,
  makeSettings,
  resetMocks,
} from './scale-service-fixtures';

const makeEvent = (overrides: Partial<ScaleServiceEvent> = {}): ScaleServiceEvent => ({
  wait: WAIT,
  ...overrides,
});
const check = (overrides: Partial<StepResult> = {}) => makePrevious('service', overrides);

/** api at 3 tasks, serving at 60 %: 2 healthy targets (3 × 0.6 = 1.8, rounded up). */
const API_60 = { name: 'api', ecsService: 'proj-dr-api', desiredCount: 3, servingShare: 0.6 };
const WEB = { name: 'web', ecsService: 'proj-dr-web', desiredCount: 2 };

beforeEach(resetMocks);

describe('servingCount', () => {
  it.each([
    [1, 3, 3],
    [0.6, 3, 2],
    [0.5, 3, 2],
    [0.67, 3, 3],
    [0.7, 10, 7],
    [0.01, 3, 1],
  ])('share %p of %p tasks is %p', (share, count, expected) => {
    expect(servingCount(share, count)).toBe(expected);
  });
});

describe('scaleService (servingShare)', () => {
  it('returns READY partial once the share is healthy, while ECS still places the rest', async () => {
    // Prepare: 2 of 3 running (not stable), 2 healthy.
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 2 });
    givenTargets('api', 2);
    // Act
    const result = await scaleService(
      makeEvent({ previous: check() }),
      makeSettings({ services: [API_60] }),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', partial: true });
    expect(result.detail).toMatch(
      /^serving below target: api: serving at 2\/3 healthy \(servingShare 0\.6\), still scaling to 3; service api: 2\/3 task\(s\) running/,
    );
    expect(result.fullTarget).toEqual({
      state: 'SCALING',
      services: [{ name: 'api', targetCount: 3, serving: 2 }],
      lines: ['api: 2/3 so far'],
    });
    expect(result.resources).toEqual([
      {
        kind: 'service',
        name: 'api',
        done: true,
        detail:
          'api: 2/3 task(s) running (target 3), healthy 2/3 target(s), 1 deployment(s), servingShare 0.6 (2 to serve); serving at 2/3 healthy (servingShare 0.6), still scaling to 3',
      },
    ]);
  });

  it('returns PENDING below the share', async () => {
    // Prepare
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 2 });
    givenTargets('api', 1, 1);
    // Act
    const result = await scaleService(
      makeEvent({ previous: check() }),
      makeSettings({ services: [API_60] }),
      clients(),
    );
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result).not.toHaveProperty('partial');
    expect(result.detail).toContain('healthy 1/3 target(s)');
  });

  it('returns READY, not partial, when a service with a share is at its full target', async () => {
    // Prepare
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    // Act
    const result = await scaleService(makeEvent(), makeSettings({ services: [API_60] }), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true, partial: false });
    expect(result.detail).not.toContain('serving below target');
  });

  it('keeps share 1 exactly: healthy targets are not read before the service is stable', async () => {
    // Prepare: 2 of 3 running; a share-1 service waits for all three.
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 2 });
    givenTargets('api', 2);
    const { servingShare: _share, ...api } = API_60;
    // Act
    const result = await scaleService(
      makeEvent({ previous: check() }),
      makeSettings({ services: [api] }),
      clients(),
    );
    // Assess
    expect(result.status).toBe('PENDING');
    expect(elbMock).not.toHaveReceivedCommand(DescribeTargetHealthCommand);
  });

  it('marks partial when one service serves below its target and the other is full', async () => {
    // Prepare
    givenAsg();
    givenServices({ name: 'api', desired: 3, running: 2 }, { name: 'web', desired: 2, running: 2 });
    givenTargets('api', 2);
    givenTargets('web', 2);
    // Act
    const result = await scaleService(
      makeEvent({ previous: check() }),
      makeSettings({ services: [API_60, WEB] }),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', partial: true });
    expect(result.resources?.map((r) => r.done)).toEqual([true, true]);
    expect(result.detail).toMatch(/^serving below target: api: serving at 2\/3 healthy/);
    expect(result.detail).not.toMatch(/web: serving at/);
  });

  it('raises the desired count first and waits: a service below its target count is not done', async () => {
    // Prepare: the pilot-light count of 1, healthy, already above the share of 1 task.
    givenAsg([], { MinSize: 0, DesiredCapacity: 0, MaxSize: 1 });
    givenServices({ name: 'api', desired: 1, running: 1 });
    givenTargets('api', 1);
    // Act
    const result = await scaleService(
      makeEvent(),
      makeSettings({ services: [{ ...API_60, servingShare: 0.3 }] }),
      clients(),
    );
    // Assess
    expect(result.status).toBe('PENDING');
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 3 });
    expect(asgMock).toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
  });

  it('counts running tasks for a service without a target group', async () => {
    // Prepare
    givenAsg();
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'proj-dr-api',
          status: 'ACTIVE',
          desiredCount: 3,
          runningCount: 2,
          deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }],
        },
      ],
    });
    // Act
    const result = await scaleService(
      makeEvent({ previous: check() }),
      makeSettings({ services: [API_60] }),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', partial: true });
    expect(result.detail).toContain('api: serving at 2/3 running (servingShare 0.6), still scaling to 3');
  });

  it('throws InvalidStateError when the deployment of a service with a share failed', async () => {
    // Prepare
    givenAsg();
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'proj-dr-api',
          status: 'ACTIVE',
          desiredCount: 3,
          runningCount: 2,
          deployments: [{ status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }],
        },
      ],
    });
    // Act / Assess
    await expect(
      scaleService(makeEvent({ previous: check() }), makeSettings({ services: [API_60] }), clients()),
    ).rejects.toThrow(InvalidStateError);
  });
});

describe('scaleService (goal full, after traffic moved)', () => {
  const settings = makeSettings({ services: [API_60, WEB] });
  const runStartedAt = secondsAgo(250);
  /** The partial READY the service step ended with, as the definition feeds it back. */
  const partialResult = () =>
    check({ status: 'READY', attempt: 4, partial: true, startedAt: secondsAgo(200) });
  /** api `desired` with `healthy` tasks running and healthy; web at `webRunning` of 2 (healthy when full). */
  const givenApi = (desired: number, healthy: number, webRunning = 2) => {
    givenAsg();
    givenServices(
      { name: 'api', desired, running: healthy },
      { name: 'web', desired: 2, running: webRunning },
    );
    givenTargets('api', healthy);
    if (webRunning === 2) givenTargets('web', 2);
  };
  /** One full-goal call after `previous`. */
  const callFull = (previous: StepResult = partialResult()) =>
    scaleService(makeEvent({ goal: 'full', previous, runStartedAt }), settings, clients());

  it('returns PENDING with what each service below target reached so far', async () => {
    // Prepare
    givenApi(3, 2);
    // Act
    const result = await callFull();
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 5, partial: true });
    expect(result.fullTarget).toEqual({
      state: 'SCALING',
      services: [{ name: 'api', targetCount: 3, serving: 2 }],
      lines: ['api: 2/3 so far'],
    });
    expect(result.resources?.map((r) => r.done)).toEqual([false, true]);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('returns READY, not partial, with when each reached its target, dated from the run start', async () => {
    // Prepare: api was tracked since the first full-goal call.
    givenApi(3, 3);
    const previous = check({
      attempt: 6,
      partial: true,
      startedAt: secondsAgo(200),
      fullTarget: { state: 'SCALING', services: [{ name: 'api', targetCount: 3, serving: 2 }], lines: [] },
    });
    // Act
    const result = await callFull(previous);
    // Assess
    expect(result).toMatchObject({ status: 'READY', partial: false, alreadyDone: false });
    expect(result.fullTarget?.state).toBe('REACHED');
    expect(result.fullTarget?.lines).toEqual([expect.stringMatching(/^api: 3\/3 at \+4m1\ds$/)]);
    expect(result.detail).toMatch(/^every service at its target count: api: 3\/3 at \+4m1\ds; /);
  });

  it('keeps the time a service first reached its target across calls', async () => {
    // Prepare: api reached 3/3 earlier; web lost a task since (not tracked: it was full).
    givenApi(3, 3, 1);
    const reachedAt = new Date(Date.parse(runStartedAt) + 130_000).toISOString();
    const previous = check({
      attempt: 6,
      startedAt: secondsAgo(200),
      fullTarget: {
        state: 'SCALING',
        services: [{ name: 'api', targetCount: 3, serving: 3, reachedAt }],
        lines: [],
      },
    });
    // Act
    const result = await callFull(previous);
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.fullTarget?.lines).toEqual(['api: 3/3 at +2m10s']);
  });

  it('returns READY partial, without failing, when the budget ends below the target', async () => {
    // Prepare
    givenApi(3, 2);
    const previous = check({
      attempt: 30,
      startedAt: secondsAgo(WAIT.budgetMinutes * 60 + 1),
      fullTarget: { state: 'SCALING', services: [{ name: 'api', targetCount: 3, serving: 2 }], lines: [] },
    });
    // Act
    const result = await callFull(previous);
    // Assess
    expect(result).toMatchObject({ status: 'READY', partial: true });
    expect(result.fullTarget).toMatchObject({
      state: 'BUDGET_ENDED',
      lines: ['api: 2/3 when the budget ended'],
    });
    expect(result.detail).toMatch(
      /^below the target count when the budget ended: api: 2\/3 when the budget ended; /,
    );
  });

  it('raises a desired count found lowered again, and keeps waiting', async () => {
    // Prepare: someone set api back to 2.
    givenApi(2, 2);
    // Act
    const result = await callFull();
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', partial: true });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      service: 'proj-dr-api',
      desiredCount: 3,
    });
    expect(result.detail).toMatch(/^service api: desiredCount → 3; /);
  });

  it('returns the same result for the same event (a retried call)', async () => {
    // Prepare
    givenApi(3, 2);
    const event = makeEvent({ goal: 'full', previous: partialResult(), runStartedAt });
    const first = await scaleService(event, settings, clients());
    // Act
    const again = await scaleService(event, settings, clients());
    // Assess
    expect(again).toEqual(first);
  });

  it('throws TransientAwsError when a read is throttled (the definition records it and ends promoted)', async () => {
    // Prepare
    givenAsg();
    ecsMock.on(DescribeServicesCommand).rejects(throttled());
    // Act / Assess
    await expect(callFull()).rejects.toThrow(TransientAwsError);
  });
});

describe('scale-service handler (goal full)', () => {
  const env = {
    ...REGION_ENV,
    ASG_NAME: 'proj-dr-ecs-asg',
    ASG_MIN_CAPACITY: '2',
    ECS_CLUSTER: 'proj-dr-cluster',
    SERVICES: JSON.stringify([API_60]),
    ASG_MIN_CAPACITY_PARAMETER: '',
    INSTANCE_TYPES: 't3.small,t3a.small',
  };

  it('passes goal and run start through to the step and reports the target reached', async () => {
    // Prepare
    givenAsg(['t3.small', 't3a.small']);
    givenServices({ name: 'api', desired: 3, running: 3 });
    givenTargets('api', 3);
    const event = {
      wait: { ...WAIT, windowSeconds: 1 },
      goal: 'full' as const,
      runStartedAt: secondsAgo(70),
      previous: check({
        status: 'READY',
        partial: true,
        attempt: 3,
        fullTarget: { state: 'SCALING', services: [{ name: 'api', targetCount: 3, serving: 2 }], lines: [] },
      }),
    };
    // Act
    const result = await withEnv(env, () => handler(event));
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 4, partial: false });
    expect(result.fullTarget?.lines).toEqual([expect.stringMatching(/^api: 3\/3 at \+1m1\ds$/)]);
    expect(result.capacity?.lines).toEqual(['launched t3a.small ×1 instead of t3.small']);
  });
});

describe('offset', () => {
  it.each([
    [0, '+0s'],
    [45.4, '+45s'],
    [60, '+1m00s'],
    [250, '+4m10s'],
  ])('prints %p s as %p', (seconds, text) => {
    expect(offset(seconds)).toBe(text);
  });
});
