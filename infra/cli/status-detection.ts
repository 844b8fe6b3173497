import {
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  GetMetricDataCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { RegionRole } from '../config/schema';
import { triggerNames } from '../config/trigger-names';
import { unreachable } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { formatTime } from './format';

/** How far back the dead-letter count is read: SQS reports its queue metrics once a minute. */
const COUNT_WINDOW_MS = 10 * 60_000;

/** A metric or composite alarm, as DescribeAlarms returns each. */
type DetectionAlarm = MetricAlarm | CompositeAlarm;

function since(alarm: DetectionAlarm): string {
  const at = alarm.StateUpdatedTimestamp;
  return at === undefined ? '' : ` since ${formatTime(at)}`;
}

async function alarms(
  ctx: CommandContext,
  role: RegionRole,
  input: DescribeAlarmsCommandInput,
): Promise<DetectionAlarm[]> {
  const answer = await regionOf(ctx, role).clients.cloudWatch.send(
    new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], ...input }),
  );
  return [...(answer?.MetricAlarms ?? []), ...(answer?.CompositeAlarms ?? [])];
}

/** The failover alarm: the one config names, or the probe's (CloudFormation names it after its logical id). */
async function failoverAlarmLine(ctx: CommandContext, role: RegionRole): Promise<string> {
  const { names } = regionOf(ctx, role);
  const existing = ctx.config.failover.alarm.existingAlarmName;
  const label = '  failover alarm';
  try {
    const [alarm] = await alarms(
      ctx,
      role,
      existing === undefined
        ? { AlarmNamePrefix: `${names.stacks.orchestrator}-TriggerAlarm` }
        : { AlarmNames: [existing] },
    );
    if (alarm === undefined) return `${label} not found (orchestrator not deployed?)`;
    const meaning = alarm.StateValue === 'ALARM' ? ': main is failing, a failover was started' : '';
    return `${label} ${alarm.StateValue ?? '?'}${since(alarm)}${meaning}`;
  } catch (err: unknown) {
    return `${label} ${unreachable(err)}`;
  }
}

/** "The probe is broken or blind", when this region runs the probe. */
async function probeLine(ctx: CommandContext, role: RegionRole): Promise<string | undefined> {
  if (ctx.config.failover.alarm.existingAlarmName !== undefined) return undefined;
  const t = triggerNames(regionOf(ctx, role).names);
  const label = '  probe         ';
  try {
    const [alarm] = await alarms(ctx, role, { AlarmNames: [t.probeAlarmName] });
    if (alarm === undefined) return `${label} no alarm ${t.probeAlarmName}`;
    if (alarm.StateValue === 'OK') return `${label} reporting${since(alarm)}`;
    if (alarm.StateValue === 'ALARM') {
      return (
        `${label} BROKEN OR BLIND${since(alarm)}: it cannot tell whether main is down and starts nothing; ` +
        "check main yourself, and the probe function's logs"
      );
    }
    return `${label} ${alarm.StateValue ?? '?'}${since(alarm)}`;
  } catch (err: unknown) {
    return `${label} ${unreachable(err)}`;
  }
}

/** The visible messages in the alarm rule's dead-letter queue (the latest count SQS reported). */
async function deadLetterLine(ctx: CommandContext, role: RegionRole): Promise<string> {
  const { names, clients } = regionOf(ctx, role);
  const t = triggerNames(names);
  const label = '  dead letters  ';
  const end = ctx.deps.now();
  try {
    const answer = await clients.cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - COUNT_WINDOW_MS),
        EndTime: end,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: [
          {
            Id: 'visible',
            MetricStat: {
              Metric: {
                Namespace: 'AWS/SQS',
                MetricName: 'ApproximateNumberOfMessagesVisible',
                Dimensions: [{ Name: 'QueueName', Value: t.deadLetterQueueName }],
              },
              Period: 60,
              Stat: 'Maximum',
            },
          },
        ],
      }),
    );
    // An idle, empty queue stops reporting: no data is none.
    const count = answer?.MetricDataResults?.[0]?.Values?.[0] ?? 0;
    if (count < 1) return `${label} 0 in ${t.deadLetterQueueName}`;
    return (
      `${label} ${count} in ${t.deadLetterQueueName}: the failover alarm fired but the state machine did not start ` +
      "(the message's ERROR_CODE and ERROR_MESSAGE say why). Start it: " +
      `npm run failover -- start --region ${role} --mode auto --reason "the alarm's start was lost" --follow; then delete the message`
    );
  } catch (err: unknown) {
    return `${label} ${unreachable(err)}`;
  }
}

/**
 * The detection section, for each region the alarm starts: the failover alarm's state, whether the
 * probe reports (or is broken or blind), and the dead letters of the rule that starts the failover.
 */
export async function detectionLines(ctx: CommandContext): Promise<string[]> {
  const sections = await Promise.all(
    ctx.config.failover.alarm.regions.map(async (role) => {
      const [failover, probe, letters] = await Promise.all([
        failoverAlarmLine(ctx, role),
        probeLine(ctx, role),
        deadLetterLine(ctx, role),
      ]);
      return [
        `detection: the alarm that starts ${regionLabel(regionOf(ctx, role).names)}`,
        failover,
        ...(probe === undefined ? [] : [probe]),
        letters,
      ];
    }),
  );
  return sections.flat();
}
