import type { FaultSpec } from '../../drill/faults/catalog';
import {
  type PreparedTriggerDrill,
  type TriggerOutcome,
  triggerDrillOnce,
} from '../../drill/sweep/alarm-drill';
import { synthesizeWithTrigger } from '../../drill/synth/alarm-synthesize';
import { loadTimingModel } from '../../drill/timing';
import { loadConfig } from '../../infra/config/load';
import type { ProjectConfig } from '../../infra/config/schema';

/** Synthesis takes seconds: each test file prepares its project once. */
export const SYNTH_TIMEOUT_MS = 120_000;
export const DRILL_TIMEOUT_MS = 60_000;

/** The base project with `alarm` overrides. */
export function baseWith(alarm: Partial<ProjectConfig['failover']['alarm']> = {}): ProjectConfig {
  const base = loadConfig('base');
  return { ...base, failover: { ...base.failover, alarm: { ...base.failover.alarm, ...alarm } } };
}

/** Prepare an alarm-triggered drill of `config` (one synthesis). */
export async function prepare(config: ProjectConfig): Promise<PreparedTriggerDrill> {
  const s = await synthesizeWithTrigger(config, 'dr', 'base');
  if (s.trigger === undefined) throw new Error('no alarm rule synthesized');
  return {
    plan: { configName: 'base', role: 'dr', mode: 'auto', faults: [] },
    config,
    model: loadTimingModel(),
    wiring: s.wiring,
    stackName: s.stackName,
    trigger: s.trigger,
    commit: 'test',
  };
}

/** Run `p` with `faults`. */
export function drillWith(
  p: PreparedTriggerDrill,
  faults: readonly FaultSpec[] = [],
): Promise<TriggerOutcome> {
  return triggerDrillOnce({ ...p, plan: { ...p.plan, faults } });
}

/** The preflight status each execution returned, in start order. */
export function statuses(o: TriggerOutcome): string[] {
  return [...o.run.executions]
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((e) => {
      const out = e.output as { outcome?: string } | undefined;
      return out?.outcome ?? e.status;
    });
}

/** The `reason` the first execution was started with. */
export function firstReason(o: TriggerOutcome): string {
  const input = o.run.executions[0]?.input as { reason?: unknown } | undefined;
  return typeof input?.reason === 'string' ? input.reason : '';
}
