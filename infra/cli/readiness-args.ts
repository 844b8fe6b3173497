import type { ProjectConfig } from '../config/schema';
import { REGION_ROLES, type RegionRole } from '../config/schema';
import { DEFAULT_PROJECT } from './args';
import { expected, parseFlags, UsageError } from './flags';

export const READINESS_USAGE = `usage: npm run readiness -- [--region <main|dr|region name>] [--json] [--project <name>] [--profile <name>]

  Runs the readiness checks of one region from here, read-only: whether a failover could promote
  it now (replication, orderable instance class, launch template and AMI, capacity limits, task
  definition, traffic routing, the TLS certificate, the orchestrator, quotas, S3 replication). Prints one line per
  check and what to fix. Exit status 0 ready, 1 not ready (or AWS refused), 2 bad flags or config.
  --region   the region a failover would promote, by role or name (default dr)
  --json     print the report as JSON instead of the table
  --project  project-config/<name>.yml (default base)
  --profile  AWS profile for every call (default: AWS_PROFILE, then the default chain)
  -h, --help this text`;

/** The region `npm run readiness` checks when `--region` is not given: the one a failover promotes. */
export const DEFAULT_READINESS_REGION: RegionRole = 'dr';

export interface ReadinessCommand {
  readonly command: 'readiness';
  readonly project: string;
  readonly profile: string | undefined;
  /** A role or a region name, as typed; {@link roleOfRegion} resolves it against the config. */
  readonly region: string;
  readonly json: boolean;
}

/**
 * The command `argv` asks for, or `help`. Throws {@link UsageError} listing every problem at once
 * (the region is resolved later, against the project's config).
 */
export function parseReadinessArgs(
  argv: readonly string[],
): ReadinessCommand | { readonly command: 'help'; readonly usage: string } {
  const flags = parseFlags(argv, { region: { type: 'string' }, json: { type: 'boolean' } }, 0);
  if (flags.help) return { command: 'help', usage: READINESS_USAGE };
  const problems = [...flags.problems];
  const project = flags.strings.get('project') ?? DEFAULT_PROJECT;
  if (!/^[A-Za-z0-9_-]+$/.test(project))
    problems.push(expected('project', 'letters, digits, - or _', project));
  const profile = flags.strings.get('profile');
  if (profile === '') problems.push(expected('profile', 'a profile name', profile));
  const region = flags.strings.get('region') ?? DEFAULT_READINESS_REGION;
  if (problems.length > 0) throw new UsageError(problems, READINESS_USAGE);
  return { command: 'readiness', project, profile, region, json: flags.booleans.has('json') };
}

/** The role of `region` (a role, or one of the project's two region names); throws {@link UsageError}. */
export function roleOfRegion(config: ProjectConfig, region: string): RegionRole {
  const role = REGION_ROLES.find((r) => r === region || config.regions[r].region === region);
  if (role !== undefined) return role;
  const choices = [...REGION_ROLES, ...REGION_ROLES.map((r) => config.regions[r].region)];
  throw new UsageError(
    [expected('region', `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`, region)],
    READINESS_USAGE,
  );
}
