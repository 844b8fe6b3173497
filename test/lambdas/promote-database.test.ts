import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  type FailoverState,
  type FailoverStatus,
  type GlobalCluster,
  GlobalClusterNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidGlobalClusterStateFault,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/promote-database';
import {
  type PromoteDatabaseClients,
  type PromoteDatabaseSettings,
  promoteDatabase,
  readPromoteDatabaseSettings,
  WAITING_FOR_SERVICE,
} from '../../lambdas/promote-database/promote-database';
import type { PromoteEvent, StepResult } from '../../lambdas/shared/contracts';
import {
  InvalidInputError,
  InvalidStateError,
  ResourceNotFoundError,
  SwitchoverRefusedError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
import {
  ACCOUNT,
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

const rdsMock = mockClient(RDSClient);
/** One client per region: which region got which call is asserted on the call's client. */
const targetRds = new RDSClient({ region: TARGET_REGION });
const sourceRds = new RDSClient({ region: SOURCE_REGION });
const asgMock = mockClient(AutoScalingClient);
const ecsMock = mockClient(ECSClient);

const GLOBAL_ID = 'proj-global';
const TARGET_ID = 'proj-dr-aurora';
const TARGET_ARN = `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${TARGET_ID}`;
const SOURCE_ARN = `arn:aws:rds:${SOURCE_REGION}:${ACCOUNT}:cluster:proj-main-aurora`;
/** A budget spent: one second past the 10-minute budget of {@link WAIT}. */
const BUDGET_SPENT = secondsAgo(WAIT.budgetMinutes * 60 + 1);

const SERVICE_TARGET = {
  asgName: 'proj-dr-ecs-asg',
  asgMinCapacity: 2,
  ecsCluster: 'proj-dr-cluster',
  ecsService: 'proj-dr-app',
  serviceDesiredCount: 2,
};

const SERVICE_ENV = {
  ASG_NAME: 'proj-dr-ecs-asg',
  ASG_MIN_CAPACITY: '2',
  ECS_CLUSTER: 'proj-dr-cluster',
  ECS_SERVICE: 'proj-dr-app',
  SERVICE_DESIRED_COUNT: '2',
};

function makeSettings(overrides: Partial<PromoteDatabaseSettings> = {}): PromoteDatabaseSettings {
  return {
    ...REGION_SETTINGS,
    globalClusterId: GLOBAL_ID,
    targetClusterId: TARGET_ID,
    targetClusterArn: TARGET_ARN,
    ...SERVICE_TARGET,
    ...overrides,
  };
}

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('promotion', { modeUsed: 'planned', ...overrides });
}

function makeEvent(overrides: Partial<PromoteEvent> = {}): PromoteEvent {
  return { wait: WAIT, mode: 'planned', requestedMode: 'planned', ...overrides };
}

const clients = (): PromoteDatabaseClients => ({
  rds: targetRds,
  sourceRds,
  autoScaling: new AutoScalingClient({ region: TARGET_REGION }),
  ecs: new ECSClient({ region: TARGET_REGION }),
  elbv2: new ElasticLoadBalancingV2Client({ region: TARGET_REGION }),
});

/** The global cluster, read in this region, with this region's member as writer (`targetWriter`) or reader. */
function globalCluster(targetWriter: boolean, overrides: Partial<GlobalCluster> = {}): GlobalCluster {
  return {
    GlobalClusterIdentifier: GLOBAL_ID,
    Status: 'available',
    GlobalClusterMembers: [
      { DBClusterArn: SOURCE_ARN, IsWriter: !targetWriter },
      { DBClusterArn: TARGET_ARN, IsWriter: targetWriter },
    ],
    ...overrides,
  };
}

function givenGlobal(targetWriter: boolean, overrides: Partial<GlobalCluster> = {}): void {
  rdsMock
    .on(DescribeGlobalClustersCommand)
    .resolves({ GlobalClusters: [globalCluster(targetWriter, overrides)] });
}

/** This region's cluster as DescribeDBClusters shows it. */
function givenCluster(status: string): void {
  rdsMock
    .on(DescribeDBClustersCommand)
    .resolves({ DBClusters: [{ DBClusterIdentifier: TARGET_ID, DBClusterArn: TARGET_ARN, Status: status }] });
}

/** An operation AWS runs towards this region's cluster. */
function operation(status: string, dataLossAllowed?: boolean): FailoverState {
  return {
    Status: status as FailoverStatus,
    FromDbClusterArn: SOURCE_ARN,
    ToDbClusterArn: TARGET_ARN,
    ...(dataLossAllowed === undefined ? {} : { IsDataLossAllowed: dataLossAllowed }),
  };
}

/** This region's service: ready (capacity up, one deployment, running == desired) or still scaling. */
function givenService(ready: boolean): void {
  const asg = ready
    ? { MinSize: 2, MaxSize: 2, DesiredCapacity: 2, Instances: [{ LifecycleState: 'InService' }] }
    : { MinSize: 2, MaxSize: 2, DesiredCapacity: 2, Instances: [] };
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [{ AutoScalingGroupName: 'proj-dr-ecs-asg', ...asg } as AutoScalingGroup],
  });
  const service: Service = {
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: ready ? 2 : 0,
    deployments: [{ status: 'PRIMARY', rolloutState: ready ? 'COMPLETED' : 'IN_PROGRESS' }],
  };
  ecsMock.on(DescribeServicesCommand).resolves({ services: [service] });
}

const refusal = (name = 'InvalidGlobalClusterStateFault') =>
  name === 'InvalidDBClusterStateFault'
    ? new InvalidDBClusterStateFault({ message: 'source cluster is unavailable', $metadata: {} })
    : new InvalidGlobalClusterStateFault({ message: 'source cluster is unavailable', $metadata: {} });

/** Errors that say nothing of the source's state: retried, never a refusal. */
const TRANSIENT_ERRORS: [string, () => Error][] = [
  ['InternalFailure (500)', () => awsError('InternalFailure', 'internal error', 500)],
  ['ServiceUnavailable (503)', () => awsError('ServiceUnavailable', 'try again', 503)],
  ['throttling', throttled],
  ['a timeout', () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
  ['a network error', () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
];

/** How many `command` calls went through `client` (this region's or the source region's). */
function sent(client: RDSClient, command: Parameters<typeof rdsMock.commandCalls>[0]): number {
  return rdsMock.commandCalls(command).filter((c) => c.thisValue === client).length;
}

function expectNoOperation(): void {
  expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
}

beforeEach(() => {
  for (const mock of [rdsMock, asgMock, ecsMock]) mock.reset();
  rdsMock.on(SwitchoverGlobalClusterCommand).resolves({});
  rdsMock.on(FailoverGlobalClusterCommand).resolves({});
  givenCluster('available');
  givenService(true);
});

describe('promoteDatabase: where each operation goes', () => {
  it('planned: sends SwitchoverGlobalCluster to the source region once the service is ready, and returns PENDING', async () => {
    // Prepare
    givenGlobal(false);
    // Act
    const result = await promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ step: 'promotion', status: 'PENDING', attempt: 1, modeUsed: 'planned' });
    expect(result.detail).toContain(`switchover started (sent to ${SOURCE_REGION})`);
    expect(rdsMock).toHaveReceivedCommandWith(SwitchoverGlobalClusterCommand, {
      GlobalClusterIdentifier: GLOBAL_ID,
      TargetDbClusterIdentifier: TARGET_ARN,
    });
    expect(sent(sourceRds, SwitchoverGlobalClusterCommand)).toBe(1);
    expect(sent(targetRds, SwitchoverGlobalClusterCommand)).toBe(0);
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
    // Every read is made in this region: the source may be down.
    expect(sent(sourceRds, DescribeGlobalClustersCommand)).toBe(0);
    expect(sent(sourceRds, DescribeDBClustersCommand)).toBe(0);
  });

  it('unplanned: sends FailoverGlobalCluster with AllowDataLoss to this region, never a switchover, without waiting for the service', async () => {
    // Prepare
    givenGlobal(false);
    givenService(false);
    // Act
    const result = await promoteDatabase(
      makeEvent({ mode: 'unplanned', requestedMode: 'unplanned' }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
    expect(rdsMock).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, {
      GlobalClusterIdentifier: GLOBAL_ID,
      TargetDbClusterIdentifier: TARGET_ARN,
      AllowDataLoss: true,
    });
    expect(sent(targetRds, FailoverGlobalClusterCommand)).toBe(1);
    const input = rdsMock.commandCalls(FailoverGlobalClusterCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('Switchover');
    expect(rdsMock.calls().filter((c) => c.thisValue === sourceRds)).toHaveLength(0);
    expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
    expect(ecsMock.calls()).toHaveLength(0);
    expect(asgMock.calls()).toHaveLength(0);
  });
});

describe('promoteDatabase: a planned switchover waits for the service', () => {
  it('returns PENDING without switching over while this region cannot serve yet', async () => {
    // Prepare
    givenGlobal(false);
    givenService(false);
    // Act
    const result = await promoteDatabase(makeEvent({ requestedMode: 'auto' }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'planned' });
    expect(result.detail).toMatch(new RegExp(`^${literal(WAITING_FOR_SERVICE)}: service proj-dr-app: 0/2`));
    expect(result.detail).toContain('would cut writes in the old one');
    expectNoOperation();
  });

  it('switches over on the check that finds the service ready', async () => {
    // Prepare
    givenGlobal(false);
    // Act
    const result = await promoteDatabase(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2, modeUsed: 'planned' });
    expect(sent(sourceRds, SwitchoverGlobalClusterCommand)).toBe(1);
  });

  it('throws WaitTimeoutError naming the service when the budget is spent waiting for it, switching nothing', async () => {
    // Prepare
    givenGlobal(false);
    givenService(false);
    // Act
    const act = promoteDatabase(
      makeEvent({ previous: previousCall({ startedAt: BUDGET_SPENT }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(
      /promotion: goal not met .*still waiting for the service before switching over/,
    );
    expectNoOperation();
  });

  it('throws InvalidStateError when the service’s deployment failed, switching nothing', async () => {
    // Prepare
    givenGlobal(false);
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          status: 'ACTIVE',
          desiredCount: 2,
          runningCount: 0,
          deployments: [{ status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }],
        },
      ],
    });
    // Act
    const act = promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    expectNoOperation();
  });
});

describe('promoteDatabase: refusals, and errors that are not refusals', () => {
  it.each(['InvalidGlobalClusterStateFault', 'InvalidDBClusterStateFault'])(
    'auto: falls back to FailoverGlobalCluster with AllowDataLoss (this region) when the switchover is refused with %s',
    async (name) => {
      // Prepare
      givenGlobal(false);
      rdsMock.on(SwitchoverGlobalClusterCommand).rejects(refusal(name));
      // Act
      const result = await promoteDatabase(
        makeEvent({ mode: 'planned', requestedMode: 'auto' }),
        makeSettings(),
        clients(),
      );
      // Assess
      expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
      expect(result.detail).toContain('data loss allowed');
      expect(rdsMock).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, { AllowDataLoss: true });
      expect(sent(targetRds, FailoverGlobalClusterCommand)).toBe(1);
    },
  );

  it.each(TRANSIENT_ERRORS)(
    'auto: throws TransientAwsError on %s from the switchover and never fails over with data loss',
    async (_case, error) => {
      // Prepare
      givenGlobal(false);
      rdsMock.on(SwitchoverGlobalClusterCommand).rejects(error());
      // Act
      const act = promoteDatabase(makeEvent({ requestedMode: 'auto' }), makeSettings(), clients());
      // Assess
      await expect(act).rejects.toThrow(TransientAwsError);
      await expect(act).rejects.toThrow(`SwitchoverGlobalCluster (${SOURCE_REGION})`);
      await expect(act).rejects.toThrow(/not a refusal: retried/);
      expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
    },
  );

  it.each(TRANSIENT_ERRORS)(
    'planned: throws TransientAwsError (retried, not refused) on %s',
    async (_case, error) => {
      // Prepare
      givenGlobal(false);
      rdsMock.on(SwitchoverGlobalClusterCommand).rejects(error());
      // Act
      const act = promoteDatabase(makeEvent({ requestedMode: 'planned' }), makeSettings(), clients());
      // Assess
      await expect(act).rejects.toThrow(TransientAwsError);
      expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
    },
  );

  it.each(TRANSIENT_ERRORS)(
    'unplanned: throws TransientAwsError on %s from the failover',
    async (_case, error) => {
      // Prepare
      givenGlobal(false);
      rdsMock.on(FailoverGlobalClusterCommand).rejects(error());
      // Act
      const act = promoteDatabase(
        makeEvent({ mode: 'unplanned', requestedMode: 'unplanned' }),
        makeSettings(),
        clients(),
      );
      // Assess
      await expect(act).rejects.toThrow(TransientAwsError);
      await expect(act).rejects.toThrow(`FailoverGlobalCluster (${TARGET_REGION})`);
    },
  );

  it('timeout, then the next call finds the switchover in progress: PENDING, and no second call', async () => {
    // Prepare: the first request times out although AWS accepted it.
    givenGlobal(false);
    rdsMock
      .on(SwitchoverGlobalClusterCommand)
      .rejects(Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }));
    const event = makeEvent({ requestedMode: 'auto' });
    await expect(promoteDatabase(event, makeSettings(), clients())).rejects.toThrow(TransientAwsError);
    givenGlobal(false, { FailoverState: operation('switching-over', false) });
    // Act: the state machine's retry sends the same event again.
    const result = await promoteDatabase(event, makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'planned' });
    expect(result.detail).toContain('switchover to this cluster switching-over');
    expect(rdsMock).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 1);
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it('auto: a refusal while a switchover is already underway waits for it instead of failing over', async () => {
    // Prepare: the first read does not show the earlier (accepted) request yet; the one after the refusal does.
    rdsMock
      .on(DescribeGlobalClustersCommand)
      .resolvesOnce({ GlobalClusters: [globalCluster(false)] })
      .resolves({ GlobalClusters: [globalCluster(false, { FailoverState: operation('pending', false) })] });
    rdsMock.on(SwitchoverGlobalClusterCommand).rejects(refusal());
    // Act
    const result = await promoteDatabase(makeEvent({ requestedMode: 'auto' }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'planned' });
    expect(result.detail).toContain('refused while a promotion is already underway');
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it('planned: throws SwitchoverRefusedError and never loses data when the switchover is refused', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock.on(SwitchoverGlobalClusterCommand).rejects(refusal());
    // Act
    const act = promoteDatabase(makeEvent({ requestedMode: 'planned' }), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(SwitchoverRefusedError);
    await expect(act).rejects.toThrow(/source cluster is unavailable.*rerun with mode unplanned/);
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it('throws InvalidStateError when the failover is refused and nothing is underway', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock.on(FailoverGlobalClusterCommand).rejects(refusal());
    // Act
    const act = promoteDatabase(
      makeEvent({ mode: 'unplanned', requestedMode: 'unplanned' }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(`FailoverGlobalCluster (${TARGET_REGION}) refused`);
  });

  it('passes an unexpected permanent error (AccessDenied) through unchanged, never failing over', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock.on(SwitchoverGlobalClusterCommand).rejects(awsError('AccessDenied', 'not authorized', 403));
    // Act
    const act = promoteDatabase(makeEvent({ requestedMode: 'auto' }), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });
});

describe('promoteDatabase: progress read in this region', () => {
  it.each(['pending', 'switching-over', 'failing-over', 'cancelling'])(
    'returns PENDING without a call while the failover state is %s',
    async (status) => {
      // Prepare
      givenGlobal(false, { FailoverState: operation(status) });
      // Act
      const result = await promoteDatabase(
        makeEvent({ previous: previousCall() }),
        makeSettings(),
        clients(),
      );
      // Assess
      expect(result).toMatchObject({ status: 'PENDING', attempt: 2, modeUsed: 'planned' });
      expect(result.detail).toContain(status);
      expectNoOperation();
    },
  );

  it('returns PENDING while this cluster is the writer but not available yet', async () => {
    // Prepare
    givenGlobal(true);
    givenCluster('modifying');
    // Act
    const result = await promoteDatabase(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.detail).toContain(`${TARGET_ID} is the writer and modifying`);
    expectNoOperation();
  });

  it('returns PENDING while the writer flag has moved but AWS still reports the failover running', async () => {
    // Prepare
    givenGlobal(true, { FailoverState: operation('failing-over', true) });
    // Act
    const result = await promoteDatabase(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
  });

  it.each(['modifying', 'failing-over', 'unknown'])(
    'returns READY when this cluster is the available writer although the global cluster is %s (old primary region down)',
    async (globalStatus) => {
      // Prepare
      givenGlobal(true, { Status: globalStatus });
      // Act
      const result = await promoteDatabase(
        makeEvent({ previous: previousCall({ modeUsed: 'unplanned' }) }),
        makeSettings(),
        clients(),
      );
      // Assess
      expect(result).toMatchObject({ status: 'READY', modeUsed: 'unplanned' });
      expect(result.detail).toContain(`${TARGET_ID} is the writer and available`);
      expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
    },
  );

  it('returns READY and keeps the fallback mode from previous once this cluster is the writer', async () => {
    // Prepare
    givenGlobal(true);
    // Act
    const result = await promoteDatabase(
      makeEvent({ requestedMode: 'auto', previous: previousCall({ attempt: 6, modeUsed: 'unplanned' }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 7, modeUsed: 'unplanned', alreadyDone: false });
    expect(result.finishedAt).toEqual(expect.any(String));
  });

  it('returns READY with alreadyDone and makes no call when this cluster is already the writer', async () => {
    // Prepare
    givenGlobal(true, {
      // A finished operation can leave a non-active state behind; the SDK enum lacks some values.
      FailoverState: { Status: 'cancelled' as FailoverStatus },
    });
    // Act
    const result = await promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true, modeUsed: 'planned' });
    expectNoOperation();
  });

  it('reports the mode of an operation AWS already runs (a rerun after a lost answer)', async () => {
    // Prepare
    givenGlobal(false, { FailoverState: operation('failing-over', true) });
    // Act
    const result = await promoteDatabase(makeEvent({ requestedMode: 'auto' }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
    expect(result.detail).toContain('failover to this cluster failing-over');
    expectNoOperation();
  });

  it('reissues the operation in the mode used so far when a check finds nothing in progress', async () => {
    // Prepare
    givenGlobal(false);
    // Act
    const result = await promoteDatabase(
      makeEvent({ requestedMode: 'auto', previous: previousCall({ modeUsed: 'unplanned' }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result.modeUsed).toBe('unplanned');
    expect(rdsMock).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, { AllowDataLoss: true });
    expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  });

  it('throws ResourceNotFoundError when the global cluster does not exist', async () => {
    // Prepare
    rdsMock
      .on(DescribeGlobalClustersCommand)
      .rejects(new GlobalClusterNotFoundFault({ message: 'not found', $metadata: { httpStatusCode: 404 } }));
    // Act / Assess
    await expect(promoteDatabase(makeEvent(), makeSettings(), clients())).rejects.toThrow(
      ResourceNotFoundError,
    );
  });

  it('throws ResourceNotFoundError when this region’s cluster does not exist', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock
      .on(DescribeDBClustersCommand)
      .rejects(new DBClusterNotFoundFault({ message: 'not found', $metadata: { httpStatusCode: 404 } }));
    // Act
    const act = promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(`DB cluster ${TARGET_ID} does not exist`);
    expectNoOperation();
  });

  it('throws InvalidStateError when this cluster is not a member', async () => {
    // Prepare
    givenGlobal(false, { GlobalClusterMembers: [{ DBClusterArn: SOURCE_ARN, IsWriter: true }] });
    // Act
    const act = promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(/not a member/);
    expectNoOperation();
  });

  it('throws TransientAwsError when DescribeGlobalClusters is throttled', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).rejects(throttled());
    // Act / Assess
    await expect(promoteDatabase(makeEvent(), makeSettings(), clients())).rejects.toThrow(TransientAwsError);
  });
});

describe('promoteDatabase: budget', () => {
  it('throws WaitTimeoutError saying AWS is still running the operation when the budget is spent', async () => {
    // Prepare
    givenGlobal(false, { FailoverState: operation('switching-over', false) });
    // Act
    const act = promoteDatabase(
      makeEvent({ previous: previousCall({ startedAt: BUDGET_SPENT }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(
      /^promotion: goal not met after \d+ s \(budget 10 min\): still .*switching-over: AWS is still running the operation; a rerun resumes waiting for it \(it will not start a second one\)$/,
    );
  });

  it('throws WaitTimeoutError without acting when the budget is spent and nothing runs', async () => {
    // Prepare
    givenGlobal(false);
    // Act
    const act = promoteDatabase(
      makeEvent({ previous: previousCall({ startedAt: BUDGET_SPENT }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.not.toThrow(/AWS is still running/);
    expectNoOperation();
  });

  it('throws InvalidInputError for a mode other than planned/unplanned, before any call', async () => {
    // Prepare
    const event = { ...makeEvent(), mode: 'auto' } as unknown as PromoteEvent;
    // Act / Assess
    await expect(promoteDatabase(event, makeSettings(), clients())).rejects.toThrow(InvalidInputError);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

describe('readPromoteDatabaseSettings', () => {
  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readPromoteDatabaseSettings({ ...REGION_ENV, GLOBAL_CLUSTER_ID: GLOBAL_ID });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      'TARGET_CLUSTER_ID, TARGET_CLUSTER_ARN, ASG_NAME, ASG_MIN_CAPACITY, ECS_CLUSTER, ECS_SERVICE, SERVICE_DESIRED_COUNT',
    );
  });

  it('reads the cluster and the service target a planned switchover waits for', () => {
    // Act
    const settings = readPromoteDatabaseSettings({
      ...REGION_ENV,
      GLOBAL_CLUSTER_ID: GLOBAL_ID,
      TARGET_CLUSTER_ID: TARGET_ID,
      TARGET_CLUSTER_ARN: TARGET_ARN,
      ...SERVICE_ENV,
    });
    // Assess
    expect(settings).toEqual(makeSettings());
  });

  it('throws InvalidInputError when a service count is not a positive integer', () => {
    // Act
    const act = () =>
      readPromoteDatabaseSettings({
        ...REGION_ENV,
        GLOBAL_CLUSTER_ID: GLOBAL_ID,
        TARGET_CLUSTER_ID: TARGET_ID,
        TARGET_CLUSTER_ARN: TARGET_ARN,
        ...SERVICE_ENV,
        SERVICE_DESIRED_COUNT: '0',
      });
    // Assess
    expect(act).toThrow(/SERVICE_DESIRED_COUNT: expected an integer >= 1, got '0'/);
  });
});

describe('promote-database handler', () => {
  const env = {
    ...REGION_ENV,
    GLOBAL_CLUSTER_ID: GLOBAL_ID,
    TARGET_CLUSTER_ID: TARGET_ID,
    TARGET_CLUSTER_ARN: TARGET_ARN,
    ...SERVICE_ENV,
  };

  it('fails over through the target-region client', async () => {
    // Prepare: the failover is accepted; the next read shows it done.
    rdsMock
      .on(DescribeGlobalClustersCommand)
      .resolvesOnce({ GlobalClusters: [globalCluster(false)] })
      .resolves({ GlobalClusters: [globalCluster(true)] });
    // Act
    const result = await withEnv(env, () =>
      handler(makeEvent({ mode: 'unplanned', requestedMode: 'auto', wait: { ...WAIT, pollSeconds: 1 } })),
    );
    // Assess
    expect(result).toMatchObject({ step: 'promotion', status: 'READY', modeUsed: 'unplanned' });
    const [call] = rdsMock.commandCalls(FailoverGlobalClusterCommand);
    expect(call?.args[0].input).toMatchObject({ TargetDbClusterIdentifier: TARGET_ARN, AllowDataLoss: true });
    expect(await call?.thisValue.config.region()).toBe(TARGET_REGION);
  });

  it('switches over through the source-region client', async () => {
    // Prepare: the switchover is accepted; the next read shows it done.
    rdsMock
      .on(DescribeGlobalClustersCommand)
      .resolvesOnce({ GlobalClusters: [globalCluster(false)] })
      .resolves({ GlobalClusters: [globalCluster(true)] });
    // Act
    const result = await withEnv(env, () => handler(makeEvent({ wait: { ...WAIT, pollSeconds: 1 } })));
    // Assess
    expect(result).toMatchObject({ step: 'promotion', status: 'READY', modeUsed: 'planned' });
    const [call] = rdsMock.commandCalls(SwitchoverGlobalClusterCommand);
    expect(await call?.thisValue.config.region()).toBe(SOURCE_REGION);
  });
});

/** `s` as a literal inside a RegExp. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
