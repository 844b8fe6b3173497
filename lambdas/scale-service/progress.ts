import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvalidStateError } from '../shared/errors';
import type { ServiceOf } from '../shared/resources';
import { settleAll } from '../shared/settle';
import { describeAsg, describeServices, describeTargetHealth } from './service-reads';
import { namingEntry } from './settle';
import type { ServiceTargetField } from './target-env';

/** A `services[]` entry with what the reader needs of it (`SERVICE_TARGET_FIELDS`); whole entries fit. */
export type ServiceTargetEntry = ServiceOf<ServiceTargetField>;

/**
 * What the service step must reach: the shared capacity at (at least) its target, and every
 * service at (at least) its own desired count, stable and serving.
 */
export interface ServiceTarget {
  /** The region's Auto Scaling group: the ECS cluster's instances, shared by every service. */
  readonly asgName: string;
  /** The ASG's MinSize and DesiredCapacity are raised to at least this (never lowered). */
  readonly asgMinCapacity: number;
  readonly ecsCluster: string;
  /** Each service's desiredCount is raised to at least its `desiredCount` (never lowered). */
  readonly services: readonly ServiceTargetEntry[];
}

/** The clients the service readers need (the step's own clients are the same). */
export interface ServiceReadClients {
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  /** Each service's target group: "ready" means its targets pass the ALB's health check. */
  readonly elbv2: ElasticLoadBalancingV2Client;
}

/** Where one service (one entry of `services[]`) stands. */
export interface ServiceState {
  /** The entry's `name`. */
  readonly name: string;
  readonly ecsService: string;
  /** The entry's `desiredCount`: what a promotion raises it to. */
  readonly targetCount: number;
  /** At (at least) the target count, stable and serving. */
  readonly done: boolean;
  /** Stable, and enough healthy targets (or no target group): it can take traffic. */
  readonly serving: boolean;
  /** Its desiredCount is below the target. */
  readonly needsUpdate: boolean;
  /** services-stable: one deployment (or the primary's rollout COMPLETED) and running == desired. */
  readonly stable: boolean;
  /**
   * Healthy targets in its target group (read once stable; undefined when not read: not stable
   * yet, or the service has no load balancer).
   */
  readonly targets?: { readonly healthy: number; readonly total: number };
  readonly tasks: { readonly desired: number; readonly running: number; readonly deployments: number };
  /** One clause, starting with the entry's name: `api: 2/2 task(s) running (target 2), …`. */
  readonly detail: string;
}

export interface ServiceProgress {
  /** Capacity at target and every service done. */
  readonly done: boolean;
  /** Every service serving. */
  readonly serving: boolean;
  /** The ASG's MinSize or DesiredCapacity is below target. */
  readonly asgNeedsUpdate: boolean;
  /** Some service's desiredCount is below its target (`services[i].needsUpdate`). */
  readonly serviceNeedsUpdate: boolean;
  /** Every service stable. */
  readonly stable: boolean;
  readonly asg: {
    readonly min: number;
    readonly max: number;
    readonly desired: number;
    readonly inService: number;
  };
  /** Each service, in config order. */
  readonly services: readonly ServiceState[];
  readonly detail: string;
}

/** What a service's own description says, before its target group is read. */
interface Described {
  readonly entry: ServiceTargetEntry;
  readonly tasks: ServiceState['tasks'];
  readonly needsUpdate: boolean;
  readonly stable: boolean;
  readonly targetGroupArn?: string;
}

function describedOf(entry: ServiceTargetEntry, service: Service): Described {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const tasks = {
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    deployments: deployments.length,
  };
  const targetGroupArn = service.loadBalancers?.[0]?.targetGroupArn;
  return {
    entry,
    tasks,
    needsUpdate: tasks.desired < entry.desiredCount,
    stable:
      (deployments.length === 1 || primary?.rolloutState === 'COMPLETED') && tasks.running === tasks.desired,
    ...(targetGroupArn === undefined ? {} : { targetGroupArn }),
  };
}

/** Every failed primary deployment, each naming its entry. */
function failedDeployments(entries: readonly ServiceTargetEntry[], services: readonly Service[]): string[] {
  return entries.flatMap((entry, i) => {
    const primary = services[i]?.deployments?.find((d) => d.status === 'PRIMARY');
    if (primary?.rolloutState !== 'FAILED') return [];
    return [
      `service ${entry.name}: ECS service ${entry.ecsService}: deployment failed: ${primary.rolloutStateReason ?? 'no reason given'}`,
    ];
  });
}

function stateOf(d: Described, targets: ServiceState['targets']): ServiceState {
  const target = d.entry.desiredCount;
  // Running tasks are not yet serving: only targets the ALB calls healthy can take the traffic.
  const serving =
    d.stable && (targets === undefined ? d.targetGroupArn === undefined : targets.healthy >= target);
  return {
    name: d.entry.name,
    ecsService: d.entry.ecsService,
    targetCount: target,
    done: !d.needsUpdate && serving,
    serving,
    needsUpdate: d.needsUpdate,
    stable: d.stable,
    ...(targets === undefined ? {} : { targets }),
    tasks: d.tasks,
    detail:
      `${d.entry.name}: ${d.tasks.running}/${d.tasks.desired} task(s) running (target ${target}), ` +
      (targets === undefined ? '' : `healthy ${targets.healthy}/${target} target(s), `) +
      `${d.tasks.deployments} deployment(s)`,
  };
}

/**
 * Read-only: how far the shared ASG and each ECS service are from their targets and steady state,
 * and, for each service once stable, whether its target group (its first load balancer's; none →
 * not checked) has at least its `desiredCount` healthy targets. One DescribeAutoScalingGroups, one
 * DescribeServices per 10 services, one DescribeTargetHealth per stable service, all at once.
 * Shared by the step, the promotion step and preflight.
 *
 * @throws ResourceNotFoundError the ASG, the cluster, a service or a target group is missing (naming the entry)
 * @throws InvalidStateError a service is draining or its deployment failed (naming every such entry)
 * @throws TransientAwsError throttling, 5xx, HealthUnavailable, InvalidTarget, network errors
 */
export async function readServiceProgress(
  clients: ServiceReadClients,
  target: ServiceTarget,
): Promise<ServiceProgress> {
  const [group, services] = await Promise.all([
    describeAsg(clients.autoScaling, target.asgName),
    describeServices(clients.ecs, target.ecsCluster, target.services),
  ]);
  const failed = failedDeployments(target.services, services);
  if (failed.length > 0) throw new InvalidStateError(failed.join('; '));
  const asg = {
    min: group.MinSize ?? 0,
    max: group.MaxSize ?? 0,
    desired: group.DesiredCapacity ?? 0,
    inService: (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
  };
  const described = target.services.map((entry, i) => describedOf(entry, services[i] as Service));
  const states = await settleAll(
    described.map(async (d) => {
      if (!d.stable || d.targetGroupArn === undefined) return stateOf(d, undefined);
      try {
        return stateOf(d, await describeTargetHealth(clients.elbv2, d.targetGroupArn));
      } catch (err: unknown) {
        throw namingEntry(`service ${d.entry.name}`, err);
      }
    }),
  );
  const asgNeedsUpdate = asg.min < target.asgMinCapacity || asg.desired < target.asgMinCapacity;
  return {
    done: !asgNeedsUpdate && states.every((s) => s.done),
    serving: states.every((s) => s.serving),
    asgNeedsUpdate,
    serviceNeedsUpdate: states.some((s) => s.needsUpdate),
    stable: states.every((s) => s.stable),
    asg,
    services: states,
    detail:
      `${states.map((s) => `service ${s.detail}`).join('; ')}; ASG ${target.asgName}: ${asg.inService} InService ` +
      `(min ${asg.min}, desired ${asg.desired}, target ${target.asgMinCapacity})`,
  };
}
