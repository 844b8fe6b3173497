import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  type ECSClient,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { StepEvent, StepResult } from '../shared/contracts';
import {
  type Env,
  parseIntVar,
  REGION_ENV,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import { awsCall, hasErrorName, InvalidStateError, ResourceNotFoundError, rethrow } from '../shared/errors';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';

export interface ScaleServiceSettings extends RegionSettings {
  readonly asgName: string;
  /** The ASG's MinSize and DesiredCapacity are raised to at least this (never lowered). */
  readonly asgMinCapacity: number;
  readonly ecsCluster: string;
  readonly ecsService: string;
  /** The service's desiredCount is raised to at least this (never lowered). */
  readonly serviceDesiredCount: number;
}

export interface ScaleServiceClients {
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
}

/** Read the scale-service settings; throws InvalidInputError naming missing or malformed variables. */
export function readScaleServiceSettings(env: Env): ScaleServiceSettings {
  const raw = requireEnv(
    [...REGION_ENV, 'ASG_NAME', 'ASG_MIN_CAPACITY', 'ECS_CLUSTER', 'ECS_SERVICE', 'SERVICE_DESIRED_COUNT'],
    env,
  );
  return {
    ...regionSettings(raw),
    asgName: raw.ASG_NAME,
    asgMinCapacity: parseIntVar('ASG_MIN_CAPACITY', raw.ASG_MIN_CAPACITY, 1),
    ecsCluster: raw.ECS_CLUSTER,
    ecsService: raw.ECS_SERVICE,
    serviceDesiredCount: parseIntVar('SERVICE_DESIRED_COUNT', raw.SERVICE_DESIRED_COUNT, 1),
  };
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
  clients: ScaleServiceClients,
  settings: Pick<
    ScaleServiceSettings,
    'asgName' | 'asgMinCapacity' | 'ecsCluster' | 'ecsService' | 'serviceDesiredCount'
  >,
): Promise<ServiceProgress> {
  const [group, service] = await Promise.all([
    describeAsg(clients.autoScaling, settings.asgName),
    describeService(clients.ecs, settings.ecsCluster, settings.ecsService),
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
      `ECS service ${settings.ecsService}: deployment failed: ${primary.rolloutStateReason ?? 'no reason given'}`,
    );
  }
  const svc = {
    desired: service.desiredCount ?? 0,
    running: service.runningCount ?? 0,
    deployments: deployments.length,
  };
  const asgNeedsUpdate = asg.min < settings.asgMinCapacity || asg.desired < settings.asgMinCapacity;
  const serviceNeedsUpdate = svc.desired < settings.serviceDesiredCount;
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
      `service ${settings.ecsService}: ${svc.running}/${svc.desired} task(s) running (target ${settings.serviceDesiredCount}), ` +
      `${svc.deployments} deployment(s); ASG ${settings.asgName}: ${asg.inService} InService ` +
      `(min ${asg.min}, desired ${asg.desired}, target ${settings.asgMinCapacity})`,
  };
}

/**
 * Step `service`: raise the ASG (MinSize/DesiredCapacity, and MaxSize if needed) and the ECS
 * service's desiredCount to the targets — never scaling in — then report PENDING until the service
 * is stable (one deployment, running == desired ≥ target), then READY.
 *
 * @throws ResourceNotFoundError the ASG, the cluster or the service does not exist
 * @throws InvalidStateError the service is draining or its deployment failed
 * @throws WaitTimeoutError the check budget (`maxAttempts`) is spent
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
 */
export async function scaleService(
  event: StepEvent,
  settings: ScaleServiceSettings,
  clients: ScaleServiceClients,
): Promise<StepResult> {
  const call = beginStep('service', event);
  const progress = await readServiceProgress(clients, settings);
  if (progress.done) return ready(call, progress.detail);
  if (!progress.asgNeedsUpdate && !progress.serviceNeedsUpdate) return pending(call, progress.detail);
  ensureBudget(call, progress.detail);
  const changes: string[] = [];
  if (progress.asgNeedsUpdate) {
    const target = settings.asgMinCapacity;
    const update = {
      MinSize: Math.max(progress.asg.min, target),
      DesiredCapacity: Math.max(progress.asg.desired, target),
      MaxSize: Math.max(progress.asg.max, target),
    };
    await awsCall('UpdateAutoScalingGroup', () =>
      clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: settings.asgName, ...update }),
      ),
    );
    changes.push(`ASG min/desired/max → ${update.MinSize}/${update.DesiredCapacity}/${update.MaxSize}`);
  }
  if (progress.serviceNeedsUpdate) {
    await awsCall('UpdateService', () =>
      clients.ecs.send(
        new UpdateServiceCommand({
          cluster: settings.ecsCluster,
          service: settings.ecsService,
          desiredCount: settings.serviceDesiredCount,
        }),
      ),
    );
    changes.push(`service desiredCount → ${settings.serviceDesiredCount}`);
  }
  const detail = `${changes.join('; ')}; ${progress.detail}`;
  // Raising only the ASG leaves an already-stable service stable: nothing left to wait for.
  if (!progress.serviceNeedsUpdate && progress.stable) return ready(call, detail, { changed: true });
  return pending(call, detail);
}
