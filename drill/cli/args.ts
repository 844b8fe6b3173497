import { parseArgs } from 'node:util';
import { listProjects } from '../../infra/config/load';
import { REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import { FAILOVER_MODES, type FailoverMode } from '../../lambdas/shared/contracts';
import { DrillUsageError } from '../errors';
import { describeFaults, type FaultSpec, parseFault } from '../faults/catalog';
import { TRIGGER_FAULT_NAMES } from '../faults/trigger';
import { DENY_AFTER_SECONDS, type DrillApproval } from '../runner/approval';

/** How the drill starts the failover: directly, or from an outage through the alarm path. */
export const TRIGGERS = ['direct', 'alarm'] as const;
export type DrillTrigger = (typeof TRIGGERS)[number];

/** Parsed `npm run drill` flags. */
export interface DrillArgs {
  readonly project: string;
  readonly mode: FailoverMode;
  readonly faults: readonly FaultSpec[];
  readonly timing?: string;
  readonly seed?: number;
  /** Run seeds 1..n (one synthesis) and summarize them. */
  readonly sweep?: number;
  /** Multiply every AWS duration by this after seeding. */
  readonly scale?: number;
  readonly out: string;
  readonly role: RegionRole;
  /** `alarm`: start at an outage of main; the probe, alarm and rule start the execution. @default direct */
  readonly trigger?: DrillTrigger;
  /** `--readiness`: evaluate `role`'s readiness in the simulator instead of running a failover. */
  readonly readiness?: true;
  readonly help: boolean;
  /** `--approve-after <s>` / `--deny`: the approval gate on (`required: all` if the config has none), answered so. */
  readonly approval?: DrillApproval;
}

/**
 * The most seeds one sweep runs: a run takes about half a second of wall time, so 1,000 seeds is
 * under ten minutes; a typo (`--sweep 40000`) is refused rather than running for hours.
 */
export const MAX_SWEEP_SEEDS = 1_000;
/**
 * The largest `--scale`: ×10 already puts the longest modeled DB instance add (900 s) far past the
 * step's default 45-minute budget; anything slower only rehearses the same timeout.
 */
export const MAX_SCALE = 10;

const OPTIONS = {
  project: { type: 'string', default: 'base' },
  mode: { type: 'string', default: 'planned' },
  role: { type: 'string', default: 'dr' },
  fault: { type: 'string', multiple: true, default: [] as string[] },
  timing: { type: 'string' },
  seed: { type: 'string' },
  sweep: { type: 'string' },
  scale: { type: 'string' },
  out: { type: 'string', default: 'drill-out' },
  trigger: { type: 'string', default: 'direct' },
  readiness: { type: 'boolean', default: false },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  'approve-after': { type: 'string' },
  deny: { type: 'boolean', default: false },
} as const;

/** The flags' values once checked (string flags with values, defaults applied). */
interface Flags {
  readonly project: string;
  readonly mode: string;
  readonly role: string;
  readonly fault: readonly string[];
  readonly timing?: string;
  readonly seed?: string;
  readonly sweep?: string;
  readonly scale?: string;
  readonly out: string;
  readonly trigger: string;
  readonly readiness: boolean;
  readonly region?: string;
  readonly 'approve-after'?: string;
  readonly deny: boolean;
  readonly help: boolean;
}

const FLAGS = Object.keys(OPTIONS)
  .filter((f) => f !== 'help')
  .map((f) => `--${f}`);

/** The usage text, listing valid modes, roles, projects and faults. */
export function usage(projects: readonly string[] = listProjects()): string {
  return [
    'usage: npm run drill -- [--project <name>] [--mode planned|unplanned|auto] [--fault <name>[:arg] ...]',
    '                        [--timing <file.yml>] [--seed <n> | --sweep <n>] [--scale <x>] [--out <dir>]',
    '                        [--role dr|main] [--trigger direct|alarm] [-h|--help]',
    '                        [--approve-after <s> | --deny]',
    '       npm run drill -- --readiness [--region dr|main] [--project <name>] [--fault <name>[:arg] ...]',
    '',
    "  --readiness  evaluate a region's readiness (its synthesized readiness Lambda) against the simulated AWS",
    '             and print the table: exit 0 ready, 1 not ready; --region: the region evaluated (default dr)',
    `  --project  project-config/<name>.yml (default base; available: ${projects.join(', ') || 'none'})`,
    `  --mode     ${FAILOVER_MODES.join(' | ')} (default planned)`,
    `  --role     region to promote: ${REGION_ROLES.join(' | ')} (default dr = failover; main = failback)`,
    '  --timing   YAML overriding keys of drill/timing-model.yml',
    '  --seed     draw every duration from its range with this seed (reproducible)',
    `  --sweep    run seeds 1..n (one synthesis, at most ${MAX_SWEEP_SEEDS}): <out>/seed-<k>/report.json each, <out>/sweep.json`,
    '             with p50/p95/max of RTO ÷ lower bound, RTO and transitions; exit 1 if any run breaks an invariant',
    `  --scale    multiply every AWS duration by x after seeding (0 < x <= ${MAX_SCALE}; e.g. 0.5, 2)`,
    '  --trigger  direct (default: start the state machine) | alarm (main goes down at 00:00; the health probe,',
    '             its alarm and the rule start the execution with mode auto; RTO from the outage; no --mode, no --sweep)',
    '  --approve-after  the approval gate on (failover.approval.required: all if none); approve <s> simulated',
    "             seconds after the request (through the CLI's approve); --deny: deny it (no change in AWS).",
    '             With the gate on in the config and neither flag, the request times out (onTimeout applies).',
    '  --out      output folder for report.json, report.md, timeline.svg, the run records, lambda-logs.jsonl (default drill-out)',
    '  --fault    inject a fault (repeatable); <database>, <service> or [bucket:] name one entry of the',
    "             project's databases, services or buckets (without it, the fault hits every one; an unknown",
    '             name is refused, listing the valid ones); missing-resource names its kind too (database:ledger):',
    ...describeFaults().map((f) => `               ${f}`),
    '',
  ].join('\n');
}

/**
 * Tokenize with `parseArgs` (non-strict, so every problem can be named in the drill's own words)
 * and reject what strict parsing would: unknown flags, positionals, string flags without a value.
 */
function tokenize(argv: readonly string[]): Flags {
  const parsed = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'positional')
      throw new DrillUsageError(`unknown argument '${token.value}' (flags: ${FLAGS.join(', ')}, --help)`);
    if (token.kind !== 'option') continue;
    const spec = (OPTIONS as Readonly<Record<string, { type: string }>>)[token.name];
    if (spec === undefined) {
      const raw = token.inlineValue === true ? `${token.rawName}=${token.value ?? ''}` : token.rawName;
      throw new DrillUsageError(`unknown argument '${raw}' (flags: ${FLAGS.join(', ')}, --help)`);
    }
    // A separate value that is a long flag is the next flag, not a value (`--seed -1` is a value).
    const missing =
      token.value === undefined || token.value === '' || (!token.inlineValue && token.value.startsWith('--'));
    if (spec.type === 'string' && missing) {
      throw new DrillUsageError(`${token.rawName} needs a value`);
    }
  }
  // Checked above: every string flag has a string value; defaults fill the rest.
  return parsed.values as unknown as Flags;
}

/** `value` when it is one of `valid`; else a usage error naming what is valid. */
function oneOf<T extends string>(what: string, value: string, valid: readonly T[]): T {
  if (!(valid as readonly string[]).includes(value)) {
    throw new DrillUsageError(`unknown ${what} '${value}' (valid: ${valid.join(', ')})`);
  }
  return value as T;
}

/** Parse CLI flags; throws {@link DrillUsageError} naming the bad flag and the valid values. */
export function parseDrillArgs(
  argv: readonly string[],
  projects: readonly string[] = listProjects(),
): DrillArgs {
  const values = tokenize(argv);
  const { project } = values;
  if (!projects.includes(project)) {
    throw new DrillUsageError(`unknown project '${project}' (available: ${projects.join(', ') || 'none'})`);
  }
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) {
      throw new DrillUsageError(`--seed: expected a non-negative integer, got '${values.seed}'`);
    }
  }
  let sweep: number | undefined;
  if (values.sweep !== undefined) {
    sweep = Number(values.sweep);
    if (!Number.isInteger(sweep) || sweep < 1 || sweep > MAX_SWEEP_SEEDS) {
      throw new DrillUsageError(
        `--sweep: expected a whole number from 1 to ${MAX_SWEEP_SEEDS}, got '${values.sweep}'`,
      );
    }
    if (seed !== undefined)
      throw new DrillUsageError('--seed and --sweep: a sweep runs seeds 1..n; give one of them');
  }
  let scale: number | undefined;
  if (values.scale !== undefined) {
    scale = Number(values.scale);
    if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE) {
      throw new DrillUsageError(
        `--scale: expected a number above 0 and at most ${MAX_SCALE}, got '${values.scale}'`,
      );
    }
  }
  const trigger = oneOf('trigger', values.trigger, TRIGGERS);
  const faults = values.fault.map(parseFault);
  const approval = approvalOf(values['approve-after'], values.deny === true);
  const readiness = values.readiness === true;
  if (values.region !== undefined && !readiness) {
    throw new DrillUsageError(
      '--region names the region --readiness evaluates; a failover drill takes --role',
    );
  }
  if (readiness && (sweep !== undefined || trigger === 'alarm')) {
    throw new DrillUsageError('--readiness evaluates once, directly: drop --sweep and --trigger alarm');
  }
  const roleFlag = readiness && values.region !== undefined ? values.region : values.role;
  if (trigger === 'alarm') {
    // The rule's input sets the mode: a --mode would be silently ignored.
    if (argv.some((a) => a === '--mode' || a.startsWith('--mode=')))
      throw new DrillUsageError(
        '--trigger alarm: the alarm rule starts the execution with its own mode (auto); drop --mode',
      );
    if (sweep !== undefined)
      throw new DrillUsageError('--trigger alarm runs one drill; --sweep is for direct starts');
  } else {
    const needsAlarm = faults.filter((f) => TRIGGER_FAULT_NAMES.includes(f.name));
    if (needsAlarm.length > 0)
      throw new DrillUsageError(
        `--fault ${needsAlarm[0]?.name}: rehearses the alarm path; add --trigger alarm`,
      );
  }
  return {
    project,
    ...(trigger === 'alarm' ? { trigger } : {}),
    mode: trigger === 'alarm' ? 'auto' : oneOf('mode', values.mode, FAILOVER_MODES),
    role: oneOf(readiness && values.region !== undefined ? 'region' : 'role', roleFlag, REGION_ROLES),
    ...(readiness ? { readiness: true as const } : {}),
    out: values.out,
    faults,
    help: values.help === true,
    ...(values.timing === undefined ? {} : { timing: values.timing }),
    ...(seed === undefined ? {} : { seed }),
    ...(sweep === undefined ? {} : { sweep }),
    ...(scale === undefined ? {} : { scale }),
    ...(approval === undefined ? {} : { approval }),
  };
}

/** `--approve-after <s>` or `--deny` (not both). */
function approvalOf(approveAfter: string | undefined, deny: boolean): DrillApproval | undefined {
  if (approveAfter !== undefined && deny) {
    throw new DrillUsageError('--approve-after and --deny: the drill answers the approval one way; give one');
  }
  if (deny) return { decision: 'deny', afterSeconds: DENY_AFTER_SECONDS };
  if (approveAfter === undefined) return undefined;
  const afterSeconds = Number(approveAfter);
  if (!Number.isFinite(afterSeconds) || afterSeconds < 0 || approveAfter.trim() === '') {
    throw new DrillUsageError(`--approve-after: expected seconds (0 or more), got '${approveAfter}'`);
  }
  return { decision: 'approve', afterSeconds };
}
