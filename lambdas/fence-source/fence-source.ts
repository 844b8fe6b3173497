import type { FenceEvent, FenceReport, FenceState, StepResult } from '../shared/contracts';
import { type Env, REGION_ENV, regionSettings, requireEnv } from '../shared/env';
import { asError, WaitTimeoutError } from '../shared/errors';
import { type ResourceProgress, readServices } from '../shared/resources';
import { beginStep, elapsedSeconds, pending, ready } from '../shared/step-result';
import { FENCE_SOURCE_SERVICE_FIELDS } from './env';
import { type FenceTarget, fenceGoals, type Goal, goalLabel, isMet } from './goals';
import { type FenceSourceClients, goalWork, type Outcome } from './work';

export type { FenceSourceClients } from './work';
export { FENCE_CALL_TIMEOUT_MS, RESET_AFTER_SECONDS } from './work';

export type FenceSourceSettings = FenceTarget;

/**
 * Read the fence-source settings.
 *
 * @throws InvalidInputError naming missing variables, or `SERVICES` (and the entry and field) when malformed
 */
export function readFenceSourceSettings(env: Env): FenceSourceSettings {
  const raw = requireEnv(
    [...REGION_ENV, 'PROJECT', 'SERVICES', 'SOURCE_ECS_CLUSTER', 'SOURCE_CLAIM_ALARM_NAME'],
    env,
  );
  return {
    ...regionSettings(raw),
    project: raw.PROJECT,
    sourceEcsCluster: raw.SOURCE_ECS_CLUSTER,
    sourceClaimAlarmName: raw.SOURCE_CLAIM_ALARM_NAME,
    services: readServices(env, FENCE_SOURCE_SERVICE_FIELDS),
  };
}

/** What one goal came to on this call: an outcome, or the error that kept it open. */
type Result = Outcome | { readonly failed: string };

function because(err: unknown): string {
  const e = asError(err);
  return `${e.name}: ${e.message}`;
}

/** Record each result in `done` (met) or `notes` (open), in the order of `goals`. */
function apply(
  goals: readonly Goal[],
  results: ReadonlyMap<Goal, Result>,
  done: string[],
  notes: string[],
): boolean {
  let changed = false;
  for (const goal of goals) {
    const r = results.get(goal);
    if (r === undefined) continue;
    if (r === 'did') {
      done.push(goal.did);
      changed = true;
    } else if (r === 'already') {
      done.push(goal.already);
    } else {
      notes.push(`${goalLabel(goal)}: ${'failed' in r ? r.failed : r.waiting}`);
    }
  }
  return changed;
}

/**
 * Work every goal not yet met, in three phases: the release; each service's record then stop, the
 * services at once; main's reset (it reads whether the release, recorded just before, is met).
 * Every error is kept as a note: traffic has already moved, nothing here may fail the run.
 */
async function work(
  target: FenceTarget,
  clients: FenceSourceClients,
  goals: readonly Goal[],
  done: string[],
  notes: string[],
): Promise<boolean> {
  const open = goals.filter((g) => !isMet(g, done));
  const release = goals[0] as Goal;
  const stopping = open.flatMap((g) => (g.key === 'stop' ? [g.service] : []));
  const run = goalWork(target, clients, done, release, stopping);
  const results = new Map<Goal, Result>();
  const attempt = async (goal: Goal) => {
    try {
      results.set(goal, await run(goal));
    } catch (err: unknown) {
      results.set(goal, { failed: because(err) });
    }
  };
  let changed = false;
  const phases: ((g: Goal) => boolean)[] = [
    (g) => g.key === 'release',
    (g) => g.key === 'record' || g.key === 'stop',
    (g) => g.key === 'reset',
  ];
  for (const inPhase of phases) {
    const phase = open.filter(inPhase);
    // Per service in order (the record before the stop: a deploy must not restart it); the stop is
    // tried even when the record failed, as stopping matters more.
    await Promise.all(
      target.services.map(async (s) => {
        for (const g of phase) if ('service' in g && g.service.name === s.name) await attempt(g);
      }),
    );
    for (const g of phase) if (!('service' in g)) await attempt(g);
    changed = apply(phase, results, done, notes) || changed;
  }
  return changed;
}

function report(goals: readonly Goal[], done: readonly string[], mode: FenceEvent['modeUsed']): FenceReport {
  const left = goals.filter((g) => !isMet(g, done));
  const state: FenceState = left.length > 0 ? 'PENDING' : mode === 'unplanned' ? 'FENCED' : 'RELEASED';
  return { state, done, commands: left.map((g) => g.command) };
}

/** Each service of the source region: fenced (record and stop met) or what is left of it. */
function resourcesOf(
  target: FenceTarget,
  goals: readonly Goal[],
  done: readonly string[],
  notes: readonly string[],
  mode: FenceEvent['modeUsed'],
): ResourceProgress[] {
  return target.services.map((s) => {
    if (mode !== 'unplanned') {
      return {
        kind: 'service',
        name: s.name,
        done: true,
        detail: `${s.name}: ${s.sourceEcsService} left as it is (planned: the old region's databases are readers)`,
      };
    }
    const own = goals.filter((g) => 'service' in g && g.service.name === s.name);
    const left = own.filter((g) => !isMet(g, done));
    const why = notes.filter((n) => n.startsWith(`service ${s.name}: `));
    return {
      kind: 'service',
      name: s.name,
      done: left.length === 0,
      detail:
        left.length === 0
          ? `${s.name}: ${s.sourceEcsService} at 0 in ${target.sourceRegion}${s.sourceDesiredCountParameter === undefined ? ' (no capacity parameter: the tool that deploys it owns its count)' : ', its desired count recorded as 0'}`
          : `${s.name}: left to do: ${left.map((g) => g.key).join(', ')}${why.length > 0 ? ` (${why.join('; ')})` : ''}`,
    };
  });
}

function describe(fence: FenceReport, notes: readonly string[]): string {
  const did = fence.done.length > 0 ? fence.done.join('; ') : 'nothing yet';
  if (fence.state !== 'PENDING') return `${fence.state}: ${did}`;
  return `PENDING: done: ${did}; waiting for: ${notes.join('; ')}`;
}

/**
 * Step `fence`: after traffic moved, make the region it left harmless, best effort. Releases the
 * source's traffic claim (in the source region), once; in an unplanned run also, for every service
 * of `SERVICES` (at once), records 0 as its deployed desired count in the source region (its
 * capacity parameter, so a deploy does not start it again; a service the team deployed has none)
 * and scales its ECS service there to 0
 * (its database may still accept writes that the promotion already abandoned); a stop is tried even
 * when its record failed, as stopping matters more; on failback (this region is main) resets main's
 * own claim to 0 once DR's alarm has said "DR stands by" for `RESET_AFTER_SECONDS`, so the next
 * failover needs no call to main.
 *
 * Never fails the run for the source region: errors and timeouts there are noted (naming the
 * service, `service api: stop: …`) and polled again; once the step's budget is spent it returns
 * READY with `fence.state` PENDING and the AWS CLI commands that finish the job (per service). Each
 * call skips what `previous.fence.done` records as met. FENCED (unplanned) / RELEASED (planned)
 * when every goal is met; READY `alreadyDone` when the first call found them met. `resources` has
 * one entry per service.
 *
 * @throws InvalidInputError the event's wait settings or `previous` are malformed
 */
export async function fenceSource(
  event: FenceEvent,
  settings: FenceSourceSettings,
  clients: FenceSourceClients,
): Promise<StepResult> {
  const call = beginStep('fence', event);
  const goals = fenceGoals(settings, event.modeUsed);
  const done = [...(event.previous?.fence?.done ?? [])];
  const notes: string[] = [];
  const spent = call.attempt > 1 && elapsedSeconds(call) >= call.wait.budgetMinutes * 60;
  const changed = spent ? false : await work(settings, clients, goals, done, notes);
  const fence = report(goals, done, event.modeUsed);
  const resources = resourcesOf(settings, goals, done, notes, event.modeUsed);
  const extra = { changed, modeUsed: event.modeUsed };
  const detail = describe(fence, notes);
  if (fence.state !== 'PENDING') return { ...ready(call, detail, extra), fence, resources };
  const budgetNote = `budget of ${call.wait.budgetMinutes} min spent; run the commands to finish: ${detail}`;
  if (spent) return { ...ready(call, budgetNote, extra), fence, resources };
  try {
    return { ...pending(call, detail, extra), fence, resources };
  } catch (err: unknown) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    return { ...ready(call, budgetNote, extra), fence, resources };
  }
}
