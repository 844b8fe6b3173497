import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  CreateDBInstanceCommand,
  type CreateDBInstanceCommandInput,
  FailoverGlobalClusterCommand,
  type FailoverGlobalClusterCommandInput,
  RDSClient,
  SwitchoverGlobalClusterCommand,
  type SwitchoverGlobalClusterCommandInput,
} from '@aws-sdk/client-rds';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { misdirectedCalls } from '../../drill/sim/calls';
import {
  appDatabase,
  appService,
  config,
  DR,
  HOSTNAME,
  inSimulation,
  MAIN,
  makeWorld,
  names,
  rejectionOf,
} from './sim-helpers';

/**
 * The simulator refuses what AWS refuses for the calls the Lambdas make: missing required parameters,
 * an identifier where the API wants an ARN, values out of range. Each answer is the error its API
 * reference (or the Common Errors page) names, with its HTTP status.
 */

const dr = names.regions.dr;
const drDb = appDatabase(dr);
const drService = appService(dr);
const rdsDr = new RDSClient({ region: DR });
const rdsMain = new RDSClient({ region: MAIN });

type Failure = Awaited<ReturnType<typeof rejectionOf>>;

function nameAndStatus(err: Failure): [string, number | undefined] {
  return [err.name, err.$metadata?.httpStatusCode];
}

describe('simulated RDS refuses', () => {
  const create: CreateDBInstanceCommandInput = {
    DBInstanceIdentifier: 'drill-instance-1',
    DBClusterIdentifier: drDb.dbClusterIdentifier,
    DBInstanceClass: 'db.r6g.large',
    Engine: 'aurora-postgresql',
  };

  it.each([
    ['DBInstanceIdentifier', { ...create, DBInstanceIdentifier: undefined }],
    ['DBInstanceClass', { ...create, DBInstanceClass: undefined }],
    ['Engine', { ...create, Engine: undefined }],
    ['DBClusterIdentifier', { ...create, DBClusterIdentifier: undefined }],
  ])('CreateDBInstance without %s: MissingParameter (400)', async (missing, input) => {
    // Act
    const err = await inSimulation(makeWorld(), () =>
      rejectionOf(rdsDr.send(new CreateDBInstanceCommand(input))),
    );

    // Assess
    expect(nameAndStatus(err)).toEqual(['MissingParameter', 400]);
    expect(err.message).toContain(missing);
  });

  it.each([
    ['an identifier starting with a digit', { ...create, DBInstanceIdentifier: '1-instance' }],
    ['two consecutive hyphens', { ...create, DBInstanceIdentifier: 'drill--1' }],
    ['a trailing hyphen', { ...create, DBInstanceIdentifier: 'drill-' }],
    ['64 characters', { ...create, DBInstanceIdentifier: `d${'x'.repeat(63)}` }],
    ['a class without db.', { ...create, DBInstanceClass: 'r6g.large' }],
  ])('CreateDBInstance with %s: InvalidParameterValue (400)', async (_what, input) => {
    // Act
    const err = await inSimulation(makeWorld(), () =>
      rejectionOf(rdsDr.send(new CreateDBInstanceCommand(input))),
    );

    // Assess
    expect(nameAndStatus(err)).toEqual(['InvalidParameterValue', 400]);
  });

  it.each([
    [
      'SwitchoverGlobalCluster',
      (t: string) =>
        new SwitchoverGlobalClusterCommand({
          GlobalClusterIdentifier: drDb.globalClusterIdentifier,
          TargetDbClusterIdentifier: t,
        }),
    ],
    [
      'FailoverGlobalCluster',
      (t: string) =>
        new FailoverGlobalClusterCommand({
          GlobalClusterIdentifier: drDb.globalClusterIdentifier,
          TargetDbClusterIdentifier: t,
          AllowDataLoss: true,
        }),
    ],
  ] as const)(
    '%s with a cluster identifier instead of its ARN: DBClusterNotFoundFault naming the region',
    async (_name, command) => {
      // Prepare
      const world = makeWorld();

      // Act
      const err = await inSimulation(world, () => rejectionOf(rdsDr.send(command(drDb.dbClusterIdentifier))));

      // Assess
      expect(nameAndStatus(err)).toEqual(['DBClusterNotFoundFault', 404]);
      expect(err.message).toContain(DR);
      expect(err.message).toContain('ARN');
      expect(world.rds.operations).toEqual([]);
    },
  );

  it('a promotion without GlobalClusterIdentifier or TargetDbClusterIdentifier: MissingParameter', async () => {
    // Act
    const [noGlobal, noTarget] = await inSimulation(makeWorld(), async () => [
      await rejectionOf(
        rdsMain.send(
          new SwitchoverGlobalClusterCommand({
            TargetDbClusterIdentifier: drDb.dbClusterArn,
          } as SwitchoverGlobalClusterCommandInput),
        ),
      ),
      await rejectionOf(
        rdsDr.send(
          new FailoverGlobalClusterCommand({
            GlobalClusterIdentifier: drDb.globalClusterIdentifier,
            AllowDataLoss: true,
          } as FailoverGlobalClusterCommandInput),
        ),
      ),
    ]);

    // Assess
    expect([noGlobal?.name, noTarget?.name]).toEqual(['MissingParameter', 'MissingParameter']);
  });

  it('records where a promotion was sent against where the Aurora guide sends it', async () => {
    // Prepare
    const world = makeWorld();
    const target = {
      GlobalClusterIdentifier: drDb.globalClusterIdentifier,
      TargetDbClusterIdentifier: drDb.dbClusterArn,
    };

    // Act: a failover sent to the primary's region, a switchover sent to the target's (both refused:
    // the headless cluster has no instance, but the request reached RDS where it was sent).
    await inSimulation(world, async () => {
      await rejectionOf(rdsMain.send(new FailoverGlobalClusterCommand({ ...target, AllowDataLoss: true })));
      await rejectionOf(rdsDr.send(new SwitchoverGlobalClusterCommand(target)));
    });

    // Assess
    expect(world.calls.map((c) => [c.command, c.region, c.documentedRegion])).toEqual([
      ['FailoverGlobalCluster', MAIN, DR],
      ['SwitchoverGlobalCluster', DR, MAIN],
    ]);
    expect(misdirectedCalls(world.calls)).toHaveLength(2);
  });
});

describe('simulated Auto Scaling and ECS refuse', () => {
  const autoScaling = new AutoScalingClient({ region: DR });
  const ecs = new ECSClient({ region: DR });

  it.each([
    ['no group name', { MinSize: 3 }, 'autoScalingGroupName'],
    ['a negative MinSize', { AutoScalingGroupName: dr.asgName, MinSize: -1 }, 'minSize'],
    [
      'a negative DesiredCapacity',
      { AutoScalingGroupName: dr.asgName, DesiredCapacity: -2 },
      'desiredCapacity',
    ],
    ['MinSize above MaxSize', { AutoScalingGroupName: dr.asgName, MinSize: 4, MaxSize: 3 }, 'min bound, 4'],
  ])('UpdateAutoScalingGroup with %s: ValidationError (400)', async (_what, input, mention) => {
    // Prepare
    const world = makeWorld();

    // Act
    const err = await inSimulation(world, () =>
      rejectionOf(
        autoScaling.send(new UpdateAutoScalingGroupCommand(input as UpdateAutoScalingGroupCommandInput)),
      ),
    );

    // Assess
    expect(nameAndStatus(err)).toEqual(['ValidationError', 400]);
    expect(err.message).toContain(mention);
    expect(world.autoscaling.ofRole('dr')?.updates).toEqual([]);
  });

  it('DescribeAutoScalingGroups with MaxRecords above 100: ValidationError', async () => {
    // Act
    const err = await inSimulation(makeWorld(), () =>
      rejectionOf(autoScaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 }))),
    );

    // Assess
    expect(err.name).toBe('ValidationError');
  });

  it.each([
    [
      'UpdateService without a service',
      () => new UpdateServiceCommand({ cluster: dr.ecsClusterName, service: undefined, desiredCount: 3 }),
    ],
    [
      'UpdateService with a negative desiredCount',
      () =>
        new UpdateServiceCommand({
          cluster: dr.ecsClusterName,
          service: drService.ecsServiceName,
          desiredCount: -1,
        }),
    ],
    [
      'DescribeServices without services',
      () => new DescribeServicesCommand({ cluster: dr.ecsClusterName, services: [] }),
    ],
    [
      'DescribeServices with 11 services',
      () =>
        new DescribeServicesCommand({
          cluster: dr.ecsClusterName,
          services: Array(11).fill(drService.ecsServiceName),
        }),
    ],
  ] as const)('%s: InvalidParameterException', async (_what, command) => {
    // Act
    const err = await inSimulation(makeWorld(), () =>
      rejectionOf(ecs.send(command() as UpdateServiceCommand)),
    );

    // Assess
    expect(err.name).toBe('InvalidParameterException');
  });
});

describe('simulated Route 53, SNS and Step Functions refuse', () => {
  const route53 = new Route53Client({ region: DR });
  const zone = config.dns.hostedZoneId;
  const alias = { HostedZoneId: zone, DNSName: `${dr.regionalRecordName}.`, EvaluateTargetHealth: false };

  it.each([
    [
      'an alias without EvaluateTargetHealth',
      { AliasTarget: { HostedZoneId: zone, DNSName: `${dr.regionalRecordName}.` } },
    ],
    ['an alias with a TTL', { AliasTarget: alias, TTL: 60 }],
    ['no alias and no records', {}],
  ])('ChangeResourceRecordSets with %s: InvalidChangeBatch', async (_what, shape) => {
    // Prepare
    const world = makeWorld();
    const before = world.dnsAnswers();

    // Act
    const err = await inSimulation(world, () =>
      rejectionOf(
        route53.send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zone,
            ChangeBatch: {
              Changes: [
                {
                  Action: 'UPSERT',
                  ResourceRecordSet: { Name: HOSTNAME, Type: 'A', ...(shape as object) },
                },
              ],
            },
          }),
        ),
      ),
    );

    // Assess
    expect(err.name).toBe('InvalidChangeBatch');
    expect(world.dnsAnswers()).toEqual(before);
  });

  it('ChangeResourceRecordSets without a ChangeBatch, GetChange without an Id: InvalidInput', async () => {
    // Act
    const [noBatch, noId] = await inSimulation(makeWorld(), async () => [
      await rejectionOf(
        route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: undefined })),
      ),
      await rejectionOf(route53.send(new GetChangeCommand({ Id: undefined }))),
    ]);

    // Assess
    expect([noBatch?.name, noId?.name]).toEqual(['InvalidInput', 'InvalidInput']);
  });

  it.each([
    ['a subject with a line break', { Subject: 'failed\nagain' }],
    ['a subject of 100 characters', { Subject: 'x'.repeat(100) }],
    ['a non-ASCII subject', { Subject: 'Failover — failed' }],
    [
      'an attribute without a value',
      { MessageAttributes: { outcome: { DataType: 'String', StringValue: '' } } },
    ],
  ])('Publish with %s: InvalidParameterException', async (_what, extra) => {
    // Prepare
    const world = makeWorld();
    const topic = `arn:aws:sns:${DR}:${dr.account}:topic`;

    // Act
    const err = await inSimulation(world, () =>
      rejectionOf(
        new SNSClient({ region: DR }).send(new PublishCommand({ TopicArn: topic, Message: 'm', ...extra })),
      ),
    );

    // Assess
    expect(err.name).toBe('InvalidParameterException');
    expect(world.sns.published).toEqual([]);
  });

  it('ListExecutions with maxResults above 1000 or a token it did not issue: ValidationException, InvalidToken', async () => {
    // Prepare
    const sfn = new SFNClient({ region: DR });
    const stateMachineArn = dr.stateMachineArn;

    // Act
    const [tooMany, badToken] = await inSimulation(makeWorld(), async () => [
      await rejectionOf(sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1001 }))),
      await rejectionOf(sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken: 'not-a-token' }))),
    ]);

    // Assess
    expect([tooMany?.name, badToken?.name]).toEqual(['ValidationException', 'InvalidToken']);
  });
});
