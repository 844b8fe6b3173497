import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatReport, loudLines } from '../report/console';
import { writeReportFiles } from '../report/files';
import { REPO_ROOT } from '../runner/run';
import {
  formatDetection,
  prepareTriggerDrill,
  type TriggerOutcome,
  triggerDrillOnce,
} from '../sweep/alarm-drill';
import type { DrillArgs } from './args';
import { checkOutDir } from './out-dir';

/**
 * `npm run drill -- --trigger alarm`: the outage, the probe, the alarm, the rule, then the failover.
 * Writes `report.json` (with its `detection` section), `timeline.svg` and the handlers' logs; when
 * the alarm never started an execution, `detection.json` alone.
 */
export async function triggerDrill(
  args: DrillArgs,
  log?: (line: string) => void,
): Promise<{ outcome: TriggerOutcome; files: string[] }> {
  const dir = resolve(REPO_ROOT, args.out);
  checkOutDir(dir);
  log?.(`Synthesizing ${args.project}'s ${args.role} orchestrator stack and its alarm path…`);
  const prepared = await prepareTriggerDrill({
    configName: args.project,
    role: args.role,
    mode: 'auto',
    faults: args.faults,
    ...(args.timing === undefined ? {} : { timingFile: args.timing }),
    ...(args.scale === undefined ? {} : { scale: args.scale }),
  });
  log?.(
    `Running ${prepared.stackName} from an outage of main at 00:00 through the ${prepared.trigger.probe === undefined ? 'existing alarm' : 'health probe and its alarm'}${args.faults.length > 0 ? `, faults: ${args.faults.map((f) => f.name).join(', ')}` : ''}`,
  );
  const outcome = await triggerDrillOnce(prepared, {
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(log === undefined ? {} : { log }),
  });
  if (outcome.report !== undefined) {
    return { outcome, files: writeReportFiles(dir, outcome.report, outcome.run.handlerOutput) };
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'detection.json');
  writeFileSync(file, `${JSON.stringify(outcome.detection, null, 2)}\n`);
  return { outcome, files: [file] };
}

/** Print an alarm-triggered drill; exit 1 when an invariant broke. */
export async function mainTrigger(args: DrillArgs, started: number): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const { outcome, files } = await triggerDrill(args, (line) => out(`${line}\n`));
  const { report, detection } = outcome;
  if (report !== undefined) out(formatReport(report));
  else out('\n  The alarm never started an execution: no failover, nothing changed.\n');
  out(formatDetection(detection));
  out(
    `\n  wrote ${files.map((f) => f.replace(`${REPO_ROOT}/`, '')).join(', ')} (${((Date.now() - started) / 1000).toFixed(1)} s wall)\n`,
  );
  if (report === undefined) return 0;
  const loud = loudLines(report);
  if (loud.length > 0) out(`\n${loud.join('\n')}\n`);
  const broken = report.invariants.filter((i) => !i.held);
  if (broken.length === 0) return 0;
  process.stderr.write(`\n${broken.length} invariant(s) broken: ${broken.map((i) => i.name).join(', ')}\n`);
  return 1;
}
