import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { awsCall, hasErrorName, InvalidStateError, ResourceNotFoundError, rethrow } from '../shared/errors';

/** What the service step must reach: capacity and tasks at (at least) these targets, stable. */
export interface ServiceTarget {
  readonly asgName: string;
  /** The ASG's MinSize and DesiredCapacity are raised to at least this (never lowered). */
  readonly asgMinCapacity: number;
  readonly ecsCluster: string;
  readonly ecsService: string;
  /** The service's desiredCount is raised to at least this (never lowered). */
  readonly serviceDesiredCount: number;
}

/** The clients the service readers need (the step's own clients are the same). */
export interface ServiceReadClients {
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
}

export interface ServiceProgress {
  /** Capacity at target and the service stable at (at least) the target count. */
  readonly done: boolean;
  /** The ASG's MinSize or DesiredCapacity is below target. */
  readonly asgNeedsUpdate: boolean;
  /** The service's desiredCount is below target. */
  readonly serviceNeedsUpdate: boolean;
  /** services-stable: one deployment (or the primary's rollout COMPLETED) and running == desired. */
  readonly stable: boolean;
  readonly asg: {
    readonly min: number;
    readonly max: number;
    readonly desired: number;
    readonly inService: number;
  };
  readonly service: { readonly desired: number; readonly running: number; readonly deployments: number };
  readonly detail: string;
}

async function describeAsg(autoScaling: AutoScalingClient, name: string): Promise<AutoScalingGroup> {
  const out = await awsCall('DescribeAutoScalingGroups', () =>
    autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })),
  );
  const group = out.AutoScalingGroups?.[0];
  if (group === undefined) throw new ResourceNotFoundError(`Auto Scaling group ${name} does not exist`);
  return group;
}

async function describeService(ecs: ECSClient, cluster: string, name: string): Promise<Service> {
  let out: DescribeServicesCommandOutput;
  try {
    out = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'ClusterNotFoundException')) {
      throw new ResourceNotFoundError(`ECS cluster ${cluster} does not exist`, { cause: err });
    }
    rethrow(err, 'DescribeServices');
  }
  const service = out.services?.[0];
  if (service === undefined || service.status === 'INACTIVE') {
    throw new ResourceNotFoundError(
      `ECS service ${name} in cluster ${cluster} does not exist (or is INACTIVE)`,
    );
  }
  if (service.status === 'DRAINING') {
    throw new InvalidStateError(`ECS service ${name} in cluster ${cluster} is DRAINING (being deleted)`);
  }
  return service;
}

/**
 * Read-only: how far the ASG and the ECS service are from the target capacity and steady state.
 * Shared by the step and by preflight. Throws ResourceNotFoundError when either is missing and
 * InvalidStateError when the service's deployment failed.
 */
export async function readServiceProgress(
  clients: ServiceReadClients,
  target: ServiceTarget,
): Promise<ServiceProgress> {
  const [group, service] = await Promise.all([
    describeAsg(clients.autoScaling, target.asgName),
    describeService(clients.ecs, target.ecsCluster, target.ecsService),
  ]);
  const asg = {
    min: group.MinSize ?? 0,
    max: group.MaxSize ?? 0,
    desired: group.DesiredCapacity ?? 0,
    inService: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
  };
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (primary?.rolloutState === 'FAILED') {
    throw new InvalidStateError(
      `ECS service ${target.ecsService}: deployment failed: ${primary.rolloutStateReason ?? 'no reason given'}`,
    );
  }
  const svc = {
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    deployments: deployments.length,
  };
  const asgNeedsUpdate = asg.min < target.asgMinCapacity || asg.desired < target.asgMinCapacity;
  const serviceNeedsUpdate = svc.desired < target.serviceDesiredCount;
  const stable =
    (deployments.length === 1 || primary?.rolloutState === 'COMPLETED') && svc.running === svc.desired;
  return {
    done: !asgNeedsUpdate && !serviceNeedsUpdate && stable,
    asgNeedsUpdate,
    serviceNeedsUpdate,
    stable,
    asg,
    service: svc,
    detail:
      `service ${target.ecsService}: ${svc.running}/${svc.desired} task(s) running (target ${target.serviceDesiredCount}), ` +
      `${svc.deployments} deployment(s); ASG ${target.asgName}: ${asg.inService} InService ` +
      `(min ${asg.min}, desired ${asg.desired}, target ${target.asgMinCapacity})`,
  };
}
