import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { PreflightEvent, PreflightStatus, Timings } from '../shared/contracts';
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
  /** The steps' wait settings: they bound how long before the window a promotion may have started. */
  readonly timings: Timings;
}

/** Executions per ListExecutions page (the API allows up to 1000; one page covers a busy window). */
const PAGE_SIZE = 100;

/**
 * Room for what runs beyond the steps' budgets: the state machine's retry policies (≈ 7 min for
 * Route 53's control plane, ≈ 1.5 min for other Tasks) and the notifications.
 */
const RETRY_MARGIN_MINUTES = 15;

/**
 * How long a promoting execution can run, at most: every step spending its whole budget one after
 * the other (two of them run in parallel, so this overstates it), each check possibly overrunning
 * by one polling window, plus {@link RETRY_MARGIN_MINUTES}.
 */
function longestRunMinutes(timings: Timings): number {
  const steps = Object.values(timings);
  const budgets = steps.reduce((sum, t) => sum + t.budgetMinutes, 0);
  const windows = steps.reduce((sum, t) => sum + t.windowSeconds, 0) / 60;
  return Math.ceil(budgets + windows) + RETRY_MARGIN_MINUTES;
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

/**
 * Every SUCCEEDED execution that started after `startedAfter`, page by page. ListExecutions lists
 * the newest first, so the first page holding an older one is the last page needed.
 */
async function listSucceededSince(
  sfn: SFNClient,
  stateMachineArn: string,
  startedAfter: Date,
): Promise<ExecutionListItem[]> {
  const executions: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('ListExecutions', () =>
      sfn.send(
        new ListExecutionsCommand({
          stateMachineArn,
          statusFilter: 'SUCCEEDED',
          maxResults: PAGE_SIZE,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      ),
    );
    const items = page.executions ?? [];
    executions.push(...items);
    if (items.some((e) => e.startDate !== undefined && e.startDate < startedAfter)) break;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return executions;
}

/** The latest SUCCEEDED execution within the cool-down whose output says it promoted. */
async function findRecentPromotion(
  sfn: SFNClient,
  stateMachineArn: string,
  { coolDownMinutes, timings }: GuardSettings,
  now: Date,
): Promise<RecentPromotion | undefined> {
  if (coolDownMinutes === 0) return undefined;
  const windowMs = coolDownMinutes * 60_000;
  // An execution that stopped inside the window may have started up to its longest run before it.
  const startedAfter = new Date(now.getTime() - windowMs - longestRunMinutes(timings) * 60_000);
  const executions = await listSucceededSince(sfn, stateMachineArn, startedAfter);
  const recent = executions
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
 * `coolDownMinutes` after one that promoted (every execution that stopped in that window is read,
 * across as many ListExecutions pages as it takes). Returns why this execution must end without
 * acting, or undefined when it may go on. Reads Step Functions only.
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
  const recent = await findRecentPromotion(sfn, event.stateMachineArn, settings, now);
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
