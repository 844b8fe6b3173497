import { userInfo } from 'node:os';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { APPROVAL_DENIED_ERROR } from '../../lambdas/shared/approval';
import type { ApprovalDecision } from '../../lambdas/shared/contracts';
import type { DecideCommand } from './args';
import { errorText } from './aws-errors';
import { type CommandContext, regionOf } from './context';
import { locate } from './follow';

/** `approve`/`deny` cannot answer: the execution is not waiting, or the token is no longer valid. */
export class NotWaitingForApprovalError extends Error {
  override readonly name = 'NotWaitingForApprovalError';
}

/** The approval request's kind in the notify Lambda's payload (`statemachines/build/approval.ts`). */
const APPROVAL_REQUESTED = 'APPROVAL_REQUESTED';
/** Events that follow the approval Task's scheduling while it still waits for an answer. */
const STILL_WAITING = new Set(['TaskStarted', 'TaskSubmitted']);
/** SendTaskFailure's `error` and `cause` limits (API reference). */
const MAX_CAUSE = 32_768;

interface Obj {
  readonly [key: string]: unknown;
}
const asObj = (v: unknown): Obj | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;

/** The token of an approval request Task, from its TaskScheduled event's parameters. */
function tokenOf(event: HistoryEvent): string | undefined {
  const details = event.taskScheduledEventDetails;
  if (details?.resourceType !== 'lambda' || details.resource !== 'invoke.waitForTaskToken') return undefined;
  let parameters: unknown;
  try {
    parameters = JSON.parse(details.parameters ?? '');
  } catch {
    return undefined;
  }
  const payload = asObj(asObj(parameters)?.Payload);
  const token = payload?.taskToken;
  return payload?.kind === APPROVAL_REQUESTED && typeof token === 'string' ? token : undefined;
}

/**
 * The task token of the approval `executionArn` waits for, read from its history newest first: the
 * latest TaskScheduled of the approval request, with nothing after it but the Task starting. The
 * gate runs alone (before the Parallel), so any other later event means it was already passed.
 *
 * @throws NotWaitingForApprovalError the execution has ended or is not at the approval gate
 */
export async function approvalToken(sfn: SFNClient, executionArn: string): Promise<string> {
  const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  if (described.status !== 'RUNNING') {
    throw new NotWaitingForApprovalError(
      `${executionArn} is ${String(described.status)}: it is not waiting for approval`,
    );
  }
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        includeExecutionData: true,
        nextToken,
      }),
    );
    for (const event of page.events ?? []) {
      const token = tokenOf(event);
      if (token !== undefined) return token;
      if (!STILL_WAITING.has(event.type ?? '')) {
        throw new NotWaitingForApprovalError(
          `${executionArn} is not waiting for approval (its latest event is ${String(event.type)}); approval applies only while the run is at AwaitApproval`,
        );
      }
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  throw new NotWaitingForApprovalError(`${executionArn} has not asked for approval`);
}

/** What a person decided, and who they are. */
export type Answer =
  | { readonly approve: true; readonly by: string; readonly reason?: string; readonly at: Date }
  | { readonly approve: false; readonly by: string; readonly reason: string };

/** The cause a deny carries: the NO_ACTION notice prints it as "approval denied: <cause>". */
export function denyCause(by: string, reason: string): string {
  return `denied by ${by}: ${reason}`.slice(0, MAX_CAUSE);
}

/**
 * Send `answer` for `token`: SendTaskSuccess with the {@link ApprovalDecision} as the Task's output,
 * or SendTaskFailure with {@link APPROVAL_DENIED_ERROR}.
 *
 * @throws NotWaitingForApprovalError the request timed out, or the token is unknown or answered
 */
export async function sendAnswer(sfn: SFNClient, token: string, answer: Answer): Promise<void> {
  try {
    if (answer.approve) {
      const output: ApprovalDecision = {
        outcome: 'APPROVED',
        approver: answer.by,
        ...(answer.reason === undefined ? {} : { reason: answer.reason }),
        approvedAt: answer.at.toISOString(),
      };
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    } else {
      await sfn.send(
        new SendTaskFailureCommand({
          taskToken: token,
          error: APPROVAL_DENIED_ERROR,
          cause: denyCause(answer.by, answer.reason),
        }),
      );
    }
  } catch (err: unknown) {
    if (err instanceof TaskTimedOut) {
      throw new NotWaitingForApprovalError(
        'the approval request timed out before this answer arrived: the run followed failover.approval.onTimeout',
      );
    }
    if (err instanceof TaskDoesNotExist || err instanceof InvalidToken) {
      throw new NotWaitingForApprovalError(
        `the approval request is no longer open (already answered, or the run ended): ${errorText(err)}`,
      );
    }
    throw err;
  }
}

/** The person answering: the OS user running the CLI. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown user';
  }
}

/**
 * `approve` / `deny`: answer the approval an execution waits for (task token from its history).
 * Exit status: 0 answered, 1 not waiting (or AWS refused).
 */
export async function runDecide(
  ctx: CommandContext,
  cmd: DecideCommand,
  user: string = osUser(),
): Promise<number> {
  const { arn, role } = await locate(ctx, cmd);
  const { clients } = regionOf(ctx, role);
  try {
    const token = await approvalToken(clients.sfn, arn);
    const answer: Answer =
      cmd.command === 'approve'
        ? {
            approve: true,
            by: user,
            ...(cmd.reason === undefined ? {} : { reason: cmd.reason }),
            at: ctx.deps.now(),
          }
        : { approve: false, by: user, reason: cmd.reason ?? '' };
    await sendAnswer(clients.sfn, token, answer);
  } catch (err: unknown) {
    if (err instanceof NotWaitingForApprovalError) {
      ctx.deps.err(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
  ctx.deps.out(
    cmd.command === 'approve'
      ? `approved ${arn} as ${user}: the failover proceeds`
      : `denied ${arn} as ${user}: the run ends without changing anything`,
  );
  return 0;
}
