import { loadConfig } from '../config/load';
import { projectNames } from '../config/names';
import { runDecide } from './approve';
import { type Command, parseCommand } from './args';
import { credentialAdvice, errorText, isCredentialError } from './aws-errors';
import { runBackups } from './backups';
import type { CommandContext } from './context';
import type { CliDeps } from './deps';
import { ExecutionNotFoundError, runFollow } from './follow';
import { runList } from './list';
import { reportSetupError } from './setup-errors';
import { runStart } from './start';
import { runStatus } from './status';

function dispatch(ctx: CommandContext, cmd: Exclude<Command, { command: 'help' }>): Promise<number> {
  switch (cmd.command) {
    case 'start':
      return runStart(ctx, cmd);
    case 'status':
      return runStatus(ctx, cmd);
    case 'list':
      return runList(ctx, cmd);
    case 'follow':
      return runFollow(ctx, cmd);
    case 'approve':
    case 'deny':
      return runDecide(ctx, cmd);
    case 'backups':
      return runBackups(ctx, cmd);
  }
}

/**
 * Run one CLI invocation. Returns the exit status: 0 done (or help shown), 1 AWS refused, a run
 * failed or nothing answered, 2 bad flags or config (nothing was asked of AWS).
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let ctx: CommandContext;
  let cmd: Command;
  try {
    cmd = parseCommand(argv, deps.now());
    if (cmd.command === 'help') {
      deps.out(cmd.usage);
      return 0;
    }
    const config = loadConfig(cmd.project, deps.configDir);
    ctx = { deps, config, names: projectNames(config), profile: cmd.profile };
  } catch (err: unknown) {
    return reportSetupError(err, deps.err);
  }
  try {
    return await dispatch(ctx, cmd);
  } catch (err: unknown) {
    if (isCredentialError(err)) {
      const accounts = [...new Set(Object.values(ctx.names.regions).map((r) => r.account))];
      deps.err(credentialAdvice(err, ctx.profile, accounts.join(' and ')));
      return 1;
    }
    deps.err(`error: ${err instanceof ExecutionNotFoundError ? err.message : errorText(err)}`);
    return 1;
  }
}

/** {@link runCli}, with an unexpected error reported as one `error:` line and exit status 1. */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    return await runCli(argv, deps);
  } catch (err: unknown) {
    deps.err(`error: ${err instanceof Error ? err.message : String(err)}`.replace(/\s*\n\s*/g, ' '));
    return 1;
  }
}
