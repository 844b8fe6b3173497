import type { StatusCommand } from './args';
import type { CommandContext } from './context';
import { capacityLines } from './status-capacity';
import { databaseLines } from './status-database';
import { detectionLines } from './status-detection';
import { executionLines } from './status-executions';
import { readinessLines } from './status-readiness';
import { trafficLines } from './status-traffic';

/**
 * `status`: both regions at a glance. Every read runs at once and a region that does not answer is
 * shown as unreachable, so the command answers during the outage it is for. Exit status 0.
 */
export async function runStatus(ctx: CommandContext, _cmd: StatusCommand): Promise<number> {
  const { main, dr } = ctx.names.regions;
  const [database, traffic, capacity, readiness, detection, executions] = await Promise.all([
    databaseLines(ctx),
    trafficLines(ctx),
    capacityLines(ctx),
    readinessLines(ctx),
    detectionLines(ctx),
    executionLines(ctx),
  ]);
  const lines = [
    `project ${ctx.names.project}: main ${main.region}, dr ${dr.region}`,
    ...database,
    ...traffic,
    ...capacity,
    ...readiness,
    ...detection,
    ...executions,
  ];
  for (const line of lines) ctx.deps.out(line);
  return 0;
}
