import {
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
} from '@aws-sdk/client-rds';
import { readinessEnvironment, readReadinessSettings } from '../../lambdas/readiness/env';
import { evaluateReadiness, runCheck } from '../../lambdas/readiness/evaluate';
import { readinessDatums } from '../../lambdas/readiness/publish';
import { ReadinessReads } from '../../lambdas/readiness/reads';
import type {
  ReadinessDatabase,
  ReadinessService,
  ReadinessSettings,
} from '../../lambdas/readiness/settings';
import { redChecksLine, renderReadinessTable } from '../../lambdas/readiness/table';
import { InvalidInputError } from '../../lambdas/shared/errors';
import type { ReadinessCheckId } from '../../lambdas/shared/readiness-contract';
import {
  type DatabaseResource,
  databasesEnvironment,
  type ServiceResource,
  servicesEnvironment,
} from '../../lambdas/shared/resources';
import { ACCOUNT, TARGET_REGION } from './helpers';
import {
  CAPACITY_PROVIDER,
  DATABASE,
  healthyWorld,
  lagMetric,
  MAIN_CLUSTER_ARN,
  makeClients,
  mocks,
  NOW,
  now,
  resetMocks,
  SERVICE,
  SETTINGS,
} from './readiness-fixtures';

/**
 * Readiness of a region with several databases and services: each database and service check
 * runs per entry and names it; the checks of the shared capacity count every service.
 */

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function serviceEntry(name: string, desiredCount: number): ReadinessService {
  return {
    ...SERVICE,
    name,
    ecsService: `proj-dr-${name}`,
    desiredCount,
    image: `public.ecr.aws/proj/${name}:1`,
  };
}

const clusterArn = (id: string) => `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${id}`;
const tgArn = (name: string) =>
  `arn:aws:elasticloadbalancing:${TARGET_REGION}:${ACCOUNT}:targetgroup/proj-dr-${name}/abc`;
const tdArn = (name: string) => `arn:aws:ecs:${TARGET_REGION}:${ACCOUNT}:task-definition/proj-dr-${name}:1`;

const ORDERS: ReadinessDatabase = {
  ...DATABASE,
  name: 'orders',
  globalClusterId: 'proj-orders-global',
  clusterId: 'proj-dr-orders',
  instanceCount: 1,
};

const THREE_SERVICES = [serviceEntry('api', 2), serviceEntry('web', 1), serviceEntry('worker', 1)];

const SEVERAL: ReadinessSettings = {
  ...SETTINGS,
  databases: [DATABASE, ORDERS],
  services: THREE_SERVICES,
};

/** Each global cluster with this region's member a connected secondary; `missing` cluster ids do not exist. */
function givenDatabases(databases: readonly ReadinessDatabase[], missing: readonly string[] = []): void {
  mocks.rds.on(DescribeGlobalClustersCommand).callsFake((input: { GlobalClusterIdentifier?: string }) => {
    const db = databases.find((d) => d.globalClusterId === input.GlobalClusterIdentifier);
    return {
      GlobalClusters: [
        {
          GlobalClusterIdentifier: db?.globalClusterId,
          Status: 'available',
          GlobalClusterMembers: [
            { DBClusterArn: MAIN_CLUSTER_ARN, IsWriter: true },
            {
              DBClusterArn: clusterArn(db?.clusterId ?? ''),
              IsWriter: false,
              SynchronizationStatus: 'connected',
            },
          ],
        },
      ],
    };
  });
  mocks.rds.on(DescribeDBClustersCommand).callsFake((input: { DBClusterIdentifier?: string }) => {
    const db = databases.find((d) => d.clusterId === input.DBClusterIdentifier);
    if (db === undefined || missing.includes(db.clusterId)) {
      throw Object.assign(new Error('not found'), { name: 'DBClusterNotFoundFault' });
    }
    return {
      DBClusters: [
        { DBClusterIdentifier: db.clusterId, DBClusterArn: clusterArn(db.clusterId), DBClusterMembers: [] },
      ],
    };
  });
}

/** Each service ACTIVE behind its own target group, running its own image; names left out are MISSING. */
function givenServices(
  services: readonly ReadinessService[],
  images: Readonly<Record<string, string>> = {},
): void {
  mocks.ecs.on(DescribeServicesCommand).callsFake((input: { services?: string[] }) => ({
    services: services
      .filter((s) => input.services?.includes(s.ecsService))
      .map((s) => ({
        serviceName: s.ecsService,
        status: 'ACTIVE',
        taskDefinition: tdArn(s.name),
        loadBalancers: [{ targetGroupArn: tgArn(s.name), containerName: s.name, containerPort: 80 }],
        capacityProviderStrategy: [{ capacityProvider: CAPACITY_PROVIDER, weight: 1 }],
      })),
    failures: (input.services ?? [])
      .filter((n) => !services.some((s) => s.ecsService === n))
      .map((arn) => ({ arn, reason: 'MISSING' })),
  }));
  mocks.ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition?: string }) => {
    const s = THREE_SERVICES.find((x) => tdArn(x.name) === input.taskDefinition);
    return {
      taskDefinition: {
        taskDefinitionArn: input.taskDefinition,
        family: `proj-dr-${s?.name}`,
        revision: 1,
        status: 'ACTIVE',
        networkMode: 'bridge',
        containerDefinitions: [
          {
            name: s?.name,
            image: images[s?.name ?? ''] ?? s?.image,
            cpu: 512,
            memory: 1024,
            portMappings: [{ containerPort: 80, hostPort: 0 }],
          },
        ],
      },
    };
  });
  mocks.elbv2.on(DescribeTargetGroupsCommand).callsFake((input: { TargetGroupArns?: string[] }) => ({
    TargetGroups: (input.TargetGroupArns ?? []).map((arn) => ({
      TargetGroupArn: arn,
      TargetGroupName: arn.split('/')[1],
      HealthCheckEnabled: true,
      HealthCheckPath: '/health',
    })),
  }));
}

function findings(id: ReadinessCheckId, settings: ReadinessSettings = SEVERAL) {
  return runCheck(id, settings, new ReadinessReads(settings, makeClients(), now), 10_000);
}

beforeEach(() => {
  resetMocks();
  healthyWorld();
  givenDatabases([DATABASE, ORDERS]);
  givenServices(THREE_SERVICES);
});

describe('readiness with two databases and three services', () => {
  it('is READY with a finding per database and per service, each naming its entry, in config order', async () => {
    // Act
    const report = await evaluateReadiness(SEVERAL, makeClients(), now);
    // Assess
    expect(report.ready).toBe(true);
    const rows = report.checks.map((c) => [c.id, c.what.split(':')[0]]);
    expect(rows.filter(([id]) => id === 'global-cluster')).toEqual([
      ['global-cluster', 'database app'],
      ['global-cluster', 'database orders'],
    ]);
    expect(rows.filter(([id]) => id === 'task-definition')).toEqual([
      ['task-definition', 'service api'],
      ['task-definition', 'service web'],
      ['task-definition', 'service worker'],
    ]);
    // 3 database checks × 2, 1 service check × 3, 9 checks of the region.
    expect(report.checks).toHaveLength(18);
    // The services are read together: one DescribeServices for the three.
    expect(mocks.ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(mocks.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, {
      services: ['proj-dr-api', 'proj-dr-web', 'proj-dr-worker'],
    });
    expect(mocks.elbv2).toHaveReceivedCommandTimes(DescribeTargetGroupsCommand, 3);
  });

  it('gives the same report on a second evaluation, changing nothing (read-only)', async () => {
    // Act
    const first = await evaluateReadiness(SEVERAL, makeClients(), now);
    const second = await evaluateReadiness(SEVERAL, makeClients(), now);
    // Assess
    expect(second).toEqual(first);
    expect(mocks.cloudwatch).not.toHaveReceivedCommand(PutMetricDataCommand);
  });

  it('is FAIL for the one service whose task definition runs another image, naming it; the others PASS', async () => {
    // Prepare
    givenServices(THREE_SERVICES, { web: 'nginx:old' });
    // Act
    const result = await findings('task-definition');
    // Assess
    expect(result.map((f) => f.status)).toEqual(['PASS', 'FAIL', 'PASS']);
    expect(result[1]?.what).toBe(
      'service web: the task definition of proj-dr-cluster/proj-dr-web is ACTIVE and runs public.ecr.aws/proj/web:1',
    );
    expect(result[1]?.why).toBe(
      'task definition proj-dr-web:1 runs nginx:old, not its configured image public.ecr.aws/proj/web:1',
    );
  });

  it('shows the failing entry in the table and in the notices’ one-line summary', async () => {
    // Prepare
    givenServices(THREE_SERVICES, { web: 'nginx:old' });
    // Act
    const report = await evaluateReadiness(SEVERAL, makeClients(), now);
    // Assess
    expect(report.ready).toBe(false);
    expect(renderReadinessTable(report)).toMatch(
      /^task-definition +\| FAIL +\| service web: the task definition/m,
    );
    expect(redChecksLine(report)).toBe(
      'not ready: task-definition (service web: task definition proj-dr-web:1 runs nginx:old, not its configured image public.ecr.aws/proj/web:1)',
    );
    // One Ready datum per check: task-definition 0 as one of its findings is red.
    const datums = readinessDatums(report, SEVERAL);
    expect(datums).toHaveLength(14);
    expect(datums.find((d) => d.Dimensions?.some((x) => x.Value === 'task-definition'))?.Value).toBe(0);
    expect(datums.find((d) => d.Dimensions?.some((x) => x.Value === 'global-cluster'))?.Value).toBe(1);
  });

  it('is FAIL naming the service that does not exist, in capacity-limits and traffic-routing', async () => {
    // Prepare
    givenServices(THREE_SERVICES.slice(0, 2));
    // Act
    const [capacity] = await findings('capacity-limits');
    const [routing] = await findings('traffic-routing');
    const tasks = await findings('task-definition');
    // Assess
    expect(capacity?.status).toBe('FAIL');
    expect(capacity?.why).toContain(
      'service worker: ECS service proj-dr-cluster/proj-dr-worker does not exist',
    );
    expect(routing?.why).toBe('service worker: ECS service proj-dr-cluster/proj-dr-worker does not exist');
    expect(tasks.map((f) => f.status)).toEqual(['PASS', 'PASS', 'FAIL']);
  });

  it('is FAIL for the one database whose cluster does not exist, naming it', async () => {
    // Prepare
    givenDatabases([DATABASE, ORDERS], ['proj-dr-orders']);
    // Act
    const result = await findings('global-cluster');
    // Assess
    expect(result.map((f) => [f.what.split(':')[0], f.status])).toEqual([
      ['database app', 'PASS'],
      ['database orders', 'FAIL'],
    ]);
    expect(result[1]?.why).toBe('cluster proj-dr-orders does not exist in us-west-2');
  });

  it('reads each database’s lag and reports the largest as the report’s', async () => {
    // Prepare
    mocks.cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const query = input.MetricDataQueries?.[0];
      if (query?.Id !== 'lag')
        return { MetricDataResults: [{ Id: 'usage', Values: [4], Timestamps: [minutesAgo(1)] }] };
      const cluster = query.MetricStat?.Metric?.Dimensions?.[0]?.Value;
      return lagMetric([{ ms: cluster === 'proj-dr-orders' ? 4_000 : 900, at: minutesAgo(1) }]);
    });
    // Act
    const report = await evaluateReadiness(SEVERAL, makeClients(), now);
    // Assess
    expect(report.replicationLagSeconds).toBe(4);
    const lags = report.checks.filter((c) => c.id === 'replication-lag').map((c) => c.what);
    expect(lags).toEqual([
      expect.stringMatching(/^database app: replication into proj-dr-aurora connected, lag 0.9 s/),
      expect.stringMatching(/^database orders: replication into proj-dr-orders connected, lag 4 s/),
    ]);
  });

  it('sums the DB instances every database adds against the per-region quota', async () => {
    // Prepare: app adds 2, orders 1; 2 free.
    mocks.rds
      .on(DescribeAccountAttributesCommand)
      .resolves({ AccountQuotas: [{ AccountQuotaName: 'DBInstances', Used: 38, Max: 40 }] });
    // Act
    const [quotas] = await findings('quotas');
    // Assess
    expect(quotas?.status).toBe('FAIL');
    expect(quotas?.why).toBe(
      'RDS DBInstances quota leaves room for 2 instance(s) (38 of 40 used); a promotion adds 3 (app 2, orders 1)',
    );
  });

  it('is FAIL when the shared instances cannot hold every service’s promoted tasks, naming each', async () => {
    // Prepare: t3.large holds 4 tasks of 512 CPU units; 2 instances hold 8; the services want 4 + 3 + 2.
    const big = [serviceEntry('api', 4), serviceEntry('web', 3), serviceEntry('worker', 2)];
    givenServices(big);
    // Act
    const [capacity] = await findings('capacity-limits', { ...SEVERAL, services: big });
    // Assess
    expect(capacity?.status).toBe('FAIL');
    expect(capacity?.why).toMatch(
      /^2 instance\(s\) cannot hold every service's promoted tasks: service api: 4 task\(s\) of 512 CPU units \/ 1024 MiB \(4 per t3\.large, limited by CPU: 2048 units \/ 512\); service web: 3 task/,
    );
    expect(capacity?.fix).toMatch(/^raise regions\.dr\.capacity\.promotion\.minCapacity to 3,/);
  });
});

describe('readiness environment with several databases and services', () => {
  it('round-trips DATABASES and SERVICES in config order', () => {
    // Act
    const env = readinessEnvironment(SEVERAL);
    // Assess
    expect(readReadinessSettings(env)).toEqual(SEVERAL);
    expect(JSON.parse(env.SERVICES).map((s: ServiceResource) => s.name)).toEqual(['api', 'web', 'worker']);
  });

  it('writes only the fields the checks read, from the whole entries infra passes', () => {
    // Prepare: whole entries, as infra's readinessSettingsOf builds them.
    const whole: DatabaseResource = {
      ...DATABASE,
      clusterArn: clusterArn(DATABASE.clusterId),
      sourceClusterId: 'proj-main-aurora',
    };
    const wholeService: ServiceResource = {
      ...SERVICE,
      desiredCountParameter: '/proj/dr/capacity/app-desired-count',
      sourceEcsService: 'proj-main-app',
      sourceDesiredCountParameter: '/proj/main/capacity/app-desired-count',
    };
    // Act
    const env = readinessEnvironment({ ...SETTINGS, databases: [whole], services: [wholeService] });
    // Assess
    expect(JSON.parse(env.DATABASES)).toEqual([DATABASE]);
    expect(JSON.parse(env.SERVICES)).toEqual([SERVICE]);
    expect(env.DATABASES.length).toBeLessThan(databasesEnvironment([whole]).length);
    expect(env.SERVICES.length).toBeLessThan(servicesEnvironment([wholeService]).length);
    expect(readReadinessSettings(env)).toEqual(SETTINGS);
  });

  it('throws InvalidInputError naming SERVICES, the entry and the field that is malformed', () => {
    // Prepare: the second service has no image.
    const { image: _dropped, ...noImage } = serviceEntry('web', 1);
    const env = {
      ...readinessEnvironment(SEVERAL),
      SERVICES: JSON.stringify([serviceEntry('api', 2), noImage, serviceEntry('worker', 1)]),
    };
    // Act
    const act = () => readReadinessSettings(env);
    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow('environment variable SERVICES: SERVICES[1].image: expected string (missing)');
  });

  it('throws InvalidInputError naming DATABASES when an entry is malformed', () => {
    // Prepare
    const env = {
      ...readinessEnvironment(SEVERAL),
      DATABASES: JSON.stringify([DATABASE, { ...ORDERS, instanceCount: 0 }]),
    };
    // Act / Assess
    expect(() => readReadinessSettings(env)).toThrow(
      'environment variable DATABASES: DATABASES[1].instanceCount: expected >= 1, got 0',
    );
  });
});
