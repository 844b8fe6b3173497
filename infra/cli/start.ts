import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { StartCommand } from './args';
import { credentialAdvice, errorText, isCredentialError } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { followToEnd } from './watch';

/** The ARN Step Functions gives execution `name` of `stateMachineArn`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * `start`: start the failover state machine of the region to promote, optionally following it.
 * Exit status: 0 started (or, with --follow, succeeded), 1 AWS refused or the run failed, 2 the name
 * is taken by an execution with another input.
 */
export async function runStart(ctx: CommandContext, cmd: StartCommand): Promise<number> {
  const { names, clients } = regionOf(ctx, cmd.role);
  const { stateMachineArn, region, account } = names;
  const input = { mode: cmd.mode, reason: cmd.reason, ...(cmd.dryRun ? { dryRun: true } : {}) };
  let executionArn: string;
  try {
    const started = await clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: cmd.name, input: JSON.stringify(input) }),
    );
    executionArn = started.executionArn ?? executionArnOf(stateMachineArn, cmd.name);
  } catch (err: unknown) {
    if (err instanceof ExecutionAlreadyExists) {
      ctx.deps.err(
        `error: an execution named ${cmd.name} already exists with a different input; choose another --name`,
      );
      return 2;
    }
    if (isCredentialError(err)) {
      ctx.deps.err(credentialAdvice(err, ctx.profile, account));
      return 1;
    }
    const hint = errorText(err).startsWith('AccessDeniedException')
      ? `\n  the credentials in use need states:StartExecution, states:DescribeExecution and states:GetExecutionHistory in ${region}`
      : '';
    ctx.deps.err(`error: could not start ${stateMachineArn} in ${region}: ${errorText(err)}${hint}`);
    return 1;
  }
  ctx.deps.out(`started ${executionArn}`);
  ctx.deps.out(`  promoting ${regionLabel(names)}, mode ${cmd.mode}${cmd.dryRun ? ', dry run' : ''}`);
  if (!cmd.follow) return 0;
  return followToEnd(ctx, clients.sfn, executionArn, names);
}
