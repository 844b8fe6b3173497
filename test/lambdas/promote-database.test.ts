import {
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  type FailoverStatus,
  type GlobalCluster,
  GlobalClusterNotFoundFault,
  InvalidGlobalClusterStateFault,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/promote-database';
import {
  type PromoteDatabaseSettings,
  promoteDatabase,
  readPromoteDatabaseSettings,
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
  TARGET_REGION,
  throttled,
  withEnv,
} from './helpers';

const rdsMock = mockClient(RDSClient);
const GLOBAL_ID = 'proj-global';
const TARGET_ARN = `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:proj-dr-aurora`;
const SOURCE_ARN = `arn:aws:rds:${SOURCE_REGION}:${ACCOUNT}:cluster:proj-main-aurora`;

function makeSettings(overrides: Partial<PromoteDatabaseSettings> = {}): PromoteDatabaseSettings {
  return {
    ...REGION_SETTINGS,
    globalClusterId: GLOBAL_ID,
    targetClusterId: 'proj-dr-aurora',
    targetClusterArn: TARGET_ARN,
    ...overrides,
  };
}

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('promotion', { modeUsed: 'planned', ...overrides });
}

function makeEvent(overrides: Partial<PromoteEvent> = {}): PromoteEvent {
  return { maxAttempts: 5, mode: 'planned', requestedMode: 'planned', ...overrides };
}

/** The global cluster with the target as writer (`targetWriter`) or reader. */
function givenGlobal(targetWriter: boolean, overrides: Partial<GlobalCluster> = {}): void {
  rdsMock.on(DescribeGlobalClustersCommand).resolves({
    GlobalClusters: [
      {
        GlobalClusterIdentifier: GLOBAL_ID,
        Status: 'available',
        GlobalClusterMembers: [
          { DBClusterArn: SOURCE_ARN, IsWriter: !targetWriter },
          { DBClusterArn: TARGET_ARN, IsWriter: targetWriter },
        ],
        ...overrides,
      },
    ],
  });
}

const clients = () => ({ rds: new RDSClient({ region: TARGET_REGION }) });
const refused = () =>
  new InvalidGlobalClusterStateFault({
    message: 'source cluster is unavailable',
    $metadata: { httpStatusCode: 400 },
  });

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(SwitchoverGlobalClusterCommand).resolves({});
  rdsMock.on(FailoverGlobalClusterCommand).resolves({});
});

describe('promoteDatabase', () => {
  it('planned: starts SwitchoverGlobalCluster to the target ARN and returns PENDING', async () => {
    // Prepare
    givenGlobal(false);
    // Act
    const result = await promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ step: 'promotion', status: 'PENDING', attempt: 1, modeUsed: 'planned' });
    expect(rdsMock).toHaveReceivedCommandWith(SwitchoverGlobalClusterCommand, {
      GlobalClusterIdentifier: GLOBAL_ID,
      TargetDbClusterIdentifier: TARGET_ARN,
    });
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it('unplanned: starts FailoverGlobalCluster with AllowDataLoss and never a switchover', async () => {
    // Prepare
    givenGlobal(false);
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
    const input = rdsMock.commandCalls(FailoverGlobalClusterCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('Switchover');
    expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  });

  it('auto: falls back to FailoverGlobalCluster with AllowDataLoss when the switchover is refused', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock.on(SwitchoverGlobalClusterCommand).rejects(refused());
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
  });

  it('auto: falls back when the switchover fails because the source is unreachable (5xx)', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock
      .on(SwitchoverGlobalClusterCommand)
      .rejects(awsError('InternalFailure', 'source unreachable', 500));
    // Act
    const result = await promoteDatabase(makeEvent({ requestedMode: 'auto' }), makeSettings(), clients());
    // Assess
    expect(result.modeUsed).toBe('unplanned');
    expect(rdsMock).toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it('auto: does not fall back on throttling, which is retried instead', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock.on(SwitchoverGlobalClusterCommand).rejects(throttled());
    // Act
    const act = promoteDatabase(makeEvent({ requestedMode: 'auto' }), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it('planned: throws SwitchoverRefusedError and never loses data when the switchover is refused', async () => {
    // Prepare
    givenGlobal(false);
    rdsMock.on(SwitchoverGlobalClusterCommand).rejects(refused());
    // Act
    const act = promoteDatabase(makeEvent({ requestedMode: 'planned' }), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(SwitchoverRefusedError);
    await expect(act).rejects.toThrow(/source cluster is unavailable/);
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
  });

  it.each(['pending', 'switching-over', 'failing-over', 'cancelling'])(
    'returns PENDING without a call while the failover state is %s',
    async (status) => {
      // Prepare
      givenGlobal(false, { FailoverState: { Status: status as FailoverStatus, ToDbClusterArn: TARGET_ARN } });
      // Act
      const result = await promoteDatabase(
        makeEvent({ previous: previousCall() }),
        makeSettings(),
        clients(),
      );
      // Assess
      expect(result).toMatchObject({ status: 'PENDING', attempt: 2, modeUsed: 'planned' });
      expect(result.detail).toContain(status);
      expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
      expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
    },
  );

  it('returns PENDING while the target is writer but the global cluster is not yet available', async () => {
    // Prepare
    givenGlobal(true, { Status: 'modifying' });
    // Act
    const result = await promoteDatabase(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  });

  it('returns READY and keeps the fallback mode from previous once the target is the writer', async () => {
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

  it('returns READY with alreadyDone and makes no call when the target is already the writer', async () => {
    // Prepare
    givenGlobal(true, {
      // A finished operation can leave a non-active state behind; the SDK enum lacks some values.
      FailoverState: { Status: 'cancelled' as FailoverStatus },
    });
    // Act
    const result = await promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true, modeUsed: 'planned' });
    expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
    expect(rdsMock).not.toHaveReceivedCommand(FailoverGlobalClusterCommand);
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

  it('throws InvalidStateError when the target cluster is not a member', async () => {
    // Prepare
    givenGlobal(false, { GlobalClusterMembers: [{ DBClusterArn: SOURCE_ARN, IsWriter: true }] });
    // Act
    const act = promoteDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(/not a member/);
    expect(rdsMock).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
  });

  it('throws TransientAwsError when DescribeGlobalClusters is throttled', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).rejects(throttled());
    // Act / Assess
    await expect(promoteDatabase(makeEvent(), makeSettings(), clients())).rejects.toThrow(TransientAwsError);
  });

  it('throws WaitTimeoutError when the check budget is spent while the operation runs', async () => {
    // Prepare
    givenGlobal(false, { FailoverState: { Status: 'switching-over' as FailoverStatus } });
    // Act
    const act = promoteDatabase(
      makeEvent({ maxAttempts: 4, previous: previousCall({ attempt: 4 }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(/promotion: .*switching-over/);
  });

  it('throws InvalidInputError for a mode other than planned/unplanned', async () => {
    // Prepare
    givenGlobal(false);
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
    expect(act).toThrow('TARGET_CLUSTER_ID, TARGET_CLUSTER_ARN');
  });
});

describe('promote-database handler', () => {
  it('promotes through the target-region client', async () => {
    // Prepare
    givenGlobal(false);
    const env = {
      ...REGION_ENV,
      GLOBAL_CLUSTER_ID: GLOBAL_ID,
      TARGET_CLUSTER_ID: 'proj-dr-aurora',
      TARGET_CLUSTER_ARN: TARGET_ARN,
    };
    // Act
    const result = await withEnv(env, () => handler(makeEvent({ mode: 'unplanned', requestedMode: 'auto' })));
    // Assess
    expect(result).toMatchObject({ step: 'promotion', status: 'PENDING', modeUsed: 'unplanned' });
    expect(rdsMock).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, {
      TargetDbClusterIdentifier: TARGET_ARN,
    });
    expect(await rdsMock.call(0).thisValue.config.region()).toBe(TARGET_REGION);
  });
});
