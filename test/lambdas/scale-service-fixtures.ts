import {
  type Activity,
  AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { ScaleServiceSettings } from '../../lambdas/scale-service/settings';
import { REGION_SETTINGS, TARGET_REGION } from './helpers';

/** Fixtures for the scale-service tests of capacity shortfalls and serving shares. */

export const asgMock = mockClient(AutoScalingClient);
export const ecsMock = mockClient(ECSClient);
export const elbMock = mockClient(ElasticLoadBalancingV2Client);
export const ssmMock = mockClient(SSMClient);

export const ASG = 'proj-dr-ecs-asg';
export const tgOf = (name: string): string =>
  `arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/proj-dr-${name}/abc`;

/** EC2's refusal, as an activity's StatusMessage carries it. */
export function refusal(type: string, zone: string): string {
  return (
    `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${zone}). ` +
    'Our system will be working on provisioning additional capacity. You can currently get ' +
    `${type} capacity by not specifying an Availability Zone in your request or choosing us-west-2b, us-west-2c. ` +
    'Launching EC2 instance failed.'
  );
}

export function makeSettings(overrides: Partial<ScaleServiceSettings> = {}): ScaleServiceSettings {
  return {
    ...REGION_SETTINGS,
    asgName: ASG,
    asgMinCapacity: 2,
    ecsCluster: 'proj-dr-cluster',
    services: [{ name: 'api', ecsService: 'proj-dr-api', desiredCount: 3 }],
    instanceTypes: ['t3.small', 't3a.small', 't3.medium'],
    ...overrides,
  };
}

export const clients = () => ({
  autoScaling: new AutoScalingClient({ region: TARGET_REGION }),
  ecs: new ECSClient({ region: TARGET_REGION }),
  elbv2: new ElasticLoadBalancingV2Client({ region: TARGET_REGION }),
  ssm: new SSMClient({ region: TARGET_REGION }),
});

/** The group at its target: two instances of `types` (in service). */
export function givenAsg(
  types: readonly string[] = ['t3.small', 't3.small'],
  overrides: Partial<AutoScalingGroup> = {},
): void {
  asgMock.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: ASG,
        MinSize: 2,
        MaxSize: 4,
        DesiredCapacity: 2,
        Instances: types.map((InstanceType, i) => ({
          InstanceId: `i-${i}`,
          InstanceType,
          LifecycleState: 'InService',
          AvailabilityZone: 'us-west-2b',
          HealthStatus: 'Healthy',
          ProtectedFromScaleIn: true,
        })),
        ...overrides,
      } as AutoScalingGroup,
    ],
  });
}

/** Failed launch activities (newest first), started a second from now (after the step's start) unless given. */
export function givenActivities(...activities: readonly Partial<Activity>[]): void {
  asgMock.on(DescribeScalingActivitiesCommand).resolves({
    Activities: activities.map((a, i) => ({
      ActivityId: `a-${i}`,
      AutoScalingGroupName: ASG,
      Cause: 'an instance was started in response to a difference between desired and actual capacity',
      StartTime: new Date(Date.now() + 1000),
      StatusCode: 'Failed',
      Progress: 100,
      ...a,
    })),
  });
}

/** One ECS service per entry: `running` of `desired` tasks, one deployment (COMPLETED when running == desired). */
export function givenServices(
  ...services: readonly { name: string; desired: number; running: number }[]
): void {
  ecsMock.on(DescribeServicesCommand).resolves({
    services: services.map(
      (s): Service => ({
        serviceName: `proj-dr-${s.name}`,
        status: 'ACTIVE',
        desiredCount: s.desired,
        runningCount: s.running,
        deployments: [
          { status: 'PRIMARY', rolloutState: s.running === s.desired ? 'COMPLETED' : 'IN_PROGRESS' },
        ],
        loadBalancers: [{ targetGroupArn: tgOf(s.name), containerName: s.name, containerPort: 80 }],
      }),
    ),
  });
}

/** `healthy` healthy targets (and `initial` still registering) in `name`'s target group. */
export function givenTargets(name: string, healthy: number, initial = 0): void {
  const states: TargetHealthStateEnum[] = [
    ...Array<TargetHealthStateEnum>(healthy).fill('healthy'),
    ...Array<TargetHealthStateEnum>(initial).fill('initial'),
  ];
  elbMock.on(DescribeTargetHealthCommand, { TargetGroupArn: tgOf(name) }).resolves({
    TargetHealthDescriptions: states.map((State, i) => ({
      Target: { Id: `10.0.0.${i}` },
      TargetHealth: { State },
    })),
  });
}

export function resetMocks(): void {
  asgMock.reset();
  ecsMock.reset();
  elbMock.reset();
  ssmMock.reset();
  ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '0' } });
  ssmMock.on(PutParameterCommand).resolves({});
}
