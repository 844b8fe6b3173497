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

/** DR's ECS services (every `services[]` entry, 10 per DescribeServices): tasks wanted and running. */
async function serviceLines(ctx: CommandContext): Promise<string[]> {
  const { names, clients } = regionOf(ctx, 'dr');
  const batches: (typeof names.services)[] = [];
  for (let i = 0; i < names.services.length; i += 10) batches.push(names.services.slice(i, i + 10));
  const lines = await Promise.all(
    batches.map(async (batch) => {
      try {
        const answer = await clients.ecs.send(
          new DescribeServicesCommand({
            cluster: names.ecsClusterName,
            services: batch.map((s) => s.ecsServiceName),
          }),
        );
        return batch.map((s) => {
          const service = answer.services?.find((found) => found.serviceName === s.ecsServiceName);
          if (service === undefined) return `  ECS ${s.entry} (${s.ecsServiceName}): not found`;
          return `  ECS ${s.entry} (${s.ecsServiceName}): ${service.desiredCount ?? 0} desired, ${service.runningCount ?? 0} running`;
        });
      } catch (err: unknown) {
        return batch.map((s) => `  ECS ${s.entry} (${s.ecsServiceName}): ${unreachable(err)}`);
      }
    }),
  );
  return lines.flat();
}

/** The DR capacity section: the shared ASG, then each service. */
export async function capacityLines(ctx: CommandContext): Promise<string[]> {
  const [asg, services] = await Promise.all([asgLine(ctx), serviceLines(ctx)]);
  return [`dr capacity: ${regionLabel(ctx.names.regions.dr)}`, asg, ...services];
}
