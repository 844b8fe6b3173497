import { resolve } from 'node:path';
import { ConfigError } from '../infra/config/errors';
import { listProjects, loadConfig } from '../infra/config/load';
import { REGION_ROLES, type RegionRole } from '../infra/config/schema';
import { FAILOVER_MODES, type FailoverMode } from '../lambdas/shared/contracts';
import { analyzeDrill } from './analysis';
import { DrillUsageError, WiringError } from './errors';
import { describeFaults, type FaultSpec, parseFault } from './faults';
import { buildReport, type DrillReport, formatReport, writeReportFiles } from './report';
import { REPO_ROOT, runDrill } from './run';
import { synthesizeOrchestrator } from './synthesize';
import { loadTimingModel, sampleTimings } from './timing';

/** Parsed `npm run drill` flags. */
export interface DrillArgs {
  readonly project: string;
  readonly mode: FailoverMode;
  readonly faults: readonly FaultSpec[];
  readonly timing?: string;
  readonly seed?: number;
  readonly out: string;
  readonly role: RegionRole;
  readonly help: boolean;
}

/** The usage text, listing valid modes, roles, projects and faults. */
export function usage(projects: readonly string[] = listProjects()): string {
  return [
    'usage: npm run drill -- [--project <name>] [--mode planned|unplanned|auto] [--fault <name>[:arg] ...]',
    '                        [--timing <file.yml>] [--seed <n>] [--out <dir>] [--role dr|main]',
    '',
    `  --project  project-config/<name>.yml (default base; available: ${projects.join(', ') || 'none'})`,
    `  --mode     ${FAILOVER_MODES.join(' | ')} (default planned)`,
    `  --role     region to promote: ${REGION_ROLES.join(' | ')} (default dr = failover; main = failback)`,
    '  --timing   YAML overriding keys of drill/timing-model.yml',
    '  --seed     draw every duration from its range with this seed (reproducible)',
    '  --out      output folder for report.json, timeline.svg, lambda-logs.jsonl (default drill-out)',
    '  --fault    inject a fault (repeatable):',
    ...describeFaults().map((f) => `               ${f}`),
    '',
  ].join('\n');
}

/** Parse CLI flags; throws {@link DrillUsageError} naming the bad flag and the valid values. */
export function parseDrillArgs(
  argv: readonly string[],
  projects: readonly string[] = listProjects(),
): DrillArgs {
  let project = 'base';
  let mode: FailoverMode = 'planned';
  let role: RegionRole = 'dr';
  let out = 'drill-out';
  let timing: string | undefined;
  let seed: number | undefined;
  let help = false;
  const faults: FaultSpec[] = [];
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    if (raw === '--help' || raw === '-h') {
      help = true;
      continue;
    }
    const eq = raw.indexOf('=');
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const known = ['--project', '--mode', '--fault', '--timing', '--seed', '--out', '--role'];
    if (!known.includes(flag)) {
      throw new DrillUsageError(`unknown argument '${raw}' (flags: ${known.join(', ')}, --help)`);
    }
    let value: string | undefined;
    if (eq > 0) value = raw.slice(eq + 1);
    else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new DrillUsageError(`${flag} needs a value`);
    }
    switch (flag) {
      case '--project':
        if (!projects.includes(value)) {
          throw new DrillUsageError(
            `unknown project '${value}' (available: ${projects.join(', ') || 'none'})`,
          );
        }
        project = value;
        break;
      case '--mode':
        if (!(FAILOVER_MODES as readonly string[]).includes(value)) {
          throw new DrillUsageError(`unknown mode '${value}' (valid: ${FAILOVER_MODES.join(', ')})`);
        }
        mode = value as FailoverMode;
        break;
      case '--role':
        if (!(REGION_ROLES as readonly string[]).includes(value)) {
          throw new DrillUsageError(`unknown role '${value}' (valid: ${REGION_ROLES.join(', ')})`);
        }
        role = value as RegionRole;
        break;
      case '--fault':
        faults.push(parseFault(value));
        break;
      case '--timing':
        timing = value;
        break;
      case '--seed': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0)
          throw new DrillUsageError(`--seed: expected a non-negative integer, got '${value}'`);
        seed = n;
        break;
      }
      case '--out':
        out = value;
        break;
    }
  }
  return {
    project,
    mode,
    role,
    out,
    faults,
    help,
    ...(timing === undefined ? {} : { timing }),
    ...(seed === undefined ? {} : { seed }),
  };
}

/** Run one drill from parsed args; returns the report and whether every invariant held. */
export async function drill(
  args: DrillArgs,
  log?: (line: string) => void,
): Promise<{ report: DrillReport; files: string[] }> {
  const config = loadConfig(args.project);
  const model = loadTimingModel(args.timing);
  const timings = sampleTimings(model, args.seed);
  log?.(`Synthesizing ${args.project}'s ${args.role} orchestrator stack…`);
  const { wiring, stackName } = await synthesizeOrchestrator(config, args.role);
  log?.(
    `Running ${stackName} against the simulated AWS, mode ${args.mode}${args.faults.length > 0 ? `, faults: ${args.faults.map((f) => f.name).join(', ')}` : ''}`,
  );
  const run = await runDrill({
    config,
    role: args.role,
    mode: args.mode,
    faults: args.faults,
    timings,
    wiring,
    ...(log === undefined ? {} : { log }),
  });
  const analysis = analyzeDrill(run);
  const report = buildReport(run, analysis, {
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    faults: args.faults.map((f) => (f.argument === undefined ? f.name : `${f.name}:${f.argument}`)),
  });
  const files = writeReportFiles(resolve(REPO_ROOT, args.out), report, run.handlerOutput);
  return { report, files };
}

async function main(): Promise<number> {
  let args: DrillArgs;
  try {
    args = parseDrillArgs(process.argv.slice(2));
  } catch (err: unknown) {
    if (err instanceof DrillUsageError) {
      process.stderr.write(`error: ${err.message}\n\n${usage()}`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    process.stdout.write(usage());
    return 0;
  }
  const started = Date.now();
  try {
    const { report, files } = await drill(args, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(formatReport(report));
    process.stdout.write(
      `\n  wrote ${files.map((f) => f.replace(`${REPO_ROOT}/`, '')).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s wall)\n`,
    );
    const broken = report.invariants.filter((i) => !i.held);
    if (broken.length > 0) {
      process.stderr.write(
        `\n${broken.length} invariant(s) broken: ${broken.map((i) => i.name).join(', ')}\n`,
      );
      return 1;
    }
    return 0;
  } catch (err: unknown) {
    if (err instanceof DrillUsageError || err instanceof ConfigError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof WiringError) {
      process.stderr.write(`wiring error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `drill failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
