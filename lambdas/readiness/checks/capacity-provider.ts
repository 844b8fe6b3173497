import type { CapacityProvider, Service } from '@aws-sdk/client-ecs';
import { failPart, type Part, passPart } from '../outcome';
import type { ReadinessReads } from '../reads';
import { capacityProviderFix } from '../service-fixes';
import type { ReadinessService, ReadinessSettings } from '../settings';

/**
 * Whether `provider` launches into the Auto Scaling group `asgName`. ECS keeps the group as it was
 * given when the provider was created: its ARN (`…:autoScalingGroupName/<name>`) or its name.
 */
export function isOnAsg(provider: CapacityProvider, asgName: string): boolean {
  const group = provider.autoScalingGroupProvider?.autoScalingGroupArn;
  return group !== undefined && (group === asgName || group.endsWith(`:autoScalingGroupName/${asgName}`));
}

/** `p (ASG g)`, `p (FARGATE: no Auto Scaling group)`, `p (does not exist)`: what a provider launches into. */
function providerText(name: string, provider: CapacityProvider | undefined): string {
  if (provider === undefined) return `${name} (does not exist)`;
  const group = provider.autoScalingGroupProvider?.autoScalingGroupArn;
  if (group === undefined) return `${name} (no Auto Scaling group)`;
  return `${name} (ASG ${group.slice(group.lastIndexOf('/') + 1)})`;
}

/**
 * `service` (ACTIVE) places its tasks through a capacity provider of the Auto Scaling group a
 * promotion raises (`settings.asgName`): its capacity provider strategy names one whose group is
 * that one. Without it the instances a promotion adds need not serve the service: another group's
 * provider, Fargate, or launch type EC2 on whatever instances the cluster has. One
 * DescribeCapacityProviders for every service (`reads.capacityProviders`).
 */
export async function capacityProviderPart(
  s: ReadinessSettings,
  reads: ReadinessReads,
  svc: ReadinessService,
  service: Service,
): Promise<Part> {
  const label = reads.serviceLabel(svc);
  const strategy = (service.capacityProviderStrategy ?? [])
    .map((i) => i.capacityProvider ?? '')
    .filter((n) => n !== '');
  if (strategy.length === 0) {
    return failPart(
      `ECS service ${label} has no capacity provider strategy (launch type ${service.launchType ?? 'not set'}): ASG ${s.asgName}, which a promotion raises, is not known to place its tasks`,
      capacityProviderFix(s, svc),
    );
  }
  const providers = await reads.capacityProviders();
  if (strategy.some((name) => isOnAsg(providers.get(name) ?? {}, s.asgName))) return passPart;
  return failPart(
    `ECS service ${label}'s capacity provider strategy names ${strategy.map((n) => providerText(n, providers.get(n))).join(', ')}: none on ASG ${s.asgName}, which a promotion raises`,
    capacityProviderFix(s, svc),
  );
}
