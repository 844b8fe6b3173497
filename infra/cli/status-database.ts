import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import { unreachable } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';

/**
 * Database `index` (`databases[]`) as `role`'s RDS endpoint describes it: the writer, and a
 * switchover in flight.
 */
async function seenFrom(ctx: CommandContext, index: number, role: RegionRole): Promise<string> {
  const { names, clients } = regionOf(ctx, role);
  const label = regionLabel(names).padEnd(16);
  const database = names.databases[index];
  if (database === undefined) return `  seen from ${label} no such database`;
  try {
    const answer = await clients.rds.send(
      new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: database.globalClusterIdentifier }),
    );
    const cluster = answer.GlobalClusters?.[0];
    if (cluster === undefined) return `  seen from ${label} no global cluster`;
    const writerArn = cluster.GlobalClusterMembers?.find((m) => m.IsWriter)?.DBClusterArn;
    const writerRole = REGION_ROLES.find(
      (r) => ctx.names.regions[r].databases[index]?.dbClusterArn === writerArn,
    );
    const writer = writerRole ?? writerArn ?? 'none';
    const moving = cluster.FailoverState?.Status
      ? `, ${cluster.FailoverState.Status} to ${cluster.FailoverState.ToDbClusterArn ?? '?'}`
      : '';
    return `  seen from ${label} writer ${writer}, global status ${cluster.Status ?? '?'}${moving}`;
  } catch (err: unknown) {
    return `  seen from ${label} ${unreachable(err)}`;
  }
}

/** The database section: each global cluster's writer as each region sees it. */
export async function databaseLines(ctx: CommandContext): Promise<string[]> {
  const sections = await Promise.all(
    ctx.names.regions.main.databases.map(async (database, index) => {
      const lines = await Promise.all(REGION_ROLES.map((r) => seenFrom(ctx, index, r)));
      return [`database ${database.entry}: global cluster ${database.globalClusterIdentifier}`, ...lines];
    }),
  );
  return sections.flat();
}
