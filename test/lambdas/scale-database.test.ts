import {
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  InvalidDBClusterStateFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/scale-database';
import {
  readScaleDatabaseSettings,
  type ScaleDatabaseSettings,
  scaleDatabase,
} from '../../lambdas/scale-database/scale-database';
import type { StepEvent, StepResult } from '../../lambdas/shared/contracts';
import {
  InstanceCreationFailedError,
  InvalidInputError,
  ResourceNotFoundError,
  TransientAwsError,
  WaitTimeoutError,
} from '../../lambdas/shared/errors';
import {
  ACCOUNT,
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

const rdsMock = mockClient(RDSClient);
/** A budget spent: one second past the budget of {@link WAIT}. */
const BUDGET_SPENT = secondsAgo(WAIT.budgetMinutes * 60 + 1);
/** A handler window too short for a second poll: one reconcile per invocation. */
const ONE_READ = { ...WAIT, windowSeconds: 1 };
const CLUSTER_ID = 'proj-dr-aurora';
const CLUSTER_ARN = `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${CLUSTER_ID}`;

function makeSettings(overrides: Partial<ScaleDatabaseSettings> = {}): ScaleDatabaseSettings {
  return {
    ...REGION_SETTINGS,
    targetClusterId: CLUSTER_ID,
    dbInstanceCount: 2,
    dbInstanceClass: 'db.r6g.large',
    ...overrides,
  };
}

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('database', overrides);
}

function makeEvent(overrides: Partial<StepEvent> = {}): StepEvent {
  return { wait: WAIT, ...overrides };
}

function givenInstances(...instances: [id: string, status: string][]): void {
  rdsMock.on(DescribeDBInstancesCommand).resolves({
    DBInstances: instances.map(([id, status]) => ({ DBInstanceIdentifier: id, DBInstanceStatus: status })),
  });
}

const clients = () => ({ rds: new RDSClient({ region: TARGET_REGION }) });

function givenCluster(status: string): void {
  rdsMock.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: CLUSTER_ID,
        DBClusterArn: CLUSTER_ARN,
        Engine: 'aurora-postgresql',
        Status: status,
      },
    ],
  });
}

beforeEach(() => {
  rdsMock.reset();
  givenCluster('available');
});

describe('scaleDatabase', () => {
  it('creates the missing instances with deterministic identifiers and returns PENDING', async () => {
    // Prepare
    givenInstances();
    // Act
    const result = await scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ step: 'database', status: 'PENDING', attempt: 1, alreadyDone: false });
    expect(result.finishedAt).toBeUndefined();
    expect(rdsMock).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 2);
    for (const id of [`${CLUSTER_ID}-1`, `${CLUSTER_ID}-2`]) {
      expect(rdsMock).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
        DBInstanceIdentifier: id,
        DBClusterIdentifier: CLUSTER_ID,
        Engine: 'aurora-postgresql',
        DBInstanceClass: 'db.r6g.large',
      });
    }
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: [CLUSTER_ID] }],
    });
  });

  it('passes no tags, so its role needs no rds:AddTagsToResource (RDS authorizes it only for tags)', async () => {
    // Prepare
    givenInstances();
    // Act
    await scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    for (const call of rdsMock.commandCalls(CreateDBInstanceCommand)) {
      expect(Object.keys(call.args[0].input).sort()).toEqual([
        'DBClusterIdentifier',
        'DBInstanceClass',
        'DBInstanceIdentifier',
        'Engine',
      ]);
    }
    expect(rdsMock.commandCalls(CreateDBInstanceCommand).length).toBeGreaterThan(0);
  });

  it('skips identifiers already present so a rerun creates nothing twice', async () => {
    // Prepare
    givenInstances([`${CLUSTER_ID}-1`, 'creating']);
    // Act
    await scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(rdsMock).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: `${CLUSTER_ID}-2`,
    });
  });

  it('returns READY with alreadyDone and creates nothing when the instances are already available', async () => {
    // Prepare
    givenInstances([`${CLUSTER_ID}-1`, 'available'], [`${CLUSTER_ID}-2`, 'available']);
    // Act
    const result = await scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 1, alreadyDone: true });
    expect(result.finishedAt).toEqual(expect.any(String));
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('returns PENDING without creating when the instances exist but are not available yet', async () => {
    // Prepare
    givenInstances([`${CLUSTER_ID}-1`, 'creating'], [`${CLUSTER_ID}-2`, 'available']);
    const startedAt = secondsAgo(60);
    // Act
    const result = await scaleDatabase(
      makeEvent({ previous: previousCall({ startedAt }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2, startedAt });
    expect(result.detail).toContain('1/2');
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('returns READY on a check once all are available, keeping startedAt and not alreadyDone', async () => {
    // Prepare
    givenInstances([`${CLUSTER_ID}-1`, 'available'], [`${CLUSTER_ID}-2`, 'available']);
    const startedAt = secondsAgo(60);
    // Act
    const result = await scaleDatabase(
      makeEvent({ previous: previousCall({ attempt: 3, startedAt }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'READY', attempt: 4, alreadyDone: false, startedAt });
    expect(result.finishedAt).toEqual(expect.any(String));
  });

  it('resumes on a check call that finds too few instances by creating the missing one', async () => {
    // Prepare
    givenInstances([`${CLUSTER_ID}-2`, 'available']);
    // Act
    const result = await scaleDatabase(makeEvent({ previous: previousCall() }), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(rdsMock).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: `${CLUSTER_ID}-1`,
    });
  });

  it('treats DBInstanceAlreadyExists as created (a concurrent call won the race)', async () => {
    // Prepare
    givenInstances();
    rdsMock.on(CreateDBInstanceCommand).rejects(awsError('DBInstanceAlreadyExistsFault'));
    // Act
    const result = await scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
  });

  it('throws InstanceCreationFailedError when there is no capacity for the class', async () => {
    // Prepare
    givenInstances();
    rdsMock.on(CreateDBInstanceCommand).rejects(awsError('InsufficientDBInstanceCapacity'));
    // Act
    const act = scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InstanceCreationFailedError);
    await expect(act).rejects.toThrow(/insufficient capacity/);
  });

  it.each(['failed', 'incompatible-parameters', 'inaccessible-encryption-credentials', 'storage-full'])(
    'throws InstanceCreationFailedError when an instance is %s',
    async (status) => {
      // Prepare
      givenInstances([`${CLUSTER_ID}-1`, status], [`${CLUSTER_ID}-2`, 'available']);
      // Act
      const act = scaleDatabase(makeEvent({ previous: previousCall() }), makeSettings(), clients());
      // Assess
      await expect(act).rejects.toThrow(InstanceCreationFailedError);
      await expect(act).rejects.toThrow(`${CLUSTER_ID}-1 (${status})`);
    },
  );

  it('throws ResourceNotFoundError when the cluster does not exist', async () => {
    // Prepare
    rdsMock
      .on(DescribeDBClustersCommand)
      .rejects(new DBClusterNotFoundFault({ message: 'not found', $metadata: { httpStatusCode: 404 } }));
    // Act
    const act = scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('throws TransientAwsError when RDS throttles', async () => {
    // Prepare
    givenInstances();
    rdsMock.on(CreateDBInstanceCommand).rejects(throttled());
    // Act
    const act = scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(act).rejects.toThrow(/CreateDBInstance/);
  });

  it('throws TransientAwsError saying why when the cluster is being modified (InvalidDBClusterStateFault)', async () => {
    // Prepare
    givenCluster('modifying');
    givenInstances();
    rdsMock
      .on(CreateDBInstanceCommand)
      .rejects(new InvalidDBClusterStateFault({ message: 'DBCluster is modifying', $metadata: {} }));
    // Act
    const act = scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(act).rejects.toThrow(
      `CreateDBInstance ${CLUSTER_ID}-1: InvalidDBClusterStateFault: DBCluster is modifying (cluster ${CLUSTER_ID} modifying; ` +
        'retried: AWS refuses new instances while the cluster is being modified; the retry reads first, so nothing is created twice)',
    );
  });

  it('creates only what is still missing on the retry after a create refused mid-way', async () => {
    // Prepare: the first call creates -1, then the cluster starts modifying and -2 is refused.
    givenInstances();
    rdsMock
      .on(CreateDBInstanceCommand)
      .resolvesOnce({})
      .rejects(new InvalidDBClusterStateFault({ message: 'DBCluster is modifying', $metadata: {} }));
    const event = makeEvent();
    await expect(scaleDatabase(event, makeSettings(), clients())).rejects.toThrow(TransientAwsError);
    givenInstances([`${CLUSTER_ID}-1`, 'creating']);
    rdsMock.on(CreateDBInstanceCommand).resolves({});
    // Act: the state machine's retry sends the same event again.
    const result = await scaleDatabase(event, makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    const created = rdsMock
      .commandCalls(CreateDBInstanceCommand)
      .map((c) => c.args[0].input.DBInstanceIdentifier);
    expect(created).toEqual([`${CLUSTER_ID}-1`, `${CLUSTER_ID}-2`, `${CLUSTER_ID}-2`]);
  });

  it('throws WaitTimeoutError naming what is pending when the budget is spent, creating nothing', async () => {
    // Prepare
    givenInstances([`${CLUSTER_ID}-1`, 'creating']);
    // Act
    const act = scaleDatabase(
      makeEvent({ previous: previousCall({ attempt: 3, startedAt: BUDGET_SPENT }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(WaitTimeoutError);
    await expect(act).rejects.toThrow(
      /^database: goal not met after \d+ s \(budget 10 min\): still .*0\/2 instance\(s\) available/,
    );
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('still returns READY on a check after the budget is spent when the goal is met', async () => {
    // Prepare
    givenInstances([`${CLUSTER_ID}-1`, 'available'], [`${CLUSTER_ID}-2`, 'available']);
    // Act
    const result = await scaleDatabase(
      makeEvent({ previous: previousCall({ attempt: 3, startedAt: BUDGET_SPENT }) }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result.status).toBe('READY');
  });
});

describe('readScaleDatabaseSettings', () => {
  it('throws InvalidInputError naming every missing variable', () => {
    // Act
    const act = () => readScaleDatabaseSettings({ ...REGION_ENV, TARGET_CLUSTER_ID: CLUSTER_ID });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('missing environment variable(s): DB_INSTANCE_COUNT, DB_INSTANCE_CLASS');
  });

  it('throws InvalidInputError when DB_INSTANCE_COUNT is not a positive integer', () => {
    // Act
    const act = () =>
      readScaleDatabaseSettings({
        ...REGION_ENV,
        TARGET_CLUSTER_ID: CLUSTER_ID,
        DB_INSTANCE_COUNT: '0',
        DB_INSTANCE_CLASS: 'db.r6g.large',
      });
    // Assess
    expect(act).toThrow(/DB_INSTANCE_COUNT: expected an integer >= 1, got '0'/);
  });
});

describe('scale-database handler', () => {
  it('reads env per invocation and creates instances through the target-region client', async () => {
    // Prepare
    givenInstances();
    const env = {
      ...REGION_ENV,
      TARGET_CLUSTER_ID: CLUSTER_ID,
      DB_INSTANCE_COUNT: '1',
      DB_INSTANCE_CLASS: 'db.t4g.medium',
    };
    // Act
    const result = await withEnv(env, () => handler({ wait: ONE_READ, executionArn: 'arn:exec' }));
    // Assess
    expect(result).toMatchObject({ step: 'database', status: 'PENDING' });
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: `${CLUSTER_ID}-1`,
      DBInstanceClass: 'db.t4g.medium',
    });
    const region = await rdsMock.call(0).thisValue.config.region();
    expect(region).toBe(TARGET_REGION);
  });

  it('throws InvalidInputError before any AWS call when env is missing', async () => {
    // Act
    const act = withEnv({ ...REGION_ENV, TARGET_CLUSTER_ID: '' }, () => handler({ wait: ONE_READ }));
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});
