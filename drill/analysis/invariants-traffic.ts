import { servingCount } from '../../lambdas/scale-service/progress';
import type { FenceReport } from '../../lambdas/shared/contracts';
import { STEPS, stepOfState } from '../../lambdas/shared/steps';
import type { ExecutionRecord } from '../runner/execution';
import type { DrillRun } from '../runner/run';
import type { World } from '../sim/world';
import { fieldsOf, stepResultIn } from './execution-output';
import { writesIn } from './resources';

/**
 * Traffic as Route 53's data plane answered it over the drill, judged against the promotion: no
 * hostname may answer the promoted region before every database writes there and every service
 * serves there, at its `servingShare` of its promotion's desired count. Every hostname's
 * failover pair answers by the same health checks (the traffic claim's), so their history is the
 * checks' one: judged once, it is judged for every hostname.
 */

/**
 * Whether `name`'s service in the promoted region served at `t` by the failover's own rule
 * (`lambdas/scale-service/progress.ts`): at least its `servingShare` of its promotion's desired
 * count healthy in its target group (rounded up); a service no load balancer routes to, that many
 * running and, for a share of 1, stable.
 */
export function servesAtShare(w: World, name: string, t: number): boolean {
  const role = w.targetRole;
  const svc = w.ecs.service(role, name);
  const promotion = w.config.services.find((s) => s.name === name)?.regions[role].promotion;
  if (svc === undefined || promotion === undefined) return false;
  const want = servingCount(promotion.servingShare ?? 1, promotion.desiredCount);
  const group = w.elb.groupOf(role, name);
  if (group !== undefined) return w.elb.healthyCount(group, t) >= want;
  return svc.stableSince !== undefined && svc.stableSince <= t && svc.desired >= want;
}

/**
 * The resources not ready in the promoted region at `t`: databases not yet writing there, services
 * not yet serving there at their share (`database orders not promoted`, `service api not serving`).
 */
function notReadyAt(w: World, t: number): string[] {
  return [
    ...w.rds.databases
      .filter((db) => !writesIn(db, w.targetRole, t))
      .map((db) => `database ${db.name} not promoted`),
    ...w.config.services
      .filter((s) => !servesAtShare(w, s.name, t))
      .map((s) => {
        const share = s.regions[w.targetRole].promotion.servingShare ?? 1;
        return `service ${s.name} not serving${share < 1 ? ` at servingShare ${share}` : ''}`;
      }),
  ];
}

/** One change of where the application's hostnames answered (simulated seconds). */
export interface TrafficChange {
  readonly at: number;
  readonly role: string;
}

/** Where the hostnames answered at the drill's first execution, then every change until it ended. */
export function trafficChanges(run: DrillRun): TrafficChange[] {
  const from = Math.min(...run.executions.map((e) => e.startedAt));
  return run.world.traffic.answers(from, run.endedAt);
}

/** When `e`'s promotion step first reported READY (its act or check state exited), if it did. */
export function promotionReadyAt(e: ExecutionRecord): number | undefined {
  const step = STEPS.promotion;
  return e.events.find(
    (ev) =>
      ev.type === 'StateExited' &&
      stepOfState(ev.state ?? '') === step &&
      stepResultIn(ev.output, step)?.status === 'READY',
  )?.at;
}

/** The earliest READY of the promotion step across the run's executions. */
function firstPromotionReady(run: DrillRun): number | undefined {
  const times = run.executions.map(promotionReadyAt).filter((t): t is number => t !== undefined);
  return times.length === 0 ? undefined : Math.min(...times);
}

/**
 * The judgement of "traffic never moved before the promotion": no hostname answered the promoted
 * region before the promotion step was READY, nor before every global database wrote there and
 * every service served there.
 */
export function judgeTrafficAfterPromotion(run: DrillRun): { held: boolean; detail: string } {
  const w = run.world;
  const target = w.targetRole;
  const changes = trafficChanges(run);
  const origin = changes[0]?.at ?? 0;
  const ready = firstPromotionReady(run);
  const moves = changes.slice(1).filter((c) => c.role === target);
  const bad = moves
    .map((c) => ({ at: c.at, early: ready === undefined || c.at < ready, missing: notReadyAt(w, c.at) }))
    .filter((m) => m.early || m.missing.length > 0);
  const rel = (t: number) => `${(t - origin).toFixed(1)} s`;
  const history = changes.map((c, i) => `${i === 0 ? 'at start' : rel(c.at)} → ${c.role}`).join(', ');
  const promotion =
    ready === undefined ? 'the promotion step never finished' : `promotion READY at ${rel(ready)}`;
  const answered = w.names.hostnames.length === 1 ? 'the name answered' : 'the hostnames answered';
  const each = (m: (typeof bad)[number]) =>
    `${rel(m.at)}${m.early ? ' before it' : ''}${m.missing.length === 0 ? '' : `, with ${m.missing.join(', ')}`}`;
  // With one database and one service a run that held reads as it did before there could be several.
  const several = w.rds.databases.length > 1 || w.config.services.length > 1;
  const tail =
    bad.length > 0
      ? `: ${answered} ${target} at ${bad.map(each).join('; ')}`
      : several && moves.length > 0
        ? `; every database (${w.rds.databases.map((db) => db.name).join(', ')}) wrote in ${target} and every service (${w.config.services.map((s) => s.name).join(', ')}) served there (at its servingShare) when it moved`
        : '';
  return { held: bad.length === 0, detail: `${history}; ${promotion}${tail}` };
}

/** The fence step's report, as the run's last execution that reached it left it. */
export function fenceOf(run: DrillRun): FenceReport | undefined {
  const step = STEPS.fence;
  for (const e of [...run.executions].reverse()) {
    const exits = e.events.filter((ev) => ev.type === 'StateExited' && stepOfState(ev.state ?? '') === step);
    const last = exits[exits.length - 1];
    const fence =
      fieldsOf(stepResultIn(last?.output, step)?.fence) ?? fieldsOf(stepResultIn(e.output, step)?.fence);
    if (fence !== undefined && typeof fence.state === 'string') return fence as unknown as FenceReport;
  }
  return undefined;
}

/** The report's fencing line: what was done to the old region, and the commands still to run. */
export function fenceLines(fence: FenceReport | undefined): string[] {
  if (fence === undefined) return ['Fencing: not reached (traffic did not move, or the run ended before it)'];
  const done = fence.done.length === 0 ? '' : `: ${fence.done.join('; ')}`;
  return [`Fencing: ${fence.state}${done}`, ...fence.commands.map((c) => `    to finish it: ${c}`)];
}
