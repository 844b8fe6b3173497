import type { FailoverMode } from '../../lambdas/shared/contracts';
import type { ScenarioEffects } from '../faults/catalog';
import type { ExecutionRecord } from './execution';
import { pause } from './lambda-emulation';
import { fmtTime, type ProgressLog } from './progress';

/**
 * What a drill does with its orchestrator: one execution in the requested mode, plus what the
 * faults ask for (a second trigger while it runs; after a failure, the fix and a rerun).
 */
export interface ScenarioOptions {
  readonly execute: (input: Record<string, unknown>) => Promise<ExecutionRecord>;
  readonly mode: FailoverMode;
  readonly effects: ScenarioEffects;
  /** Simulated seconds now. */
  readonly now: () => number;
  readonly log?: ProgressLog;
}

/** Run the scenario to its end (on the virtual clock: drive it). */
export async function runScenario(options: ScenarioOptions): Promise<void> {
  const { execute, mode, effects, log } = options;
  const input = { mode, reason: `pilot-light drill (${mode})` };
  const first = execute(input);
  const others: Promise<ExecutionRecord>[] = [];
  const after = effects.secondTriggerAfterSeconds;
  if (after !== undefined) {
    others.push(pause(after).then(() => execute({ mode: 'auto', reason: 'second trigger (drill)' })));
  }
  const r1 = await first;
  await Promise.all(others);
  if (effects.rerun !== undefined && r1.status !== 'SUCCEEDED') {
    effects.rerun.fix();
    const reason = effects.rerun.reason ?? 'fault fixed';
    log?.(`${fmtTime(options.now())}     ${reason}; rerun in ${effects.rerun.delaySeconds} s`);
    await pause(effects.rerun.delaySeconds);
    await execute(input);
  }
}
