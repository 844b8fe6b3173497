import { DescribeExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import type { FollowCommand } from './args';
import { isCredentialError } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { executionArnOf } from './start';
import { followToEnd } from './watch';

/** An execution `follow` cannot find: reported on one line, exit status 1. */
export class ExecutionNotFoundError extends Error {
  override readonly name = 'ExecutionNotFoundError';
}

/** The role whose state machine an execution ARN belongs to, if it is one of the project's. */
function roleOfArn(ctx: CommandContext, arn: string): RegionRole | undefined {
  const machine = arn.replace(':execution:', ':stateMachine:').split(':').slice(0, 7).join(':');
  return REGION_ROLES.find((r) => ctx.names.regions[r].stateMachineArn === machine);
}

/**
 * The ARN and region of `cmd.execution`: an ARN of the project's names as it is, a name looked up in
 * each of `cmd.roles`' state machines (the one where it exists).
 */
export async function locate(
  ctx: CommandContext,
  cmd: Pick<FollowCommand, 'execution' | 'roles'>,
): Promise<{ arn: string; role: RegionRole }> {
  if (cmd.execution.startsWith('arn:')) {
    const role = roleOfArn(ctx, cmd.execution);
    if (role === undefined) {
      throw new ExecutionNotFoundError(
        `${cmd.execution} is not an execution of ${ctx.names.project}'s state machines (--project?)`,
      );
    }
    return { arn: cmd.execution, role };
  }
  const found: { arn: string; role: RegionRole }[] = [];
  const unreachable: string[] = [];
  for (const role of cmd.roles) {
    const { names, clients } = regionOf(ctx, role);
    const arn = executionArnOf(names.stateMachineArn, cmd.execution);
    try {
      await clients.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      found.push({ arn, role });
    } catch (err: unknown) {
      if (err instanceof ExecutionDoesNotExist) continue;
      if (isCredentialError(err) || cmd.roles.length === 1) throw err;
      unreachable.push(regionLabel(names));
    }
  }
  const [only, second] = found;
  if (only !== undefined && second === undefined) return only;
  if (second !== undefined) {
    throw new ExecutionNotFoundError(`both regions have an execution named ${cmd.execution}: pass --region`);
  }
  const where = cmd.roles.map((r) => regionLabel(ctx.names.regions[r])).join(' or ');
  const down = unreachable.length > 0 ? ` (${unreachable.join(', ')} did not answer)` : '';
  throw new ExecutionNotFoundError(`no execution named ${cmd.execution} in ${where}${down}`);
}

/** `follow`: print each step of an execution as it finishes, then the state it left. */
export async function runFollow(ctx: CommandContext, cmd: FollowCommand): Promise<number> {
  const { arn, role } = await locate(ctx, cmd);
  const { names, clients } = regionOf(ctx, role);
  ctx.deps.out(`following ${arn}`);
  return followToEnd(ctx, clients.sfn, arn, names);
}
