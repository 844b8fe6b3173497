import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { claimOfAlarmState } from '../../lambdas/shared/traffic-claim';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import { errorText, unreachable } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';

/** `role`'s traffic-claim alarm and what its state says about the claim. */
async function claimLine(ctx: CommandContext, role: RegionRole): Promise<string> {
  const { names, clients } = regionOf(ctx, role);
  const label = `  ${`${role} claim`.padEnd(9)}`;
  try {
    const answer = await clients.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [names.trafficClaimAlarmName] }),
    );
    const alarm = answer.MetricAlarms?.[0];
    if (alarm === undefined) return `${label} no alarm ${names.trafficClaimAlarmName} in ${names.region}`;
    const claims = claimOfAlarmState(role, alarm.StateValue);
    const meaning =
      claims === undefined ? 'no data' : claims ? `${role} claims traffic` : `${role} does not claim traffic`;
    return `${label} ${alarm.StateValue ?? '?'}: ${meaning}`;
  } catch (err: unknown) {
    return `${label} ${unreachable(err)} (${regionLabel(names)})`;
  }
}

/**
 * Which region one of the application's hostnames answers with, by comparing the zone's
 * authoritative answers for it with those for each regional record (both are aliases to an ALB, so
 * they share addresses).
 */
async function answerLine(ctx: CommandContext, app: string): Promise<string> {
  const dns = ctx.deps.dnsFor(ctx.config.dns.zoneName);
  try {
    const [appAnswer, ...regional] = await Promise.all([
      dns.resolve4(app),
      ...REGION_ROLES.map((r) => dns.resolve4(ctx.names.regions[r].regionalRecordName)),
    ]);
    const addresses = appAnswer ?? [];
    if (addresses.length === 0) return `  ${app} answers nothing`;
    const matches = REGION_ROLES.filter((_, i) => regional[i]?.some((a) => addresses.includes(a)));
    const where =
      matches.length === 1 ? matches[0] : matches.length === 0 ? 'neither region' : 'both regions';
    return `  ${app} answers ${where} (${addresses.join(', ')})`;
  } catch (err: unknown) {
    return `  ${app} unresolved (${errorText(err)})`;
  }
}

/** The traffic section: where each hostname resolves (data plane) and each region's claim. */
export async function trafficLines(ctx: CommandContext): Promise<string[]> {
  const lines = await Promise.all([
    ...ctx.names.hostnames.map((app) => answerLine(ctx, app)),
    ...REGION_ROLES.map((r) => claimLine(ctx, r)),
  ]);
  return ['traffic:', ...lines];
}
