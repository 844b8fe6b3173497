import { loadConfig } from '../../infra/config/load';
import { renderReadinessTable } from '../../lambdas/readiness/table';
import type { ReadinessReport } from '../../lambdas/shared/readiness-contract';
import { checkFaultEntries } from '../faults/catalog';
import { runReadinessDrill, type SynthesizedReadiness, synthesizeReadiness } from '../runner/readiness';
import { loadTimingModel, sampleTimings, scaleTimings } from '../timing';
import type { DrillArgs } from './args';

/**
 * `npm run drill -- --readiness [--region dr|main] [--fault …]`: synthesize the region's orchestrator,
 * invoke its readiness Lambda against the simulated world (faults applied) and print the table, as
 * `npm run readiness` prints it against AWS. Exit 0 ready, 1 not ready.
 */

/**
 * Evaluate readiness as `args` ask; returns the report. `synthesized`: the region's orchestrator,
 * synthesized already (tests share one synthesis).
 */
export async function readinessDrill(
  args: DrillArgs,
  log?: (line: string) => void,
  synthesized?: SynthesizedReadiness,
): Promise<ReadinessReport> {
  const config = loadConfig(args.project);
  checkFaultEntries(config, args.faults);
  const drawn = sampleTimings(loadTimingModel(args.timing), args.seed);
  const timings = args.scale === undefined ? drawn : scaleTimings(drawn, args.scale);
  if (synthesized === undefined) log?.(`Synthesizing ${args.project}'s ${args.role} orchestrator stack…`);
  const orchestrator = synthesized ?? (await synthesizeReadiness(config, args.role, args.project));
  log?.(
    `Evaluating the readiness of ${args.role} in the simulated AWS${args.faults.length > 0 ? `, faults: ${args.faults.map((f) => f.name).join(', ')}` : ''}`,
  );
  const { report } = await runReadinessDrill({
    config,
    role: args.role,
    faults: args.faults,
    timings,
    synthesized: orchestrator,
  });
  return report;
}

/** Print the table; 0 when ready, 1 when not. */
export async function mainReadiness(args: DrillArgs, synthesized?: SynthesizedReadiness): Promise<number> {
  const report = await readinessDrill(args, (line) => process.stdout.write(`${line}\n`), synthesized);
  process.stdout.write(`\n${renderReadinessTable(report)}\n`);
  return report.ready ? 0 : 1;
}
