import { GetExecutionHistoryCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { stepOfState } from '../../lambdas/shared/steps';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import { unreachable } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { formatDuration, formatTime } from './format';

/**
 * The newest history events cover the current step: a step's poll loop enters at most a few
 * states (act, wait, check, choice) per round, and the newest page is read first.
 */
const HISTORY_TAIL = 100;

/** The step (as named in `lambdas/shared/steps.ts`) the execution last entered, if any. */
async function lastStep(sfn: SFNClient, executionArn: string): Promise<string | undefined> {
  const page = await sfn.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: HISTORY_TAIL }),
  );
  for (const e of page.events ?? []) {
    const state = e.stateEnteredEventDetails?.name;
    const step = state === undefined ? undefined : stepOfState(state);
    if (step) return step.label;
  }
  return undefined;
}

/** `role`'s running or last execution: status, start, duration, and its current or last step. */
async function executionLine(ctx: CommandContext, role: RegionRole): Promise<string> {
  const { names, clients } = regionOf(ctx, role);
  const label = `  ${regionLabel(names).padEnd(16)}`;
  try {
    const page = await clients.sfn.send(
      // Single flight: at most one execution runs, so the newest is the running one if any.
      new ListExecutionsCommand({ stateMachineArn: names.stateMachineArn, maxResults: 1 }),
    );
    const last = page.executions?.[0];
    if (last === undefined || last.executionArn === undefined) return `${label} no executions`;
    const running = last.status === 'RUNNING';
    const end = last.stopDate ?? ctx.deps.now();
    const took = last.startDate ? formatDuration(end.getTime() - last.startDate.getTime()) : '?';
    const step = await lastStep(clients.sfn, last.executionArn);
    const at = step === undefined ? '' : `, ${running ? 'current' : 'last'} step ${step}`;
    return (
      `${label} ${last.status ?? '?'} ${last.name ?? ''} started ${formatTime(last.startDate)}, ` +
      `${running ? 'running for' : 'took'} ${took}${at}`
    );
  } catch (err: unknown) {
    return `${label} ${unreachable(err)}`;
  }
}

/** The executions section: each region's running or last execution. */
export async function executionLines(ctx: CommandContext): Promise<string[]> {
  const lines = await Promise.all(REGION_ROLES.map((r) => executionLine(ctx, r)));
  return ['executions:', ...lines];
}
