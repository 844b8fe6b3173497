import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { PreflightEvent, PreflightStatus } from '../shared/contracts';
import { awsCall } from '../shared/errors';

/** Why this execution must end without acting. */
export interface GuardStop {
  readonly status: Extract<PreflightStatus, 'IN_FLIGHT' | 'COOL_DOWN'>;
  readonly message: string;
}

export interface GuardSettings {
  readonly targetRegion: string;
  /** After an execution that promoted, later triggers end without acting for this long. 0 = off. */
  readonly coolDownMinutes: number;
}

/** The earliest other RUNNING execution that started before this one (ties: lower ARN first). */
async function findEarlierRunning(
  sfn: SFNClient,
  event: PreflightEvent,
  startTime: Date,
): Promise<ExecutionListItem | undefined> {
  const running: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('ListExecutions', () =>
      sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: event.stateMachineArn,
          statusFilter: 'RUNNING',
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      ),
    );
    running.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  const own = startTime.getTime();
  const earlier = running.filter((e) => {
    if (e.executionArn === event.executionArn || e.startDate === undefined) return false;
    const t = e.startDate.getTime();
    return t < own || (t === own && (e.executionArn ?? '') < event.executionArn);
  });
  earlier.sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0));
  return earlier[0];
}

interface RecentPromotion {
  readonly executionArn: string;
  readonly stopDate: Date;
  readonly coolDownEnds: Date;
}

function outcomeOf(output: string | undefined): unknown {
  if (output === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(output);
    return parsed !== null && typeof parsed === 'object'
      ? (parsed as { outcome?: unknown }).outcome
      : undefined;
  } catch {
    // Outputs of executions that ended early (or of other versions) need not be JSON objects.
    return undefined;
  }
}

/** The latest SUCCEEDED execution within the cool-down whose output says it promoted. */
async function findRecentPromotion(
  sfn: SFNClient,
  stateMachineArn: string,
  coolDownMinutes: number,
  now: Date,
): Promise<RecentPromotion | undefined> {
  if (coolDownMinutes === 0) return undefined;
  const windowMs = coolDownMinutes * 60_000;
  const page = await awsCall('ListExecutions', () =>
    sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 20 })),
  );
  const recent = (page.executions ?? [])
    .filter((e) => e.stopDate !== undefined && e.executionArn !== undefined)
    .filter((e) => now.getTime() - (e.stopDate?.getTime() ?? 0) < windowMs)
    .sort((a, b) => (b.stopDate?.getTime() ?? 0) - (a.stopDate?.getTime() ?? 0));
  for (const e of recent) {
    if (e.executionArn === undefined || e.stopDate === undefined) continue;
    const arn = e.executionArn;
    const described = await awsCall('DescribeExecution', () =>
      sfn.send(new DescribeExecutionCommand({ executionArn: arn })),
    );
    if (outcomeOf(described.output) === 'PROMOTED') {
      return {
        executionArn: arn,
        stopDate: e.stopDate,
        coolDownEnds: new Date(e.stopDate.getTime() + windowMs),
      };
    }
  }
  return undefined;
}

/**
 * Single flight and cool-down: at most one promotion in flight per state machine, and none within
 * `coolDownMinutes` after one that promoted. Returns why this execution must end without acting,
 * or undefined when it may go on. Reads Step Functions only.
 *
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
 */
export async function checkGuards(
  sfn: SFNClient,
  event: PreflightEvent,
  startTime: Date,
  settings: GuardSettings,
  now: Date,
): Promise<GuardStop | undefined> {
  const earlier = await findEarlierRunning(sfn, event, startTime);
  if (earlier !== undefined) {
    return {
      status: 'IN_FLIGHT',
      message:
        `Execution ${earlier.executionArn ?? 'unknown'} (started ${earlier.startDate?.toISOString() ?? 'earlier'}) ` +
        'is already promoting this region, so this one ends without acting.',
    };
  }
  const recent = await findRecentPromotion(sfn, event.stateMachineArn, settings.coolDownMinutes, now);
  if (recent !== undefined) {
    return {
      status: 'COOL_DOWN',
      message:
        `Execution ${recent.executionArn} promoted ${settings.targetRegion} at ${recent.stopDate.toISOString()}; ` +
        `the ${settings.coolDownMinutes}-minute cool-down ends at ${recent.coolDownEnds.toISOString()}, so this one ends without acting.`,
    };
  }
  return undefined;
}
