import { createInterface } from 'node:readline/promises';
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RegionNames } from '../config/names';
import type { StartCommand } from './args';
import { credentialAdvice, errorText, isCredentialError } from './aws-errors';
import { type CommandContext, regionLabel, regionOf } from './context';
import { followToEnd } from './watch';

/** The ARN Step Functions gives execution `name` of `stateMachineArn`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Asks the operator one question on the terminal; undefined when there is no terminal to ask on. */
export type Prompt = (question: string) => Promise<string | undefined>;

/** {@link Prompt} on this process's terminal (stdin and stdout both a TTY). */
export function terminalPrompt(): Prompt {
  return async (question) => {
    if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) return undefined;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}

/**
 * An unplanned failover may lose the writes not yet replicated: started by hand, the operator types
 * the region's name first (or passed `--yes`). Returns the exit status when not confirmed.
 */
async function unconfirmed(
  ctx: CommandContext,
  names: RegionNames,
  prompt: Prompt,
): Promise<number | undefined> {
  const answer = await prompt(
    `Unplanned failover to ${regionLabel(names)}: the global database fails over with AllowDataLoss (writes not yet replicated are lost).
Type the region name (${names.region}) to confirm: `,
  );
  if (answer === undefined) {
    ctx.deps.err(
      'error: --mode unplanned needs a typed confirmation and there is no terminal: pass --yes to start it',
    );
    return 2;
  }
  if (answer.trim() !== names.region) {
    ctx.deps.err(
      `error: not confirmed (typed '${answer.trim()}', expected '${names.region}'): nothing started`,
    );
    return 2;
  }
  return undefined;
}

/**
 * `start`: start the failover state machine of the region to promote, optionally following it.
 * A real (not dry-run) unplanned start asks for the region's name first unless `--yes`.
 * Exit status: 0 started (or, with --follow, succeeded), 1 AWS refused or the run failed, 2 the name
 * is taken by an execution with another input, or an unplanned start was not confirmed.
 */
export async function runStart(
  ctx: CommandContext,
  cmd: StartCommand,
  prompt: Prompt = terminalPrompt(),
): Promise<number> {
  const { names, clients } = regionOf(ctx, cmd.role);
  const { stateMachineArn, region, account } = names;
  if (cmd.mode === 'unplanned' && !cmd.dryRun && !cmd.yes) {
    const refused = await unconfirmed(ctx, names, prompt);
    if (refused !== undefined) return refused;
  }
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
