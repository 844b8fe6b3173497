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
import {
  DescribeTargetHealthCommand,
  type DescribeTargetHealthCommandOutput,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  asError,
  awsCall,
  hasErrorName,
  InvalidStateError,
  ResourceNotFoundError,
  rethrow,
  TransientAwsError,
} from '../shared/errors';

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
  /** The service's target group: "ready" means its targets pass the ALB's health check. */
  readonly elbv2: ElasticLoadBalancingV2Client;
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
  /**
   * Healthy targets in the service's target group (read once stable; undefined when not read: not
   * stable yet, or the service has no load balancer).
   */
  readonly targets?: { readonly healthy: number; readonly total: number };
  /** Stable, and enough healthy targets (or no target group): the service can take traffic. */
  readonly serving: boolean;
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
 * Targets of `targetGroupArn` by health. HealthUnavailable (a 500) and InvalidTarget (a task being
 * registered or deregistered as the read runs) are passing states: transient, read again.
 */
async function describeTargetHealth(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
): Promise<{ readonly healthy: number; readonly total: number }> {
  let out: DescribeTargetHealthCommandOutput;
  try {
    out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'TargetGroupNotFoundException', 'TargetGroupNotFound')) {
      throw new ResourceNotFoundError(`target group ${targetGroupArn} does not exist`, { cause: err });
    }
    if (
      hasErrorName(
        err,
        'InvalidTargetException',
        'InvalidTarget',
        'HealthUnavailableException',
        'HealthUnavailable',
      )
    ) {
      const e = asError(err);
      throw new TransientAwsError(`DescribeTargetHealth: ${e.name}: ${e.message}`, { cause: e });
    }
    rethrow(err, 'DescribeTargetHealth');
  }
  const targets = out.TargetHealthDescriptions ?? [];
  return {
    healthy: targets.filter((t) => t.TargetHealth?.State === 'healthy').length,
    total: targets.length,
  };
}

/**
 * Read-only: how far the ASG and the ECS service are from the target capacity and steady state,
 * and, once stable, whether the service's target group (its first load balancer's; none → not
 * checked) has at least `serviceDesiredCount` healthy targets. Shared by the step, the promotion
 * step and preflight.
 *
 * @throws ResourceNotFoundError the ASG, the service or its target group is missing
 * @throws InvalidStateError the service is draining or its deployment failed
 * @throws TransientAwsError throttling, 5xx, HealthUnavailable, InvalidTarget, network errors
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
  const targetGroupArn = service.loadBalancers?.[0]?.targetGroupArn;
  // Running tasks are not yet serving: only targets the ALB calls healthy can take the traffic.
  const targets =
    stable && targetGroupArn !== undefined
      ? await describeTargetHealth(clients.elbv2, targetGroupArn)
      : undefined;
  const serving =
    stable &&
    (targets === undefined ? targetGroupArn === undefined : targets.healthy >= target.serviceDesiredCount);
  return {
    done: !asgNeedsUpdate && !serviceNeedsUpdate && serving,
    serving,
    asgNeedsUpdate,
    serviceNeedsUpdate,
    stable,
    ...(targets === undefined ? {} : { targets }),
    asg,
    service: svc,
    detail:
      `service ${target.ecsService}: ${svc.running}/${svc.desired} task(s) running (target ${target.serviceDesiredCount}), ` +
      (targets === undefined ? '' : `healthy ${targets.healthy}/${target.serviceDesiredCount} target(s), `) +
      `${svc.deployments} deployment(s); ASG ${target.asgName}: ${asg.inService} InService ` +
      `(min ${asg.min}, desired ${asg.desired}, target ${target.asgMinCapacity})`,
  };
}
