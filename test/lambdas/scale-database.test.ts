import {
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandInput,
  DescribeDBInstancesCommand,
  type DescribeDBInstancesCommandInput,
  InsufficientDBInstanceCapacityFault,
  InvalidDBClusterStateFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/scale-database';
import { SCALE_DATABASE_DATABASE_FIELDS } from '../../lambdas/scale-database/env';
import {
  readScaleDatabaseSettings,
  type ScaleDatabaseEntry,
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
import { type DatabaseResource, databasesEnvironment } from '../../lambdas/shared/resources';
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
/** A second database: `orders`, with its own cluster. */
const ORDERS_ID = 'proj-dr-aurora-orders';

/** The first database (the seed's `app`): 2 instances of db.r6g.large. */
const APP: DatabaseResource = {
  name: 'app',
  globalClusterId: 'proj-global',
  clusterId: CLUSTER_ID,
  clusterArn: CLUSTER_ARN,
  sourceClusterId: 'proj-main-aurora',
  instanceCount: 2,
  instanceClass: 'db.r6g.large',
  engineVersion: '16.6',
};

const ORDERS: DatabaseResource = {
  name: 'orders',
  globalClusterId: 'proj-global-orders',
  clusterId: ORDERS_ID,
  clusterArn: `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${ORDERS_ID}`,
  sourceClusterId: 'proj-main-aurora-orders',
  instanceCount: 1,
  instanceClass: 'db.r6g.xlarge',
  engineVersion: '16.6',
};

function makeSettings(databases: readonly ScaleDatabaseEntry[] = [APP]): ScaleDatabaseSettings {
  return { ...REGION_SETTINGS, databases };
}

/** `db` as the step reads it: `name` and {@link SCALE_DATABASE_DATABASE_FIELDS}. */
function asRead(db: DatabaseResource): ScaleDatabaseEntry {
  const { name, clusterId, instanceCount, instanceClass, fallbackInstanceClasses } = db;
  return {
    name,
    clusterId,
    instanceCount,
    instanceClass,
    ...(fallbackInstanceClasses === undefined ? {} : { fallbackInstanceClasses }),
  };
}

/** `DATABASES` as infra writes it for this step. */
const databasesEnv = (databases: readonly DatabaseResource[]) =>
  databasesEnvironment(databases, SCALE_DATABASE_DATABASE_FIELDS);

function previousCall(overrides: Partial<StepResult> = {}): StepResult {
  return makePrevious('database', overrides);
}

function makeEvent(overrides: Partial<StepEvent> = {}): StepEvent {
  return { wait: WAIT, ...overrides };
}

type Instance = [id: string, status: string];

/** Each cluster's instances, by cluster id (a cluster not listed has none). */
function givenInstancesOf(byCluster: Readonly<Record<string, readonly Instance[]>>): void {
  rdsMock.on(DescribeDBInstancesCommand).callsFake((input: DescribeDBInstancesCommandInput) => {
    const clusterId = input.Filters?.[0]?.Values?.[0] ?? '';
    return {
      DBInstances: (byCluster[clusterId] ?? []).map(([id, status]) => ({
        DBInstanceIdentifier: id,
        DBInstanceStatus: status,
      })),
    };
  });
}

/** The first database's cluster's instances. */
function givenInstances(...instances: Instance[]): void {
  givenInstancesOf({ [CLUSTER_ID]: instances });
}

const clients = () => ({ rds: new RDSClient({ region: TARGET_REGION }) });

/** Every cluster asked for exists with `status` (ORDERS' unless `missing` names it). */
function givenCluster(status: string, missing: readonly string[] = []): void {
  rdsMock.on(DescribeDBClustersCommand).callsFake((input: DescribeDBClustersCommandInput) => {
    const id = input.DBClusterIdentifier ?? '';
    if (missing.includes(id)) {
      throw new DBClusterNotFoundFault({ message: 'not found', $metadata: { httpStatusCode: 404 } });
    }
    return {
      DBClusters: [
        {
          DBClusterIdentifier: id,
          DBClusterArn: `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${id}`,
          Engine: 'aurora-postgresql',
          Status: status,
        },
      ],
    };
  });
}

/** The identifiers CreateDBInstance was called with, in call order. */
function created(): (string | undefined)[] {
  return rdsMock.commandCalls(CreateDBInstanceCommand).map((c) => c.args[0].input.DBInstanceIdentifier);
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
    await expect(act).rejects.toThrow(
      `database app: no capacity for ${CLUSTER_ID}-1: db.r6g.large refused (InsufficientDBInstanceCapacity)`,
    );
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
      await expect(act).rejects.toThrow(
        `database app: instance(s) in a failed state: ${CLUSTER_ID}-1 (${status})`,
      );
    },
  );

  it('throws ResourceNotFoundError when the cluster does not exist', async () => {
    // Prepare
    givenCluster('available', [CLUSTER_ID]);
    // Act
    const act = scaleDatabase(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(`database app: DB cluster ${CLUSTER_ID} does not exist`);
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
    await expect(act).rejects.toThrow(/^database app: CreateDBInstance: ThrottlingException/);
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
      `database app: CreateDBInstance ${CLUSTER_ID}-1: InvalidDBClusterStateFault: DBCluster is modifying (cluster ${CLUSTER_ID} modifying; ` +
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
    expect(created()).toEqual([`${CLUSTER_ID}-1`, `${CLUSTER_ID}-2`, `${CLUSTER_ID}-2`]);
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

describe('scaleDatabase: several databases', () => {
  const settings = () => makeSettings([APP, ORDERS]);

  it('creates every database’s missing instances, each in its own cluster, and reports each', async () => {
    // Prepare
    givenInstancesOf({});
    // Act
    const result = await scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 1, alreadyDone: false });
    expect(created().sort()).toEqual([`${CLUSTER_ID}-1`, `${CLUSTER_ID}-2`, `${ORDERS_ID}-1`]);
    expect(rdsMock).toHaveReceivedCommandWith(CreateDBInstanceCommand, {
      DBInstanceIdentifier: `${ORDERS_ID}-1`,
      DBClusterIdentifier: ORDERS_ID,
      DBInstanceClass: 'db.r6g.xlarge',
    });
    expect(result.resources).toEqual([
      {
        kind: 'database',
        name: 'app',
        done: false,
        detail: `app: 0/2 instance(s) available (0 present in ${CLUSTER_ID}), creating ${CLUSTER_ID}-1, ${CLUSTER_ID}-2`,
      },
      {
        kind: 'database',
        name: 'orders',
        done: false,
        detail: `orders: 0/1 instance(s) available (0 present in ${ORDERS_ID}), creating ${ORDERS_ID}-1`,
      },
    ]);
    expect(result.detail).toMatch(/^0\/2 database\(s\) ready: app: .*; orders: /);
  });

  it('returns READY with alreadyDone once every database is done, creating nothing', async () => {
    // Prepare
    givenInstancesOf({
      [CLUSTER_ID]: [
        [`${CLUSTER_ID}-1`, 'available'],
        [`${CLUSTER_ID}-2`, 'available'],
      ],
      [ORDERS_ID]: [[`${ORDERS_ID}-1`, 'available']],
    });
    // Act
    const result = await scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'READY', alreadyDone: true });
    expect(result.detail).toBe(
      `2/2 database(s) ready: app: 2/2 instance(s) available (2 present in ${CLUSTER_ID}); ` +
        `orders: 1/1 instance(s) available (1 present in ${ORDERS_ID})`,
    );
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['app', true],
      ['orders', true],
    ]);
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('creates nothing on a rerun that finds every instance already created', async () => {
    // Prepare: the first call created them all; they are still coming up.
    givenInstancesOf({
      [CLUSTER_ID]: [
        [`${CLUSTER_ID}-1`, 'creating'],
        [`${CLUSTER_ID}-2`, 'creating'],
      ],
      [ORDERS_ID]: [[`${ORDERS_ID}-1`, 'creating']],
    });
    // Act
    const result = await scaleDatabase(makeEvent({ previous: previousCall() }), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING', attempt: 2 });
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('creates only for the database not done yet, and stays PENDING until it is', async () => {
    // Prepare: app is done, orders has nothing.
    givenInstancesOf({
      [CLUSTER_ID]: [
        [`${CLUSTER_ID}-1`, 'available'],
        [`${CLUSTER_ID}-2`, 'available'],
      ],
    });
    // Act
    const result = await scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(created()).toEqual([`${ORDERS_ID}-1`]);
    expect(result.resources?.map((r) => [r.name, r.done])).toEqual([
      ['app', true],
      ['orders', false],
    ]);
    expect(result.detail).toMatch(/^1\/2 database\(s\) ready: /);
  });

  it('throws ResourceNotFoundError naming the database whose cluster is missing, creating nothing', async () => {
    // Prepare
    givenCluster('available', [ORDERS_ID]);
    givenInstancesOf({});
    // Act
    const act = scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(`database orders: DB cluster ${ORDERS_ID} does not exist`);
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('reports a missing cluster rather than another database’s throttled read', async () => {
    // Prepare
    givenCluster('available', [ORDERS_ID]);
    rdsMock.on(DescribeDBInstancesCommand).rejects(throttled());
    // Act
    const act = scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow(`database orders: DB cluster ${ORDERS_ID} does not exist`);
  });

  it('throws InstanceCreationFailedError naming the database with a failed instance', async () => {
    // Prepare
    givenInstancesOf({ [ORDERS_ID]: [[`${ORDERS_ID}-1`, 'failed']] });
    // Act
    const act = scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InstanceCreationFailedError);
    await expect(act).rejects.toThrow(
      `database orders: instance(s) in a failed state: ${ORDERS_ID}-1 (failed)`,
    );
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });

  it('throws the error naming the database whose create failed, after the other database’s creates went out', async () => {
    // Prepare
    givenInstancesOf({});
    rdsMock
      .on(CreateDBInstanceCommand)
      .resolves({})
      .on(CreateDBInstanceCommand, { DBClusterIdentifier: ORDERS_ID })
      .rejects(awsError('InsufficientDBInstanceCapacity'));
    // Act
    const act = scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InstanceCreationFailedError);
    await expect(act).rejects.toThrow(
      `database orders: no capacity for ${ORDERS_ID}-1: db.r6g.xlarge refused (InsufficientDBInstanceCapacity)`,
    );
    expect(created()).toEqual(expect.arrayContaining([`${CLUSTER_ID}-1`, `${CLUSTER_ID}-2`]));
  });
});

describe('scaleDatabase: fallback instance classes', () => {
  /** The seed's `app` with base.yml's fallbacks, one instance. */
  const WITH_FALLBACKS: ScaleDatabaseEntry = {
    ...asRead(APP),
    instanceCount: 1,
    fallbackInstanceClasses: ['db.r7g.large', 'db.r6g.xlarge'],
  };
  const settings = () => makeSettings([WITH_FALLBACKS]);
  /** RDS's refusal as the SDK raises it (code InsufficientDBInstanceCapacity). */
  const noCapacity = () =>
    new InsufficientDBInstanceCapacityFault({ message: 'no capacity', $metadata: { httpStatusCode: 400 } });
  /** The classes CreateDBInstance was called with, in call order. */
  const classesTried = () =>
    rdsMock.commandCalls(CreateDBInstanceCommand).map((c) => c.args[0].input.DBInstanceClass);

  it('creates the same instance with the next class when RDS has no capacity for the first, and says so', async () => {
    // Prepare
    givenInstances();
    rdsMock
      .on(CreateDBInstanceCommand)
      .resolves({})
      .on(CreateDBInstanceCommand, { DBInstanceClass: 'db.r6g.large' })
      .rejects(noCapacity());
    // Act
    const result = await scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    expect(result.status).toBe('PENDING');
    expect(rdsMock).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 2);
    for (const [n, cls] of [
      [1, 'db.r6g.large'],
      [2, 'db.r7g.large'],
    ] as const) {
      expect(rdsMock).toHaveReceivedNthSpecificCommandWith(n, CreateDBInstanceCommand, {
        DBInstanceIdentifier: `${CLUSTER_ID}-1`,
        DBClusterIdentifier: CLUSTER_ID,
        Engine: 'aurora-postgresql',
        DBInstanceClass: cls,
      });
    }
    const detail = `app: 0/1 instance(s) available (0 present in ${CLUSTER_ID}), creating ${CLUSTER_ID}-1 as db.r7g.large (db.r6g.large: no capacity)`;
    expect(result.resources).toEqual([{ kind: 'database', name: 'app', done: false, detail }]);
    expect(result.detail).toBe(`0/1 database(s) ready: ${detail}`);
  });

  it('throws InstanceCreationFailedError listing every class refused, creating nothing else', async () => {
    // Prepare
    givenInstances();
    rdsMock.on(CreateDBInstanceCommand).rejects(noCapacity());
    // Act
    const act = scaleDatabase(
      makeEvent(),
      makeSettings([{ ...WITH_FALLBACKS, instanceCount: 2 }]),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(InstanceCreationFailedError);
    await expect(act).rejects.toThrow(
      `database app: no capacity for ${CLUSTER_ID}-1: db.r6g.large, db.r7g.large, db.r6g.xlarge refused (InsufficientDBInstanceCapacity)`,
    );
    expect(created()).toEqual([`${CLUSTER_ID}-1`, `${CLUSTER_ID}-1`, `${CLUSTER_ID}-1`]);
    expect(classesTried()).toEqual(['db.r6g.large', 'db.r7g.large', 'db.r6g.xlarge']);
  });

  it('tries no fallback when the first class is refused for another reason', async () => {
    // Prepare
    givenInstances();
    rdsMock.on(CreateDBInstanceCommand).rejects(throttled());
    // Act
    const act = scaleDatabase(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(act).rejects.toThrow(/^database app: CreateDBInstance: ThrottlingException/);
    expect(classesTried()).toEqual(['db.r6g.large']);
  });

  it('creates nothing on a rerun after a fallback created the instance', async () => {
    // Prepare: the first call created -1 as db.r7g.large; it is still coming up.
    givenInstances();
    rdsMock
      .on(CreateDBInstanceCommand)
      .resolves({})
      .on(CreateDBInstanceCommand, { DBInstanceClass: 'db.r6g.large' })
      .rejects(noCapacity());
    const event = makeEvent();
    await scaleDatabase(event, settings(), clients());
    givenInstances([`${CLUSTER_ID}-1`, 'creating']);
    rdsMock.resetHistory();
    // Act: the same event again (a retry), then the next check.
    const rerun = await scaleDatabase(event, settings(), clients());
    const next = await scaleDatabase(makeEvent({ previous: rerun }), settings(), clients());
    // Assess
    expect([rerun.status, next.status]).toEqual(['PENDING', 'PENDING']);
    expect(rdsMock).not.toHaveReceivedCommand(CreateDBInstanceCommand);
  });
});

describe('readScaleDatabaseSettings', () => {
  it('reads every database of DATABASES, in order', () => {
    // Act
    const settings = readScaleDatabaseSettings({ ...REGION_ENV, DATABASES: databasesEnv([APP, ORDERS]) });
    // Assess
    expect(settings).toEqual(makeSettings([asRead(APP), asRead(ORDERS)]));
  });

  it('reads fallbackInstanceClasses, in order', () => {
    // Prepare
    const app = { ...APP, fallbackInstanceClasses: ['db.r7g.large', 'db.r6g.xlarge'] };
    // Act
    const settings = readScaleDatabaseSettings({ ...REGION_ENV, DATABASES: databasesEnv([app]) });
    // Assess
    expect(settings.databases[0]?.fallbackInstanceClasses).toEqual(['db.r7g.large', 'db.r6g.xlarge']);
  });

  it('throws InvalidInputError naming every missing variable', () => {
    // Act
    const act = () => readScaleDatabaseSettings({ TARGET_ROLE: 'dr', TARGET_REGION });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('missing environment variable(s): SOURCE_REGION, DATABASES');
  });

  it.each<[string, string, string]>([
    [
      'not JSON',
      '[{name: app}]',
      "environment variable DATABASES: expected a JSON list, got '[{name: app}]'",
    ],
    [
      'an empty list',
      '[]',
      'environment variable DATABASES: DATABASES: expected at least 1 item, got a list of 0',
    ],
    [
      'an entry without its cluster',
      JSON.stringify([asRead(APP), { ...asRead(ORDERS), clusterId: undefined }]),
      'environment variable DATABASES: DATABASES[1].clusterId: expected string (missing)',
    ],
    [
      'an instance count below 1',
      JSON.stringify([{ ...asRead(APP), instanceCount: 0 }]),
      'environment variable DATABASES: DATABASES[0].instanceCount: expected >= 1, got 0',
    ],
    [
      'a repeated name',
      JSON.stringify([asRead(APP), { ...asRead(ORDERS), name: 'app' }]),
      'environment variable DATABASES: expected unique names, app repeats',
    ],
    [
      'a field the step does not read (infra writes exactly the fields it reads)',
      JSON.stringify([{ ...asRead(APP), engineVersion: '16.6' }]),
      "environment variable DATABASES: DATABASES[0]: unknown key 'engineVersion'",
    ],
  ])('throws InvalidInputError naming the variable, entry and field for %s', (_case, raw, message) => {
    // Act
    const act = () => readScaleDatabaseSettings({ ...REGION_ENV, DATABASES: raw });
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(message);
  });
});

describe('scale-database handler', () => {
  it('reads env per invocation and creates instances through the target-region client', async () => {
    // Prepare
    givenInstances();
    const env = {
      ...REGION_ENV,
      DATABASES: databasesEnv([{ ...APP, instanceCount: 1, instanceClass: 'db.t4g.medium' }]),
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
    const act = withEnv({ ...REGION_ENV, DATABASES: '' }, () => handler({ wait: ONE_READ }));
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
    expect(rdsMock.calls()).toHaveLength(0);
  });
});
