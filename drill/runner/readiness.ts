import { projectNames } from '../../infra/config/names';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { ENTRY_METADATA_KEY } from '../../infra/constructs/entry-metadata';
import type { ReadinessReport } from '../../lambdas/shared/readiness-contract';
import { READINESS } from '../../lambdas/shared/steps';
import { DrillUsageError, WiringError } from '../errors';
import { applyFaults, type FaultSpec } from '../faults/catalog';
import { createWorld } from '../sim/create-world';
import { deployOrchestrator } from '../sim/deploy-orchestrator';
import type { World } from '../sim/world';
import { type CfnTemplate, stackArn } from '../synth/cfn-template';
import { readFunction, type WiredFunction } from '../synth/function';
import { synthesizeOrchestratorTemplate } from '../synth/synthesize';
import { extractOrchestrator, type OrchestratorWiring } from '../synth/wiring';
import type { Timings } from '../timing';
import { LambdaEmulator } from './lambda-emulation';
import { REPO_ROOT } from './run';
import { DRILL_EPOCH_MS, Simulation } from './simulation';

/**
 * `npm run drill -- --readiness`: the synthesized readiness Lambda of one region, invoked as its
 * schedule invokes it (template environment, Lambda context, virtual clock) against the simulated
 * world as deployed, with the faults applied. The world is the one a drill promoting that region
 * starts from: for `dr`, main writes and DR stands by; for `main`, DR writes after a failover.
 */

/** The orchestrator of one region as synthesized, with its readiness function. */
export interface SynthesizedReadiness {
  readonly wiring: OrchestratorWiring;
  readonly stackName: string;
  /** The template's readiness Lambda (Metadata entry `lambdas/readiness`). */
  readonly readiness: WiredFunction;
}

/** The Task state name the invocation is recorded under in the calls (no execution runs it). */
export const READINESS_SCHEDULE_STATE = 'ReadinessSchedule';

/** The readiness function of `template`: the one whose source folder is lambdas/readiness. */
export function readinessFunctionOf(template: CfnTemplate): WiredFunction {
  const found = Object.entries(template.Resources ?? {}).filter(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.[ENTRY_METADATA_KEY] !== undefined,
  );
  for (const [logicalId, r] of found) {
    const fn = readFunction(logicalId, r, READINESS.substitution);
    if (fn.entry === READINESS.folder) return fn;
  }
  throw new WiringError(`the orchestrator template has no Lambda function built from ${READINESS.folder}`);
}

/**
 * Synthesize the project's app (bundling skipped) and read the orchestrator stack of `role`: its
 * state machine's wiring and its readiness function.
 *
 * @throws WiringError when the template cannot be read offline or has no readiness function
 */
export async function synthesizeReadiness(
  config: ProjectConfig,
  role: RegionRole,
  configName?: string,
): Promise<SynthesizedReadiness> {
  const { template, stackName, where } = await synthesizeOrchestratorTemplate(config, role, configName);
  return {
    wiring: extractOrchestrator(template, where),
    stackName,
    readiness: readinessFunctionOf(template),
  };
}

export interface ReadinessDrillOptions {
  readonly config: ProjectConfig;
  /** The region evaluated: the one a failover (dr) or failback (main) would promote. */
  readonly role: RegionRole;
  readonly faults?: readonly FaultSpec[];
  readonly timings: Timings;
  readonly synthesized: SynthesizedReadiness;
  /** @default the repository root */
  readonly repoRoot?: string;
}

/** One readiness evaluation in the simulator. */
export interface ReadinessDrill {
  readonly report: ReadinessReport;
  readonly world: World;
  /** Handler logs written while it ran. */
  readonly handlerOutput: readonly string[];
}

/**
 * Evaluate `role`'s readiness in the simulated world by invoking its synthesized readiness Lambda.
 *
 * @throws DrillUsageError a fault that scripts a failover run (second trigger, rerun, Lambda error)
 * @throws WiringError the template's function does not run as synthesized
 */
export async function runReadinessDrill(o: ReadinessDrillOptions): Promise<ReadinessDrill> {
  const { config, role, synthesized } = o;
  const { wiring, readiness } = synthesized;
  const names = projectNames(config);
  if (wiring.region !== names.regions[role].region) {
    throw new WiringError(
      `the orchestrator template is for ${wiring.region}, but role ${role} is ${names.regions[role].region}`,
    );
  }
  const world = createWorld({ config, names, targetRole: role, timings: o.timings, epochMs: DRILL_EPOCH_MS });
  const effects = applyFaults(world, o.faults ?? []);
  if (
    effects.secondTriggerAfterSeconds !== undefined ||
    effects.rerun !== undefined ||
    effects.lambdaServiceExceptions.size > 0
  ) {
    throw new DrillUsageError(
      '--readiness evaluates the deployed world: faults that script a failover run (second-trigger, rerun-after-failure, promotion-overrun, lambda-service-exception) do not apply',
    );
  }
  const repoRoot = o.repoRoot ?? REPO_ROOT;
  const sim = Simulation.start(world);
  try {
    // The state machine and its functions as deployed (what the orchestrator check reads); no execution runs.
    const machine = wiring.stateMachineName ?? names.regions[role].stateMachineName;
    const stateMachineArn = stackArn(wiring, 'states', `stateMachine:${machine}`);
    world.sfn.stateMachines.add(stateMachineArn);
    deployOrchestrator(world, stateMachineArn, wiring);
    const lambdas = new LambdaEmulator({ world, wiring, repoRoot });
    const schedule = stackArn(wiring, 'events', `rule/${synthesized.stackName}-ReadinessSchedule`);
    const event = {
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      time: world.clock
        .dateAt(0)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      resources: [schedule],
    };
    const report = (await sim.drive(
      lambdas.task(READINESS_SCHEDULE_STATE, readiness, schedule)(event),
    )) as ReadinessReport;
    world.clock.freeze(world.clock.now());
    return { report, world, handlerOutput: sim.handlerOutput };
  } finally {
    sim.stop();
  }
}
