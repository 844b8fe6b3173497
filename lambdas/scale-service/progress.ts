import type { AutoScalingClient, Instance } from '@aws-sdk/client-auto-scaling';
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
  /** The entry's `servingShare` (1 when absent). */
  readonly servingShare: number;
  /** Healthy targets (running tasks without a target group) it must have to serve: {@link servingCount}. */
  readonly servingCount: number;
  /** Its desiredCount raised and serving: the step's goal for it. */
  readonly done: boolean;
  /** Its desiredCount raised, stable, and every one of its target count serving. */
  readonly full: boolean;
  /**
   * It can take traffic. Share 1: stable and at least its target count of healthy targets (or no
   * target group). Share below 1: at least {@link servingCount} healthy targets (running tasks
   * without a target group), stable or not (ECS may still be placing the rest).
   */
  readonly serving: boolean;
  /** Its desiredCount is below the target. */
  readonly needsUpdate: boolean;
  /** services-stable: one deployment (or the primary's rollout COMPLETED) and running == desired. */
  readonly stable: boolean;
  /**
   * Healthy targets in its target group (undefined when not read: the service has no load
   * balancer, or its share is 1 and it is not stable yet).
   */
  readonly targets?: { readonly healthy: number; readonly total: number };
  readonly tasks: { readonly desired: number; readonly running: number; readonly deployments: number };
  /** One clause, starting with the entry's name: `api: 2/2 task(s) running (target 2), …`. */
  readonly detail: string;
}

/**
 * Tasks of `targetCount` that must serve for a `share` of it, rounded up (at least 1). The
 * tolerance absorbs binary fractions only (0.7 × 10 is 7.000000000000001): 0.67 × 3 is 2.01, so 3.
 */
export function servingCount(share: number, targetCount: number): number {
  return Math.max(1, Math.ceil(share * targetCount - 1e-9));
}

export interface ServiceProgress {
  /** Capacity at target and every service done (serving at its share): the step's goal. */
  readonly done: boolean;
  /** Capacity at target and every service full (its whole target count serving). */
  readonly full: boolean;
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
    /**
     * Instances launched or launching (not leaving) by instance type, in the order the group lists
     * them: what a mixed-instances group got from EC2.
     */
    readonly instanceTypes: Readonly<Record<string, number>>;
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

/** Lifecycle states of an instance on its way in or in service (`Pending:Wait` and the like included). */
const STAYING = /^(Pending|InService)/;

function instanceTypesOf(instances: readonly Instance[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of instances) {
    if (i.InstanceType === undefined || !STAYING.test(i.LifecycleState ?? '')) continue;
    counts[i.InstanceType] = (counts[i.InstanceType] ?? 0) + 1;
  }
  return counts;
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

/** Healthy targets, or running tasks for a service without a target group; undefined when not read. */
function servingNow(d: Described, targets: ServiceState['targets']): number | undefined {
  if (targets !== undefined) return targets.healthy;
  return d.targetGroupArn === undefined ? d.tasks.running : undefined;
}

function stateOf(d: Described, targets: ServiceState['targets']): ServiceState {
  const target = d.entry.desiredCount;
  const share = d.entry.servingShare ?? 1;
  const needed = servingCount(share, target);
  // Running tasks are not yet serving: only targets the ALB calls healthy can take the traffic.
  const full =
    d.stable && (targets === undefined ? d.targetGroupArn === undefined : targets.healthy >= target);
  const now = servingNow(d, targets);
  const serving = share >= 1 ? full : now !== undefined && now >= needed;
  return {
    name: d.entry.name,
    ecsService: d.entry.ecsService,
    targetCount: target,
    servingShare: share,
    servingCount: needed,
    done: !d.needsUpdate && serving,
    full: !d.needsUpdate && full,
    serving,
    needsUpdate: d.needsUpdate,
    stable: d.stable,
    ...(targets === undefined ? {} : { targets }),
    tasks: d.tasks,
    detail:
      `${d.entry.name}: ${d.tasks.running}/${d.tasks.desired} task(s) running (target ${target}), ` +
      (targets === undefined ? '' : `healthy ${targets.healthy}/${target} target(s), `) +
      `${d.tasks.deployments} deployment(s)` +
      (share < 1 ? `, servingShare ${share} (${needed} to serve)` : ''),
  };
}

/**
 * `api: serving at 2/3 healthy (servingShare 0.67), still scaling to 3`: a service that serves at
 * its share but is below its target count.
 */
export function partialClause(s: ServiceState): string {
  const now =
    s.targets === undefined
      ? `${s.tasks.running}/${s.targetCount} running`
      : `${s.targets.healthy}/${s.targetCount} healthy`;
  return `${s.name}: serving at ${now} (servingShare ${s.servingShare}), still scaling to ${s.targetCount}`;
}

/**
 * Read-only: how far the shared ASG and each ECS service are from their targets and steady state,
 * and, for each service once stable (at once for a `servingShare` below 1), how many healthy
 * targets its target group (its first load balancer's; none → running tasks count) has: it serves
 * at {@link servingCount} of its `desiredCount` ({@link ServiceState.serving}). One
 * DescribeAutoScalingGroups, one DescribeServices per 10 services, one DescribeTargetHealth per
 * service read, all at once.
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
    instanceTypes: instanceTypesOf(group.Instances ?? []),
  };
  const described = target.services.map((entry, i) => describedOf(entry, services[i] as Service));
  const states = await settleAll(
    described.map(async (d) => {
      // A service with a share below 1 may serve before it is stable: read its targets at once.
      const share = d.entry.servingShare ?? 1;
      if (d.targetGroupArn === undefined || (!d.stable && share >= 1)) return stateOf(d, undefined);
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
    full: !asgNeedsUpdate && states.every((s) => s.full),
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
