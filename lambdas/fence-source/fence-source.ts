import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { readCapacityRecord, writeCapacityRecord } from '../scale-service/capacity-record';
import type { FenceEvent, FenceReport, FenceState, StepResult } from '../shared/contracts';
import { type Env, REGION_ENV, regionSettings, requireEnv } from '../shared/env';
import { asError, ResourceNotFoundError, WaitTimeoutError } from '../shared/errors';
import { publishClaim } from '../shared/publish-claim';
import { beginStep, elapsedSeconds, pending, ready } from '../shared/step-result';
import { withTimeout } from '../shared/timeout';
import { claimOfAlarmState, otherRole, TRAFFIC_CLAIM_PERIOD_SECONDS } from '../shared/traffic-claim';
import { type FenceTarget, fenceGoals, type Goal, type GoalKey, isMet } from './goals';

export type FenceSourceSettings = FenceTarget;

export interface FenceSourceClients {
  /** CloudWatch in the region traffic left (may be down). */
  readonly sourceCloudwatch: CloudWatchClient;
  /** ECS in the region traffic left (may be down). */
  readonly sourceEcs: ECSClient;
  /** SSM in the region traffic left (may be down): its service's deployed desired count. */
  readonly sourceSsm: SSMClient;
  /** CloudWatch here: main's own claim is reset where main's alarm reads it. */
  readonly targetCloudwatch: CloudWatchClient;
}

/**
 * How long one call to either region may take. A region that is down often does not refuse but
 * stays silent; the step must keep its polls short and end within its small budget.
 */
export const FENCE_CALL_TIMEOUT_MS = 5_000;

/**
 * How long DR's alarm must have said "DR stands by" before main resets its own claim: Route 53
 * reads an alarm's state on its own schedule; two claim periods leave it a read of the new state,
 * so main's health check never sees both claims at 0 while the DR one still counts.
 */
export const RESET_AFTER_SECONDS = 2 * TRAFFIC_CLAIM_PERIOD_SECONDS;

/** Read the fence-source settings; throws InvalidInputError naming missing variables. */
export function readFenceSourceSettings(env: Env): FenceSourceSettings {
  const raw = requireEnv(
    [
      ...REGION_ENV,
      'PROJECT',
      'SOURCE_ECS_CLUSTER',
      'SOURCE_ECS_SERVICE',
      'SOURCE_CLAIM_ALARM_NAME',
      'SOURCE_SERVICE_DESIRED_COUNT_PARAMETER',
    ],
    env,
  );
  return {
    ...regionSettings(raw),
    project: raw.PROJECT,
    sourceEcsCluster: raw.SOURCE_ECS_CLUSTER,
    sourceEcsService: raw.SOURCE_ECS_SERVICE,
    sourceClaimAlarmName: raw.SOURCE_CLAIM_ALARM_NAME,
    sourceServiceDesiredCountParameter: raw.SOURCE_SERVICE_DESIRED_COUNT_PARAMETER,
  };
}

interface AlarmReading {
  readonly state: string;
  /** Whether the source claims traffic; undefined while the alarm has no data. */
  readonly claiming: boolean | undefined;
  readonly since: Date | undefined;
}

/** A goal's outcome on this call: met now, found met, or a sentence saying what it waits for. */
type Outcome = 'did' | 'already' | { readonly waiting: string };

const bounded = <T>(what: string, work: (abortSignal: AbortSignal) => Promise<T>): Promise<T> =>
  withTimeout(work, FENCE_CALL_TIMEOUT_MS, what);

function because(err: unknown): string {
  const e = asError(err);
  return `${e.name}: ${e.message}`;
}

async function readSourceAlarm(
  cloudwatch: CloudWatchClient,
  settings: FenceSourceSettings,
): Promise<AlarmReading> {
  const out = await bounded('DescribeAlarms', (abortSignal) =>
    cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [settings.sourceClaimAlarmName], AlarmTypes: ['MetricAlarm'] }),
      { abortSignal },
    ),
  );
  const alarm = out.MetricAlarms?.[0];
  if (alarm === undefined) {
    throw new ResourceNotFoundError(
      `alarm ${settings.sourceClaimAlarmName} does not exist in ${settings.sourceRegion}`,
    );
  }
  const state = alarm.StateValue ?? 'UNKNOWN';
  return {
    state,
    claiming: claimOfAlarmState(otherRole(settings.targetRole), state),
    since: alarm.StateUpdatedTimestamp,
  };
}

/** The work of each goal; each reads first and acts only when the goal needs it. */
function goalWork(
  settings: FenceSourceSettings,
  clients: FenceSourceClients,
  done: readonly string[],
  releaseGoal: Goal,
): Record<GoalKey, () => Promise<Outcome>> {
  const sourceRole = otherRole(settings.targetRole);
  let alarm: Promise<AlarmReading> | undefined;
  const sourceAlarm = () => {
    alarm ??= readSourceAlarm(clients.sourceCloudwatch, settings);
    return alarm;
  };
  return {
    async release() {
      // A failed read is no reason not to release: publishing 0 is safe whatever the claim is.
      const claiming = await sourceAlarm().then(
        (a) => a.claiming,
        () => undefined,
      );
      if (claiming === false) return 'already';
      await bounded('PutMetricData', (abortSignal) =>
        publishClaim(clients.sourceCloudwatch, settings.project, sourceRole, 0, { abortSignal }),
      );
      return 'did';
    },
    async record() {
      const name = settings.sourceServiceDesiredCountParameter;
      const current = await bounded('GetParameter', (abortSignal) =>
        readCapacityRecord(clients.sourceSsm, name, { abortSignal }),
      );
      if (current === undefined) {
        // Not created here: the network stack's deploy would then fail on a parameter it did not create.
        throw new ResourceNotFoundError(`parameter ${name} does not exist in ${settings.sourceRegion}`);
      }
      if (current === 0) return 'already';
      await bounded('PutParameter', (abortSignal) =>
        writeCapacityRecord(clients.sourceSsm, name, 0, { abortSignal }),
      );
      return 'did';
    },
    async stop() {
      const out = await bounded('DescribeServices', (abortSignal) =>
        clients.sourceEcs.send(
          new DescribeServicesCommand({
            cluster: settings.sourceEcsCluster,
            services: [settings.sourceEcsService],
          }),
          { abortSignal },
        ),
      );
      const service = out.services?.[0];
      if (service === undefined) {
        throw new ResourceNotFoundError(
          `ECS service ${settings.sourceEcsService} in cluster ${settings.sourceEcsCluster} does not exist`,
        );
      }
      if ((service.desiredCount ?? 0) === 0) return 'already';
      await bounded('UpdateService', (abortSignal) =>
        clients.sourceEcs.send(
          new UpdateServiceCommand({
            cluster: settings.sourceEcsCluster,
            service: settings.sourceEcsService,
            desiredCount: 0,
          }),
          { abortSignal },
        ),
      );
      return 'did';
    },
    async reset() {
      if (!isMet(releaseGoal, done)) return { waiting: `${sourceRole}'s claim to be released first` };
      const a = await sourceAlarm();
      if (a.claiming !== false) {
        return { waiting: `alarm ${settings.sourceClaimAlarmName} to leave ${a.state} (DR still claims)` };
      }
      const age = a.since === undefined ? 0 : (Date.now() - a.since.getTime()) / 1000;
      if (age < RESET_AFTER_SECONDS) {
        return {
          waiting: `alarm ${settings.sourceClaimAlarmName} ${a.state} for ${Math.floor(age)} s of ${RESET_AFTER_SECONDS} s (Route 53 reads it)`,
        };
      }
      await bounded('PutMetricData', (abortSignal) =>
        publishClaim(clients.targetCloudwatch, settings.project, 'main', 0, { abortSignal }),
      );
      return 'did';
    },
  };
}

function report(goals: readonly Goal[], done: readonly string[], mode: FenceEvent['modeUsed']): FenceReport {
  const left = goals.filter((g) => !isMet(g, done));
  const state: FenceState = left.length > 0 ? 'PENDING' : mode === 'unplanned' ? 'FENCED' : 'RELEASED';
  return { state, done, commands: left.map((g) => g.command) };
}

function describe(fence: FenceReport, notes: readonly string[]): string {
  const did = fence.done.length > 0 ? fence.done.join('; ') : 'nothing yet';
  if (fence.state !== 'PENDING') return `${fence.state}: ${did}`;
  return `PENDING: done: ${did}; waiting for: ${notes.join('; ')}`;
}

/**
 * Step `fence`: after traffic moved, make the region it left harmless, best effort. Releases the
 * source's traffic claim (in the source region); in an unplanned run also records 0 as the source
 * service's deployed desired count (its capacity parameter, so a deploy does not start it again) and
 * scales the source's ECS service to 0 (its database may still accept writes that the promotion
 * already abandoned); the stop is tried even when the record failed, as stopping matters more; on
 * failback (this region is main) resets main's own claim to 0 once DR's alarm has said "DR stands
 * by" for {@link RESET_AFTER_SECONDS}, so the next failover needs no call to main.
 *
 * Never fails the run for the source region: errors and timeouts there are noted and polled again;
 * once the step's budget is spent it returns READY with `fence.state` PENDING and the AWS CLI
 * commands that finish the job. Each call skips what `previous.fence.done` records as met.
 * FENCED (unplanned) / RELEASED (planned) when every goal is met; READY `alreadyDone` when the
 * first call found them met.
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
  let changed = false;
  const spent = call.attempt > 1 && elapsedSeconds(call) >= call.wait.budgetMinutes * 60;
  if (!spent) {
    const releaseGoal = goals[0] as Goal;
    const work = goalWork(settings, clients, done, releaseGoal);
    // In order: main's reset reads whether the release (recorded just before) is met.
    for (const goal of goals) {
      if (isMet(goal, done)) continue;
      try {
        const outcome = await work[goal.key]();
        if (outcome === 'did') {
          done.push(goal.did);
          changed = true;
        } else if (outcome === 'already') {
          done.push(goal.already);
        } else {
          notes.push(`${goal.key}: ${outcome.waiting}`);
        }
      } catch (err: unknown) {
        // Traffic has already moved: nothing here may fail the run; what is left is reported.
        notes.push(`${goal.key}: ${because(err)}`);
      }
    }
  }
  const fence = report(goals, done, event.modeUsed);
  const extra = { changed, modeUsed: event.modeUsed };
  const detail = describe(fence, notes);
  if (fence.state !== 'PENDING') return { ...ready(call, detail, extra), fence };
  const budgetNote = `budget of ${call.wait.budgetMinutes} min spent; run the commands to finish: ${detail}`;
  if (spent) return { ...ready(call, budgetNote, extra), fence };
  try {
    return { ...pending(call, detail, extra), fence };
  } catch (err: unknown) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    return { ...ready(call, budgetNote, extra), fence };
  }
}
