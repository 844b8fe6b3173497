import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { readCapacityRecord, writeCapacityRecord } from '../scale-service/capacity-record';
import { MAX_SERVICES_PER_DESCRIBE } from '../scale-service/service-reads';
import { ResourceNotFoundError } from '../shared/errors';
import { publishClaim } from '../shared/publish-claim';
import { withTimeout } from '../shared/timeout';
import { claimOfAlarmState, otherRole, TRAFFIC_CLAIM_PERIOD_SECONDS } from '../shared/traffic-claim';
import { type FencedService, type FenceTarget, type Goal, isMet } from './goals';

export interface FenceSourceClients {
  /** CloudWatch in the region traffic left (may be down). */
  readonly sourceCloudwatch: CloudWatchClient;
  /** ECS in the region traffic left (may be down). */
  readonly sourceEcs: ECSClient;
  /** SSM in the region traffic left (may be down): its services' deployed desired counts. */
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

/** A goal's outcome on this call: met now, found met, or a sentence saying what it waits for. */
export type Outcome = 'did' | 'already' | { readonly waiting: string };

interface AlarmReading {
  readonly state: string;
  /** Whether the source claims traffic; undefined while the alarm has no data. */
  readonly claiming: boolean | undefined;
  readonly since: Date | undefined;
}

const bounded = <T>(what: string, work: (abortSignal: AbortSignal) => Promise<T>): Promise<T> =>
  withTimeout(work, FENCE_CALL_TIMEOUT_MS, what);

async function readSourceAlarm(cloudwatch: CloudWatchClient, target: FenceTarget): Promise<AlarmReading> {
  const out = await bounded('DescribeAlarms', (abortSignal) =>
    cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [target.sourceClaimAlarmName], AlarmTypes: ['MetricAlarm'] }),
      { abortSignal },
    ),
  );
  const alarm = out.MetricAlarms?.[0];
  if (alarm === undefined) {
    throw new ResourceNotFoundError(
      `alarm ${target.sourceClaimAlarmName} does not exist in ${target.sourceRegion}`,
    );
  }
  const state = alarm.StateValue ?? 'UNKNOWN';
  return {
    state,
    claiming: claimOfAlarmState(otherRole(target.targetRole), state),
    since: alarm.StateUpdatedTimestamp,
  };
}

/**
 * The source region's ECS services of `entries`, by ECS name: one DescribeServices per
 * {@link MAX_SERVICES_PER_DESCRIBE}, each bounded.
 */
async function describeSourceServices(
  ecs: ECSClient,
  cluster: string,
  entries: readonly FencedService[],
): Promise<ReadonlyMap<string, Service>> {
  const batches: string[][] = [];
  for (let i = 0; i < entries.length; i += MAX_SERVICES_PER_DESCRIBE) {
    batches.push(entries.slice(i, i + MAX_SERVICES_PER_DESCRIBE).map((e) => e.sourceEcsService));
  }
  const outs = await Promise.all(
    batches.map((services) =>
      bounded('DescribeServices', (abortSignal) =>
        ecs.send(new DescribeServicesCommand({ cluster, services }), { abortSignal }),
      ),
    ),
  );
  return new Map(outs.flatMap((o) => o.services ?? []).map((s) => [s.serviceName ?? '', s]));
}

/**
 * The work of each goal; each reads first and acts only when the goal needs it. `done` is read when
 * a goal runs (main's reset waits for the release recorded before it). The source's services are
 * described once, together, for every `stop` still to do (`stopping`).
 */
export function goalWork(
  target: FenceTarget,
  clients: FenceSourceClients,
  done: readonly string[],
  releaseGoal: Goal,
  stopping: readonly FencedService[],
): (goal: Goal) => Promise<Outcome> {
  const sourceRole = otherRole(target.targetRole);
  let alarm: Promise<AlarmReading> | undefined;
  const sourceAlarm = () => {
    alarm ??= readSourceAlarm(clients.sourceCloudwatch, target);
    return alarm;
  };
  let services: Promise<ReadonlyMap<string, Service>> | undefined;
  const sourceServices = () => {
    services ??= describeSourceServices(clients.sourceEcs, target.sourceEcsCluster, stopping);
    return services;
  };

  async function release(): Promise<Outcome> {
    // A failed read is no reason not to release: publishing 0 is safe whatever the claim is.
    const claiming = await sourceAlarm().then(
      (a) => a.claiming,
      () => undefined,
    );
    if (claiming === false) return 'already';
    await bounded('PutMetricData', (abortSignal) =>
      publishClaim(clients.sourceCloudwatch, target.project, sourceRole, 0, { abortSignal }),
    );
    return 'did';
  }

  async function record(name: string): Promise<Outcome> {
    const current = await bounded('GetParameter', (abortSignal) =>
      readCapacityRecord(clients.sourceSsm, name, { abortSignal }),
    );
    if (current === undefined) {
      // Not created here: the network stack's deploy would then fail on a parameter it did not create.
      throw new ResourceNotFoundError(`parameter ${name} does not exist in ${target.sourceRegion}`);
    }
    if (current === 0) return 'already';
    await bounded('PutParameter', (abortSignal) =>
      writeCapacityRecord(clients.sourceSsm, name, 0, { abortSignal }),
    );
    return 'did';
  }

  async function stop(entry: FencedService): Promise<Outcome> {
    const service = (await sourceServices()).get(entry.sourceEcsService);
    if (service === undefined) {
      throw new ResourceNotFoundError(
        `ECS service ${entry.sourceEcsService} in cluster ${target.sourceEcsCluster} does not exist`,
      );
    }
    if ((service.desiredCount ?? 0) === 0) return 'already';
    await bounded('UpdateService', (abortSignal) =>
      clients.sourceEcs.send(
        new UpdateServiceCommand({
          cluster: target.sourceEcsCluster,
          service: entry.sourceEcsService,
          desiredCount: 0,
        }),
        { abortSignal },
      ),
    );
    return 'did';
  }

  async function reset(): Promise<Outcome> {
    if (!isMet(releaseGoal, done)) return { waiting: `${sourceRole}'s claim to be released first` };
    const a = await sourceAlarm();
    if (a.claiming !== false) {
      return { waiting: `alarm ${target.sourceClaimAlarmName} to leave ${a.state} (DR still claims)` };
    }
    const age = a.since === undefined ? 0 : (Date.now() - a.since.getTime()) / 1000;
    if (age < RESET_AFTER_SECONDS) {
      return {
        waiting: `alarm ${target.sourceClaimAlarmName} ${a.state} for ${Math.floor(age)} s of ${RESET_AFTER_SECONDS} s (Route 53 reads it)`,
      };
    }
    await bounded('PutMetricData', (abortSignal) =>
      publishClaim(clients.targetCloudwatch, target.project, 'main', 0, { abortSignal }),
    );
    return 'did';
  }

  return (goal) => {
    switch (goal.key) {
      case 'release':
        return release();
      case 'record':
        return record(goal.parameter);
      case 'stop':
        return stop(goal.service);
      case 'reset':
        return reset();
    }
  };
}
