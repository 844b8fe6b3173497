import { GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeGlobalClustersCommand,
  DescribeOrderableDBInstanceOptionsCommand,
} from '@aws-sdk/client-rds';
import { evaluateReadiness, MAX_FIELD_CHARS } from '../../lambdas/readiness/evaluate';
import { publishReadiness, ReadinessPublishError, readinessDatums } from '../../lambdas/readiness/publish';
import { READINESS_CHECK_IDS, type ReadinessReport } from '../../lambdas/shared/readiness-contract';
import { awsError, throttled } from './helpers';
import {
  CLUSTER_ARN,
  healthyWorld,
  lagMetric,
  makeClients,
  mocks,
  NOW,
  now,
  resetMocks,
  SETTINGS,
} from './readiness-fixtures';

beforeEach(() => {
  resetMocks();
  healthyWorld();
});

describe('evaluateReadiness', () => {
  it('is ready when every check passes, in the contract order, with the lag', async () => {
    const report = await evaluateReadiness(SETTINGS, makeClients(), now);
    expect(report).toMatchObject({
      role: 'dr',
      region: 'us-west-2',
      evaluatedAt: NOW.toISOString(),
      ready: true,
      replicationLagSeconds: 1.2,
      replicationLagAt: new Date(NOW.getTime() - 60_000).toISOString(),
    });
    expect(report.checks.map((c) => c.id)).toEqual([...READINESS_CHECK_IDS]);
    // Internal facts stay out of the findings.
    expect(report.checks.every((c) => !('replicationLag' in c))).toBe(true);
  });

  it('reads each shared resource once per evaluation', async () => {
    await evaluateReadiness(SETTINGS, makeClients(), now);
    expect(mocks.rds).toHaveReceivedCommandTimes(DescribeGlobalClustersCommand, 1);
    expect(mocks.autoScaling.calls()).toHaveLength(1);
    expect(mocks.ecs.calls()).toHaveLength(3); // DescribeServices, DescribeTaskDefinition, DescribeCapacityProviders
    expect(
      mocks.ec2
        .calls()
        .map((c) => c.args[0].constructor.name)
        .sort(),
    ).toEqual([
      'DescribeCapacityReservationsCommand',
      'DescribeImagesCommand',
      'DescribeInstanceTypeOfferingsCommand',
      'DescribeInstanceTypesCommand',
      'DescribeLaunchTemplateVersionsCommand',
    ]);
  });

  it('is not ready when one check fails or cannot be read; the others still answer', async () => {
    mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({ OrderableDBInstanceOptions: [] });
    mocks.ec2.on(DescribeImagesCommand).rejects(throttled());
    const report = await evaluateReadiness(SETTINGS, makeClients(), now);
    expect(report.ready).toBe(false);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      'global-cluster': 'PASS',
      'replication-lag': 'PASS',
      'instance-class': 'FAIL',
      certificate: 'PASS',
      'capacity-reservations': 'PASS',
      'launch-template': 'UNKNOWN',
      'capacity-limits': 'PASS',
      'task-definition': 'PASS',
      'traffic-routing': 'PASS',
      orchestrator: 'PASS',
      quotas: 'PASS',
      's3-replication': 'PASS',
      backups: 'PASS',
    });
  });

  it('reports the lag of a failing replication-lag check, none for a writer', async () => {
    mocks.cloudwatch
      .on(GetMetricDataCommand)
      .resolves(lagMetric([{ ms: 60_000, at: new Date(NOW.getTime() - 30_000) }]));
    const lagging = await evaluateReadiness(SETTINGS, makeClients(), now);
    expect(lagging).toMatchObject({ ready: false, replicationLagSeconds: 60 });

    healthyWorld();
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [{ GlobalClusterMembers: [{ DBClusterArn: CLUSTER_ARN, IsWriter: true }] }],
    });
    const writer = await evaluateReadiness(SETTINGS, makeClients(), now);
    expect(writer).not.toHaveProperty('replicationLagSeconds');
  });

  it('turns every check UNKNOWN (never throws) when nothing answers in time', async () => {
    for (const m of Object.values(mocks)) m.callsFake(() => new Promise<never>(() => undefined));
    const started = Date.now();
    const report = await evaluateReadiness(SETTINGS, makeClients(), now, 30);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.ready).toBe(false);
    expect(report.checks.every((c) => c.status === 'UNKNOWN' && c.why?.startsWith('timed out'))).toBe(true);
  });

  it('caps long findings so the report stays small', async () => {
    mocks.rds
      .on(DescribeGlobalClustersCommand)
      .rejects(awsError('InternalFailure', 'x'.repeat(10 * MAX_FIELD_CHARS), 500));
    const report = await evaluateReadiness(SETTINGS, makeClients(), now);
    const finding = report.checks.find((c) => c.id === 'global-cluster');
    expect(finding?.why).toHaveLength(MAX_FIELD_CHARS);
    expect(finding?.why?.endsWith('…')).toBe(true);
    expect(JSON.stringify(report).length).toBeLessThan(64 * 1024);
  });
});

const REPORT: ReadinessReport = {
  role: 'dr',
  region: 'us-west-2',
  evaluatedAt: NOW.toISOString(),
  ready: false,
  checks: READINESS_CHECK_IDS.map((id) =>
    id === 'quotas'
      ? { id, status: 'UNKNOWN' as const, what: 'q', why: 'throttled', fix: 'retry' }
      : id === 'instance-class'
        ? { id, status: 'FAIL' as const, what: 'c', why: 'not orderable', fix: 'other class' }
        : { id, status: 'PASS' as const, what: id },
  ),
};

describe('publishReadiness', () => {
  it('publishes one datum per check (UNKNOWN counts 0) and one overall, in one call', async () => {
    await publishReadiness(REPORT, SETTINGS, makeClients().cloudwatch);
    expect(mocks.cloudwatch).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
    const input = mocks.cloudwatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(input?.Namespace).toBe('PilotLight/Readiness');
    const datums = input?.MetricData ?? [];
    expect(datums).toHaveLength(READINESS_CHECK_IDS.length + 1);
    expect(datums.map((d) => [d.Dimensions?.map((x) => `${x.Name}=${x.Value}`).join(','), d.Value])).toEqual([
      ...READINESS_CHECK_IDS.map((id) => [
        `Project=proj,Role=dr,Check=${id}`,
        id === 'quotas' || id === 'instance-class' ? 0 : 1,
      ]),
      ['Project=proj,Role=dr', 0],
    ]);
    expect(datums.every((d) => d.MetricName === 'Ready' && d.Timestamp?.getTime() === NOW.getTime())).toBe(
      true,
    );
  });

  it('publishes overall 1 when ready', () => {
    const ready = {
      ...REPORT,
      ready: true,
      checks: REPORT.checks.map((c) => ({ id: c.id, status: 'PASS' as const, what: c.what })),
    };
    const datums = readinessDatums(ready, SETTINGS);
    expect(datums.every((d) => d.Value === 1)).toBe(true);
  });

  it('throws ReadinessPublishError with the cause when PutMetricData fails', async () => {
    mocks.cloudwatch.on(PutMetricDataCommand).rejects(throttled());
    const err = await publishReadiness(REPORT, SETTINGS, makeClients().cloudwatch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadinessPublishError);
    expect((err as Error).name).toBe('ReadinessPublishError');
    expect((err as Error).message).toMatch(
      /^cloudwatch:PutMetricData PilotLight\/Readiness\/Ready: ThrottlingException/,
    );
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});
