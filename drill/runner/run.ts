import { resolve } from 'node:path';
import { projectNames } from '../../infra/config/names';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import type { FailoverMode } from '../../lambdas/shared/contracts';
import { DrillUsageError, WiringError } from '../errors';
import { applyFaults, type FaultSpec } from '../faults/catalog';
import { createWorld } from '../sim/create-world';
import type { World } from '../sim/world';
import type { TriggerWiring } from '../synth/alarm-template';
import type { OrchestratorWiring } from '../synth/wiring';
import type { Timings } from '../timing';
import { runTriggerScenario } from './alarm-path';
import { type DrillApproval, drillApprovalSettings, installApprover, withApproval } from './approval';
import type { DetectionLog } from './detection';
import type { ExecutionRecord } from './execution';
import { Orchestrator } from './orchestrator';
import type { ProgressLog } from './progress';
import { runScenario } from './scenario';
import { DRILL_EPOCH_MS, Simulation } from './simulation';

/** The repository root (handlers are loaded from `<root>/<entry>/index.ts`). */
export const REPO_ROOT = resolve(__dirname, '../..');

/** One drill: the project, the orchestrator to run, the mode, the faults and the timing model. */
export interface DrillOptions {
  readonly config: ProjectConfig;
  /** The region the orchestrator promotes (its own). */
  readonly role: RegionRole;
  readonly mode: FailoverMode;
  readonly faults?: readonly FaultSpec[];
  readonly timings: Timings;
  readonly wiring: OrchestratorWiring;
  /** Progress lines (already formatted); omit for a silent run. */
  readonly log?: ProgressLog;
  /** Where handler source folders are resolved from. @default the repository root */
  readonly repoRoot?: string;
  /** Start the failover through the alarm path (`--trigger alarm`) instead of directly. */
  readonly trigger?: TriggerWiring;
  /** Answer the approval gate so (`--approve-after`, `--deny`); the gate is on for the run (drill/runner/approval.ts). */
  readonly approval?: DrillApproval;
}

/** A finished drill: the world as it ended and every execution, for the analysis and the report. */
export interface DrillRun {
  readonly world: World;
  /** In the order they ended. */
  readonly executions: readonly ExecutionRecord[];
  readonly wiring: OrchestratorWiring;
  readonly options: DrillOptions;
  /** Handler logs and SDK warnings written while the drill ran. */
  readonly handlerOutput: readonly string[];
  /** Simulated second at which the last execution ended. */
  readonly endedAt: number;
  /** The alarm path's detection phase (`--trigger alarm` only). */
  readonly detection?: DetectionLog;
}

/**
 * Run the drill: the synthesized definition in aws-local-stepfunctions, each Lambda Task running
 * the real handler with its template environment, against the simulated AWS, on the virtual
 * clock. Faults shape the world and the scenario (a second trigger, a rerun).
 *
 * @throws WiringError when the template cannot be run as synthesized
 */
export async function runDrill(options: DrillOptions): Promise<DrillRun> {
  const { config, role } = options;
  const wiring =
    options.approval === undefined
      ? options.wiring
      : withApproval(options.wiring, drillApprovalSettings(config, options.approval));
  const names = projectNames(config);
  const own = names.regions[role];
  if (wiring.region !== own.region) {
    throw new WiringError(
      `the orchestrator template is for ${wiring.region}, but role ${role} is ${own.region}`,
    );
  }
  const world = createWorld({
    config,
    names,
    targetRole: role,
    timings: options.timings,
    epochMs: DRILL_EPOCH_MS,
  });
  const effects = applyFaults(world, options.faults ?? []);
  if (options.approval !== undefined) installApprover(world, options.approval);
  const sim = Simulation.start(world);
  try {
    const log = options.log === undefined ? undefined : sim.bypass(options.log);
    const orchestrator = new Orchestrator(world, wiring, {
      repoRoot: options.repoRoot ?? REPO_ROOT,
      serviceExceptions: effects.lambdaServiceExceptions,
      ...(log === undefined ? {} : { log }),
    });
    const execute = orchestrator.execute.bind(orchestrator);
    const now = () => world.clock.now();
    let detection: DetectionLog | undefined;
    if (options.trigger === undefined) {
      await sim.drive(
        runScenario({ execute, mode: options.mode, effects, now, ...(log === undefined ? {} : { log }) }),
      );
    } else {
      // The alarm path starts executions itself: a scripted second trigger or rerun has no place in it.
      if (effects.secondTriggerAfterSeconds !== undefined || effects.rerun !== undefined) {
        throw new DrillUsageError(
          '--trigger alarm: second-trigger, rerun-after-failure and promotion-overrun script the direct start (use flapping-source for repeated triggers)',
        );
      }
      const trigger = {
        world,
        trigger: options.trigger,
        wiring,
        repoRoot: options.repoRoot ?? REPO_ROOT,
        execute,
      };
      detection = await sim.drive(runTriggerScenario({ ...trigger, ...(log === undefined ? {} : { log }) }));
    }
    const endedAt = world.clock.now();
    world.clock.sync(endedAt);
    world.clock.freeze(endedAt);
    return {
      world,
      executions: orchestrator.executions,
      wiring,
      options,
      handlerOutput: sim.handlerOutput,
      endedAt,
      ...(detection === undefined ? {} : { detection }),
    };
  } finally {
    sim.stop();
  }
}
