import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeServicesCommand,
  type DescribeServicesCommandInput,
  ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandInput,
  DescribeGlobalClustersCommand,
  type DescribeGlobalClustersCommandInput,
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
  PROMOTE_DATABASE_DATABASE_FIELDS,
  PROMOTE_DATABASE_SERVICE_FIELDS,
} from '../../lambdas/promote-database/env';
import {
  type PromoteDatabaseClients,
  type PromoteDatabaseEntry,
  type PromoteDatabaseSettings,
  promoteDatabase,
  readPromoteDatabaseSettings,
  reconcilePromotion,
  WAITING_FOR_SERVICES,
} from '../../lambdas/promote-database/promote-database';
import type { ServiceTargetEntry } from '../../lambdas/scale-service/progress';
import type { PromoteEvent, ResolvedMode, StepResult } from '../../lambdas/shared/contracts';
import {
  InvalidInputError,
  InvalidStateError,
  ResourceNotFoundError,
  SwitchoverRefusedError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
import {
  type DatabaseResource,
  databasesEnvironment,
  type ResourceProgress,
  type ServiceResource,
  servicesEnvironment,
} from '../../lambdas/shared/resources';
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
/** A budget spent: one second past the 10-minute budget of {@link WAIT}. */
const BUDGET_SPENT = secondsAgo(WAIT.budgetMinutes * 60 + 1);

function database(name: string, suffix: string): DatabaseResource {
  const clusterId = `proj-dr-aurora${suffix}`;
  return {
    name,
    globalClusterId: `proj-global${suffix}`,
    clusterId,
    clusterArn: `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${clusterId}`,
    sourceClusterId: `proj-main-aurora${suffix}`,
    instanceCount: 2,
    instanceClass: 'db.r6g.large',
    engineVersion: '16.6',
  };
}

/** The seed's database, and a second one. */
const APP = database('app', '');
const ORDERS = database('orders', '-orders');

/** The source region's member of `db`'s global cluster. */
const sourceArnOf = (db: DatabaseResource) =>
  `arn:aws:rds:${SOURCE_REGION}:${ACCOUNT}:cluster:${db.sourceClusterId}`;
const SOURCE_ARN = sourceArnOf(APP);

function service(name: string, ecsService: string): ServiceResource {
  return {
    name,
    ecsService,
    desiredCount: 2,
    desiredCountParameter: `/proj/dr/capacity/${name}/service-desired-count`,
    sourceEcsService: ecsService.replace('-dr-', '-main-'),
    sourceDesiredCountParameter: `/proj/main/capacity/${name}/service-desired-count`,
    image: 'public.ecr.aws/nginx/nginx:1.27',
  };
}

const WEB = service('app', 'proj-dr-app');
const API = service('api', 'proj-dr-app-api');

/** `svc` as the step reads it: `name` and {@link PROMOTE_DATABASE_SERVICE_FIELDS}. */
function serviceAsRead({ name, ecsService, desiredCount }: ServiceResource): ServiceTargetEntry {
  return { name, ecsService, desiredCount };
}

const SERVICE_TARGET = {
  asgName: 'proj-dr-ecs-asg',
  asgMinCapacity: 2,
  ecsCluster: 'proj-dr-cluster',
  services: [WEB, API].map(serviceAsRead),
};

const SERVICE_ENV = {
  ASG_NAME: 'proj-dr-ecs-asg',
  ASG_MIN_CAPACITY: '2',
  ECS_CLUSTER: 'proj-dr-cluster',
  /** As infra writes it for this step. */
  SERVICES: servicesEnvironment([WEB, API], PROMOTE_DATABASE_SERVICE_FIELDS),
};

function makeSettings(databases: readonly PromoteDatabaseEntry[] = [APP]): PromoteDatabaseSettings {
  return { ...REGION_SETTINGS, databases, ...SERVICE_TARGET };
}

/** `db` as the step reads it: `name` and {@link PROMOTE_DATABASE_DATABASE_FIELDS}. */
function asRead({ name, globalClusterId, clusterId, clusterArn }: DatabaseResource): PromoteDatabaseEntry {
  return { name, globalClusterId, clusterId, clusterArn };
}

/** `DATABASES` as infra writes it for this step. */
const databasesEnv = (databases: readonly DatabaseResource[]) =>
  databasesEnvironment(databases, PROMOTE_DATABASE_DATABASE_FIELDS);

/** An earlier call's result; `modes`: each database's mode so far, as `resources` carries it. */
function previousCall(
  overrides: Partial<StepResult> = {},
  modes: Readonly<Record<string, ResolvedMode>> = { app: 'planned' },
): StepResult {
  const resources: ResourceProgress[] = Object.entries(modes).map(([name, modeUsed]) => ({
    kind: 'database',
    name,
    done: false,
    detail: `${name}: previous call`,
    modeUsed,
  }));
  const modeUsed = Object.values(modes).includes('unplanned') ? 'unplanned' : 'planned';
  return makePrevious('promotion', { modeUsed, resources, ...overrides });
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

/** `db`'s global cluster, read in this region, with this region's member as writer (`targetWriter`) or reader. */
function globalCluster(
  targetWriter: boolean,
  overrides: Partial<GlobalCluster> = {},
  db: DatabaseResource = APP,
): GlobalCluster {
  return {
    GlobalClusterIdentifier: db.globalClusterId,
    Status: 'available',
    GlobalClusterMembers: [
      { DBClusterArn: sourceArnOf(db), IsWriter: !targetWriter },
      { DBClusterArn: db.clusterArn, IsWriter: targetWriter },
    ],
    ...overrides,
  };
}

/**
 * What DescribeGlobalClusters answers, per global cluster: each read takes the next answer, the
 * last one repeats. A global cluster without answers does not exist.
 */
const globalAnswers = new Map<string, GlobalCluster[]>();
/** Each cluster's own status, per cluster id: a cluster not listed does not exist. */
const clusterStatus = new Map<string, string>();

function givenGlobal(targetWriter: boolean, overrides: Partial<GlobalCluster> = {}, db = APP): void {
  globalAnswers.set(db.globalClusterId, [globalCluster(targetWriter, overrides, db)]);
}

/** `db`'s global cluster answers `answers` in turn (the last repeats). */
function givenGlobalAnswers(db: DatabaseResource, ...answers: GlobalCluster[]): void {
  globalAnswers.set(db.globalClusterId, answers);
}

/** This region's cluster of `db` as DescribeDBClusters shows it. */
function givenCluster(status: string, db = APP): void {
  clusterStatus.set(db.clusterId, status);
}

function answerGlobalClusters(): void {
  rdsMock.on(DescribeGlobalClustersCommand).callsFake((input: DescribeGlobalClustersCommandInput) => {
    const answers = globalAnswers.get(input.GlobalClusterIdentifier ?? '');
    const answer = answers !== undefined && answers.length > 1 ? answers.shift() : answers?.[0];
    if (answer === undefined) {
      throw new GlobalClusterNotFoundFault({ message: 'not found', $metadata: { httpStatusCode: 404 } });
    }
    return { GlobalClusters: [answer] };
  });
  rdsMock.on(DescribeDBClustersCommand).callsFake((input: DescribeDBClustersCommandInput) => {
    const id = input.DBClusterIdentifier ?? '';
    const status = clusterStatus.get(id);
    if (status === undefined) {
      throw new DBClusterNotFoundFault({ message: 'not found', $metadata: { httpStatusCode: 404 } });
    }
    return { DBClusters: [{ DBClusterIdentifier: id, Status: status }] };
  });
}

/** An operation AWS runs towards `db`'s cluster in this region. */
function operation(status: string, dataLossAllowed?: boolean, db = APP): FailoverState {
  return {
    Status: status as FailoverStatus,
    FromDbClusterArn: sourceArnOf(db),
    ToDbClusterArn: db.clusterArn,
    ...(dataLossAllowed === undefined ? {} : { IsDataLossAllowed: dataLossAllowed }),
  };
}

/**
 * This region's services: the shared ASG at capacity, and each service ready (one deployment,
 * running == desired at its target) unless named in `scaling` (still rolling out, no task running).
 */
/** DescribeServices answers each service asked for, ACTIVE with 2 desired, with `state(name)`. */
function answerServices(state: (name: string) => Pick<Service, 'runningCount' | 'deployments'>): void {
  ecsMock.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
    services: (input.services ?? []).map(
      (name): Service => ({ serviceName: name, status: 'ACTIVE', desiredCount: 2, ...state(name) }),
    ),
  }));
}

/** The settings with every service serving at `share` of its count. */
const atShare = (share: number) => ({
  ...makeSettings(),
  ...SERVICE_TARGET,
  services: SERVICE_TARGET.services.map((s) => ({ ...s, servingShare: share })),
});

function givenServices({ scaling = [] }: { readonly scaling?: readonly string[] } = {}): void {
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'proj-dr-ecs-asg',
        MinSize: 2,
        MaxSize: 2,
        DesiredCapacity: 2,
        Instances: [{ LifecycleState: 'InService' }],
      } as AutoScalingGroup,
    ],
  });
  answerServices((name) => ({
    runningCount: scaling.includes(name) ? 0 : 2,
    deployments: [{ status: 'PRIMARY', rolloutState: scaling.includes(name) ? 'IN_PROGRESS' : 'COMPLETED' }],
  }));
}

/** Every service ready, or (`ready` false) every service still scaling. */
function givenService(ready: boolean): void {
  givenServices({ scaling: ready ? [] : SERVICE_TARGET.services.map((s) => s.ecsService) });
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

/** The global clusters `command` was sent for, in call order. */
function sentFor(command: typeof SwitchoverGlobalClusterCommand | typeof FailoverGlobalClusterCommand) {
  return rdsMock.commandCalls(command).map((c) => c.args[0].input.GlobalClusterIdentifier);
}

function expectNoOperation(): void {
  expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
}

beforeEach(() => {
  for (const mock of [rdsMock, asgMock, ecsMock]) mock.reset();
  globalAnswers.clear();
  clusterStatus.clear();
  answerGlobalClusters();
  rdsMock.on(SwitchoverGlobalClusterCommand).resolves({});
  rdsMock.on(FailoverGlobalClusterCommand).resolves({});
  givenCluster('available');
  givenCluster('available', ORDERS);
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
    expect(result.detail).toMatch(new RegExp(`^${literal(WAITING_FOR_SERVICES)}: service app: 0/2`));
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

  it('switches over once every service serves at its servingShare, while ECS still places the rest', async () => {
    // Prepare: each service at 1 of 2 tasks, still rolling out; half of 2 serves.
    givenGlobal(false);
    answerServices(() => ({
      runningCount: 1,
      deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }],
    }));
    // Act
    const result = await promoteDatabase(makeEvent({ previous: previousCall() }), atShare(0.5), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'planned' });
    expect(sent(sourceRds, SwitchoverGlobalClusterCommand)).toBe(1);
  });

  it('keeps waiting below the servingShare', async () => {
    // Prepare: 1 of 2 running, but a share of 0.6 needs both.
    givenGlobal(false);
    givenServices({ scaling: [WEB.ecsService] });
    // Act
    const result = await promoteDatabase(makeEvent({ previous: previousCall() }), atShare(0.6), clients());
    // Assess
    expect(result.detail).toMatch(new RegExp(`^${literal(WAITING_FOR_SERVICES)}: `));
    expectNoOperation();
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
      /promotion: goal not met .*still waiting for every service before switching over/,
    );
    expectNoOperation();
  });

  it('throws InvalidStateError when the service’s deployment failed, switching nothing', async () => {
    // Prepare
    givenGlobal(false);
    answerServices((name) => ({
      runningCount: 0,
      deployments: [
        name === API.ecsService
          ? { status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' }
          : { status: 'PRIMARY', rolloutState: 'COMPLETED' },
      ],
    }));
    // Act
    const act = promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(/service api: .*deployment failed: circuit breaker/);
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
    givenGlobalAnswers(
      APP,
      globalCluster(false),
      globalCluster(false, { FailoverState: operation('pending', false) }),
    );
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
        makeEvent({ previous: previousCall({}, { app: 'unplanned' }) }),
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
      makeEvent({ requestedMode: 'auto', previous: previousCall({ attempt: 6 }, { app: 'unplanned' }) }),
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
      makeEvent({ requestedMode: 'auto', previous: previousCall({}, { app: 'unplanned' }) }),
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
    await expect(act).rejects.toThrow(`database app: DB cluster ${TARGET_ID} does not exist`);
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

describe('promoteDatabase: several databases', () => {
  const settings = () => makeSettings([APP, ORDERS]);

  beforeEach(() => {
    givenGlobal(false);
    givenGlobal(false, {}, ORDERS);
  });

  it('planned: switches over every database, each sent to the source region, and reports each', async () => {
    // Act
    const result = await promoteDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'planned' });
    expect(sentFor(SwitchoverGlobalClusterCommand).sort()).toEqual(['proj-global', 'proj-global-orders']);
    expect(sent(sourceRds, SwitchoverGlobalClusterCommand)).toBe(2);
    expect(rdsMock).toHaveReceivedCommandWith(SwitchoverGlobalClusterCommand, {
      GlobalClusterIdentifier: ORDERS.globalClusterId,
      TargetDbClusterIdentifier: ORDERS.clusterArn,
    });
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
    expect(result.resources).toEqual([
      {
        kind: 'database',
        name: 'app',
        done: false,
        modeUsed: 'planned',
        detail: `app: ${TARGET_ID} is not the writer and available, global cluster proj-global available, switchover started (sent to ${SOURCE_REGION})`,
      },
      {
        kind: 'database',
        name: 'orders',
        done: false,
        modeUsed: 'planned',
        detail: `orders: ${ORDERS.clusterId} is not the writer and available, global cluster proj-global-orders available, switchover started (sent to ${SOURCE_REGION})`,
      },
    ]);
    expect(result.detail).toMatch(/^0\/2 database\(s\) promoted: app: .*; orders: /);
  });

  it('unplanned: fails over every database in this region', async () => {
    // Act
    const result = await promoteDatabase(
      makeEvent({ mode: 'unplanned', requestedMode: 'unplanned' }),
      settings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
    expect(sentFor(FailoverGlobalClusterCommand).sort()).toEqual(['proj-global', 'proj-global-orders']);
    expect(sent(targetRds, FailoverGlobalClusterCommand)).toBe(2);
    expect(result.resources?.map((r) => r.modeUsed)).toEqual(['unplanned', 'unplanned']);
  });

  it('returns READY with alreadyDone, making no call, once every database is the available writer', async () => {
    // Prepare
    givenGlobal(true);
    givenGlobal(true, {}, ORDERS);
    // Act
    const result = await promoteDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true, modeUsed: 'planned' });
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['app', true],
      ['orders', true],
    ]);
    expect(result.detail).toMatch(/^2\/2 database\(s\) promoted: /);
    expectNoOperation();
  });

  it('makes no second call on a rerun that finds both operations underway', async () => {
    // Prepare
    givenGlobal(false, { FailoverState: operation('switching-over', false) });
    givenGlobal(false, { FailoverState: operation('switching-over', false, ORDERS) }, ORDERS);
    // Act
    const result = await promoteDatabase(
      makeEvent({ previous: previousCall({}, { app: 'planned', orders: 'planned' }) }),
      settings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2, modeUsed: 'planned' });
    expectNoOperation();
  });

  it('leaves a database already promoted alone and promotes the other', async () => {
    // Prepare
    givenGlobal(true);
    // Act
    const result = await promoteDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(sentFor(SwitchoverGlobalClusterCommand)).toEqual(['proj-global-orders']);
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['app', true],
      ['orders', false],
    ]);
    expect(result.detail).toMatch(/^1\/2 database\(s\) promoted: /);
  });

  it('stays PENDING while one database is promoted and the other’s new writer is not available yet', async () => {
    // Prepare
    givenGlobal(true);
    givenGlobal(true, {}, ORDERS);
    givenCluster('modifying', ORDERS);
    // Act
    const result = await promoteDatabase(makeEvent({ previous: previousCall() }), settings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(result.detail).toContain(`orders: ${ORDERS.clusterId} is the writer and modifying`);
    expectNoOperation();
  });

  it('throws ResourceNotFoundError naming the database whose cluster is missing, promoting nothing', async () => {
    // Prepare
    clusterStatus.delete(ORDERS.clusterId);
    // Act
    const act = promoteDatabase(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(`database orders: DB cluster ${ORDERS.clusterId} does not exist`);
    expectNoOperation();
  });

  it('throws InvalidStateError naming the database whose cluster is not a member', async () => {
    // Prepare
    givenGlobal(
      false,
      { GlobalClusterMembers: [{ DBClusterArn: sourceArnOf(ORDERS), IsWriter: true }] },
      ORDERS,
    );
    // Act
    const act = promoteDatabase(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(
      `database orders: ${ORDERS.clusterArn} is not a member of global cluster proj-global-orders`,
    );
    expectNoOperation();
  });

  it('auto: fails over only the database whose switchover is refused; the other keeps its switchover', async () => {
    // Prepare
    rdsMock
      .on(SwitchoverGlobalClusterCommand, { GlobalClusterIdentifier: ORDERS.globalClusterId })
      .rejects(refusal());
    // Act
    const result = await promoteDatabase(makeEvent({ requestedMode: 'auto' }), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
    expect(sentFor(SwitchoverGlobalClusterCommand).sort()).toEqual(['proj-global', 'proj-global-orders']);
    expect(sentFor(FailoverGlobalClusterCommand)).toEqual(['proj-global-orders']);
    expect(sent(targetRds, FailoverGlobalClusterCommand)).toBe(1);
    expect(rdsMock).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, {
      TargetDbClusterIdentifier: ORDERS.clusterArn,
      AllowDataLoss: true,
    });
    expect(result.resources?.map((r) => [r.name, r.modeUsed])).toEqual([
      ['app', 'planned'],
      ['orders', 'unplanned'],
    ]);
    expect(result.resources?.[1]?.detail).toContain('failover (data loss allowed) started');
  });

  it('carries each database’s mode across calls through previous.resources', async () => {
    // Prepare: nothing runs (e.g. both requests were lost); the earlier call had orders fail over.
    const previous = previousCall({}, { app: 'planned', orders: 'unplanned' });
    // Act
    const result = await promoteDatabase(
      makeEvent({ requestedMode: 'auto', previous }),
      settings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ modeUsed: 'unplanned' });
    expect(sentFor(SwitchoverGlobalClusterCommand)).toEqual(['proj-global']);
    expect(sentFor(FailoverGlobalClusterCommand)).toEqual(['proj-global-orders']);
    expect(result.resources?.map((r) => r.modeUsed)).toEqual(['planned', 'unplanned']);
  });

  it('reports the mode of the operation AWS runs for each database', async () => {
    // Prepare
    givenGlobal(false, { FailoverState: operation('switching-over', false) });
    givenGlobal(false, { FailoverState: operation('failing-over', true, ORDERS) }, ORDERS);
    // Act
    const result = await promoteDatabase(makeEvent({ requestedMode: 'auto' }), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
    expect(result.resources?.map((r) => r.modeUsed)).toEqual(['planned', 'unplanned']);
    expectNoOperation();
  });

  it('planned: throws SwitchoverRefusedError naming the refused database after the other’s switchover went out', async () => {
    // Prepare
    rdsMock
      .on(SwitchoverGlobalClusterCommand, { GlobalClusterIdentifier: ORDERS.globalClusterId })
      .rejects(refusal());
    // Act
    const act = promoteDatabase(makeEvent({ requestedMode: 'planned' }), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(SwitchoverRefusedError);
    await expect(act).rejects.toThrow(
      `database orders: SwitchoverGlobalCluster refused (InvalidGlobalClusterStateFault: source cluster is unavailable); ` +
        'mode planned never falls back to a failover with data loss — rerun with mode unplanned to accept it ' +
        '(the promotion of app was requested too: that rerun waits for it)',
    );
    expect(sentFor(SwitchoverGlobalClusterCommand)).toContain('proj-global');
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it('throws the refusal rather than another database’s transient error', async () => {
    // Prepare
    rdsMock
      .on(SwitchoverGlobalClusterCommand, { GlobalClusterIdentifier: APP.globalClusterId })
      .rejects(throttled())
      .on(SwitchoverGlobalClusterCommand, { GlobalClusterIdentifier: ORDERS.globalClusterId })
      .rejects(refusal());
    // Act / Assess
    await expect(
      promoteDatabase(makeEvent({ requestedMode: 'planned' }), settings(), clients()),
    ).rejects.toThrow(SwitchoverRefusedError);
  });

  it('planned: waits until every service is ready, then switches every database over', async () => {
    // Prepare: the api service is still rolling out.
    givenServices({ scaling: [API.ecsService] });
    // Act
    const waiting = await promoteDatabase(makeEvent(), settings(), clients());
    givenServices();
    const started = await promoteDatabase(makeEvent({ previous: waiting }), settings(), clients());
    // Assess
    expect(waiting).toMatchObject({ status: 'PENDING', modeUsed: 'planned' });
    expect(waiting.detail).toMatch(new RegExp(`^${literal(WAITING_FOR_SERVICES)}: `));
    expect(waiting.detail).toContain('service api: 0/2 task(s) running');
    expect(waiting.resources?.map((r) => r.detail)).toEqual([
      expect.stringMatching(/^app: .*, switchover waits for every service$/),
      expect.stringMatching(/^orders: .*, switchover waits for every service$/),
    ]);
    expect(started).toMatchObject({ status: 'PENDING', attempt: 2, modeUsed: 'planned' });
    expect(sentFor(SwitchoverGlobalClusterCommand).sort()).toEqual(['proj-global', 'proj-global-orders']);
  });

  it('reads the services once per call, however many databases wait for them', async () => {
    // Act
    await promoteDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(asgMock).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 1);
    expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
  });

  it('fails over a database whose mode is unplanned while the other’s switchover waits for the services', async () => {
    // Prepare
    givenService(false);
    const previous = previousCall({}, { app: 'planned', orders: 'unplanned' });
    // Act
    const result = await promoteDatabase(
      makeEvent({ requestedMode: 'auto', previous }),
      settings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', modeUsed: 'unplanned' });
    expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
    expect(sentFor(FailoverGlobalClusterCommand)).toEqual(['proj-global-orders']);
    expect(result.resources?.[0]?.detail).toMatch(/switchover waits for every service$/);
  });
});

describe('promoteDatabase: the first planned call reads the services alongside the databases', () => {
  it('reads the services in the same call as the databases, and switches over', async () => {
    // Prepare
    givenGlobal(false);
    // Act
    const result = await promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(rdsMock).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 1);
  });

  it('ignores a failed service read it did not need: READY when the database is already promoted', async () => {
    // Prepare
    givenGlobal(true);
    ecsMock.on(DescribeServicesCommand).rejects(throttled());
    // Act
    const result = await promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expectNoOperation();
  });

  it('throws the service read’s TransientAwsError when the switchover needs it, switching nothing', async () => {
    // Prepare
    givenGlobal(false);
    ecsMock.on(DescribeServicesCommand).rejects(throttled());
    // Act
    const act = promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    expectNoOperation();
  });
});

describe('reconcilePromotion: reading faster while only AWS has work left', () => {
  const app = asRead(APP);

  it('names the databases underway once their switchover went out', async () => {
    // Prepare
    givenGlobal(false);
    // Act
    const call = await reconcilePromotion(makeEvent(), makeSettings(), clients());
    // Assess
    expect(call.result.status).toBe('PENDING');
    expect(call.underway.map((d) => d.name)).toEqual(['app']);
  });

  it('names none while the switchover still waits for the services', async () => {
    // Prepare
    givenGlobal(false);
    givenService(false);
    // Act
    const call = await reconcilePromotion(makeEvent(), makeSettings(), clients());
    // Assess
    expect(call.underway.map((d) => d.name)).toEqual([]);
    expectNoOperation();
  });

  it('reads only the global cluster while the operation runs, and returns the previous result again', async () => {
    // Prepare
    givenGlobal(false, { FailoverState: operation('switching-over', false) });
    const previous = previousCall({ detail: 'app: switching over' });
    // Act
    const call = await reconcilePromotion(makeEvent({ previous }), makeSettings(), clients(), [app]);
    // Assess
    expect(call.result).toMatchObject({
      status: 'PENDING',
      detail: 'app: switching over',
      attempt: previous.attempt + 1,
      resources: previous.resources,
      modeUsed: 'planned',
    });
    expect(call.underway.map((d) => d.name)).toEqual(['app']);
    expect(rdsMock).toHaveReceivedCommandTimes(DescribeGlobalClustersCommand, 1);
    expect(rdsMock).not.toHaveReceivedCommand(DescribeDBClustersCommand);
    expectNoOperation();
  });

  it('reads everything once the operation has ended: READY, nothing underway (a rerun changes nothing)', async () => {
    // Prepare
    givenGlobal(true);
    // Act
    const call = await reconcilePromotion(
      makeEvent({ previous: previousCall() }),
      makeSettings(),
      clients(),
      [app],
    );
    // Assess
    expect(call.result.status).toBe('READY');
    expect(call.underway.map((d) => d.name)).toEqual([]);
    expect(rdsMock).toHaveReceivedCommand(DescribeDBClustersCommand);
    expectNoOperation();
  });

  it('throws WaitTimeoutError when the budget is spent while the operation runs', async () => {
    // Prepare
    givenGlobal(false, { FailoverState: operation('switching-over', false) });
    const previous = previousCall({ startedAt: BUDGET_SPENT });
    // Act
    const act = reconcilePromotion(makeEvent({ previous }), makeSettings(), clients(), [app]);
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(/AWS is still running the operation/);
  });

  it('throws TransientAwsError when the global read is throttled', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).rejects(throttled());
    // Act
    const act = reconcilePromotion(makeEvent({ previous: previousCall() }), makeSettings(), clients(), [app]);
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
  });
});

describe('readPromoteDatabaseSettings', () => {
  const env = {
    ...REGION_ENV,
    DATABASES: databasesEnv([APP, ORDERS]),
    ...SERVICE_ENV,
  };

  it('reads each service’s servingShare when infra writes one', () => {
    // Act
    const settings = readPromoteDatabaseSettings({
      ...env,
      SERVICES: servicesEnvironment([{ ...WEB, servingShare: 0.5 }, API], PROMOTE_DATABASE_SERVICE_FIELDS),
    });
    // Assess
    expect(settings.services).toEqual([{ ...serviceAsRead(WEB), servingShare: 0.5 }, serviceAsRead(API)]);
  });

  it('reads the databases and the service target a planned switchover waits for, with only the fields it reads', () => {
    // Act
    const settings = readPromoteDatabaseSettings(env);
    // Assess
    expect(settings).toEqual(makeSettings([asRead(APP), asRead(ORDERS)]));
  });

  it('throws InvalidInputError naming the missing variables', () => {
    // Act
    const act = () => readPromoteDatabaseSettings({ ...REGION_ENV, DATABASES: env.DATABASES });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('missing environment variable(s): SERVICES, ASG_NAME, ASG_MIN_CAPACITY, ECS_CLUSTER');
  });

  it('throws InvalidInputError when ASG_MIN_CAPACITY is not a positive integer', () => {
    // Act
    const act = () => readPromoteDatabaseSettings({ ...env, ASG_MIN_CAPACITY: '0' });
    // Assess
    expect(act).toThrow(/ASG_MIN_CAPACITY: expected an integer >= 1, got '0'/);
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'a database without its ARN',
      { DATABASES: JSON.stringify([asRead(APP), { ...asRead(ORDERS), clusterArn: undefined }]) },
      'environment variable DATABASES: DATABASES[1].clusterArn: expected string (missing)',
    ],
    [
      'a database with a field of the old contract',
      { DATABASES: JSON.stringify([{ ...asRead(APP), targetClusterArn: TARGET_ARN }]) },
      "environment variable DATABASES: DATABASES[0]: unknown key 'targetClusterArn'",
    ],
    [
      'DATABASES not JSON',
      { DATABASES: 'proj-global' },
      "environment variable DATABASES: expected a JSON list, got 'proj-global'",
    ],
    [
      'a service count below 1',
      { SERVICES: JSON.stringify([serviceAsRead(WEB), { ...serviceAsRead(API), desiredCount: 0 }]) },
      'environment variable SERVICES: SERVICES[1].desiredCount: expected >= 1, got 0',
    ],
    [
      'a service with a field the step does not read',
      {
        SERVICES: JSON.stringify([
          { ...serviceAsRead(WEB), desiredCountParameter: WEB.desiredCountParameter },
        ]),
      },
      "environment variable SERVICES: SERVICES[0]: unknown key 'desiredCountParameter'",
    ],
  ])('throws InvalidInputError naming the variable, entry and field for %s', (_case, vars, message) => {
    // Act
    const act = () => readPromoteDatabaseSettings({ ...env, ...vars });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(message);
  });
});

describe('promote-database handler', () => {
  const env = {
    ...REGION_ENV,
    DATABASES: databasesEnv([APP]),
    ...SERVICE_ENV,
  };

  it('fails over through the target-region client', async () => {
    // Prepare: the failover is accepted; the next read shows it done.
    givenGlobalAnswers(APP, globalCluster(false), globalCluster(true));
    // Act
    const result = await withEnv(env, () =>
      handler(makeEvent({ mode: 'unplanned', requestedMode: 'auto', wait: { ...WAIT, pollSeconds: 1 } })),
    );
    // Assess
    expect(result).toMatchObject({ step: 'promotion', status: 'READY', modeUsed: 'unplanned' });
    expect(result.resources).toEqual([
      expect.objectContaining({ name: 'app', done: true, modeUsed: 'unplanned' }),
    ]);
    const [call] = rdsMock.commandCalls(FailoverGlobalClusterCommand);
    expect(call?.args[0].input).toMatchObject({ TargetDbClusterIdentifier: TARGET_ARN, AllowDataLoss: true });
    expect(await call?.thisValue.config.region()).toBe(TARGET_REGION);
  });

  it('switches over through the source-region client', async () => {
    // Prepare: the switchover is accepted; the next read shows it done.
    givenGlobalAnswers(APP, globalCluster(false), globalCluster(true));
    // Act
    const result = await withEnv(env, () => handler(makeEvent({ wait: { ...WAIT, pollSeconds: 1 } })));
    // Assess
    expect(result).toMatchObject({ step: 'promotion', status: 'READY', modeUsed: 'planned' });
    const [call] = rdsMock.commandCalls(SwitchoverGlobalClusterCommand);
    expect(await call?.thisValue.config.region()).toBe(SOURCE_REGION);
  });

  it('throws InvalidInputError before any AWS call when DATABASES is malformed', async () => {
    // Act
    const act = withEnv({ ...env, DATABASES: '[{}]' }, () => handler(makeEvent()));
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
    await expect(act).rejects.toThrow(/^environment variable DATABASES: DATABASES\[0\]\.name: /);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});

/** `s` as a literal inside a RegExp. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
