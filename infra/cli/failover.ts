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

/** Parse and check the CLI flags; throws {@link UsageError} naming the offending flag. */
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
  if (values.help === true) throw new UsageError('help requested');
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

/**
 * Start (and optionally follow) a failover execution. Returns the process exit status:
 * 0 started / succeeded, 1 the execution failed, 2 bad flags or config.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  let opts: CliOptions;
  let stateMachineArn: string;
  let region: string;
  try {
    opts = parseCliArgs(argv);
    const config = loadConfig(opts.project, deps.configDir);
    const own = projectNames(config).regions[opts.role];
    stateMachineArn = own.stateMachineArn;
    region = own.region;
  } catch (err: unknown) {
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
    executionArn = started.executionArn ?? `${stateMachineArn}:${opts.name}`;
  } catch (err: unknown) {
    if (err instanceof ExecutionAlreadyExists) {
      deps.err(
        `error: an execution named ${opts.name} already exists with a different input; choose another --name`,
      );
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    deps.err(`error: could not start ${stateMachineArn} in ${region}: ${e.name}: ${e.message}`);
    return 1;
  }
  deps.out(`started ${executionArn}`);
  deps.out(`  promoting ${opts.role} (${region}), mode ${opts.mode}${opts.dryRun ? ', dry run' : ''}`);
  if (!opts.follow) return 0;

  const final = await follow(sfn, executionArn, deps);
  deps.out(`execution ${final.status ?? 'UNKNOWN'}`);
  if (final.output) deps.out(final.output);
  if (final.status === 'SUCCEEDED') return 0;
  if (final.error || final.cause) deps.err(`${final.error ?? ''}: ${final.cause ?? ''}`);
  return 1;
}

if (require.main === module) {
  const clients = new Map<string, SFNClient>();
  runCli(process.argv.slice(2), {
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
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
