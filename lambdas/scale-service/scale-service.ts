import { type AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { StepEvent, StepResult } from '../shared/contracts';
import { type Env, REGION_ENV, type RegionSettings, regionSettings, requireEnv } from '../shared/env';
import { asError, awsCall, hasErrorName, rethrow, TransientAwsError } from '../shared/errors';
import { beginStep, ensureBudget, pending, ready } from '../shared/step-result';
import { readCapacityRecord, writeCapacityRecord } from './capacity-record';
import { CAPACITY_RECORD_ENV } from './env';
import { readServiceProgress, type ServiceTarget } from './progress';
import { SERVICE_TARGET_ENV } from './target-env';
import { serviceTargetSettings } from './target-settings';

export interface ScaleServiceSettings extends RegionSettings, ServiceTarget {
  /** The parameter the service stack deploys the ASG's MinSize from. */
  readonly asgMinCapacityParameter: string;
  /** The parameter the service stack deploys the service's DesiredCount from. */
  readonly serviceDesiredCountParameter: string;
}

export interface ScaleServiceClients {
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** SSM in this region: the capacity parameters. */
  readonly ssm: SSMClient;
}

/** Read the scale-service settings; throws InvalidInputError naming missing or malformed variables. */
export function readScaleServiceSettings(env: Env): ScaleServiceSettings {
  const raw = requireEnv([...REGION_ENV, ...SERVICE_TARGET_ENV, ...CAPACITY_RECORD_ENV], env);
  return {
    ...regionSettings(raw),
    ...serviceTargetSettings(raw),
    asgMinCapacityParameter: raw.ASG_MIN_CAPACITY_PARAMETER,
    serviceDesiredCountParameter: raw.SERVICE_DESIRED_COUNT_PARAMETER,
  };
}

/**
 * Raise each capacity parameter below its target to the target (never lowering one), so that a
 * deploy of the service stack from now on applies the promotion's capacity. Returns what it did, one
 * phrase per parameter written or missing.
 */
async function recordCapacity(settings: ScaleServiceSettings, ssm: SSMClient): Promise<string[]> {
  const records = [
    { name: settings.asgMinCapacityParameter, target: settings.asgMinCapacity },
    { name: settings.serviceDesiredCountParameter, target: settings.serviceDesiredCount },
  ];
  const current = await Promise.all(records.map((r) => readCapacityRecord(ssm, r.name)));
  const notes: string[] = [];
  for (const [i, record] of records.entries()) {
    const value = current[i];
    if (value === undefined) {
      // Not created here: the network stack's deploy would then fail on a parameter it did not create.
      notes.push(`parameter ${record.name} does not exist (deploy the network stack): not recorded`);
    } else if (!(value >= record.target)) {
      await writeCapacityRecord(ssm, record.name, record.target);
      notes.push(`parameter ${record.name} → ${record.target}`);
    }
  }
  return notes;
}

async function updateAsg(
  autoScaling: AutoScalingClient,
  name: string,
  update: { readonly MinSize: number; readonly DesiredCapacity: number; readonly MaxSize: number },
): Promise<void> {
  try {
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, ...update }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'ScalingActivityInProgress', 'ScalingActivityInProgressFault')) {
      const e = asError(err);
      throw new TransientAwsError(
        `UpdateAutoScalingGroup ${name}: ${e.name}: ${e.message} (retried: the ECS capacity provider scales ` +
          'the same group and AWS documents this as passing; the retry reads first and changes only what is still short)',
        { cause: e },
      );
    }
    rethrow(err, 'UpdateAutoScalingGroup');
  }
}

/**
 * Step `service`: record the targets in the region's capacity parameters (raising only), then raise
 * the ASG (MinSize/DesiredCapacity, and MaxSize if needed) and the ECS service's desiredCount to the
 * targets — never scaling in — then report PENDING until the service
 * is stable (one deployment, running == desired ≥ target) with at least the target count of healthy
 * targets in its target group, then READY.
 *
 * @throws ResourceNotFoundError the ASG, the cluster, the service or its target group does not exist
 * @throws InvalidStateError the service is draining or its deployment failed, or SSM refused a
 * capacity parameter write that needs an operator (e.g. ParameterMaxVersionLimitExceeded)
 * @throws WaitTimeoutError the step's time budget is spent
 * @throws TransientAwsError throttling, 5xx, network errors, or a scaling activity in progress on the
 * ASG, a concurrent write to a capacity parameter (TooManyUpdates), or a target-health read that
 * AWS reports as passing (retried by the state machine)
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
  // Intent first: a service-stack deploy between this write and the scaling applies the targets.
  const changes = await recordCapacity(settings, clients.ssm);
  if (progress.asgNeedsUpdate) {
    const target = settings.asgMinCapacity;
    const update = {
      MinSize: Math.max(progress.asg.min, target),
      DesiredCapacity: Math.max(progress.asg.desired, target),
      MaxSize: Math.max(progress.asg.max, target),
    };
    await updateAsg(clients.autoScaling, settings.asgName, update);
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
  // Raising only the ASG leaves a service already serving as it was: nothing left to wait for.
  if (!progress.serviceNeedsUpdate && progress.serving) return ready(call, detail, { changed: true });
  return pending(call, detail);
}
