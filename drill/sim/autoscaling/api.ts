import type {
  DescribeAutoScalingGroupsCommandInput,
  LaunchTemplateSpecification,
  UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import type { SimApi } from '../api';
import type { World } from '../world';
import { scalingActivitiesApi } from './activities-api';
import type { SimAsg } from './autoscaling';
import { validationError } from './errors';

/** DescribeAutoScalingGroups' MaxRecords range is 1 to this (API reference). */
const MAX_RECORDS = 100;

/** Seconds before the seed's groups were created: they exist long before any drill starts. */
const CREATED_AT = -86_400;

/**
 * How the group names its launch template: on its own (one instance type), or in a mixed-instances
 * policy whose overrides list every type in priority order, all On-Demand, `prioritized` (the
 * service stack's, when `fallbackInstanceTypes` is not empty).
 */
function launchSpec(asg: SimAsg, template: LaunchTemplateSpecification | undefined) {
  if (template === undefined) return {};
  if (asg.instanceTypes.length <= 1) return { LaunchTemplate: template };
  return {
    MixedInstancesPolicy: {
      LaunchTemplate: {
        LaunchTemplateSpecification: template,
        Overrides: asg.instanceTypes.map((InstanceType) => ({ InstanceType })),
      },
      InstancesDistribution: {
        OnDemandAllocationStrategy: 'prioritized',
        OnDemandBaseCapacity: 0,
        OnDemandPercentageAboveBaseCapacity: 100,
        SpotAllocationStrategy: 'lowest-price',
      },
    },
  };
}

function describeAsg(world: World, asg: SimAsg) {
  const t = world.deployed.ec2.templateOf(asg.role);
  // The service stack's launch template, at the version CloudFormation pinned (LatestVersionNumber).
  const template =
    t === undefined
      ? undefined
      : { LaunchTemplateId: t.id, LaunchTemplateName: t.name, Version: String(t.defaultVersion) };
  return {
    AutoScalingGroupName: asg.name,
    AutoScalingGroupARN: asg.arn,
    ...launchSpec(asg, template),
    MinSize: asg.min,
    MaxSize: asg.max,
    DesiredCapacity: asg.desired,
    DefaultCooldown: 300,
    AvailabilityZones: [...asg.azs],
    AvailabilityZoneDistribution: { CapacityDistributionStrategy: 'balanced-best-effort' },
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 0,
    CreatedTime: world.clock.dateAt(CREATED_AT),
    NewInstancesProtectedFromScaleIn: true,
    Instances: asg.instances.map((i) => ({
      InstanceId: i.id,
      InstanceType: i.instanceType,
      AvailabilityZone: i.az,
      ...(template === undefined ? {} : { LaunchTemplate: template }),
      LifecycleState: i.state,
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: true,
    })),
  };
}

/** The simulated EC2 Auto Scaling API. */
export const autoScalingApi: SimApi = {
  ...scalingActivitiesApi,
  DescribeAutoScalingGroups: (raw, world, region) => {
    const input = raw as DescribeAutoScalingGroupsCommandInput;
    const names = input.AutoScalingGroupNames;
    if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > MAX_RECORDS)) {
      throw validationError(
        `1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and ${MAX_RECORDS}`,
      );
    }
    // Unknown names are left out of the answer, not an error (as in the real API).
    const groups = [...world.autoscaling.groups.values()].filter(
      (g) => g.region === region && (names === undefined || names.length === 0 || names.includes(g.name)),
    );
    return { AutoScalingGroups: groups.map((g) => describeAsg(world, g)) };
  },

  UpdateAutoScalingGroup: (raw, world, region) => {
    const input = raw as UpdateAutoScalingGroupCommandInput;
    const name = input.AutoScalingGroupName;
    if (name === undefined || name === '') {
      throw validationError(
        "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null",
      );
    }
    for (const [field, value] of [
      ['minSize', input.MinSize],
      ['maxSize', input.MaxSize],
      ['desiredCapacity', input.DesiredCapacity],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw validationError(
          `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to 0`,
        );
      }
    }
    const asg = world.autoscaling.groups.get(name);
    if (asg === undefined || asg.region !== region) {
      throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);
    }
    const min = input.MinSize ?? asg.min;
    const max = input.MaxSize ?? asg.max;
    const desired = input.DesiredCapacity ?? Math.min(Math.max(asg.desired, min), max);
    if (min > max) {
      throw validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
    }
    if (desired < min || desired > max) {
      throw validationError(
        `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
      );
    }
    world.autoscaling.update(asg, { min, desired, max });
    return {};
  },
};
