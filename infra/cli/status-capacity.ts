import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { unreachable } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';

/** DR's ASG: instances wanted and in service. */
async function asgLine(ctx: CommandContext): Promise<string> {
  const { names, clients } = regionOf(ctx, 'dr');
  try {
    const answer = await clients.autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [names.asgName] }),
    );
    const group = answer.AutoScalingGroups?.[0];
    if (group === undefined) return `  ASG ${names.asgName}: not found`;
    const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length;
    return `  ASG ${names.asgName}: ${group.DesiredCapacity ?? 0} desired, ${inService} in service`;
  } catch (err: unknown) {
    return `  ASG ${names.asgName}: ${unreachable(err)}`;
  }
}

/** DR's ECS service: tasks wanted and running. */
async function serviceLine(ctx: CommandContext): Promise<string> {
  const { names, clients } = regionOf(ctx, 'dr');
  try {
    const answer = await clients.ecs.send(
      new DescribeServicesCommand({ cluster: names.ecsClusterName, services: [names.ecsServiceName] }),
    );
    const service = answer.services?.[0];
    if (service === undefined) return `  ECS ${names.ecsServiceName}: not found`;
    return `  ECS ${names.ecsServiceName}: ${service.desiredCount ?? 0} desired, ${service.runningCount ?? 0} running`;
  } catch (err: unknown) {
    return `  ECS ${names.ecsServiceName}: ${unreachable(err)}`;
  }
}

/** The DR capacity section. */
export async function capacityLines(ctx: CommandContext): Promise<string[]> {
  const lines = await Promise.all([asgLine(ctx), serviceLine(ctx)]);
  return [`dr capacity: ${regionLabel(ctx.names.regions.dr)}`, ...lines];
}
