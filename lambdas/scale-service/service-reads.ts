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
import type { ServiceOf } from '../shared/resources';

/** DescribeServices describes at most this many services per call (ECS API reference). */
export const MAX_SERVICES_PER_DESCRIBE = 10;

/** The shared Auto Scaling group. */
export async function describeAsg(autoScaling: AutoScalingClient, name: string): Promise<AutoScalingGroup> {
  const out = await awsCall('DescribeAutoScalingGroups', () =>
    autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })),
  );
  const group = out.AutoScalingGroups?.[0];
  if (group === undefined) throw new ResourceNotFoundError(`Auto Scaling group ${name} does not exist`);
  return group;
}

async function describeBatch(ecs: ECSClient, cluster: string, names: readonly string[]): Promise<Service[]> {
  let out: DescribeServicesCommandOutput;
  try {
    out = await ecs.send(new DescribeServicesCommand({ cluster, services: [...names] }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'ClusterNotFoundException')) {
      throw new ResourceNotFoundError(`ECS cluster ${cluster} does not exist`, { cause: err });
    }
    rethrow(err, 'DescribeServices');
  }
  return out.services ?? [];
}

/**
 * Each of `entries`' ECS services in `cluster`, in the order given: one DescribeServices per
 * {@link MAX_SERVICES_PER_DESCRIBE} services, the batches at once.
 *
 * @throws ResourceNotFoundError the cluster, or any service, does not exist (or is INACTIVE); the
 * message names every such entry
 * @throws InvalidStateError a service is DRAINING (being deleted); the message names every such entry
 * @throws TransientAwsError throttling, 5xx, network errors
 */
export async function describeServices(
  ecs: ECSClient,
  cluster: string,
  entries: readonly ServiceOf<'ecsService'>[],
): Promise<Service[]> {
  const batches: string[][] = [];
  for (let i = 0; i < entries.length; i += MAX_SERVICES_PER_DESCRIBE) {
    batches.push(entries.slice(i, i + MAX_SERVICES_PER_DESCRIBE).map((e) => e.ecsService));
  }
  const found = (await Promise.all(batches.map((b) => describeBatch(ecs, cluster, b)))).flat();
  const byName = new Map(found.map((s) => [s.serviceName, s]));
  const services = entries.map((e) => byName.get(e.ecsService));
  const missing = entries.filter((_, i) => services[i] === undefined || services[i]?.status === 'INACTIVE');
  if (missing.length > 0) {
    throw new ResourceNotFoundError(
      missing
        .map(
          (e) =>
            `service ${e.name}: ECS service ${e.ecsService} in cluster ${cluster} does not exist (or is INACTIVE)`,
        )
        .join('; '),
    );
  }
  const draining = entries.filter((_, i) => services[i]?.status === 'DRAINING');
  if (draining.length > 0) {
    throw new InvalidStateError(
      draining
        .map(
          (e) =>
            `service ${e.name}: ECS service ${e.ecsService} in cluster ${cluster} is DRAINING (being deleted)`,
        )
        .join('; '),
    );
  }
  return services as Service[];
}

/**
 * Targets of `targetGroupArn` by health. HealthUnavailable (a 500) and InvalidTarget (a task being
 * registered or deregistered as the read runs) are passing states: transient, read again.
 *
 * @throws ResourceNotFoundError the target group does not exist
 * @throws TransientAwsError HealthUnavailable, InvalidTarget, throttling, 5xx, network errors
 */
export async function describeTargetHealth(
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
