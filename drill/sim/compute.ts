import {
  AutoScalingServiceException,
  type DescribeAutoScalingGroupsCommandInput,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import {
  ClusterNotFoundException,
  type DescribeServicesCommandInput,
  InvalidParameterException,
  type Service,
  ServiceNotFoundException,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { modeledError, serviceError } from './aws-errors';
import type { SimHandler } from './rds';
import type { SimAsg, SimService, World } from './world';

function describeAsg(world: World, asg: SimAsg) {
  return {
    AutoScalingGroupName: asg.name,
    AutoScalingGroupARN: asg.arn,
    MinSize: asg.min,
    MaxSize: asg.max,
    DesiredCapacity: asg.desired,
    DefaultCooldown: 300,
    AvailabilityZones: [...asg.azs],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 0,
    CreatedTime: world.dateAt(-86_400),
    NewInstancesProtectedFromScaleIn: true,
    Instances: asg.instances.map((i) => ({
      InstanceId: i.id,
      InstanceType: i.instanceType,
      AvailabilityZone: i.az,
      LifecycleState: i.state,
      HealthStatus: 'Healthy',
      ProtectedFromScaleIn: true,
    })),
  };
}

/** The simulated EC2 Auto Scaling API. */
export const autoScalingHandlers: Readonly<Record<string, SimHandler>> = {
  DescribeAutoScalingGroups: (raw, world, region) => {
    const input = raw as DescribeAutoScalingGroupsCommandInput;
    const names = input.AutoScalingGroupNames;
    // Unknown names are left out of the answer, not an error (as in the real API).
    const groups = [...world.asgs.values()].filter(
      (g) => g.region === region && (names === undefined || names.length === 0 || names.includes(g.name)),
    );
    return { AutoScalingGroups: groups.map((g) => describeAsg(world, g)) };
  },

  UpdateAutoScalingGroup: (raw, world, region) => {
    const input = raw as UpdateAutoScalingGroupCommandInput;
    const asg = [...world.asgs.values()].find(
      (g) => g.region === region && g.name === input.AutoScalingGroupName,
    );
    if (asg === undefined) {
      throw serviceError(
        AutoScalingServiceException,
        'ValidationError',
        `AutoScalingGroup name not found - AutoScalingGroup ${String(input.AutoScalingGroupName)} not found`,
      );
    }
    const min = input.MinSize ?? asg.min;
    const max = input.MaxSize ?? asg.max;
    const desired = input.DesiredCapacity ?? Math.min(Math.max(asg.desired, min), max);
    if (min > max) {
      throw serviceError(
        AutoScalingServiceException,
        'ValidationError',
        `Max bound, ${max}, must be greater than or equal to min bound, ${min}`,
      );
    }
    if (desired < min || desired > max) {
      throw serviceError(
        AutoScalingServiceException,
        'ValidationError',
        `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`,
      );
    }
    asg.updates.push({
      at: world.now(),
      min,
      desired,
      max,
      previousMin: asg.min,
      previousDesired: asg.desired,
    });
    asg.min = min;
    asg.max = max;
    asg.desired = desired;
    world.reconcileAsg(asg);
    return {};
  },
};

function clusterArnMatches(svc: SimService, cluster: string | undefined): boolean {
  const c = cluster ?? 'default';
  return c === svc.cluster || c === svc.clusterArn;
}

function describeService(world: World, svc: SimService): Service {
  const running = svc.tasks.filter((t) => t.state === 'RUNNING').length;
  const pending = svc.tasks.filter((t) => t.state === 'PENDING').length;
  const deployment = {
    id: svc.deploymentId,
    status: 'PRIMARY',
    taskDefinition: `arn:aws:ecs:${svc.region}:${world.names.regions[svc.role].account}:task-definition/${svc.name}:1`,
    desiredCount: svc.desired,
    pendingCount: pending,
    runningCount: running,
    failedTasks: svc.failedTasks,
    createdAt: world.dateAt(svc.deploymentCreatedAt),
    updatedAt: world.dateAt(svc.updatedAt),
    // Scaling changes the primary deployment's counts; it does not start a new deployment.
    rolloutState: 'COMPLETED' as const,
    rolloutStateReason: 'ECS deployment ecs-svc completed.',
  };
  return {
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: svc.clusterArn,
    status: 'ACTIVE',
    desiredCount: svc.desired,
    runningCount: running,
    pendingCount: pending,
    launchType: undefined,
    capacityProviderStrategy: [{ capacityProvider: `${svc.name}-cp`, weight: 1, base: 0 }],
    deployments: [deployment],
    events: svc.events
      .slice(0, 20)
      .map((e) => ({ id: e.id, createdAt: world.dateAt(e.at), message: e.message })),
    createdAt: world.dateAt(-86_400),
    schedulingStrategy: 'REPLICA',
  };
}

/** The simulated ECS API (services on ASG capacity). */
export const ecsHandlers: Readonly<Record<string, SimHandler>> = {
  DescribeServices: (raw, world, region) => {
    const input = raw as DescribeServicesCommandInput;
    const inRegion = [...world.services.values()].filter((s) => s.region === region);
    if (!inRegion.some((s) => clusterArnMatches(s, input.cluster))) {
      throw modeledError(ClusterNotFoundException, 'Cluster not found.');
    }
    const services: Service[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const name of input.services ?? []) {
      const svc = inRegion.find(
        (s) => clusterArnMatches(s, input.cluster) && (s.name === name || s.arn === name),
      );
      if (svc === undefined) failures.push({ arn: name, reason: 'MISSING' });
      else services.push(describeService(world, svc));
    }
    return { services, failures };
  },

  UpdateService: (raw, world, region) => {
    const input = raw as UpdateServiceCommandInput;
    const inRegion = [...world.services.values()].filter((s) => s.region === region);
    if (!inRegion.some((s) => clusterArnMatches(s, input.cluster))) {
      throw modeledError(ClusterNotFoundException, 'Cluster not found.');
    }
    const svc = inRegion.find(
      (s) => clusterArnMatches(s, input.cluster) && (s.name === input.service || s.arn === input.service),
    );
    if (svc === undefined) throw modeledError(ServiceNotFoundException, 'Service not found.');
    if (input.desiredCount !== undefined) {
      if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
        throw modeledError(InvalidParameterException, 'desiredCount must be a non-negative integer.');
      }
      svc.updates.push({ at: world.now(), previousDesired: svc.desired, desired: input.desiredCount });
      svc.desired = input.desiredCount;
      svc.updatedAt = world.now();
      world.reconcileService(svc);
    }
    return { service: describeService(world, svc) };
  },
};
