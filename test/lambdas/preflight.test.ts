import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, type DescribeServicesCommandInput, ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  type GlobalCluster,
  GlobalClusterNotFoundFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambdas/preflight';
import { preflight } from '../../lambdas/preflight/preflight';
import type { DnsAnswers } from '../../lambdas/shared/dns-answers';
import {
  InvalidInputError,
  InvalidStateError,
  ResourceNotFoundError,
  SourceProbeError,
  SourceUnreachableError,
  TransientAwsError,
} from '../../lambdas/shared/errors';
import type { DatabaseResource, ServiceResource } from '../../lambdas/shared/resources';
import { awsError, SOURCE_REGION, TARGET_REGION, throttled, withEnv } from './helpers';
import {
  API_SERVICE,
  APP_DB,
  asRead,
  ENV,
  EXEC_ARN,
  execution,
  listsEnv,
  makeEvent,
  makeSettings,
  ORDERS_DB,
  OTHER_ARN,
  SM_ARN,
  SOURCE_ARN,
  SOURCE_HEALTH_URL,
  SOURCE_ID,
  START,
  serviceAsRead,
  sourceArnOf,
  TARGET_ID,
  TIMINGS,
  WEB_SERVICE,
} from './preflight-fixtures';

/**
 * Preflight as a whole: the modules composed against mocked AWS. The modules' own cases are in
 * preflight-input, -settings, -guards, -source-probe and -plan.test.ts.
 */

const sfnMock = mockClient(SFNClient);
const rdsMock = mockClient(RDSClient);
const asgMock = mockClient(AutoScalingClient);
const ecsMock = mockClient(ECSClient);
const elbMock = mockClient(ElasticLoadBalancingV2Client);

/**
 * Each record's A answer on the zone's name servers; a hostname in `dns.hosts` answers that, any
 * other the application's name answers `dns.app`.
 */
const RECORD_IPS: Readonly<Record<string, string[]>> = {
  'main.app.example.com': ['198.51.100.1'],
  'dr.app.example.com': ['203.0.113.1'],
};
const dns: { app: string[] | Error; hosts: Record<string, string[]> } = { app: [], hosts: {} };

jest.mock('node:dns/promises', () => {
  // The handler builds the real DnsAnswers; its Resolver answers from `dns` above.
  class Resolver {
    resolveNs = async () => ['ns-1.awsdns.example'];
    setServers() {}
    resolve4 = async (name: string) => fakeDns.resolve4(name);
  }
  return { Resolver };
});

const fakeDns: DnsAnswers = {
  async resolve4(name: string) {
    if (name === 'ns-1.awsdns.example') return ['192.0.2.53'];
    const ips = RECORD_IPS[name] ?? dns.hosts[name];
    if (ips !== undefined) return ips;
    if (dns.app instanceof Error) throw dns.app;
    return dns.app;
  },
};

const clients = () => ({
  sfn: new SFNClient({ region: TARGET_REGION }),
  rds: new RDSClient({ region: TARGET_REGION }),
  sourceRds: new RDSClient({ region: SOURCE_REGION }),
  autoScaling: new AutoScalingClient({ region: TARGET_REGION }),
  ecs: new ECSClient({ region: TARGET_REGION }),
  elbv2: new ElasticLoadBalancingV2Client({ region: TARGET_REGION }),
  dns: fakeDns,
});

function givenRunning(...executions: ExecutionListItem[]): void {
  sfnMock.on(ListExecutionsCommand, { statusFilter: 'RUNNING' }).resolves({ executions });
}

function givenSucceeded(...executions: ExecutionListItem[]): void {
  sfnMock.on(ListExecutionsCommand, { statusFilter: 'SUCCEEDED' }).resolves({ executions });
}

/** `db`'s global cluster, with this region's member the writer (`targetWriter`) or a reader. */
function givenGlobal(targetWriter: boolean, overrides: Partial<GlobalCluster> = {}, db = APP_DB): void {
  rdsMock.on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: db.globalClusterId }).resolves({
    GlobalClusters: [
      {
        GlobalClusterIdentifier: db.globalClusterId,
        Status: 'available',
        GlobalClusterMembers: [
          { DBClusterArn: sourceArnOf(db), IsWriter: !targetWriter },
          { DBClusterArn: db.clusterArn, IsWriter: targetWriter },
        ],
        ...overrides,
      },
    ],
  });
}

/** `db`'s cluster in the source region, as the probe sees it. */
function givenSource(status: string, db = APP_DB): void {
  rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: db.sourceClusterId }).resolves({
    DBClusters: [{ DBClusterIdentifier: db.sourceClusterId, DBClusterArn: sourceArnOf(db), Status: status }],
  });
}

/** `db`'s cluster in this region with `available` of its instances available. */
function givenInstances(available: number, db = APP_DB): void {
  rdsMock
    .on(DescribeDBInstancesCommand, { Filters: [{ Name: 'db-cluster-id', Values: [db.clusterId] }] })
    .resolves({
      DBInstances: Array.from({ length: available }, (_, n) => ({
        DBInstanceIdentifier: `${db.clusterId}-${n + 1}`,
        DBInstanceStatus: 'available',
      })),
    });
}

/** One database as a fresh pilot light: its headless cluster, its source answering, not promoted. */
function givenDatabase(db: DatabaseResource): void {
  rdsMock.on(DescribeDBClustersCommand, { DBClusterIdentifier: db.clusterId }).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: db.clusterId,
        DBClusterArn: db.clusterArn,
        Engine: 'aurora-postgresql',
        Status: 'available',
      },
    ],
  });
  givenInstances(0, db);
  givenSource('available', db);
  givenGlobal(false, {}, db);
}

/** The shared ASG at `capacity`, and each service at `running` tasks (desired the same). */
function givenCapacity(capacity: number, running: Readonly<Record<string, number>>): void {
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'proj-dr-ecs-asg',
        MinSize: capacity,
        MaxSize: 2,
        DesiredCapacity: capacity,
      } as never,
    ],
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => ({
    services: (input.services ?? []).map((name) => ({
      serviceName: name,
      status: 'ACTIVE',
      desiredCount: running[name] ?? 0,
      runningCount: running[name] ?? 0,
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
    })),
  }));
}

/** The target region as a fresh pilot light: nothing promoted yet. */
function givenPilotLight(databases: readonly DatabaseResource[] = [APP_DB]): void {
  givenRunning(execution(EXEC_ARN, START));
  givenSucceeded();
  for (const db of databases) givenDatabase(db);
  givenCapacity(0, {});
  givenDnsAliasTo('main.app.example.com.');
}

/** The application's name answers what `record` answers. */
function givenDnsAliasTo(record: string): void {
  dns.app = RECORD_IPS[record.replace(/\.$/, '')] ?? [];
}

/** Every step's goal met: instances available, capacity up, target writer, DNS here. */
function givenPromoted(
  databases: readonly DatabaseResource[] = [APP_DB],
  services: readonly ServiceResource[] = [WEB_SERVICE],
): void {
  givenPilotLight(databases);
  for (const db of databases) {
    givenInstances(db.instanceCount, db);
    givenGlobal(true, {}, db);
  }
  givenCapacity(2, Object.fromEntries(services.map((svc) => [svc.ecsService, svc.desiredCount])));
  givenDnsAliasTo('dr.app.example.com.');
}

/** Preflight changes nothing: every call it made was a Describe or a List. */
function expectReadsOnly(): void {
  const commands = [sfnMock, rdsMock, asgMock, ecsMock, elbMock].flatMap((m) =>
    m.calls().map((c) => c.args[0].constructor.name),
  );
  expect(commands.length).toBeGreaterThan(0);
  expect(commands.every((name) => /^(Describe|List)/.test(name))).toBe(true);
}

function expectNoAwsCall(): void {
  for (const mock of [sfnMock, rdsMock, asgMock, ecsMock, elbMock]) expect(mock.calls()).toHaveLength(0);
}

beforeEach(() => {
  for (const mock of [sfnMock, rdsMock, asgMock, ecsMock, elbMock]) mock.reset();
  dns.app = [];
  dns.hosts = {};
});

describe('preflight: execution input', () => {
  it.each<[string, unknown]>([
    ['a non-object', 'planned'],
    ['an unknown mode', { mode: 'fast', reason: 'r' }],
    ['an unknown field', { mode: 'planned', reason: 'r', force: true }],
  ])('throws InvalidInputError for %s before any AWS call', async (_case, input) => {
    // Act
    const act = preflight(makeEvent(input), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
    await expect(act).rejects.toThrow(/^invalid execution input: input/);
    expectNoAwsCall();
  });

  it('throws InvalidInputError for a malformed start time before any AWS call', async () => {
    // Act
    const act = preflight({ ...makeEvent(), startTime: 'yesterday' }, makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
    expectNoAwsCall();
  });
});

describe('preflight', () => {
  it('returns PROCEED in planned mode for auto when the source answers and the global cluster is healthy', async () => {
    // Prepare
    givenPilotLight();
    // Act
    const result = await preflight(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({
      status: 'PROCEED',
      requestedMode: 'auto',
      mode: 'planned',
      sourceReachable: true,
      dryRun: false,
      reason: 'alarm proj-main-health',
      targetRegion: TARGET_REGION,
      sourceRegion: SOURCE_REGION,
      alreadyDone: { database: false, service: false, promotion: false, dns: false, fence: false },
      timings: TIMINGS,
    });
    expect(result.message).toMatch(
      /^Promoting us-west-2: .*switch over proj-global \(planned, no data loss\)/,
    );
    expect(rdsMock).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: 'proj-global',
    });
    expect(rdsMock).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: 'db-cluster-id', Values: [TARGET_ID] }],
    });
  });

  it('resolves auto to unplanned when the source region does not answer within the probe timeout', async () => {
    // Prepare
    givenPilotLight();
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID })
      .callsFake(() => new Promise(() => undefined));
    // Act
    const result = await preflight(makeEvent(), makeSettings({ sourceProbeTimeoutMs: 20 }), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PROCEED', mode: 'unplanned', sourceReachable: false });
    expect(result.message).toContain('fail over proj-global (unplanned, data loss allowed)');
    expect(result.message).toContain('no answer within 20 ms');
  });

  it('resolves auto to unplanned when the source cluster answers but is not available', async () => {
    // Prepare
    givenPilotLight();
    givenSource('inaccessible-encryption-credentials');
    // Act
    const result = await preflight(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ mode: 'unplanned', sourceReachable: true });
  });

  it('resolves auto to unplanned when the source region fails with 5xx', async () => {
    // Prepare
    givenPilotLight();
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID })
      .rejects(awsError('InternalFailure', 'down', 503));
    // Act
    const result = await preflight(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ mode: 'unplanned', sourceReachable: false });
  });

  it('throws TransientAwsError (retry) when the source region throttles the probe, never choosing data loss', async () => {
    // Prepare
    givenPilotLight();
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID })
      .rejects(awsError('Throttling', 'Rate exceeded', 400));
    // Act
    const act = preflight(makeEvent(), makeSettings(), clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    await expect(preflight(makeEvent(), makeSettings(), clients())).rejects.toThrow(/Throttling/);
  });

  it('resolves auto to unplanned when the global cluster has an operation in progress', async () => {
    // Prepare
    givenPilotLight();
    givenGlobal(false, { FailoverState: { Status: 'failing-over' } });
    // Act
    const result = await preflight(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ mode: 'unplanned', sourceReachable: true });
  });

  it('fails mode planned fast with SourceUnreachableError when the source does not answer, changing nothing', async () => {
    // Prepare
    givenPilotLight();
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID })
      .callsFake(() => new Promise(() => undefined));
    // Act
    const act = preflight(
      makeEvent({ mode: 'planned', reason: 'game day' }),
      makeSettings({ sourceProbeTimeoutMs: 20 }),
      clients(),
    );
    // Assess
    await expect(act).rejects.toThrow(SourceUnreachableError);
    await expect(act).rejects.toThrow(/rerun with mode auto .* or unplanned$/);
    expectReadsOnly();
  });

  it.each(['auto', 'planned'])(
    'fails mode %s with SourceProbeError when the source probe gets AccessDenied, never choosing data loss',
    async (mode) => {
      // Prepare
      givenPilotLight();
      rdsMock
        .on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID })
        .rejects(awsError('AccessDenied', 'not authorized', 403));
      // Act
      const act = preflight(makeEvent({ mode, reason: 'alarm' }), makeSettings(), clients());
      // Assess
      await expect(act).rejects.toThrow(SourceProbeError);
      await expect(act).rejects.toThrow(
        /a misconfiguration, not an outage; fix the permission or rerun with mode unplanned/,
      );
      expectReadsOnly();
    },
  );

  it('proceeds in mode unplanned when the source probe gets AccessDenied, saying so', async () => {
    // Prepare
    givenPilotLight();
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID })
      .rejects(awsError('AccessDenied', 'not authorized', 403));
    // Act
    const result = await preflight(makeEvent({ mode: 'unplanned', reason: 'r' }), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PROCEED', mode: 'unplanned' });
  });

  it('returns DRY_RUN with the plan when dryRun is set, and changes nothing', async () => {
    // Prepare
    givenPilotLight();
    // Act
    const result = await preflight(
      makeEvent({ mode: 'unplanned', reason: 'rehearsal', dryRun: true }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result).toMatchObject({ status: 'DRY_RUN', mode: 'unplanned', dryRun: true });
    expect(result.message).toMatch(
      /^Dry run: would add 1 instance\(s\) to proj-dr-aurora, .*publish this region's traffic claim; wait until app\.example\.com answers dr\.app\.example\.com/,
    );
    expectReadsOnly();
  });

  it('reports what is already done so a rerun resumes', async () => {
    // Prepare
    givenPilotLight();
    givenInstances(1);
    givenDnsAliasTo('dr.app.example.com.');
    // Act
    const result = await preflight(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PROCEED');
    expect(result.alreadyDone).toEqual({
      database: true,
      service: false,
      promotion: false,
      dns: true,
      fence: false,
      replication: false,
    });
    expect(result.message).toContain('(already done: database, dns)');
  });

  it('returns ALREADY_PROMOTED when every step is already done', async () => {
    // Prepare
    givenPromoted();
    // Act
    const result = await preflight(
      makeEvent({ mode: 'planned', reason: 'r', dryRun: true }),
      makeSettings(),
      clients(),
    );
    // Assess
    expect(result.status).toBe('ALREADY_PROMOTED');
    expect(result.alreadyDone).toEqual({
      database: true,
      service: true,
      promotion: true,
      dns: true,
      fence: false,
      replication: false,
    });
    expect(result.message).toContain('already promoted');
  });

  it('returns ALREADY_PROMOTED only once every hostname answers here', async () => {
    // Prepare: everything promoted, but api.example.com still answers main.
    givenPromoted();
    const settings = makeSettings({ recordNames: ['app.example.com', 'api.example.com', 'www.example.com'] });
    dns.hosts['api.example.com'] = RECORD_IPS['main.app.example.com'] ?? [];
    // Act
    const lagging = await preflight(makeEvent(), settings, clients());
    dns.hosts['api.example.com'] = RECORD_IPS['dr.app.example.com'] ?? [];
    const moved = await preflight(makeEvent(), settings, clients());
    // Assess
    expect(lagging.status).toBe('PROCEED');
    expect(lagging.alreadyDone.dns).toBe(false);
    expect(lagging.message).toContain(
      'wait until app.example.com, api.example.com and www.example.com answer dr.app.example.com',
    );
    expect(moved.status).toBe('ALREADY_PROMOTED');
    expect(moved.alreadyDone.dns).toBe(true);
    expect(moved.message).toContain('app.example.com, api.example.com and www.example.com answer here');
  });

  it('returns IN_FLIGHT naming the earlier running execution, without reading anything else', async () => {
    // Prepare
    givenRunning(execution(EXEC_ARN, START), execution(OTHER_ARN, '2026-03-01T11:58:00.000Z'));
    // Act
    const result = await preflight(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'IN_FLIGHT', alreadyDone: { database: false } });
    expect(result.message).toContain(OTHER_ARN);
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: SM_ARN,
      statusFilter: 'RUNNING',
    });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  it('returns COOL_DOWN when an execution promoted within the cool-down', async () => {
    // Prepare
    const stopped = new Date(Date.now() - 10 * 60_000);
    givenRunning(execution(EXEC_ARN, START));
    givenSucceeded(execution(OTHER_ARN, '2026-03-01T11:00:00.000Z', stopped.toISOString()));
    sfnMock.on(DescribeExecutionCommand).resolves({ output: JSON.stringify({ outcome: 'PROMOTED' }) });
    // Act
    const result = await preflight(makeEvent(), makeSettings({ coolDownMinutes: 30 }), clients());
    // Assess
    expect(result.status).toBe('COOL_DOWN');
    expect(result.message).toContain(OTHER_ARN);
    expect(result.message).toContain(new Date(stopped.getTime() + 30 * 60_000).toISOString());
    expect(sfnMock).toHaveReceivedCommandWith(ListExecutionsCommand, {
      statusFilter: 'SUCCEEDED',
      maxResults: 100,
    });
    expect(sfnMock).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: OTHER_ARN });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  it('does not treat a failed DNS lookup as fatal: the name counts as not answering here', async () => {
    // Prepare
    givenPilotLight();
    dns.app = new TransientAwsError('DNS A lookup of app.example.com failed (ETIMEOUT)');
    // Act
    const result = await preflight(makeEvent(), makeSettings(), clients());
    // Assess
    expect(result.status).toBe('PROCEED');
    expect(result.alreadyDone.dns).toBe(false);
    expect(result.message).toContain('could not be read');
  });

  it('throws ResourceNotFoundError when the global cluster does not exist', async () => {
    // Prepare
    givenPilotLight();
    rdsMock
      .on(DescribeGlobalClustersCommand)
      .rejects(new GlobalClusterNotFoundFault({ message: 'gone', $metadata: {} }));
    // Act / Assess
    await expect(preflight(makeEvent(), makeSettings(), clients())).rejects.toThrow(ResourceNotFoundError);
  });

  it('throws InvalidStateError when the target cluster is not a member of the global cluster', async () => {
    // Prepare
    givenPilotLight();
    givenGlobal(false, { GlobalClusterMembers: [{ DBClusterArn: SOURCE_ARN, IsWriter: true }] });
    // Act / Assess
    await expect(preflight(makeEvent(), makeSettings(), clients())).rejects.toThrow(InvalidStateError);
  });

  it('throws TransientAwsError when Step Functions throttles', async () => {
    // Prepare
    sfnMock.on(ListExecutionsCommand).rejects(throttled());
    // Act / Assess
    await expect(preflight(makeEvent(), makeSettings(), clients())).rejects.toThrow(TransientAwsError);
  });
});

describe('preflight: several databases and services', () => {
  const DATABASES = [APP_DB, ORDERS_DB];
  const SERVICES = [WEB_SERVICE, API_SERVICE];
  const settings = () =>
    makeSettings({ databases: DATABASES.map(asRead), services: SERVICES.map(serviceAsRead) });

  it('resolves auto to planned when every source cluster answers available and every global cluster is healthy', async () => {
    // Prepare
    givenPilotLight(DATABASES);
    // Act
    const result = await preflight(makeEvent(), settings(), clients());
    // Assess
    expect(result).toMatchObject({ status: 'PROCEED', mode: 'planned', sourceReachable: true });
    expect(result.message).toContain(
      'add 1 instance(s) to proj-dr-aurora and 1 instance(s) to proj-dr-aurora-orders',
    );
    expect(result.message).toContain(
      'scale proj-dr-app to 2 task(s) and proj-dr-app-api to 2 task(s) (ASG ≥ 2)',
    );
    expect(result.message).toContain(
      'switch over proj-global and proj-global-orders (planned, no data loss)',
    );
    expect(result.message).toContain('answers and every global cluster is healthy');
    for (const db of DATABASES) {
      expect(rdsMock).toHaveReceivedCommandWith(DescribeDBClustersCommand, {
        DBClusterIdentifier: db.sourceClusterId,
      });
      expect(rdsMock).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
        GlobalClusterIdentifier: db.globalClusterId,
      });
    }
    expectReadsOnly();
  });

  it('resolves auto to unplanned when one database’s source cluster is not available, naming it', async () => {
    // Prepare
    givenPilotLight(DATABASES);
    givenSource('backing-up', ORDERS_DB);
    // Act
    const result = await preflight(makeEvent(), settings(), clients());
    // Assess
    expect(result).toMatchObject({ mode: 'unplanned', sourceReachable: true });
    expect(result.message).toContain(
      'cannot switch over — source clusters proj-main-aurora available and proj-main-aurora-orders backing-up',
    );
  });

  it('resolves auto to unplanned when one global cluster has an operation in progress', async () => {
    // Prepare
    givenPilotLight(DATABASES);
    givenGlobal(false, { FailoverState: { Status: 'failing-over' } }, ORDERS_DB);
    // Act
    const result = await preflight(makeEvent(), settings(), clients());
    // Assess
    expect(result.mode).toBe('unplanned');
  });

  it('counts the database step done only when every cluster has its instances', async () => {
    // Prepare
    givenPilotLight(DATABASES);
    givenInstances(1, APP_DB);
    // Act
    const one = await preflight(makeEvent(), settings(), clients());
    givenInstances(1, ORDERS_DB);
    const both = await preflight(makeEvent(), settings(), clients());
    // Assess
    expect(one.alreadyDone.database).toBe(false);
    expect(both.alreadyDone.database).toBe(true);
    expect(both.message).toContain('(already done: database)');
  });

  it('counts the promotion done only when every database’s writer is in this region', async () => {
    // Prepare: everything promoted but orders, whose writer is still the source's cluster.
    givenPromoted(DATABASES, SERVICES);
    givenGlobal(false, {}, ORDERS_DB);
    // Act
    const result = await preflight(makeEvent({ mode: 'planned', reason: 'r' }), settings(), clients());
    // Assess
    expect(result.status).toBe('PROCEED');
    expect(result.alreadyDone).toMatchObject({ database: true, service: true, promotion: false, dns: true });
  });

  it('counts the service step done only when every service serves', async () => {
    // Prepare: everything promoted but the api service, still at 0.
    givenPromoted(DATABASES, [WEB_SERVICE]);
    // Act
    const result = await preflight(makeEvent(), settings(), clients());
    // Assess
    expect(result.alreadyDone).toMatchObject({ service: false, promotion: true });
    expect(result.status).toBe('PROCEED');
  });

  it('returns ALREADY_PROMOTED when every database and service is done', async () => {
    // Prepare
    givenPromoted(DATABASES, SERVICES);
    // Act
    const result = await preflight(makeEvent(), settings(), clients());
    // Assess
    expect(result.status).toBe('ALREADY_PROMOTED');
    expect(result.message).toContain('every service serving, writer of every global cluster');
  });

  it('throws ResourceNotFoundError naming the database whose global cluster is missing', async () => {
    // Prepare
    givenPilotLight(DATABASES);
    rdsMock
      .on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: ORDERS_DB.globalClusterId })
      .rejects(new GlobalClusterNotFoundFault({ message: 'gone', $metadata: {} }));
    // Act
    const act = preflight(makeEvent(), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(ResourceNotFoundError);
    await expect(act).rejects.toThrow('database orders: global cluster proj-global-orders does not exist');
  });

  it('fails mode planned with SourceProbeError naming the database whose source cluster is missing', async () => {
    // Prepare
    givenPilotLight(DATABASES);
    rdsMock
      .on(DescribeDBClustersCommand, { DBClusterIdentifier: ORDERS_DB.sourceClusterId })
      .rejects(awsError('DBClusterNotFoundFault', 'gone', 404));
    // Act
    const act = preflight(makeEvent({ mode: 'planned', reason: 'r' }), settings(), clients());
    // Assess
    await expect(act).rejects.toThrow(SourceProbeError);
    await expect(act).rejects.toThrow(/^database orders: the source region us-east-1 answered/);
  });
});

describe('preflight handler', () => {
  it('wires target- and source-region clients through the module', async () => {
    // Prepare
    givenPilotLight();
    // Act
    const result = await withEnv(ENV, () => handler(makeEvent()));
    // Assess
    expect(result).toMatchObject({ status: 'PROCEED', mode: 'planned', sourceReachable: true });
    const [sourceCall] = rdsMock.commandCalls(DescribeDBClustersCommand, { DBClusterIdentifier: SOURCE_ID });
    const [targetCall] = rdsMock.commandCalls(DescribeGlobalClustersCommand);
    expect(await sourceCall?.thisValue.config.region()).toBe(SOURCE_REGION);
    expect(await targetCall?.thisValue.config.region()).toBe(TARGET_REGION);
  });

  it('reads every database and service of DATABASES and SERVICES', async () => {
    // Prepare
    givenPilotLight([APP_DB, ORDERS_DB]);
    // Act
    const result = await withEnv(
      { ...ENV, ...listsEnv([APP_DB, ORDERS_DB], [WEB_SERVICE, API_SERVICE]) },
      () => handler(makeEvent()),
    );
    // Assess
    expect(result).toMatchObject({ status: 'PROCEED', mode: 'planned' });
    expect(result.message).toContain('switch over proj-global and proj-global-orders');
    expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, {
      services: ['proj-dr-app', 'proj-dr-app-api'],
    });
  });

  it('throws InvalidInputError naming the entry before any AWS call when DATABASES is malformed', async () => {
    // Act
    const act = withEnv({ ...ENV, DATABASES: JSON.stringify([{ name: 'app' }]) }, () => handler(makeEvent()));
    // Assess
    await expect(act).rejects.toThrow(InvalidInputError);
    await expect(act).rejects.toThrow(/^environment variable DATABASES: DATABASES\[0\]\.globalClusterId: /);
    expectNoAwsCall();
  });
});

describe('preflight: the second opinion of an alarm-started run', () => {
  const byAlarm = {
    mode: 'auto',
    reason: 'CloudWatch alarm proj-probe in ALARM',
    trigger: { source: 'alarm', alarmName: 'proj-probe', alarmAt: '2026-03-01T11:59:50Z' },
  };
  const answering = (status: number | 'refused') =>
    jest.fn<Promise<Response>, Parameters<typeof fetch>>(async () => {
      if (status === 'refused') throw new TypeError('fetch failed');
      return new Response(null, { status });
    });
  const sleep = async () => undefined;

  it('returns SOURCE_HEALTHY without acting when main answers every request of the re-check', async () => {
    // Prepare
    givenPilotLight();
    const fetchMock = answering(200);
    // Act
    const result = await preflight(makeEvent(byAlarm), makeSettings(), {
      ...clients(),
      fetch: fetchMock,
      sleep,
    });
    // Assess
    expect(result).toMatchObject({ status: 'SOURCE_HEALTHY', requestedMode: 'auto', mode: 'planned' });
    expect(result.message).toContain(`${SOURCE_HEALTH_URL} answered 3 of 3 requests`);
    expect(result.message).toContain('start by hand');
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(fetchMock).toHaveBeenCalledWith(SOURCE_HEALTH_URL, expect.objectContaining({ method: 'GET' }));
  });

  it('proceeds when main still fails the re-check', async () => {
    // Prepare
    givenPilotLight();
    // Act
    const result = await preflight(makeEvent(byAlarm), makeSettings(), {
      ...clients(),
      fetch: answering('refused'),
      sleep,
    });
    // Assess
    expect(result.status).toBe('PROCEED');
  });

  it('asks no second opinion of a run a person started', async () => {
    // Prepare
    givenPilotLight();
    const fetchMock = answering(200);
    // Act
    const result = await preflight(makeEvent(), makeSettings(), { ...clients(), fetch: fetchMock, sleep });
    // Assess
    expect(result.status).toBe('PROCEED');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('lets single flight speak first: an alarm-started run behind a running one ends IN_FLIGHT, unasked', async () => {
    // Prepare
    givenRunning(execution(OTHER_ARN, '2026-03-01T11:50:00.000Z'), execution(EXEC_ARN, START));
    const fetchMock = answering(200);
    // Act
    const result = await preflight(makeEvent(byAlarm), makeSettings(), {
      ...clients(),
      fetch: fetchMock,
      sleep,
    });
    // Assess
    expect(result.status).toBe('IN_FLIGHT');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
