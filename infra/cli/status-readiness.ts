import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import { unreachable } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { formatTime } from './format';

/** What the readiness alarm's state says about the region (`infra/constructs/readiness-evaluator.ts`). */
function meaning(alarm: MetricAlarm, role: RegionRole): string {
  const at = alarm.StateUpdatedTimestamp;
  const since = at === undefined ? '' : ` since ${formatTime(at)}`;
  switch (alarm.StateValue) {
    case 'OK':
      return `ready${since}`;
    case 'ALARM':
      // The reason names the red datapoint; the checks behind it: npm run readiness.
      return (
        `NOT READY${since}: ${(alarm.StateReason ?? 'no reason given').replace(/\s*\n\s*/g, ' ')} ` +
        `(details: npm run readiness -- --region ${role})`
      );
    case 'INSUFFICIENT_DATA':
      return `not evaluated${since}: no readiness evaluation reported (not run yet, or the evaluator is silent)`;
    default:
      return `${alarm.StateValue ?? '?'}${since}`;
  }
}

/** `role`'s readiness, as its readiness alarm (in that region) holds it. */
async function readinessLine(ctx: CommandContext, role: RegionRole): Promise<string> {
  const { names, clients } = regionOf(ctx, role);
  const label = `  ${regionLabel(names).padEnd(16)}`;
  try {
    const answer = await clients.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [names.readinessAlarmName] }),
    );
    const alarm = answer.MetricAlarms?.[0];
    if (alarm === undefined)
      return `${label} no alarm ${names.readinessAlarmName} (orchestrator not deployed?)`;
    return `${label} ${meaning(alarm, role)}`;
  } catch (err: unknown) {
    return `${label} ${unreachable(err)}`;
  }
}

/** The readiness section: whether each region could be promoted now, by its last evaluation. */
export async function readinessLines(ctx: CommandContext): Promise<string[]> {
  const lines = await Promise.all(REGION_ROLES.map((r) => readinessLine(ctx, r)));
  return ['readiness:', ...lines];
}
