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
import {
  readScaleServiceSettings,
  type ScaleServiceSettings,
  scaleService,
} from '../../lambdas/scale-service/scale-service';
import type { StepEvent, StepResult } from '../../lambdas/shared/contracts';
import {
  InvalidInputError,
  InvalidStateError,
  ResourceNotFoundError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
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

function makeSettings(overrides: Partial<ScaleServiceSettings> = {}): ScaleServiceSettings {
  return {
    ...REGION_SETTINGS,
    asgName: 'proj-dr-ecs-asg',
    asgMinCapacity: 2,
    ecsCluster: 'proj-dr-cluster',
    ecsService: 'proj-dr-app',
    serviceDesiredCount: 2,
    asgMinCapacityParameter: '/proj/dr/capacity/asg-min-capacity',
    serviceDesiredCountParameter: '/proj/dr/capacity/service-desired-count',
    ...overrides,
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

describe('readScaleServiceSettings', () => {
  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readScaleServiceSettings({ ...REGION_ENV, ASG_NAME: 'a', ECS_CLUSTER: 'c' });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      'ASG_MIN_CAPACITY, ECS_SERVICE, SERVICE_DESIRED_COUNT, ASG_MIN_CAPACITY_PARAMETER, SERVICE_DESIRED_COUNT_PARAMETER',
    );
  });

  it('throws InvalidInputError when TARGET_ROLE is neither main nor dr', () => {
    // Act
    const act = () =>
      readScaleServiceSettings({
        ...REGION_ENV,
        TARGET_ROLE: 'primary',
        ASG_NAME: 'a',
        ASG_MIN_CAPACITY: '1',
        ECS_CLUSTER: 'c',
        ECS_SERVICE: 's',
        SERVICE_DESIRED_COUNT: '1',
        ASG_MIN_CAPACITY_PARAMETER: 'a',
        SERVICE_DESIRED_COUNT_PARAMETER: 's',
      });
    // Assess
    expect(act).toThrow(/TARGET_ROLE: expected 'main' or 'dr'/);
  });
});

describe('scale-service handler', () => {
  it('scales through clients for TARGET_REGION', async () => {
    // Prepare
    givenAsg();
    givenService();
    const env = {
      ...REGION_ENV,
      ASG_NAME: 'proj-dr-ecs-asg',
      ASG_MIN_CAPACITY: '3',
      ECS_CLUSTER: 'proj-dr-cluster',
      ECS_SERVICE: 'proj-dr-app',
      SERVICE_DESIRED_COUNT: '4',
      ASG_MIN_CAPACITY_PARAMETER: '/proj/dr/capacity/asg-min-capacity',
      SERVICE_DESIRED_COUNT_PARAMETER: '/proj/dr/capacity/service-desired-count',
    };
    // Act
    const result = await withEnv(env, () => handler({ wait: ONE_READ }));
    // Assess
    expect(result).toMatchObject({ step: 'service', status: 'PENDING' });
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      MinSize: 3,
      DesiredCapacity: 3,
    });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 4 });
    expect(await ecsMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
    expect(ssmMock).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/proj/dr/capacity/service-desired-count',
      Value: '4',
    });
    expect(await ssmMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
  });
});
