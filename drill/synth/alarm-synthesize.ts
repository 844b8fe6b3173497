import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { readTrigger, type TriggerWiring } from './alarm-template';
import { type SynthesizedOrchestrator, synthesizeOrchestratorTemplate } from './synthesize';
import { extractOrchestrator } from './wiring';

/** The orchestrator as synthesize.ts reads it, plus its alarm path. */
export interface SynthesizedTrigger extends SynthesizedOrchestrator {
  /** Undefined when the region has no alarm rule (not in `failover.alarm.regions`). */
  readonly trigger?: TriggerWiring;
}

/**
 * Synthesize the project's app once (bundling skipped) and read the orchestrator stack that
 * promotes `role`: its state machine wiring and its alarm path.
 *
 * @throws WiringError when the template cannot be read offline
 */
export async function synthesizeWithTrigger(
  config: ProjectConfig,
  role: RegionRole,
  configName?: string,
): Promise<SynthesizedTrigger> {
  const { template, stackName, where } = await synthesizeOrchestratorTemplate(config, role, configName);
  const trigger = readTrigger(template, stackName, where);
  return {
    wiring: extractOrchestrator(template, where),
    stackName,
    ...(trigger === undefined ? {} : { trigger }),
  };
}
