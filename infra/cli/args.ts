import { FAILOVER_MODES, type FailoverMode } from '../../lambdas/shared/contracts';
import { problemsOf } from '../../lambdas/shared/describe-issues';
import { ExecutionInputSchema } from '../../lambdas/shared/execution-input-schema';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import { expected, type FlagSpec, type ParsedFlags, parseFlags, UsageError } from './flags';
import {
  APPROVE_USAGE,
  BACKUPS_USAGE,
  DENY_USAGE,
  FOLLOW_USAGE,
  GLOBAL_USAGE,
  LIST_USAGE,
  START_USAGE,
  STATUS_USAGE,
} from './usage';

/** The project every command reads when `--project` is not given. */
export const DEFAULT_PROJECT = 'base';
/** `list` without `--limit`: a screenful. */
export const DEFAULT_LIST_LIMIT = 10;
/** ListExecutions returns at most 1000 a page; `list` reads one page per region. */
export const MAX_LIST_LIMIT = 1000;

interface Common {
  readonly project: string;
  readonly profile: string | undefined;
}

export interface StartCommand extends Common {
  readonly command: 'start';
  readonly role: RegionRole;
  readonly mode: FailoverMode;
  readonly reason: string;
  readonly dryRun: boolean;
  readonly follow: boolean;
  readonly name: string;
  /** `--yes`: start an unplanned run without the typed confirmation. */
  readonly yes: boolean;
}
export interface StatusCommand extends Common {
  readonly command: 'status';
}
export interface BackupsCommand extends Common {
  readonly command: 'backups';
}
export interface ListCommand extends Common {
  readonly command: 'list';
  readonly roles: readonly RegionRole[];
  readonly limit: number;
}
export interface FollowCommand extends Common {
  readonly command: 'follow';
  /** An execution ARN, or a name to look up in {@link roles}' state machines. */
  readonly execution: string;
  readonly roles: readonly RegionRole[];
}
/** `approve` / `deny`: answer the approval an execution waits for. */
export interface DecideCommand extends Common {
  readonly command: 'approve' | 'deny';
  /** An execution ARN, or a name to look up in {@link roles}' state machines. */
  readonly execution: string;
  readonly roles: readonly RegionRole[];
  /** Required to deny: the NO_ACTION notice tells who denied and why. */
  readonly reason?: string;
}
/** `--help`: print `usage` on stdout and exit 0. */
export interface HelpCommand {
  readonly command: 'help';
  readonly usage: string;
}
export type Command =
  | StartCommand
  | StatusCommand
  | BackupsCommand
  | ListCommand
  | FollowCommand
  | DecideCommand
  | HelpCommand;

const COMMANDS = ['start', 'status', 'list', 'follow', 'approve', 'deny', 'backups'] as const;
type CommandName = (typeof COMMANDS)[number];

const USAGES: Readonly<Record<CommandName, string>> = {
  start: START_USAGE,
  status: STATUS_USAGE,
  list: LIST_USAGE,
  follow: FOLLOW_USAGE,
  approve: APPROVE_USAGE,
  deny: DENY_USAGE,
  backups: BACKUPS_USAGE,
};

const SPECS: Readonly<Record<CommandName, { readonly flags: FlagSpec; readonly positionals: number }>> = {
  start: {
    flags: {
      region: { type: 'string' },
      mode: { type: 'string' },
      reason: { type: 'string' },
      name: { type: 'string' },
      'dry-run': { type: 'boolean' },
      follow: { type: 'boolean' },
      yes: { type: 'boolean' },
    },
    positionals: 0,
  },
  status: { flags: {}, positionals: 0 },
  list: { flags: { region: { type: 'string' }, limit: { type: 'string' } }, positionals: 0 },
  follow: { flags: { region: { type: 'string' } }, positionals: 1 },
  approve: { flags: { region: { type: 'string' }, reason: { type: 'string' } }, positionals: 1 },
  deny: { flags: { region: { type: 'string' }, reason: { type: 'string' } }, positionals: 1 },
  backups: { flags: {}, positionals: 0 },
};

const oneOf = (values: readonly string[]): string =>
  values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;

function roleOf(flags: ParsedFlags, problems: string[], required: boolean): RegionRole | undefined {
  const value = flags.strings.get('region');
  if (value === undefined && !required) return undefined;
  if (value !== undefined && (REGION_ROLES as readonly string[]).includes(value)) return value as RegionRole;
  problems.push(expected('region', oneOf(REGION_ROLES), value));
  return undefined;
}

function common(flags: ParsedFlags, problems: string[]): Common {
  const project = flags.strings.get('project') ?? DEFAULT_PROJECT;
  if (!/^[A-Za-z0-9_-]+$/.test(project))
    problems.push(expected('project', 'letters, digits, - or _', project));
  const profile = flags.strings.get('profile');
  if (profile === '') problems.push(expected('profile', 'a profile name', profile));
  return { project, profile };
}

/**
 * `--mode` and `--reason`, checked with the schema preflight applies to the execution input, so the
 * CLI never starts an execution that preflight would refuse.
 */
function inputOf(
  flags: ParsedFlags,
  problems: string[],
): { readonly mode: FailoverMode; readonly reason: string } | undefined {
  const mode = flags.strings.get('mode');
  if (mode === undefined || !(FAILOVER_MODES as readonly string[]).includes(mode)) {
    problems.push(expected('mode', oneOf(FAILOVER_MODES), mode));
  }
  const given = flags.strings.get('reason');
  // An unplanned failover may lose data: whoever starts one by hand says why (dry runs excepted).
  if (mode === 'unplanned' && given === undefined && !flags.booleans.has('dry-run')) {
    problems.push('--reason: required with --mode unplanned (it may lose data; say why)');
  }
  const reason = given ?? `manual ${String(mode)} failover from the CLI`;
  const parsed = ExecutionInputSchema.safeParse({ mode, reason }, { reportInput: true });
  if (parsed.success) return parsed.data;
  for (const p of problemsOf(parsed.error.issues)) {
    if (p.path[0] !== 'mode') problems.push(`--${String(p.path[0])}: ${p.problem}`);
  }
  return undefined;
}

function startOf(flags: ParsedFlags, base: Common, problems: string[], now: Date): StartCommand | undefined {
  const role = roleOf(flags, problems, true);
  const input = inputOf(flags, problems);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const name = flags.strings.get('name') ?? `cli-${input?.mode ?? 'failover'}-${stamp}`;
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    problems.push(expected('name', '1-80 letters, digits, - or _', name));
  }
  if (role === undefined || input === undefined || problems.length > 0) return undefined;
  return {
    ...base,
    command: 'start',
    role,
    ...input,
    dryRun: flags.booleans.has('dry-run'),
    follow: flags.booleans.has('follow'),
    name,
    yes: flags.booleans.has('yes'),
  };
}

function listOf(flags: ParsedFlags, base: Common, problems: string[]): ListCommand {
  const role = roleOf(flags, problems, false);
  const raw = flags.strings.get('limit');
  const limit = raw === undefined ? DEFAULT_LIST_LIMIT : Number(raw);
  if (
    !Number.isInteger(limit) ||
    limit < 1 ||
    limit > MAX_LIST_LIMIT ||
    (raw !== undefined && !/^\d+$/.test(raw))
  ) {
    problems.push(expected('limit', `a whole number from 1 to ${MAX_LIST_LIMIT}`, raw));
  }
  return { ...base, command: 'list', roles: role ? [role] : REGION_ROLES, limit };
}

function followOf(flags: ParsedFlags, base: Common, problems: string[]): FollowCommand {
  const role = roleOf(flags, problems, false);
  const execution = flags.positionals[0];
  if (execution === undefined) problems.push('<execution-arn-or-name>: missing');
  return { ...base, command: 'follow', execution: execution ?? '', roles: role ? [role] : REGION_ROLES };
}

function decideOf(
  flags: ParsedFlags,
  base: Common,
  problems: string[],
  command: 'approve' | 'deny',
): DecideCommand {
  const role = roleOf(flags, problems, false);
  const execution = flags.positionals[0];
  if (execution === undefined) problems.push('<execution-arn-or-name>: missing');
  const reason = flags.strings.get('reason');
  if (reason !== undefined && reason.trim() === '')
    problems.push(expected('reason', 'a non-empty text', reason));
  if (command === 'deny' && reason === undefined)
    problems.push('--reason: required to deny (the notice says why)');
  return {
    ...base,
    command,
    execution: execution ?? '',
    roles: role ? [role] : REGION_ROLES,
    ...(reason === undefined ? {} : { reason: reason.trim() }),
  };
}

/**
 * The command `argv` asks for. No command name but flags means `start` (the form the CLI had
 * before it had commands). Throws {@link UsageError} listing every problem at once.
 */
export function parseCommand(argv: readonly string[], now: Date = new Date()): Command {
  const first = argv[0];
  let name: CommandName = 'start';
  let rest = argv;
  if (first !== undefined && !first.startsWith('-')) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      throw new UsageError([`${first}: unknown command, expected ${oneOf(COMMANDS)}`], GLOBAL_USAGE);
    }
    name = first as CommandName;
    rest = argv.slice(1);
  }
  const flags = parseFlags(rest, SPECS[name].flags, SPECS[name].positionals);
  if (flags.help) return { command: 'help', usage: first === name ? USAGES[name] : GLOBAL_USAGE };
  if (argv.length === 0) throw new UsageError(['missing command'], GLOBAL_USAGE);
  const problems = [...flags.problems];
  const base = common(flags, problems);
  let command: Command | undefined;
  if (name === 'start') command = startOf(flags, base, problems, now);
  else if (name === 'list') command = listOf(flags, base, problems);
  else if (name === 'follow') command = followOf(flags, base, problems);
  else if (name === 'approve' || name === 'deny') command = decideOf(flags, base, problems, name);
  else if (name === 'backups') command = { ...base, command: 'backups' };
  else command = { ...base, command: 'status' };
  if (problems.length > 0 || command === undefined) throw new UsageError(problems, USAGES[name]);
  return command;
}
