import {
  AutoScalingServiceException,
  type DescribeAutoScalingGroupsCommandInput,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import type { SimApi } from '../api';
import { serviceError } from '../aws-errors';
import type { World } from '../world';
import type { SimAsg } from './autoscaling';

/** DescribeAutoScalingGroups' MaxRecords range is 1 to this (API reference). */
const MAX_RECORDS = 100;

/** Seconds before the seed's groups were created: they exist long before any drill starts. */
const CREATED_AT = -86_400;

function describeAsg(world: World, asg: SimAsg) {
  const template = world.deployed.ec2.templateOf(asg.role);
  return {
    AutoScalingGroupName: asg.name,
    AutoScalingGroupARN: asg.arn,
    MinSize: asg.min,
    MaxSize: asg.max,
    DesiredCapacity: asg.desired,
    // The service stack's launch template, at the version CloudFormation pinned (LatestVersionNumber).
    ...(template === undefined
      ? {}
      : {
          LaunchTemplate: {
            LaunchTemplateId: template.id,
            LaunchTemplateName: template.name,
            Version: String(template.defaultVersion),
          },
        }),
    DefaultCooldown: 300,
    AvailabilityZones: [...asg.azs],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 0,
    CreatedTime: world.clock.dateAt(CREATED_AT),
    NewInstancesProtectedFromScaleIn: true,
    Instances: asg.instances.map((i) => ({
      InstanceId: i.id,
      InstanceType: i.instanceType,
      AvailabilityZone: i.az,
      ...(template === undefined
        ? {}
        : {
            LaunchTemplate: {
              LaunchTemplateId: template.id,
              LaunchTemplateName: template.name,
              Version: String(template.defaultVersion),
            },
          }),
      LifecycleState: i.state,
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: true,
    })),
  };
}

function validationError(message: string): Error {
  return serviceError(AutoScalingServiceException, 'ValidationError', message);
}

/** The simulated EC2 Auto Scaling API. */
export const autoScalingApi: SimApi = {
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
