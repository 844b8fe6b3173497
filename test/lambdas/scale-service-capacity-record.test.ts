import {
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  GetParameterCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  TooManyUpdates,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { scaleService } from '../../lambdas/scale-service/scale-service';
import type { ScaleServiceSettings } from '../../lambdas/scale-service/settings';
import type { StepEvent } from '../../lambdas/shared/contracts';
import { InvalidStateError, TransientAwsError } from '../../lambdas/shared/errors';
import { awsError, REGION_SETTINGS, TARGET_REGION, throttled, WAIT } from './helpers';

const asgMock = mockClient(AutoScalingClient);
const ecsMock = mockClient(ECSClient);
const ssmMock = mockClient(SSMClient);

const ASG_PARAMETER = '/proj/dr/capacity/asg-min-capacity';
const SERVICE_PARAMETER = '/proj/dr/capacity/app-desired-count';

const settings: ScaleServiceSettings = {
  ...REGION_SETTINGS,
  asgName: 'proj-dr-ecs-asg',
  asgMinCapacity: 2,
  ecsCluster: 'proj-dr-cluster',
  instanceTypes: [],
  services: [
    {
      name: 'app',
      ecsService: 'proj-dr-app',
      desiredCount: 3,
      desiredCountParameter: SERVICE_PARAMETER,
    },
  ],
  asgMinCapacityParameter: ASG_PARAMETER,
};

const event: StepEvent = { wait: WAIT };

const clients = () => ({
  autoScaling: new AutoScalingClient({ region: TARGET_REGION }),
  ecs: new ECSClient({ region: TARGET_REGION }),
  elbv2: new ElasticLoadBalancingV2Client({ region: TARGET_REGION }),
  ssm: new SSMClient({ region: TARGET_REGION }),
});

/** DR as deployed: ASG and service at 0. */
function givenDeployedAtZero(asg: Partial<AutoScalingGroup> = {}): void {
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'proj-dr-ecs-asg',
        MinSize: 0,
        MaxSize: 4,
        DesiredCapacity: 0,
        ...asg,
      } as AutoScalingGroup,
    ],
  });
  ecsMock.on(DescribeServicesCommand).resolves({
    services: [
      { serviceName: 'proj-dr-app', status: 'ACTIVE', desiredCount: 0, runningCount: 0, deployments: [] },
    ],
  });
}

function givenParameters(asgMin: string | undefined, desired: string | undefined): void {
  ssmMock.on(GetParameterCommand, { Name: ASG_PARAMETER }).callsFake(() => {
    if (asgMin === undefined) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    return { Parameter: { Name: ASG_PARAMETER, Value: asgMin } };
  });
  ssmMock.on(GetParameterCommand, { Name: SERVICE_PARAMETER }).callsFake(() => {
    if (desired === undefined) throw new ParameterNotFound({ message: 'not found', $metadata: {} });
    return { Parameter: { Name: SERVICE_PARAMETER, Value: desired } };
  });
}

/** A recorded call of any of the mocks: sinon orders calls across spies. */
interface AnyCall {
  calledBefore(other: AnyCall): boolean;
}

/** The order of the write calls across clients, by command name. */
function writeOrder(): string[] {
  const calls: { name: string; call: AnyCall }[] = [
    ...ssmMock.commandCalls(PutParameterCommand).map((call) => ({ name: 'PutParameter', call })),
    ...asgMock
      .commandCalls(UpdateAutoScalingGroupCommand)
      .map((call) => ({ name: 'UpdateAutoScalingGroup', call })),
    ...ecsMock.commandCalls(UpdateServiceCommand).map((call) => ({ name: 'UpdateService', call })),
  ] as { name: string; call: AnyCall }[];
  return calls.sort((a, b) => (a.call.calledBefore(b.call) ? -1 : 1)).map((c) => c.name);
}

beforeEach(() => {
  asgMock.reset();
  ecsMock.reset();
  ssmMock.reset();
  asgMock.on(UpdateAutoScalingGroupCommand).resolves({});
  ecsMock.on(UpdateServiceCommand).resolves({});
  ssmMock.on(PutParameterCommand).resolves({});
});

describe('scaleService (capacity parameters)', () => {
  it('records both targets, as overwritten Strings, before it raises the ASG and the service', async () => {
    // Prepare
    givenDeployedAtZero();
    givenParameters('0', '0');
    // Act
    const result = await scaleService(event, settings, clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING' });
    expect(ssmMock).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: ASG_PARAMETER,
      Value: '2',
      Type: 'String',
      Overwrite: true,
    });
    expect(ssmMock).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: SERVICE_PARAMETER,
      Value: '3',
      Type: 'String',
      Overwrite: true,
    });
    expect(writeOrder()).toEqual(['PutParameter', 'PutParameter', 'UpdateAutoScalingGroup', 'UpdateService']);
    expect(result.detail).toContain(`parameter ${ASG_PARAMETER} → 2`);
  });

  it('writes no parameter on a rerun that finds them at the targets, and still scales what is short', async () => {
    // Prepare: a first call recorded the targets, then stopped before scaling.
    givenDeployedAtZero();
    givenParameters('2', '3');
    // Act
    await scaleService(event, settings, clients());
    // Assess
    expect(ssmMock).not.toHaveReceivedCommand(PutParameterCommand);
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, { MinSize: 2 });
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 3 });
  });

  it('never lowers a parameter already above its target', async () => {
    // Prepare
    givenDeployedAtZero();
    givenParameters('5', '1');
    // Act
    await scaleService(event, settings, clients());
    // Assess
    expect(ssmMock).toHaveReceivedCommandTimes(PutParameterCommand, 1);
    expect(ssmMock).toHaveReceivedCommandWith(PutParameterCommand, { Name: SERVICE_PARAMETER, Value: '3' });
  });

  it('overwrites a parameter that holds no number', async () => {
    // Prepare
    givenDeployedAtZero();
    givenParameters('two', '3');
    // Act
    await scaleService(event, settings, clients());
    // Assess
    expect(ssmMock).toHaveReceivedCommandWith(PutParameterCommand, { Name: ASG_PARAMETER, Value: '2' });
  });

  it('reads no parameter when nothing needs raising', async () => {
    // Prepare: scaled and stable, but the targets not yet serving.
    givenDeployedAtZero({ MinSize: 2, DesiredCapacity: 2 });
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        { serviceName: 'proj-dr-app', status: 'ACTIVE', desiredCount: 3, runningCount: 1, deployments: [] },
      ],
    });
    // Act
    const result = await scaleService(event, settings, clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING' });
    expect(ssmMock).not.toHaveReceivedAnyCommand();
  });

  it('does not create a missing parameter (the network stack would then fail) and still scales, saying so', async () => {
    // Prepare
    givenDeployedAtZero();
    givenParameters(undefined, '0');
    // Act
    const result = await scaleService(event, settings, clients());
    // Assess
    expect(ssmMock).not.toHaveReceivedCommandWith(PutParameterCommand, { Name: ASG_PARAMETER });
    expect(result.detail).toContain(`parameter ${ASG_PARAMETER} does not exist`);
    expect(asgMock).toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
  });

  it.each([
    ['TooManyUpdates', new TooManyUpdates({ message: 'one at a time', $metadata: {} })],
    ['throttling', throttled()],
    ['a 500', awsError('InternalServerError', 'oops', 500)],
  ])('throws TransientAwsError on %s from PutParameter, before scaling', async (_name, err) => {
    // Prepare
    givenDeployedAtZero();
    givenParameters('0', '0');
    ssmMock.on(PutParameterCommand).rejects(err);
    // Act
    const act = scaleService(event, settings, clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('throws TransientAwsError when GetParameter is throttled', async () => {
    // Prepare
    givenDeployedAtZero();
    ssmMock.on(GetParameterCommand).rejects(throttled());
    // Act
    const act = scaleService(event, settings, clients());
    // Assess
    await expect(act).rejects.toThrow(TransientAwsError);
  });

  it.each([
    'ParameterMaxVersionLimitExceeded',
    'ParameterLimitExceeded',
    'HierarchyTypeMismatchException',
    'UnsupportedParameterType',
  ])('throws InvalidStateError naming the parameter on %s', async (name) => {
    // Prepare
    givenDeployedAtZero();
    givenParameters('0', '0');
    ssmMock.on(PutParameterCommand).rejects(awsError(name, 'refused'));
    // Act
    const act = scaleService(event, settings, clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(`PutParameter ${ASG_PARAMETER}: ${name}`);
  });

  it('names the service whose parameter SSM refused', async () => {
    // Prepare
    givenDeployedAtZero();
    givenParameters('2', '0');
    ssmMock.on(PutParameterCommand).rejects(awsError('ParameterMaxVersionLimitExceeded', 'refused'));
    // Act
    const act = scaleService(event, settings, clients());
    // Assess
    await expect(act).rejects.toThrow(InvalidStateError);
    await expect(act).rejects.toThrow(
      `service app: PutParameter ${SERVICE_PARAMETER}: ParameterMaxVersionLimitExceeded`,
    );
  });

  it('lets AccessDenied through as it is (permanent)', async () => {
    // Prepare
    givenDeployedAtZero();
    givenParameters('0', '0');
    ssmMock.on(PutParameterCommand).rejects(awsError('AccessDeniedException', 'no'));
    // Act
    const act = scaleService(event, settings, clients());
    // Assess
    await expect(act).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('scaleService (capacity the team deployed: no parameters)', () => {
  /** `app` is pilot-light's; `legacy` is the team's: no desired-count parameter. */
  const mixed: ScaleServiceSettings = {
    ...settings,
    services: [...settings.services, { name: 'legacy', ecsService: 'proj-dr-legacy', desiredCount: 2 }],
  };

  function givenServicesAt(app: number, legacy: number): void {
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        { serviceName: 'proj-dr-app', status: 'ACTIVE', desiredCount: app, runningCount: 0, deployments: [] },
        {
          serviceName: 'proj-dr-legacy',
          status: 'ACTIVE',
          desiredCount: legacy,
          runningCount: 0,
          deployments: [],
        },
      ],
    });
  }

  it('records only the parameters that exist and still raises the service without one', async () => {
    // Prepare
    givenDeployedAtZero();
    givenServicesAt(0, 0);
    givenParameters('0', '0');
    // Act
    const result = await scaleService(event, mixed, clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING' });
    expect(ssmMock).toHaveReceivedCommandTimes(GetParameterCommand, 2);
    expect(ssmMock.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Name)).toEqual([
      ASG_PARAMETER,
      SERVICE_PARAMETER,
    ]);
    expect(ecsMock).toHaveReceivedCommandWith(UpdateServiceCommand, {
      service: 'proj-dr-legacy',
      desiredCount: 2,
    });
    expect(result.detail).not.toContain('legacy: parameter');
  });

  it('is idempotent: a rerun after the raise writes nothing and raises nothing', async () => {
    // Prepare: the first call recorded and raised; the tasks are starting.
    givenDeployedAtZero({ MinSize: 2, DesiredCapacity: 2 });
    givenServicesAt(3, 2);
    givenParameters('2', '3');
    // Act
    const result = await scaleService(event, mixed, clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING' });
    expect(ssmMock).not.toHaveReceivedAnyCommand();
    expect(asgMock).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(ecsMock).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it('calls no SSM when neither the ASG (empty ASG_MIN_CAPACITY_PARAMETER) nor a service has a parameter', async () => {
    // Prepare
    const { asgMinCapacityParameter: _none, ...withoutAsg } = settings;
    const teams: ScaleServiceSettings = {
      ...withoutAsg,
      services: [{ name: 'app', ecsService: 'proj-dr-app', desiredCount: 3 }],
    };
    givenDeployedAtZero();
    // Act
    const result = await scaleService(event, teams, clients());
    // Assess
    expect(result).toMatchObject({ status: 'PENDING' });
    expect(ssmMock).not.toHaveReceivedAnyCommand();
    expect(writeOrder()).toEqual(['UpdateAutoScalingGroup', 'UpdateService']);
  });

  it("records the service parameter but not the ASG when only the capacity is the team's", async () => {
    // Prepare
    const { asgMinCapacityParameter: _none, ...withoutAsg } = settings;
    givenDeployedAtZero();
    givenParameters(undefined, '0');
    // Act
    await scaleService(event, withoutAsg, clients());
    // Assess
    expect(ssmMock).not.toHaveReceivedCommandWith(GetParameterCommand, { Name: ASG_PARAMETER });
    expect(ssmMock.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Name)).toEqual([
      SERVICE_PARAMETER,
    ]);
    expect(asgMock).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, { MinSize: 2 });
  });
});
