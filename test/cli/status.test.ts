import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from '../../infra/cli/run';
import { TransientAwsError } from '../../lambdas/shared/errors';
import { awsError } from '../lambdas/helpers';
import { DR_EXEC, DR_SM, fakeDns, MAIN_SM, makeDeps, NOW } from './helpers';

const sfnMock = mockClient(SFNClient);
const rdsMock = mockClient(RDSClient);
const cwMock = mockClient(CloudWatchClient);
const asgMock = mockClient(AutoScalingClient);
const ecsMock = mockClient(ECSClient);

const MAIN_CLUSTER = 'arn:aws:rds:us-east-1:111111111111:cluster:sonar-proj-1-main-aurora';
const DR_CLUSTER = 'arn:aws:rds:us-west-2:111111111111:cluster:sonar-proj-1-dr-aurora';

const NOT_READY_REASON =
  'Threshold Crossed: 1 out of the last 2 datapoints [0.0 (24/11/26 09:59:00)] was less than the threshold (1.0).';

const DLQ = 'sonar-proj-1-dr-failover-alarm-dlq';

/** DR's failover alarm fired and started the run; its probe reports; `deadLetters` wait in the queue. */
function arrangeDetection(deadLetters = 0): void {
  cwMock
    .on(DescribeAlarmsCommand, { AlarmNamePrefix: 'sonar-proj-1-dr-orchestrator-TriggerAlarm' })
    .resolves({
      MetricAlarms: [{ StateValue: 'ALARM', StateUpdatedTimestamp: new Date('2026-11-24T09:40:00Z') }],
    })
    .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-dr-probe-broken'] })
    .resolves({
      CompositeAlarms: [{ StateValue: 'OK', StateUpdatedTimestamp: new Date('2026-11-24T08:00:00Z') }],
    });
  cwMock
    .on(GetMetricDataCommand)
    .resolves({ MetricDataResults: [{ Id: 'visible', Values: deadLetters === 0 ? [] : [deadLetters] }] });
}

/** The state after a failover to DR: DR writes, claims traffic and runs at full capacity. */
function arrangeFailedOver(): void {
  rdsMock.on(DescribeGlobalClustersCommand).resolves({
    GlobalClusters: [
      {
        Status: 'available',
        GlobalClusterMembers: [
          { DBClusterArn: MAIN_CLUSTER, IsWriter: false },
          { DBClusterArn: DR_CLUSTER, IsWriter: true },
        ],
      },
    ],
  });
  cwMock
    .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-main-traffic-claim'] })
    .resolves({ MetricAlarms: [{ StateValue: 'ALARM' }] })
    .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-dr-traffic-claim'] })
    .resolves({ MetricAlarms: [{ StateValue: 'ALARM' }] })
    .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-main-not-ready'] })
    .resolves({
      MetricAlarms: [{ StateValue: 'OK', StateUpdatedTimestamp: new Date('2026-11-24T09:30:00Z') }],
    })
    .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-dr-not-ready'] })
    .resolves({
      MetricAlarms: [{ StateValue: 'ALARM', StateUpdatedTimestamp: NOW, StateReason: NOT_READY_REASON }],
    });
  arrangeDetection();
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'sonar-proj-1-dr-ecs-asg',
        DesiredCapacity: 3,
        MinSize: 3,
        MaxSize: 3,
        DefaultCooldown: 0,
        AvailabilityZones: [],
        HealthCheckType: 'EC2',
        CreatedTime: NOW,
        Instances: [
          {
            LifecycleState: 'InService',
            InstanceId: 'i-1',
            AvailabilityZone: 'a',
            HealthStatus: 'Healthy',
            ProtectedFromScaleIn: false,
          },
          {
            LifecycleState: 'Pending',
            InstanceId: 'i-2',
            AvailabilityZone: 'a',
            HealthStatus: 'Healthy',
            ProtectedFromScaleIn: false,
          },
        ],
      },
    ],
  });
  ecsMock
    .on(DescribeServicesCommand)
    .resolves({ services: [{ serviceName: 'sonar-proj-1-dr-app', desiredCount: 3, runningCount: 2 }] });
  sfnMock
    .on(ListExecutionsCommand, { stateMachineArn: MAIN_SM })
    .resolves({ executions: [] })
    .on(ListExecutionsCommand, { stateMachineArn: DR_SM })
    .resolves({
      executions: [
        {
          executionArn: DR_EXEC,
          stateMachineArn: DR_SM,
          name: 'drill',
          status: 'RUNNING',
          startDate: new Date(NOW.getTime() - 125_000),
        },
      ],
    });
  sfnMock.on(GetExecutionHistoryCommand).resolves({
    events: [
      { id: 9, type: 'WaitStateEntered', timestamp: NOW, stateEnteredEventDetails: { name: 'FlipDnsWait' } },
      { id: 8, type: 'TaskStateEntered', timestamp: NOW, stateEnteredEventDetails: { name: 'FlipDnsCheck' } },
    ],
  });
}

const DNS = fakeDns({
  'app.example.com': ['10.20.0.1', '10.20.0.2'],
  'main.app.example.com': ['10.10.0.1'],
  'dr.app.example.com': ['10.20.0.2', '10.20.0.3'],
});

describe('status', () => {
  beforeEach(() => {
    for (const m of [sfnMock, rdsMock, cwMock, asgMock, ecsMock]) m.reset();
  });

  it('shows both regions at a glance', async () => {
    // Prepare
    arrangeFailedOver();
    const { deps, out, err, profiles } = makeDeps({ dnsFor: () => DNS });
    // Act
    const code = await runCli(['status', '--profile', 'ops'], deps);
    // Assess
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toEqual([
      'project sonar-proj-1: main us-east-1, dr us-west-2',
      'database app: global cluster sonar-proj-1-global',
      '  seen from main (us-east-1) writer dr, global status available',
      '  seen from dr (us-west-2)   writer dr, global status available',
      'traffic:',
      '  app.example.com answers dr (10.20.0.1, 10.20.0.2)',
      '  main claim ALARM: main does not claim traffic',
      '  dr claim  ALARM: dr claims traffic',
      'dr capacity: dr (us-west-2)',
      '  ASG sonar-proj-1-dr-ecs-asg: 3 desired, 1 in service',
      '  ECS app (sonar-proj-1-dr-app): 3 desired, 2 running',
      'readiness:',
      '  main (us-east-1) ready since 2026-11-24 09:30:00',
      `  dr (us-west-2)   NOT READY since 2026-11-24 10:00:00: ${NOT_READY_REASON} (details: npm run readiness -- --region dr)`,
      'detection: the alarm that starts dr (us-west-2)',
      '  failover alarm ALARM since 2026-11-24 09:40:00: main is failing, a failover was started',
      '  probe          reporting since 2026-11-24 08:00:00',
      '  dead letters   0 in sonar-proj-1-dr-failover-alarm-dlq',
      'executions:',
      '  main (us-east-1) no executions',
      '  dr (us-west-2)   RUNNING drill started 2026-11-24 09:57:55, running for 2m05s, current step FlipDns',
    ]);
    expect(new Set(profiles)).toEqual(new Set(['ops']));
    expect(rdsMock).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: 'sonar-proj-1-global',
    });
    expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, {
      cluster: 'sonar-proj-1-dr-cluster',
      services: ['sonar-proj-1-dr-app'],
    });
  });

  it('shows every database and every service of a project with several (shop.yml)', async () => {
    // Prepare: orders is failing over to DR; admin's service is not deployed.
    const cluster = (region: string, id: string) => `arn:aws:rds:${region}:222222222222:cluster:${id}`;
    rdsMock
      .on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: 'shop-global' })
      .resolves({
        GlobalClusters: [
          {
            Status: 'available',
            GlobalClusterMembers: [
              { DBClusterArn: cluster('eu-west-1', 'shop-main-aurora'), IsWriter: true },
              { DBClusterArn: cluster('eu-central-1', 'shop-dr-aurora'), IsWriter: false },
            ],
          },
        ],
      })
      .on(DescribeGlobalClustersCommand, { GlobalClusterIdentifier: 'shop-global-orders' })
      .resolves({
        GlobalClusters: [
          {
            Status: 'failing-over',
            FailoverState: {
              Status: 'failing-over',
              ToDbClusterArn: cluster('eu-central-1', 'shop-dr-aurora-orders'),
            },
            GlobalClusterMembers: [
              { DBClusterArn: cluster('eu-west-1', 'shop-main-aurora-orders'), IsWriter: true },
              { DBClusterArn: cluster('eu-central-1', 'shop-dr-aurora-orders'), IsWriter: false },
            ],
          },
        ],
      });
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ StateValue: 'OK' }] });
    asgMock.on(DescribeAutoScalingGroupsCommand).resolves({});
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        { serviceName: 'shop-dr-app-api', desiredCount: 2, runningCount: 1 },
        { serviceName: 'shop-dr-app', desiredCount: 3, runningCount: 3 },
      ],
    });
    sfnMock.on(ListExecutionsCommand).resolves({ executions: [] });
    const { deps, out, err } = makeDeps();
    // Act
    const code = await runCli(['status', '--project', 'shop'], deps);
    // Assess
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const section = (first: string, next: string) => out.slice(out.indexOf(first), out.indexOf(next));
    expect(section('database app: global cluster shop-global', 'traffic:')).toEqual([
      'database app: global cluster shop-global',
      '  seen from main (eu-west-1) writer main, global status available',
      '  seen from dr (eu-central-1) writer main, global status available',
      'database orders: global cluster shop-global-orders',
      `  seen from main (eu-west-1) writer main, global status failing-over, failing-over to ${cluster('eu-central-1', 'shop-dr-aurora-orders')}`,
      `  seen from dr (eu-central-1) writer main, global status failing-over, failing-over to ${cluster('eu-central-1', 'shop-dr-aurora-orders')}`,
    ]);
    expect(section('traffic:', 'dr capacity: dr (eu-central-1)')).toEqual([
      'traffic:',
      '  www.shop.example.com answers nothing',
      '  api.shop.example.com answers nothing',
      '  admin.shop.example.com answers nothing',
      '  main claim OK: main claims traffic',
      '  dr claim  OK: dr does not claim traffic',
    ]);
    expect(section('dr capacity: dr (eu-central-1)', 'readiness:')).toEqual([
      'dr capacity: dr (eu-central-1)',
      '  ASG shop-dr-ecs-asg: not found',
      '  ECS web (shop-dr-app): 3 desired, 3 running',
      '  ECS api (shop-dr-app-api): 2 desired, 1 running',
      '  ECS admin (shop-dr-app-admin): not found',
    ]);
    expect(rdsMock).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: 'shop-global-orders',
    });
    expect(ecsMock).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
    expect(ecsMock).toHaveReceivedCommandWith(DescribeServicesCommand, {
      cluster: 'shop-dr-cluster',
      services: ['shop-dr-app', 'shop-dr-app-api', 'shop-dr-app-admin'],
    });
  });

  it('shows the dead letters of the rule that starts the failover, why they matter and the command to start it', async () => {
    // Prepare
    arrangeFailedOver();
    arrangeDetection(1);
    cwMock
      .on(DescribeAlarmsCommand, { AlarmNames: ['sonar-proj-1-dr-probe-broken'] })
      .resolves({ CompositeAlarms: [{ StateValue: 'ALARM', StateUpdatedTimestamp: NOW }] });
    const { deps, out } = makeDeps({ dnsFor: () => DNS });
    // Act
    await runCli(['status'], deps);
    // Assess
    const section = out.slice(
      out.indexOf('detection: the alarm that starts dr (us-west-2)'),
      out.indexOf('executions:'),
    );
    expect(section).toEqual([
      'detection: the alarm that starts dr (us-west-2)',
      '  failover alarm ALARM since 2026-11-24 09:40:00: main is failing, a failover was started',
      "  probe          BROKEN OR BLIND since 2026-11-24 10:00:00: it cannot tell whether main is down and starts nothing; check main yourself, and the probe function's logs",
      `  dead letters   1 in ${DLQ}: the failover alarm fired but the state machine did not start (the message's ERROR_CODE and ERROR_MESSAGE say why). Start it: npm run failover -- start --region dr --mode auto --reason "the alarm's start was lost" --follow; then delete the message`,
    ]);
    expect(cwMock).toHaveReceivedCommandWith(GetMetricDataCommand, {
      MetricDataQueries: [
        expect.objectContaining({
          MetricStat: expect.objectContaining({
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateNumberOfMessagesVisible',
              Dimensions: [{ Name: 'QueueName', Value: DLQ }],
            },
          }),
        }),
      ],
    });
  });

  it('says unreachable for a region that does not answer, and answers for the other', async () => {
    // Prepare
    arrangeFailedOver();
    const down = awsError('TimeoutError', 'connect timed out\n after 3000 ms', 500);
    const { deps, out } = makeDeps({
      dnsFor: () => fakeDns({}, new TransientAwsError('DNS NS lookup failed')),
    });
    rdsMock.on(DescribeGlobalClustersCommand).callsFake(async (_input, getClient) => {
      if ((await getClient().config.region()) === 'us-east-1') throw down;
      return {
        GlobalClusters: [
          {
            Status: 'failing-over',
            FailoverState: { Status: 'switching-over', ToDbClusterArn: DR_CLUSTER },
            GlobalClusterMembers: [],
          },
        ],
      };
    });
    cwMock.on(DescribeAlarmsCommand).rejects(down);
    sfnMock.on(ListExecutionsCommand, { stateMachineArn: MAIN_SM }).rejects(down);
    // Act
    const code = await runCli(['status'], deps);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual(
      expect.arrayContaining([
        `  seen from dr (us-west-2)   writer none, global status failing-over, switching-over to ${DR_CLUSTER}`,
        '  app.example.com unresolved (TransientAwsError: DNS NS lookup failed)',
        '  main claim unreachable (TimeoutError: connect timed out after 3000 ms) (main (us-east-1))',
        '  dr (us-west-2)   unreachable (TimeoutError: connect timed out after 3000 ms)',
        '  main (us-east-1) unreachable (TimeoutError: connect timed out after 3000 ms)',
      ]),
    );
  });

  it('says what is missing: no global cluster, alarm, ASG, service or answer', async () => {
    // Prepare
    rdsMock.on(DescribeGlobalClustersCommand).resolves({});
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    asgMock.on(DescribeAutoScalingGroupsCommand).resolves({});
    ecsMock.on(DescribeServicesCommand).resolves({});
    sfnMock.on(ListExecutionsCommand).resolves({});
    const { deps, out } = makeDeps();
    // Act
    await runCli(['status'], deps);
    // Assess
    expect(out).toEqual(
      expect.arrayContaining([
        '  seen from main (us-east-1) no global cluster',
        '  app.example.com answers nothing',
        '  main claim no alarm sonar-proj-1-main-traffic-claim in us-east-1',
        '  dr (us-west-2)   no alarm sonar-proj-1-dr-not-ready (orchestrator not deployed?)',
        '  ASG sonar-proj-1-dr-ecs-asg: not found',
        '  ECS app (sonar-proj-1-dr-app): not found',
        '  dr (us-west-2)   no executions',
      ]),
    );
  });

  it('reads no data, a last step, and an answer of neither region', async () => {
    // Prepare
    arrangeFailedOver();
    cwMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ StateValue: 'INSUFFICIENT_DATA' }] });
    sfnMock.on(ListExecutionsCommand, { stateMachineArn: DR_SM }).resolves({
      executions: [
        {
          executionArn: DR_EXEC,
          stateMachineArn: DR_SM,
          name: 'drill',
          status: 'FAILED',
          startDate: NOW,
          stopDate: new Date(NOW.getTime() + 60_000),
        },
      ],
    });
    sfnMock.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 3,
          type: 'PassStateEntered',
          timestamp: NOW,
          stateEnteredEventDetails: { name: 'FailoverFailed' },
        },
        {
          id: 2,
          type: 'TaskStateEntered',
          timestamp: NOW,
          stateEnteredEventDetails: { name: 'ScaleDatabase' },
        },
      ],
    });
    const { deps, out } = makeDeps({ dnsFor: () => fakeDns({ 'app.example.com': ['192.0.2.1'] }) });
    // Act
    await runCli(['status'], deps);
    // Assess
    expect(out).toEqual(
      expect.arrayContaining([
        '  app.example.com answers neither region (192.0.2.1)',
        '  dr claim  INSUFFICIENT_DATA: no data',
        '  main (us-east-1) not evaluated: no readiness evaluation reported (not run yet, or the evaluator is silent)',
        '  dr (us-west-2)   FAILED drill started 2026-11-24 10:00:00, took 1m00s, last step ScaleDatabase',
      ]),
    );
  });

  it('says in one line how to sign in when the credentials are refused, and nothing else', async () => {
    // Prepare
    const expired = awsError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    );
    sfnMock.onAnyCommand().rejects(expired);
    rdsMock.onAnyCommand().rejects(expired);
    cwMock.onAnyCommand().rejects(expired);
    asgMock.onAnyCommand().rejects(expired);
    ecsMock.onAnyCommand().rejects(expired);
    const { deps, out, err } = makeDeps();
    // Act
    const code = await runCli(['status', '--profile', 'ops'], deps);
    // Assess
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'error: no usable AWS credentials for account 111111111111 (ExpiredTokenException: The security token included in the request is expired): ' +
        'sign in with aws sso login --profile ops and run the same command again',
    ]);
  });
});
