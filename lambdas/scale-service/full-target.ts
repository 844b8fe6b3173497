import type { FullTargetReport } from '../shared/contracts';
import type { ServiceProgress, ServiceState } from './progress';

/** `+4m10s`, `+45s`: seconds after the run started, as the notices print them. */
export function offset(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `+${s}s`;
  return `+${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Healthy targets, or running tasks for a service whose targets were not read. */
function servingOf(s: ServiceState): number {
  return s.targets?.healthy ?? s.tasks.running;
}

/**
 * Where the services that were below their target count when traffic could move stand now: those
 * of `previous` (the last call's report: the service step's READY result names them), or, without
 * one, every service not yet full. Each
 * keeps the time it was first read full. `since` dates the lines (the run's start); `budgetEnded`
 * says the step's budget is spent.
 */
export function fullTargetReport(
  progress: ServiceProgress,
  previous: FullTargetReport | undefined,
  now: Date,
  since: string,
  budgetEnded: boolean,
): FullTargetReport {
  const tracked =
    previous?.services ??
    progress.services.filter((s) => !s.full).map((s) => ({ name: s.name, targetCount: s.targetCount }));
  const services = tracked.map((t) => {
    const state = progress.services.find((s) => s.name === t.name);
    const reachedAt =
      'reachedAt' in t && t.reachedAt !== undefined
        ? t.reachedAt
        : state?.full === true
          ? now.toISOString()
          : undefined;
    return {
      name: t.name,
      targetCount: t.targetCount,
      serving: state === undefined ? 0 : servingOf(state),
      ...(reachedAt === undefined ? {} : { reachedAt }),
    };
  });
  const state = progress.full ? 'REACHED' : budgetEnded ? 'BUDGET_ENDED' : 'SCALING';
  const from = Date.parse(since);
  const lines = services.map((s) => {
    if (s.reachedAt !== undefined) {
      return `${s.name}: ${s.targetCount}/${s.targetCount} at ${offset((Date.parse(s.reachedAt) - from) / 1000)}`;
    }
    const when = state === 'BUDGET_ENDED' ? 'when the budget ended' : 'so far';
    return `${s.name}: ${s.serving}/${s.targetCount} ${when}`;
  });
  return { state, services, lines };
}
