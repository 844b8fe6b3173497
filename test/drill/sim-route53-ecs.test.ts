import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { applyFaults, parseFault } from '../../drill/faults/catalog';
import { snsPublishIntegration } from '../../drill/runner/sns-integration';
import {
  appService,
  config,
  DR,
  HOSTNAME,
  inSimulation,
  makeWorld,
  names,
  rejectionOf,
  sleep,
} from './sim-helpers';

const dr = names.regions.dr;
const drService = appService(dr);
const zone = config.dns.hostedZoneId;
const route53 = new Route53Client({ region: DR });

function upsert(target: string) {
  return new ChangeResourceRecordSetsCommand({
    HostedZoneId: zone,
    ChangeBatch: {
      Changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: {
            Name: HOSTNAME,
            Type: 'A',
            AliasTarget: { HostedZoneId: zone, DNSName: target, EvaluateTargetHealth: false },
          },
        },
      ],
    },
  });
}

describe('simulated Route 53', () => {
  it('lists records from the requested name: the application name is the failover pair of the DNS stack, by set identifier', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const out = await inSimulation(world, () =>
      route53.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: zone,
          StartRecordName: HOSTNAME,
          StartRecordType: 'A',
          MaxItems: 1,
        }),
      ),
    );

    // Assess
    expect(out.ResourceRecordSets).toEqual([
      {
        Name: `${HOSTNAME}.`,
        Type: 'A',
        SetIdentifier: 'dr',
        Failover: 'SECONDARY',
        AliasTarget: {
          HostedZoneId: zone,
          DNSName: `${dr.regionalRecordName}.`,
          EvaluateTargetHealth: false,
        },
      },
    ]);
    expect(out.IsTruncated).toBe(true);
    expect(out.NextRecordIdentifier).toBe('main');
  });

  it('applies an UPSERT at once and reports the change PENDING until it has propagated (INSYNC)', async () => {
    // Prepare
    const world = makeWorld({ route53PropagationSeconds: 60 });

    // Act
    const statuses = await inSimulation(world, async () => {
      const change = await route53.send(upsert(dr.regionalRecordName));
      const id = change.ChangeInfo?.Id ?? '';
      const seen = [change.ChangeInfo?.Status];
      await sleep(30);
      seen.push((await route53.send(new GetChangeCommand({ Id: id }))).ChangeInfo?.Status);
      await sleep(31);
      seen.push(
        (await route53.send(new GetChangeCommand({ Id: id.replace('/change/', '') }))).ChangeInfo?.Status,
      );
      return seen;
    });

    // Assess
    expect(statuses).toEqual(['PENDING', 'PENDING', 'INSYNC']);
    // The failover pair answers the name, by health checks: a plain record changes nothing.
    expect(world.dnsRole()).toBe('main');
  });

  it('answers PriorRequestNotComplete to a change while the previous one is still being processed', async () => {
    // Prepare
    const world = makeWorld({ route53ChangeProcessingSeconds: 2 });

    // Act
    const [busy, later] = await inSimulation(world, async () => {
      await route53.send(upsert(dr.regionalRecordName));
      const err = await rejectionOf(route53.send(upsert(names.regions.main.regionalRecordName)));
      await sleep(2);
      return [err, await route53.send(upsert(names.regions.main.regionalRecordName))];
    });

    // Assess
    expect((busy as Error).name).toBe('PriorRequestNotComplete');
    expect((busy as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    expect((later as { ChangeInfo?: { Status?: string } }).ChangeInfo?.Status).toBe('PENDING');
  });

  it('rejects an alias to a record that does not exist (InvalidChangeBatch) and an unknown zone (NoSuchHostedZone)', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const [batch, zoneErr] = await inSimulation(world, async () => [
      await rejectionOf(route53.send(upsert(`nowhere.${config.dns.zoneName}`))),
      await rejectionOf(route53.send(new GetChangeCommand({ Id: 'CNOPE' }))),
    ]);

    // Assess
    expect(batch.name).toBe('InvalidChangeBatch');
    expect(batch.message).toContain('but that target was not found');
    expect(zoneErr.name).toBe('NoSuchChange');
  });

  it('fails with a network error while the us-east-1 control plane is down, whatever the client region', async () => {
    // Prepare
    const world = makeWorld({ unreachableTimeoutSeconds: 5 });
    world.outages.route53 = { from: 0, until: 60 };

    // Act
    const [down, up] = await inSimulation(world, async () => {
      const err = await rejectionOf(route53.send(upsert(dr.regionalRecordName)));
      await sleep(60);
      return [err, await route53.send(upsert(dr.regionalRecordName))];
    });

    // Assess
    expect((down as { code?: string }).code).toBe('ETIMEDOUT');
    expect((up as { ChangeInfo?: { Status?: string } }).ChangeInfo?.Status).toBe('PENDING');
    expect(world.calls.map((c) => c.region)).toEqual(['us-east-1', 'us-east-1']);
  });
});

describe('simulated ASG + ECS', () => {
  const asg = new AutoScalingClient({ region: DR });
  const ecs = new ECSClient({ region: DR });

  it('launches instances Pending → InService, registers them, then starts tasks: running rises only with capacity', async () => {
    // Prepare
    const world = makeWorld({
      asgInstanceLaunchSeconds: 120,
      ecsInstanceRegistrationSeconds: 60,
      taskStartSeconds: 120,
    });

    // Act
    const samples = await inSimulation(world, async () => {
      await ecs.send(
        new UpdateServiceCommand({
          cluster: dr.ecsClusterName,
          service: drService.ecsServiceName,
          desiredCount: 3,
        }),
      );
      await asg.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: dr.asgName,
          MinSize: 3,
          DesiredCapacity: 3,
          MaxSize: 3,
        }),
      );
      const seen: string[] = [];
      for (const at of [10, 130, 250, 310]) {
        await sleep(at - world.clock.now());
        const g = (
          await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [dr.asgName] }))
        ).AutoScalingGroups?.[0];
        const s = (
          await ecs.send(
            new DescribeServicesCommand({ cluster: dr.ecsClusterName, services: [drService.ecsServiceName] }),
          )
        ).services?.[0];
        const inService = (g?.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length;
        seen.push(
          `${at}s: ${inService} InService, ${s?.runningCount}/${s?.desiredCount} running, ${s?.deployments?.length} deployment`,
        );
      }
      return seen;
    });

    // Assess
    expect(samples).toEqual([
      '10s: 0 InService, 0/3 running, 1 deployment',
      '130s: 3 InService, 0/3 running, 1 deployment',
      '250s: 3 InService, 0/3 running, 1 deployment',
      '310s: 3 InService, 3/3 running, 1 deployment',
    ]);
  });

  it('refuses a desired capacity outside [min, max] with ValidationError', async () => {
    // Prepare
    const world = makeWorld();

    // Act
    const err = await inSimulation(world, () =>
      rejectionOf(
        asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: dr.asgName, DesiredCapacity: 9 })),
      ),
    );

    // Assess
    expect(err.name).toBe('ValidationError');
    expect(err.message).toContain(
      'Desired capacity:9 must be between the specified min size:0 and max size:3',
    );
  });

  it('keeps tasks from ever running when they fail health checks', async () => {
    // Prepare
    const world = makeWorld({
      asgInstanceLaunchSeconds: 10,
      ecsInstanceRegistrationSeconds: 10,
      taskStartSeconds: 30,
    });
    applyFaults(world, [parseFault('ecs-unhealthy')]);

    // Act
    const s = await inSimulation(world, async () => {
      await asg.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: dr.asgName,
          MinSize: 3,
          DesiredCapacity: 3,
        }),
      );
      await ecs.send(
        new UpdateServiceCommand({
          cluster: dr.ecsClusterName,
          service: drService.ecsServiceName,
          desiredCount: 3,
        }),
      );
      await sleep(600);
      return (
        await ecs.send(
          new DescribeServicesCommand({ cluster: dr.ecsClusterName, services: [drService.ecsServiceName] }),
        )
      ).services?.[0];
    });

    // Assess
    expect(s?.runningCount).toBe(0);
    expect(s?.deployments?.[0]?.failedTasks).toBeGreaterThan(3);
    expect(s?.events?.[0]?.message).toMatch(/failed container health checks/);
  });
});

describe('simulated SFN and SNS', () => {
  it('lists executions of the state machine from the drill records, newest first', async () => {
    // Prepare
    const world = makeWorld();
    for (const [name, status, start] of [
      ['a', 'SUCCEEDED', -3600],
      ['b', 'RUNNING', -10],
    ] as const) {
      world.sfn.executions.set(`${dr.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, {
        executionArn: `${dr.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
        stateMachineArn: dr.stateMachineArn,
        name,
        status,
        startDate: start,
        input: '{}',
      });
    }
    const sfn = new SFNClient({ region: DR });

    // Act
    const [all, running, wrong] = await inSimulation(world, async () => [
      await sfn.send(new ListExecutionsCommand({ stateMachineArn: dr.stateMachineArn })),
      await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: dr.stateMachineArn, statusFilter: 'RUNNING' }),
      ),
      await rejectionOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: `${dr.stateMachineArn}x` }))),
    ]);

    // Assess
    expect((all as { executions: { name: string }[] }).executions.map((e) => e.name)).toEqual(['b', 'a']);
    expect((running as { executions: { name: string }[] }).executions.map((e) => e.name)).toEqual(['b']);
    expect((wrong as Error).name).toBe('StateMachineDoesNotExist');
  });

  it('records SNS publishes to known topics and refuses unknown ones', async () => {
    // Prepare
    const world = makeWorld();
    const sns = new SNSClient({ region: DR });
    const topic = `arn:aws:sns:${DR}:${dr.account}:topic`;

    // Act
    const err = await inSimulation(world, async () => {
      await sns.send(new PublishCommand({ TopicArn: topic, Subject: 's', Message: '{"ok":true}' }));
      return rejectionOf(sns.send(new PublishCommand({ TopicArn: `${topic}-nope`, Message: 'x' })));
    });

    // Assess
    expect(world.sns.published).toMatchObject([{ topicArn: topic, subject: 's', message: '{"ok":true}' }]);
    expect(err.name).toBe('NotFoundException');
  });

  it("answers the state machine's sns:publish integration, naming service errors SNS.<code>", async () => {
    // Prepare
    const world = makeWorld();
    const topic = `arn:aws:sns:${DR}:${dr.account}:topic`;
    const publish = snsPublishIntegration(DR);
    const executionArn = dr.stateMachineArn.replace(':stateMachine:', ':execution:');

    // Act
    const [sent, refused] = await inSimulation(world, async () => [
      await publish('Notify', `${executionArn}:a`)({ TopicArn: topic, Message: 'done' }),
      await rejectionOf(publish('Notify', `${executionArn}:b`)({ TopicArn: `${topic}-nope`, Message: 'x' })),
    ]);

    // Assess
    expect(sent).toEqual({ MessageId: expect.any(String) });
    expect((refused as Error).name).toBe('SNS.NotFoundException');
    expect(world.sns.published).toMatchObject([
      { state: 'Notify', execution: `${executionArn}:a`, message: 'done' },
    ]);
  });
});

describe('simulated CloudWatch', () => {
  it('records metric data by region and namespace', async () => {
    // Prepare
    const world = makeWorld();
    const cloudwatch = new CloudWatchClient({ region: DR });

    // Act
    await inSimulation(world, () =>
      cloudwatch.send(
        new PutMetricDataCommand({ Namespace: 'PilotLight', MetricData: [{ MetricName: 'up', Value: 1 }] }),
      ),
    );

    // Assess
    expect(world.cloudwatch.metrics).toMatchObject([{ region: DR, namespace: 'PilotLight', count: 1 }]);
  });
});
