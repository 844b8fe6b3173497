import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  ScalingActivityInProgressFault,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  ECSClient,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  HealthUnavailableException,
  TargetGroupNotFoundException,
  type TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/scale-service';
import { SCALE_SERVICE_SERVICE_FIELDS } from '../../lambdas/scale-service/env';
import { scaleService } from '../../lambdas/scale-service/scale-service';
import { readScaleServiceSettings, type ScaleServiceSettings } from '../../lambdas/scale-service/settings';
import { SERVICE_TARGET_ENV, SERVICE_TARGET_FIELDS } from '../../lambdas/scale-service/target-env';
import { serviceTargetSettings } from '../../lambdas/scale-service/target-settings';
import type { StepEvent, StepResult } from '../../lambdas/shared/contracts';
import { requireEnv } from '../../lambdas/shared/env';
import {
  InvalidInputError,
  InvalidStateError,
  ResourceNotFoundError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
import { type ServiceResource, servicesEnvironment } from '../../lambdas/shared/resources';
import {
  awsError,
  makePrevious,
  REGION_ENV,
  REGION_SETTINGS,
  secondsAgo,
  TARGET_REGION,
  throttled,
  WAIT,
  withEnv,
} from './helpers';

const asgMock = mockClient(AutoScalingClient);
const ecsMock = mockClient(ECSClient);
const elbMock = mockClient(ElasticLoadBalancingV2Client);
const ssmMock = mockClient(SSMClient);
const TG_ARN = 'arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/proj-dr/abc';
/** A budget spent: one second past the budget of {@link WAIT}. */
const BUDGET_SPENT = secondsAgo(WAIT.budgetMinutes * 60 + 1);
/** A handler window too short for a second poll: one reconcile per invocation. */
const ONE_READ = { ...WAIT, windowSeconds: 1 };

/** A `services[]` entry as infra resolves it for DR: `proj-dr-<name>`, its parameters beside it. */
function serviceEntry(name: string, desiredCount = 2): ServiceResource {
  return {
    name,
    ecsService: `proj-dr-${name}`,
    desiredCount,
    desiredCountParameter: `/proj/dr/capacity/${name}-desired-count`,
    sourceEcsService: `proj-main-${name}`,
    sourceDesiredCountParameter: `/proj/main/capacity/${name}-desired-count`,
    image: `public.ecr.aws/proj/${name}:1`,
  };
}

type ScaleServiceEntry = ScaleServiceSettings['services'][number];

/** `entry` as the step reads it: `name` and {@link SCALE_SERVICE_SERVICE_FIELDS}. */
function asRead({
  name,
  ecsService,
  desiredCount,
  desiredCountParameter,
}: ServiceResource): ScaleServiceEntry {
  return { name, ecsService, desiredCount, desiredCountParameter };
}

function makeSettings(overrides: Partial<ScaleServiceSettings> = {}): ScaleServiceSettings {
  return {
    ...REGION_SETTINGS,
    asgName: 'proj-dr-ecs-asg',
    asgMinCapacity: 2,
    ecsCluster: 'proj-dr-cluster',
    services: [asRead(serviceEntry('app'))],
    asgMinCapacityParameter: '/proj/dr/capacity/asg-min-capacity',
    instanceTypes: ['t3.small', 't3a.small', 't3.medium'],
    ...overrides,
  };
}

/** The handler's environment for `services`, as infra writes it (each entry's fields the step reads). */
function makeEnv(services: readonly ServiceResource[] = [serviceEntry('app', 4)]): Record<string, string> {
  return {
    ...REGION_ENV,
    ASG_NAME: 'proj-dr-ecs-asg',
    ASG_MIN_CAPACITY: '3',
    ECS_CLUSTER: 'proj-dr-cluster',
    SERVICES: servicesEnvironment(services, SCALE_SERVICE_SERVICE_FIELDS),
    ASG_MIN_CAPACITY_PARAMETER: '/proj/dr/capacity/asg-min-capacity',
    INSTANCE_TYPES: 't3.small,t3a.small,t3.medium',
  };
}

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('service', overrides);
}

function makeEvent(overrides: Partial<StepEvent> = {}): StepEvent {
  return { wait: WAIT, ...overrides };
}

function givenAsg(overrides: Partial<AutoScalingGroup> = {}): void {
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'proj-dr-ecs-asg',
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 0,
        Instances: [],
        ...overrides,
      } as AutoScalingGroup,
    ],
  });
}

function givenService(overrides: Partial<Service> = {}): void {
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 'proj-dr-app',
        status: 'ACTIVE',
        desiredCount: 0,
        runningCount: 0,
        deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
        ...overrides,
      },
    ],
  });
}

const SCALED_ASG = {
  MinSize: 2,
  MaxSize: 4,
  DesiredCapacity: 2,
  Instances: [{ LifecycleState: 'InService' }, { LifecycleState: 'InService' }],
} as Partial<AutoScalingGroup>;

const clients = () => ({
  autoScaling: new AutoScalingClient({ region: TARGET_REGION }),
  ecs: new ECSClient({ region: TARGET_REGION }),
  elbv2: new ElasticLoadBalancingV2Client({ region: TARGET_REGION }),
  ssm: new SSMClient({ region: TARGET_REGION }),
});

function givenTargets(...states: TargetHealthStateEnum[]): void {
  elbMock.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: states.map((State, i) => ({
      Target: { Id: `i-${i}` },
      TargetHealth: { State },
    })),
  });
}

/** A stable service at the target count behind the target group. */
const SERVING = {
  desiredCount: 2,
  runningCount: 2,
  loadBalancers: [{ targetGroupArn: TG_ARN, containerName: 'app', containerPort: 80 }],
};

beforeEach(() => {
  asgMock.reset();
  ecsMock.reset();
  elbMock.reset();
  ssmMock.reset();
  // The capacity parameters as deployed for DR (tested in scale-service-capacity-record.test.ts).
  ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '0' } });
  ssmMock.on(PutParameterCommand).resolves({});
});

describe('scaleService', () => {
  it('raises the ASG and the service to the targets and returns PENDING', async () => {
    // Prepare
    givenAsg();
    givenService();
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ step: 'service', status: 'PENDING', attempt: 1, alreadyDone: false });
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      AutoScalingGroupName: 'proj-dr-ecs-asg',
      MinSize: 2,
      DesiredCapacity: 2,
      MaxSize: 2,
    });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'proj-dr-cluster',
      service: 'proj-dr-app',
      desiredCount: 2,
    });
  });

  it('never scales in: keeps larger current values', async () => {
    // Prepare
    givenAsg({ MinSize: 1, DesiredCapacity: 5, MaxSize: 10 });
    givenService({ desiredCount: 3, runningCount: 3 });
    // Act
    await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      MinSize: 2,
      DesiredCapacity: 5,
      MaxSize: 10,
    });
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('returns READY with alreadyDone and changes nothing when capacity is at target and the service stable', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService({ desiredCount: 2, runningCount: 2 });
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(result.detail).toContain('2/2 task(s) running');
    expect(result.detail).toContain('2 InService');
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('returns READY but not alreadyDone when only the ASG had to be raised', async () => {
    // Prepare
    givenAsg({ MinSize: 0, DesiredCapacity: 0, MaxSize: 4 });
    givenService({ desiredCount: 2, runningCount: 2 });
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: false });
    expect(asgMock).toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
  });

  it('returns PENDING without changes while a second deployment is still rolling', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService({
      desiredCount: 2,
      runningCount: 2,
      deployments: [
        { status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
        { status: 'ACTIVE', rolloutState: 'COMPLETED' },
      ],
    });
    // Act
    const result = await scaleService(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2 });
    expect(result.detail).toContain('2 deployment(s)');
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('returns PENDING while running < desired', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService({ desiredCount: 2, runningCount: 1 });
    // Act
    const result = await scaleService(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.detail).toContain('1/2 task(s) running');
  });

  it('returns READY on a check when the primary rollout COMPLETED and running == desired', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService({
      desiredCount: 2,
      runningCount: 2,
      deployments: [
        { status: 'PRIMARY', rolloutState: 'COMPLETED' },
        { status: 'ACTIVE', rolloutState: 'COMPLETED' },
      ],
    });
    // Act
    const result = await scaleService(
      makeEvent({ previous: previousCall({ attempt: 4 }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 5, alreadyDone: false });
    expect(result.finishedAt).toEqual(expect.any(String));
  });

  it('throws ResourceNotFoundError when the ASG does not exist', async () => {
    // Prepare
    asgMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    givenService();
    // Act
    const act = scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(/proj-dr-ecs-asg/);
  });

  it('throws ResourceNotFoundError when the service is missing', async () => {
    // Prepare
    givenAsg();
    ecsMock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    // Act
    const act = scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
  });

  it('throws ResourceNotFoundError when the service is INACTIVE', async () => {
    // Prepare
    givenAsg();
    givenService({ status: 'INACTIVE' });
    // Act / Assess
    await expect(scaleService(makeEvent(), makeSettings(), clients())).rejects.toThrow(ResourceNotFoundError);
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
  });

  it('throws ResourceNotFoundError when the ECS cluster does not exist', async () => {
    // Prepare
    givenAsg();
    ecsMock
      .on(DescribeServicesCommand)
      .rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }));
    // Act / Assess
    await expect(scaleService(makeEvent(), makeSettings(), clients())).rejects.toThrow(ResourceNotFoundError);
  });

  it('throws InvalidStateError when the primary deployment failed', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService({
      desiredCount: 2,
      runningCount: 0,
      deployments: [{ status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }],
    });
    // Act
    const act = scaleService(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(/circuit breaker/);
  });

  it('throws TransientAwsError when the ASG update is throttled', async () => {
    // Prepare
    givenAsg();
    givenService();
    asgMock.on(UpdateAutoScalingGroupCommand).rejects(throttled());
    // Act / Assess
    await expect(scaleService(makeEvent(), makeSettings(), clients())).rejects.toThrow(TransientAwsError);
  });

  it.each<[string, () => Error]>([
    [
      'ScalingActivityInProgress',
      () => awsError('ScalingActivityInProgress', 'Scaling activity in progress'),
    ],
    [
      'ScalingActivityInProgressFault',
      () => new ScalingActivityInProgressFault({ message: 'Scaling activity in progress', $metadata: {} }),
    ],
  ])('throws TransientAwsError saying why when the ASG update meets %s', async (_case, error) => {
    // Prepare
    givenAsg();
    givenService();
    asgMock.on(UpdateAutoScalingGroupCommand).rejects(error());
    // Act
    const act = scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(act).rejects.toThrow(
      /^UpdateAutoScalingGroup proj-dr-ecs-asg: .*Scaling activity in progress \(retried: the ECS capacity provider scales the same group/,
    );
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('raises only what is still short on the retry after a scaling activity refused the ASG update', async () => {
    // Prepare: the first call is refused; by the retry the capacity provider has raised the group.
    givenAsg();
    givenService();
    asgMock.on(UpdateAutoScalingGroupCommand).rejects(awsError('ScalingActivityInProgress'));
    const event = makeEvent();
    await expect(scaleService(event, makeSettings(), clients())).rejects.toThrow(TransientAwsError);
    givenAsg(SCALED_ASG);
    // Act: the state machine's retry sends the same event again.
    const result = await scaleService(event, makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(asgMock).toHaveReceivedCommandTimes(UpdateAutoScalingGroupCommand, 1);
    expect(ecsMock).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
  });

  it('throws WaitTimeoutError when the budget is spent before the service is stable', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService({ desiredCount: 2, runningCount: 1 });
    // Act
    const act = scaleService(
      makeEvent({ previous: previousCall({ attempt: 2, startedAt: BUDGET_SPENT }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(
      /^service: goal not met after \d+ s .*: still .*1\/2 task\(s\) running/,
    );
  });
});

describe('scaleService (target health)', () => {
  it('returns PENDING with healthy n/m while the stable service has too few healthy targets', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService(SERVING);
    givenTargets('healthy', 'initial');
    // Act
    const result = await scaleService(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING' });
    expect(result.detail).toContain('healthy 1/2 target(s)');
    expect(elbMock).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: TG_ARN });
  });

  it('returns READY alreadyDone once the target group has the target count of healthy targets', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService(SERVING);
    givenTargets('healthy', 'healthy', 'draining');
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(result.detail).toContain('healthy 2/2 target(s)');
  });

  it('does not read target health before the service is stable', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService({ ...SERVING, runningCount: 1 });
    // Act
    const result = await scaleService(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(elbMock).not.toHaveReceivedCommand(DescribeTargetHealthCommand);
  });

  it('does not return READY after raising only the ASG while targets are unhealthy', async () => {
    // Prepare
    givenAsg({ ...SCALED_ASG, MinSize: 1 });
    givenService(SERVING);
    givenTargets('unhealthy', 'unhealthy');
    asgMock.on(UpdateAutoScalingGroupCommand).resolves({});
    // Act
    const result = await scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.detail).toContain('healthy 0/2');
  });

  it('throws ResourceNotFoundError when the target group does not exist', async () => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService(SERVING);
    elbMock
      .on(DescribeTargetHealthCommand)
      .rejects(new TargetGroupNotFoundException({ message: 'gone', $metadata: { httpStatusCode: 400 } }));
    // Act
    const act = scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(TG_ARN);
  });

  it.each([
    [
      'HealthUnavailable',
      new HealthUnavailableException({ message: 'later', $metadata: { httpStatusCode: 500 } }),
    ],
    ['InvalidTarget', awsError('InvalidTargetException', 'target moving')],
    ['throttling', throttled()],
  ])('throws TransientAwsError on %s', async (_name, err) => {
    // Prepare
    givenAsg(SCALED_ASG);
    givenService(SERVING);
    elbMock.on(DescribeTargetHealthCommand).rejects(err);
    // Act
    const act = scaleService(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
  });
});

describe('scaleService (three services on the shared capacity)', () => {
  const API = serviceEntry('api', 3);
  const WEB = serviceEntry('web', 2);
  const WORKER = serviceEntry('worker', 1);
  const THREE = makeSettings({ asgMinCapacity: 3, services: [API, WEB, WORKER].map(asRead) });
  const tgOf = (name: string) =>
    `arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/proj-dr-${name}/abc`;

  /** Each service as ECS describes it (by ECS name); a name left out is MISSING. */
  function givenServices(byName: Readonly<Record<string, Partial<Service>>>): void {
    ecsMock.on(DescribeServicesCommand).callsFake((input: { services?: string[] }) => {
      const names = input.services ?? [];
      return {
        services: names
          .filter((n) => byName[n] !== undefined)
          .map((n) => ({
            serviceName: n,
            status: 'ACTIVE',
            desiredCount: 0,
            runningCount: 0,
            deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
            ...byName[n],
          })),
        failures: names.filter((n) => byName[n] === undefined).map((arn) => ({ arn, reason: 'MISSING' })),
      };
    });
  }

  /** A service stable at `count` tasks behind its own target group. */
  const serving = (name: string, count: number): Partial<Service> => ({
    desiredCount: count,
    runningCount: count,
    loadBalancers: [{ targetGroupArn: tgOf(name), containerName: name, containerPort: 80 }],
  });

  /** Each target group has `healthy` healthy targets. */
  function givenHealthy(byName: Readonly<Record<string, number>>): void {
    elbMock.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn?: string }) => {
      const name = Object.keys(byName).find((n) => tgOf(n) === input.TargetGroupArn) ?? '';
      return {
        TargetHealthDescriptions: Array.from({ length: byName[name] ?? 0 }, (_, i) => ({
          Target: { Id: `i-${i}` },
          TargetHealth: { State: 'healthy' as TargetHealthStateEnum },
        })),
      };
    });
  }

  const ALL_SERVING = {
    'proj-dr-api': serving('api', 3),
    'proj-dr-web': serving('web', 2),
    'proj-dr-worker': serving('worker', 1),
  };

  it('records every parameter, raises the ASG once and each service to its own count: PENDING, one resource each', async () => {
    // Prepare
    givenAsg({ MaxSize: 4 });
    givenServices({ 'proj-dr-api': {}, 'proj-dr-web': {}, 'proj-dr-worker': {} });
    // Act
    const result = await scaleService(makeEvent(), THREE, clients());
    // Assess
    expect(result).toMatchObject({ step: 'service', status: 'PENDING', alreadyDone: false });
    expect(asgMock).toHaveReceivedCommandTimes(UpdateAutoScalingGroupCommand, 1);
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      MinSize: 3,
      DesiredCapacity: 3,
    });
    const updates = ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input);
    expect(updates.map((u) => [u.service, u.desiredCount])).toEqual([
      ['proj-dr-api', 3],
      ['proj-dr-web', 2],
      ['proj-dr-worker', 1],
    ]);
    const puts = ssmMock
      .commandCalls(PutParameterCommand)
      .map((c) => [c.args[0].input.Name, c.args[0].input.Value]);
    expect(puts).toEqual([
      ['/proj/dr/capacity/asg-min-capacity', '3'],
      ['/proj/dr/capacity/api-desired-count', '3'],
      ['/proj/dr/capacity/web-desired-count', '2'],
      ['/proj/dr/capacity/worker-desired-count', '1'],
    ]);
    // One DescribeServices for the three.
    expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, {
      cluster: 'proj-dr-cluster',
      services: ['proj-dr-api', 'proj-dr-web', 'proj-dr-worker'],
    });
    expect(result.resources).toEqual([
      {
        kind: 'service',
        name: 'api',
        done: false,
        detail: expect.stringMatching(/^api: 0\/0 task\(s\) running \(target 3\).*; desiredCount → 3$/),
      },
      {
        kind: 'service',
        name: 'web',
        done: false,
        detail: expect.stringMatching(/^web: .*desiredCount → 2$/),
      },
      {
        kind: 'service',
        name: 'worker',
        done: false,
        detail: expect.stringMatching(/^worker: .*desiredCount → 1$/),
      },
    ]);
    expect(result.detail).toContain('service web: desiredCount → 2');
  });

  it('returns READY alreadyDone when the ASG is at target and every service stable and serving', async () => {
    // Prepare
    givenAsg({ ...SCALED_ASG, MinSize: 3, DesiredCapacity: 3 });
    givenServices(ALL_SERVING);
    givenHealthy({ api: 3, web: 2, worker: 1 });
    // Act
    const result = await scaleService(makeEvent(), THREE, clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['api', true],
      ['web', true],
      ['worker', true],
    ]);
    expect(result.resources?.[0]?.detail).toBe(
      'api: 3/3 task(s) running (target 3), healthy 3/3 target(s), 1 deployment(s)',
    );
    expect(elbMock).toHaveReceivedCommandTimes(DescribeTargetHealthCommand, 3);
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(ssmMock).not.toHaveReceivedAnyCommand();
  });

  it('stays PENDING while one service has too few healthy targets, saying which', async () => {
    // Prepare
    givenAsg({ ...SCALED_ASG, MinSize: 3, DesiredCapacity: 3 });
    givenServices(ALL_SERVING);
    givenHealthy({ api: 3, web: 1, worker: 1 });
    // Act
    const result = await scaleService(makeEvent({ previous: previousCall() }), THREE, clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['api', true],
      ['web', false],
      ['worker', true],
    ]);
    expect(result.detail).toContain('service web: 2/2 task(s) running (target 2), healthy 1/2 target(s)');
  });

  it('is idempotent: a rerun after a partial first call raises only what is still short', async () => {
    // Prepare: the first call raised the ASG, api and web, then failed on worker.
    givenAsg({ MaxSize: 4 });
    givenServices({ 'proj-dr-api': {}, 'proj-dr-web': {}, 'proj-dr-worker': {} });
    ecsMock.on(UpdateServiceCommand, { service: 'proj-dr-worker' }).rejects(throttled());
    const event = makeEvent();
    await expect(scaleService(event, THREE, clients())).rejects.toThrow(TransientAwsError);
    asgMock.reset();
    ecsMock.resetHistory();
    ecsMock.on(UpdateServiceCommand, { service: 'proj-dr-worker' }).resolves({});
    ssmMock.resetHistory();
    givenAsg({ ...SCALED_ASG, MinSize: 3, DesiredCapacity: 3 });
    givenServices({
      'proj-dr-api': { desiredCount: 3 },
      'proj-dr-web': { desiredCount: 2 },
      'proj-dr-worker': {},
    });
    ssmMock.on(GetParameterCommand).callsFake((input: { Name?: string }) => ({
      Parameter: { Value: input.Name?.includes('asg') ? '3' : input.Name?.includes('worker') ? '1' : '3' },
    }));
    // Act: the state machine's retry sends the same event again.
    const result = await scaleService(event, THREE, clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(ecsMock).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      service: 'proj-dr-worker',
      desiredCount: 1,
    });
    expect(ssmMock).not.toHaveReceivedCommand(PutParameterCommand);
  });

  it('throws the error of the one service whose update failed, naming it, after raising the others', async () => {
    // Prepare
    givenAsg({ MaxSize: 4 });
    givenServices({ 'proj-dr-api': {}, 'proj-dr-web': {}, 'proj-dr-worker': {} });
    ecsMock
      .on(UpdateServiceCommand, { service: 'proj-dr-web' })
      .rejects(awsError('AccessDeniedException', 'not allowed to update proj-dr-web'));
    // Act
    const act = scaleService(makeEvent(), THREE, clients());
    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'service web: not allowed to update proj-dr-web',
    });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, { service: 'proj-dr-api' });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, { service: 'proj-dr-worker' });
  });

  it('prefers a permanent error of one service over a throttled update of another', async () => {
    // Prepare
    givenAsg({ MaxSize: 4 });
    givenServices({ 'proj-dr-api': {}, 'proj-dr-web': {}, 'proj-dr-worker': {} });
    ecsMock.on(UpdateServiceCommand, { service: 'proj-dr-api' }).rejects(throttled());
    ecsMock
      .on(UpdateServiceCommand, { service: 'proj-dr-worker' })
      .rejects(awsError('InvalidParameterException', 'bad'));
    // Act / Assess
    await expect(scaleService(makeEvent(), THREE, clients())).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'service worker: bad',
    });
  });

  it('throws InvalidStateError naming the service whose deployment failed', async () => {
    // Prepare
    givenAsg({ ...SCALED_ASG, MinSize: 3, DesiredCapacity: 3 });
    givenServices({
      ...ALL_SERVING,
      'proj-dr-web': {
        desiredCount: 2,
        runningCount: 0,
        deployments: [{ status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }],
      },
    });
    givenHealthy({ api: 3, worker: 1 });
    // Act
    const act = scaleService(makeEvent({ previous: previousCall() }), THREE, clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(
      'service web: ECS service proj-dr-web: deployment failed: circuit breaker',
    );
  });

  it('throws ResourceNotFoundError naming the service that does not exist, changing nothing', async () => {
    // Prepare
    givenAsg();
    givenServices({ 'proj-dr-api': {}, 'proj-dr-web': {} });
    // Act
    const act = scaleService(makeEvent(), THREE, clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(
      /^service worker: ECS service proj-dr-worker in cluster proj-dr-cluster does not exist/,
    );
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(ssmMock).not.toHaveReceivedCommand(PutParameterCommand);
  });

  it('throws ResourceNotFoundError naming the service whose target group is gone', async () => {
    // Prepare
    givenAsg({ ...SCALED_ASG, MinSize: 3, DesiredCapacity: 3 });
    givenServices(ALL_SERVING);
    givenHealthy({ api: 3, web: 2 });
    elbMock
      .on(DescribeTargetHealthCommand, { TargetGroupArn: tgOf('worker') })
      .rejects(new TargetGroupNotFoundException({ message: 'gone', $metadata: { httpStatusCode: 400 } }));
    // Act / Assess
    await expect(scaleService(makeEvent(), THREE, clients())).rejects.toThrow(
      `service worker: target group ${tgOf('worker')} does not exist`,
    );
  });

  it('describes twelve services in two DescribeServices calls (ECS takes 10 a call)', async () => {
    // Prepare
    const twelve = Array.from({ length: 12 }, (_, i) => serviceEntry(`s${i}`, 1));
    givenAsg({ ...SCALED_ASG, MinSize: 3, DesiredCapacity: 3 });
    givenServices(
      Object.fromEntries(twelve.map((e) => [e.ecsService, { desiredCount: 1, runningCount: 1 }])),
    );
    // Act
    const result = await scaleService(
      makeEvent(),
      makeSettings({ asgMinCapacity: 3, services: twelve.map(asRead) }),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    const batches = ecsMock
      .commandCalls(DescribeServicesCommand)
      .map((c) => c.args[0].input.services?.length);
    expect(batches).toEqual([10, 2]);
    expect(result.resources).toHaveLength(12);
  });
});

describe('serviceTargetSettings', () => {
  it('reads only what the service reader needs when asked for no more fields', () => {
    // Prepare: a waiting function's environment holds each service's ECS name and desired count only.
    const env = {
      ...makeEnv(),
      SERVICES: servicesEnvironment([serviceEntry('api', 3), serviceEntry('web', 2)], SERVICE_TARGET_FIELDS),
    };
    // Act
    const target = serviceTargetSettings(requireEnv(SERVICE_TARGET_ENV, env), env, []);
    // Assess
    expect(target.services).toEqual([
      { name: 'api', ecsService: 'proj-dr-api', desiredCount: 3 },
      { name: 'web', ecsService: 'proj-dr-web', desiredCount: 2 },
    ]);
  });
});

describe('readScaleServiceSettings', () => {
  it('reads the shared ASG and cluster and every service of SERVICES, in order, with only the fields it reads', () => {
    // Act
    const settings = readScaleServiceSettings(makeEnv([serviceEntry('api', 3), serviceEntry('web', 2)]));
    // Assess
    expect(settings).toMatchObject({
      asgName: 'proj-dr-ecs-asg',
      asgMinCapacity: 3,
      ecsCluster: 'proj-dr-cluster',
    });
    expect(settings.services).toEqual([
      {
        name: 'api',
        ecsService: 'proj-dr-api',
        desiredCount: 3,
        desiredCountParameter: '/proj/dr/capacity/api-desired-count',
      },
      {
        name: 'web',
        ecsService: 'proj-dr-web',
        desiredCount: 2,
        desiredCountParameter: '/proj/dr/capacity/web-desired-count',
      },
    ]);
  });

  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readScaleServiceSettings({ ...REGION_ENV, ASG_NAME: 'a', ECS_CLUSTER: 'c' });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      'missing environment variable(s): ASG_MIN_CAPACITY, SERVICES, ASG_MIN_CAPACITY_PARAMETER, INSTANCE_TYPES',
    );
  });

  it('reads an empty ASG_MIN_CAPACITY_PARAMETER as no parameter (capacity the team deployed)', () => {
    // Act
    const settings = readScaleServiceSettings({ ...makeEnv(), ASG_MIN_CAPACITY_PARAMETER: '' });
    // Assess
    expect(settings).not.toHaveProperty('asgMinCapacityParameter');
    expect(settings).toMatchObject({ asgName: 'proj-dr-ecs-asg', asgMinCapacity: 3 });
  });

  it('reads a service without desiredCountParameter (a service the team deployed)', () => {
    // Prepare
    const { desiredCountParameter: _none, ...legacy } = serviceEntry('legacy', 2);
    // Act
    const settings = readScaleServiceSettings(makeEnv([serviceEntry('api', 3), legacy]));
    // Assess
    expect(settings.services[1]).toEqual({ name: 'legacy', ecsService: 'proj-dr-legacy', desiredCount: 2 });
  });

  it('throws InvalidInputError when TARGET_ROLE is neither main nor dr', () => {
    // Act
    const act = () => readScaleServiceSettings({ ...makeEnv(), TARGET_ROLE: 'primary' });
    // Assess
    expect(act).toThrow(/TARGET_ROLE: expected 'main' or 'dr'/);
  });

  it('throws InvalidInputError naming SERVICES and the entry and field that are malformed', () => {
    // Prepare: the second of three services lost its desired count.
    const [api, web, worker] = [
      asRead(serviceEntry('api')),
      asRead(serviceEntry('web')),
      asRead(serviceEntry('worker')),
    ];
    const { desiredCount: _dropped, ...webWithout } = web;
    const env = { ...makeEnv(), SERVICES: JSON.stringify([api, webWithout, worker]) };
    // Act
    const act = () => readScaleServiceSettings(env);
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      /^environment variable SERVICES: SERVICES\[1\]\.desiredCount: expected number \(missing\)/,
    );
  });

  it('throws InvalidInputError naming SERVICES, the entry and a field the step does not read', () => {
    // Prepare: the second entry carries the image, which only readiness reads.
    const entries = [
      asRead(serviceEntry('api')),
      { ...asRead(serviceEntry('web')), image: 'public.ecr.aws/proj/web:1' },
    ];
    // Act
    const act = () => readScaleServiceSettings({ ...makeEnv(), SERVICES: JSON.stringify(entries) });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow("environment variable SERVICES: SERVICES[1]: unknown key 'image'");
  });

  it.each([
    ['not JSON', 'api,web', /^environment variable SERVICES: expected a JSON list, got 'api,web'/],
    ['an empty list', '[]', /^environment variable SERVICES: .*expected at least 1 item/],
    [
      'a name twice',
      JSON.stringify([asRead(serviceEntry('api')), asRead(serviceEntry('api'))]),
      /^environment variable SERVICES: expected unique names, api repeats/,
    ],
  ])('throws InvalidInputError naming SERVICES when it is %s', (_case, value, message) => {
    // Act
    const act = () => readScaleServiceSettings({ ...makeEnv(), SERVICES: value });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(message);
  });
});

describe('scale-service handler', () => {
  it('scales through clients for TARGET_REGION', async () => {
    // Prepare
    givenAsg();
    givenService();
    // Act
    const result = await withEnv(makeEnv(), () => handler({ wait: ONE_READ }));
    // Assess
    expect(result).toMatchObject({ step: 'service', status: 'PENDING' });
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      MinSize: 3,
      DesiredCapacity: 3,
    });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 4 });
    expect(await ecsMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
    expect(ssmMock).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/proj/dr/capacity/app-desired-count',
      Value: '4',
    });
    expect(await ssmMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
  });

  it('accepts an empty ASG_MIN_CAPACITY_PARAMETER and records only the service parameter', async () => {
    // Prepare
    givenAsg();
    givenService();
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '0' } });
    // Act
    const result = await withEnv({ ...makeEnv(), ASG_MIN_CAPACITY_PARAMETER: '' }, () =>
      handler({ wait: ONE_READ }),
    );
    // Assess
    expect(result).toMatchObject({ step: 'service', status: 'PENDING' });
    expect(ssmMock).toHaveReceivedCommandTimes(GetParameterCommand, 1);
    expect(ssmMock).toHaveReceivedCommandWith(GetParameterCommand, {
      Name: '/proj/dr/capacity/app-desired-count',
    });
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, { MinSize: 3 });
  });
});
