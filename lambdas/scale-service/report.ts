import type { CapacityReport, ServiceGoal } from '../shared/contracts';
import type { ResourceProgress } from '../shared/resources';
import { partialClause, type ServiceProgress } from './progress';

/**
 * `resources`: each service, in config order; `raised` ones say what this call asked of them, and
 * one serving below its target says so. For the `full` goal a service is done at its target count.
 */
export function resourcesOf(
  progress: ServiceProgress,
  goal: ServiceGoal,
  raised: ReadonlySet<string> = new Set(),
): ResourceProgress[] {
  return progress.services.map((s) => {
    const below = s.done && !s.full ? `; ${partialClause(s).slice(s.name.length + 2)}` : '';
    return {
      kind: 'service',
      name: s.name,
      done: goal === 'full' ? s.full : s.done,
      detail: `${s.detail}${below}${raised.has(s.name) ? `; desiredCount → ${s.targetCount}` : ''}`,
    };
  });
}

/** The step's detail: where every service stands, those serving below target, then the capacity shortfall. */
export function stepDetail(progress: ServiceProgress, capacity: CapacityReport): string {
  const below = progress.services.filter((s) => s.done && !s.full).map(partialClause);
  return [
    ...(below.length === 0 ? [] : [`serving below target: ${below.join('; ')}`]),
    progress.detail,
    ...(capacity.lines.length === 0 ? [] : [`capacity: ${capacity.lines.join('; ')}`]),
  ].join('; ');
}
