import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../infra/config/errors';
import { DrillUsageError, WiringError } from '../errors';
import { formatReport, loudLines } from '../report/console';
import { writeReportFiles } from '../report/files';
import type { DrillReport } from '../report/types';
import { REPO_ROOT } from '../runner/run';
import { ClockStalledError } from '../runner/virtual-clock';
import { SimulationRunawayError } from '../sim/scheduler';
import { formatSweep, seedLine } from '../sweep/format';
import type { SweepSummary } from '../sweep/stats';
import { type DrillPlan, drillOnce, type PreparedDrill, prepareDrill, runSweep } from '../sweep/sweep';
import { mainTrigger } from './alarm';
import { type DrillArgs, parseDrillArgs, usage } from './args';
import { tolerateClosedStdout } from './closed-pipe';
import { checkOutDir } from './out-dir';
import { mainReadiness } from './readiness';

/**
 * `npm run drill`: synthesize the orchestrator, run it against the simulated AWS, print the
 * report and write its files (`--sweep n`: seeds 1..n from one synthesis, and their summary).
 * Exit 0 when every invariant held, 1 when one broke (or the template cannot run), 2 on bad
 * flags, project or timing file.
 */

/** The plan `args` describe. */
function planOf(args: DrillArgs): DrillPlan {
  return {
    configName: args.project,
    role: args.role,
    mode: args.mode,
    faults: args.faults,
    ...(args.timing === undefined ? {} : { timingFile: args.timing }),
    ...(args.scale === undefined ? {} : { scale: args.scale }),
    ...(args.approval === undefined ? {} : { approval: args.approval }),
  };
}

/** Synthesize once, saying so. */
async function prepare(args: DrillArgs, log?: (line: string) => void): Promise<PreparedDrill> {
  checkOutDir(resolve(REPO_ROOT, args.out));
  log?.(`Synthesizing ${args.project}'s ${args.role} orchestrator stack…`);
  const prepared = await prepareDrill(planOf(args));
  log?.(
    `Running ${prepared.stackName} against the simulated AWS, mode ${args.mode}${args.faults.length > 0 ? `, faults: ${args.faults.map((f) => f.name).join(', ')}` : ''}`,
  );
  return prepared;
}

/** Run one drill from parsed args; returns the report and the files written. */
export async function drill(
  args: DrillArgs,
  log?: (line: string) => void,
): Promise<{ report: DrillReport; files: string[] }> {
  const prepared = await prepare(args, log);
  const { run, report } = await drillOnce(prepared, {
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(log === undefined ? {} : { log }),
  });
  const files = writeReportFiles(resolve(REPO_ROOT, args.out), report, run.handlerOutput);
  return { report, files };
}

/** Run seeds 1..`args.sweep` from one synthesis; writes each report and `sweep.json`. */
export async function sweep(
  args: DrillArgs & { readonly sweep: number },
  log?: (line: string) => void,
): Promise<{ summary: SweepSummary; file: string }> {
  const prepared = await prepare(args, log);
  const dir = resolve(REPO_ROOT, args.out);
  const summary = await runSweep(prepared, args.sweep, {
    dir,
    onSeed: (r) => log?.(seedLine(r, args.sweep)),
  });
  const file = join(dir, 'sweep.json');
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return { summary, file };
}

/** `--sweep`: print the table; exit 1 when any run broke an invariant. */
async function mainSweep(args: DrillArgs & { readonly sweep: number }, started: number): Promise<number> {
  const { summary, file } = await sweep(args, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(formatSweep(summary));
  process.stdout.write(
    `\n  wrote ${file.replace(`${REPO_ROOT}/`, '')} and ${summary.seeds} seed-<k>/ folders (${((Date.now() - started) / 1000).toFixed(1)} s wall)\n`,
  );
  if (summary.invariantsBroken.length > 0) {
    process.stderr.write(`\n${summary.invariantsBroken.length} run(s) broke an invariant\n`);
    return 1;
  }
  return 0;
}

async function main(): Promise<number> {
  tolerateClosedStdout();
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
    if (args.readiness === true) return await mainReadiness(args);
    if (args.sweep !== undefined) return await mainSweep({ ...args, sweep: args.sweep }, started);
    if (args.trigger === 'alarm') return await mainTrigger(args, started);
    const { report, files } = await drill(args, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(formatReport(report));
    process.stdout.write(
      `\n  wrote ${files.map((f) => f.replace(`${REPO_ROOT}/`, '')).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s wall)\n`,
    );
    // Someone must act: the state left is also the last thing printed.
    const loud = loudLines(report);
    if (loud.length > 0) process.stdout.write(`\n${loud.join('\n')}\n`);
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
    if (err instanceof SimulationRunawayError || err instanceof ClockStalledError) {
      process.stderr.write(`drill stopped: ${err.name}: ${err.message}\n`);
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
