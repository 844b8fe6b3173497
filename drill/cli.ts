import { resolve } from 'node:path';
import { ConfigError } from '../infra/config/errors';
import { loadConfig } from '../infra/config/load';
import { analyzeDrill } from './analysis';
import { type DrillArgs, parseDrillArgs, usage } from './cli-args';
import { DrillUsageError, WiringError } from './errors';
import { buildReport, type DrillReport } from './report';
import { formatReport, loudLines } from './report-console';
import { writeReportFiles } from './report-files';
import { gitCommit } from './report-meta';
import { REPO_ROOT, runDrill } from './run';
import { synthesizeOrchestrator } from './synthesize';
import { loadTimingModel, sampleTimings } from './timing';

/**
 * `npm run drill`: synthesize the orchestrator, run it against the simulated AWS, print the
 * report and write its files. Exit 0 when every invariant held, 1 when one broke (or the
 * template cannot run), 2 on bad flags, project or timing file.
 */

/** Run one drill from parsed args; returns the report and whether every invariant held. */
export async function drill(
  args: DrillArgs,
  log?: (line: string) => void,
): Promise<{ report: DrillReport; files: string[] }> {
  const config = loadConfig(args.project);
  const model = loadTimingModel(args.timing);
  const timings = sampleTimings(model, args.seed);
  log?.(`Synthesizing ${args.project}'s ${args.role} orchestrator stack…`);
  const { wiring, stackName } = await synthesizeOrchestrator(config, args.role, args.project);
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
  const analysis = analyzeDrill(run, { configName: args.project });
  const report = buildReport(run, analysis, {
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(args.timing === undefined ? {} : { timingFile: args.timing }),
    configName: args.project,
    commit: gitCommit(REPO_ROOT),
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
