import { parseArgs } from 'node:util';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { problemsOf } from '../../lambdas/shared/describe-issues';
import { asError, hasErrorName } from '../../lambdas/shared/errors';
import { ExecutionInputSchema } from '../../lambdas/shared/execution-input-schema';
import { ConfigError } from '../config/errors';
import { loadConfig } from '../config/load';
import { projectNames } from '../config/names';
import { REGION_ROLES, type RegionRole } from '../config/schema';

export const USAGE = `usage: npm run failover -- --project <name> --region <main|dr> --mode <planned|unplanned|auto>
                            [--reason "<text>"] [--dry-run] [--follow] [--name <execution-name>]

  Starts the failover state machine that promotes --region (dr = fail over, main = fail back).
  --mode     planned: switchover, no data loss, needs a healthy source region
             unplanned: failover with AllowDataLoss, for a regional outage
             auto: planned when the source region answers, else unplanned
  --dry-run  stop after preflight and report what would be done
  --follow   print each step as it finishes, until the execution ends
  --name     execution name; starting the same name with the same input again is a no-op`;

/** A bad flag: printed with the usage text, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `--help`: the usage text goes to stdout and the exit status is 0. */
export class HelpRequestedError extends Error {
  override readonly name = 'HelpRequestedError';
}

export interface CliOptions {
  readonly project: string;
  readonly role: RegionRole;
  readonly mode: FailoverMode;
  readonly reason: string;
  readonly dryRun: boolean;
  readonly follow: boolean;
  readonly name: string;
}

/**
 * `--mode` and `--reason`, checked with the schema preflight applies to the execution input, so the
 * CLI never starts an execution that preflight would refuse.
 */
function parseInputFlags(
  mode: string | boolean | undefined,
  reason: string | boolean | undefined,
): { readonly mode: FailoverMode; readonly reason: string } {
  const parsed = ExecutionInputSchema.safeParse(
    { mode, reason: reason ?? `manual ${String(mode)} failover from the CLI` },
    { reportInput: true },
  );
  if (!parsed.success) {
    throw new UsageError(
      problemsOf(parsed.error.issues)
        .map((p) => `--${String(p.path[0])}: ${p.problem}`)
        .join('; '),
    );
  }
  return parsed.data;
}

/**
 * Parse and check the CLI flags; throws {@link UsageError} naming the offending flag, or
 * {@link HelpRequestedError} for `--help`.
 */
export function parseCliArgs(argv: readonly string[], now: Date = new Date()): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        project: { type: 'string' },
        region: { type: 'string' },
        mode: { type: 'string' },
        reason: { type: 'string' },
        name: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        follow: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err: unknown) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) throw new HelpRequestedError('help requested');
  const project = values.project;
  if (typeof project !== 'string' || project === '') throw new UsageError('--project is required');
  const region = values.region;
  if (typeof region !== 'string' || !(REGION_ROLES as readonly string[]).includes(region)) {
    const got = region === undefined ? ' (missing)' : `, got '${region}'`;
    throw new UsageError(`--region: expected one of ${REGION_ROLES.map((r) => `'${r}'`).join(', ')}${got}`);
  }
  const { mode, reason } = parseInputFlags(values.mode, values.reason);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const name = typeof values.name === 'string' ? values.name : `cli-${mode}-${stamp}`;
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    throw new UsageError('--name must be 1-80 letters, digits, - or _');
  }
  return {
    project,
    role: region as RegionRole,
    mode,
    reason,
    dryRun: values['dry-run'] === true,
    follow: values.follow === true,
    name,
  };
}

export interface CliDeps {
  /** Returns an SFN client for the region of the state machine. */
  readonly sfnFor: (region: string) => SFNClient;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly sleep: (ms: number) => Promise<void>;
  /** @default 5000 */
  readonly pollMs?: number;
  readonly configDir?: string;
}

function describeEvent(e: HistoryEvent): string | undefined {
  const at = e.timestamp ? e.timestamp.toISOString().slice(11, 19) : '--:--:--';
  if (e.stateExitedEventDetails) return `${at}  ✓ ${e.stateExitedEventDetails.name}`;
  if (e.taskFailedEventDetails) {
    return `${at}  ✗ task failed: ${e.taskFailedEventDetails.error ?? ''} ${e.taskFailedEventDetails.cause ?? ''}`;
  }
  if (e.executionFailedEventDetails) {
    return `${at}  ✗ execution failed: ${e.executionFailedEventDetails.error ?? ''} ${e.executionFailedEventDetails.cause ?? ''}`;
  }
  return undefined;
}

async function follow(
  sfn: SFNClient,
  executionArn: string,
  deps: CliDeps,
): Promise<DescribeExecutionCommandOutput> {
  let lastPrinted = 0;
  for (;;) {
    // Read the status before the history so the last events are always printed after the end.
    const status = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
      );
      for (const e of page.events ?? []) {
        if ((e.id ?? 0) <= lastPrinted) continue;
        lastPrinted = e.id ?? lastPrinted;
        const line = describeEvent(e);
        if (line) deps.out(line);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    if (status.status !== 'RUNNING') return status;
    await deps.sleep(deps.pollMs ?? 5000);
  }
}

/** The ARN Step Functions gives execution `name` of `stateMachineArn`. */
function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The SDK found no credentials, or AWS refused the ones it found as invalid or expired. */
const CREDENTIAL_ERRORS = [
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
];

/** `Name: message`, followed by what the operator can do about it when the CLI can tell. */
function awsErrorText(err: unknown, region: string, account: string): string {
  const e = asError(err);
  const text = `${e.name}: ${e.message}`;
  if (hasErrorName(e, ...CREDENTIAL_ERRORS)) {
    return (
      `${text}\n  no usable AWS credentials: sign in to account ${account} (aws sso login, or set AWS_PROFILE, ` +
      `or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and run the same command again`
    );
  }
  if (hasErrorName(e, 'AccessDeniedException')) {
    return `${text}\n  the credentials in use need states:StartExecution, states:DescribeExecution and states:GetExecutionHistory in ${region}`;
  }
  return text;
}

/**
 * Start (and optionally follow) a failover execution. Returns the process exit status:
 * 0 started / succeeded / help shown, 1 AWS refused or the execution failed, 2 bad flags or config.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let opts: CliOptions;
  let stateMachineArn: string;
  let region: string;
  let account: string;
  try {
    opts = parseCliArgs(argv);
    const config = loadConfig(opts.project, deps.configDir);
    const own = projectNames(config).regions[opts.role];
    stateMachineArn = own.stateMachineArn;
    region = own.region;
    account = own.account;
  } catch (err: unknown) {
    if (err instanceof HelpRequestedError) {
      deps.out(USAGE);
      return 0;
    }
    if (err instanceof UsageError) {
      deps.err(`error: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      deps.err(`error: ${err.message}`);
      return 2;
    }
    throw err;
  }

  const sfn = deps.sfnFor(region);
  const input = { mode: opts.mode, reason: opts.reason, ...(opts.dryRun ? { dryRun: true } : {}) };
  let executionArn: string;
  try {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: opts.name, input: JSON.stringify(input) }),
    );
    executionArn = started.executionArn ?? executionArnOf(stateMachineArn, opts.name);
  } catch (err: unknown) {
    if (err instanceof ExecutionAlreadyExists) {
      deps.err(
        `error: an execution named ${opts.name} already exists with a different input; choose another --name`,
      );
      return 2;
    }
    deps.err(`error: could not start ${stateMachineArn} in ${region}: ${awsErrorText(err, region, account)}`);
    return 1;
  }
  deps.out(`started ${executionArn}`);
  deps.out(`  promoting ${opts.role} (${region}), mode ${opts.mode}${opts.dryRun ? ', dry run' : ''}`);
  if (!opts.follow) return 0;

  let final: DescribeExecutionCommandOutput;
  try {
    final = await follow(sfn, executionArn, deps);
  } catch (err: unknown) {
    deps.err(`error: stopped following ${executionArn}: ${awsErrorText(err, region, account)}`);
    deps.err(
      `  only the following stopped, not the execution; see it with: aws stepfunctions describe-execution --region ${region} --execution-arn ${executionArn}`,
    );
    return 1;
  }
  deps.out(`execution ${final.status ?? 'UNKNOWN'}`);
  if (final.output) deps.out(final.output);
  if (final.status === 'SUCCEEDED') return 0;
  if (final.error || final.cause) deps.err(`${final.error ?? ''}: ${final.cause ?? ''}`);
  return 1;
}

/** What the CLI uses when it runs as a process: one SFN client per region, stdout, stderr, timers. */
export function processDeps(): CliDeps {
  const clients = new Map<string, SFNClient>();
  return {
    sfnFor: (region) => {
      const existing = clients.get(region);
      if (existing) return existing;
      const client = new SFNClient({ region });
      clients.set(region, client);
      return client;
    },
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** {@link runCli}, with an unexpected error reported as one `error:` line and exit status 1. */
export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    return await runCli(argv, deps);
  } catch (err: unknown) {
    deps.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), processDeps()).then((code) => {
    process.exitCode = code;
  });
}
