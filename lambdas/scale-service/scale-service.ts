import { type AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { type ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { CapacityReport, ScaleServiceEvent, ServiceGoal, StepResult } from '../shared/contracts';
import {
  type Env,
  parseListVar,
  REGION_ENV,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import { asError, awsCall, hasErrorName, rethrow, TransientAwsError } from '../shared/errors';
import type { ResourceProgress, ServiceOf } from '../shared/resources';
import { settleAll } from '../shared/settle';
import {
  beginStep,
  elapsedSeconds,
  ensureBudget,
  pending,
  ready,
  type StepCall,
  waiting,
} from '../shared/step-result';
import { readCapacityRecord, writeCapacityRecord } from './capacity-record';
import { capacityNow } from './capacity-report';
import { CAPACITY_RECORD_ENV, INSTANCE_TYPES_ENV, SCALE_SERVICE_SERVICE_FIELDS } from './env';
import { fullTargetReport } from './full-target';
import { partialClause, readServiceProgress, type ServiceProgress, type ServiceTarget } from './progress';
import { namingEntry } from './settle';
import { SERVICE_TARGET_ENV } from './target-env';
import { serviceTargetSettings } from './target-settings';

export interface ScaleServiceSettings extends RegionSettings, ServiceTarget {
  /**
   * Each service, with the parameter its service stack deploys its DesiredCount from (absent for a
   * service the team deployed: its own tool owns its count).
   */
  readonly services: readonly ServiceOf<(typeof SCALE_SERVICE_SERVICE_FIELDS)[number]>[];
  /**
   * The parameter the service stack deploys the shared ASG's MinSize from; absent when the capacity
   * (ECS cluster and ASG) is the team's (`ASG_MIN_CAPACITY_PARAMETER` empty).
   */
  readonly asgMinCapacityParameter?: string;
  /**
   * The ASG's instance types in order of preference (`INSTANCE_TYPES`); empty when not known. The
   * first is the first choice: instances of any other type are reported as launched instead of it.
   */
  readonly instanceTypes: readonly string[];
}

export interface ScaleServiceClients {
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** SSM in this region: the capacity parameters. */
  readonly ssm: SSMClient;
}

/**
 * Read the scale-service settings. `ASG_MIN_CAPACITY_PARAMETER` must be set but may be empty (no
 * parameter: the capacity is the team's); so must `INSTANCE_TYPES` (empty: types not known).
 *
 * @throws InvalidInputError naming missing variables, or the malformed one (for `SERVICES`, the
 * entry and field too)
 */
export function readScaleServiceSettings(env: Env): ScaleServiceSettings {
  const raw = requireEnv(
    [...REGION_ENV, ...SERVICE_TARGET_ENV, ...CAPACITY_RECORD_ENV, ...INSTANCE_TYPES_ENV],
    env,
    [...CAPACITY_RECORD_ENV, ...INSTANCE_TYPES_ENV],
  );
  const asgParameter = raw.ASG_MIN_CAPACITY_PARAMETER;
  const types = raw.INSTANCE_TYPES;
  return {
    ...regionSettings(raw),
    ...serviceTargetSettings(raw, env, SCALE_SERVICE_SERVICE_FIELDS),
    ...(asgParameter === '' ? {} : { asgMinCapacityParameter: asgParameter }),
    instanceTypes: types === '' ? [] : parseListVar('INSTANCE_TYPES', types),
  };
}

/** One capacity parameter and the value the promotion needs in it. */
interface CapacityRecord {
  readonly name: string;
  readonly target: number;
  /** `service api` for a service's own parameter; undefined for the ASG's. */
  readonly entry?: string;
}

/**
 * The parameters to record: the ASG's and each service's, where pilot-light deploys them. A
 * resource the team deployed has none: the record exists so pilot-light's own service stack
 * deploys what the failover set, and the team's tool owns the count of what it deployed.
 */
function capacityRecords(settings: ScaleServiceSettings): CapacityRecord[] {
  const asg = settings.asgMinCapacityParameter;
  return [
    ...(asg === undefined ? [] : [{ name: asg, target: settings.asgMinCapacity }]),
    ...settings.services.flatMap((s) =>
      s.desiredCountParameter === undefined
        ? []
        : [{ name: s.desiredCountParameter, target: s.desiredCount, entry: `service ${s.name}` }],
    ),
  ];
}

/**
 * Raise each capacity parameter below its target to the target (never lowering one): the ASG's and
 * each service's that exist ({@link capacityRecords}), so that a deploy of the service stack from
 * now on applies the promotion's capacity. Reads them all at once; writes one at a time, as
 * Parameter Store's PutParameter throughput is a small per-account, per-region quota shared with
 * every other writer (a throttled write would only be retried). Returns what it did, one phrase per
 * parameter written or missing.
 */
async function recordCapacity(settings: ScaleServiceSettings, ssm: SSMClient): Promise<string[]> {
  const records = capacityRecords(settings);
  const current = await settleAll(
    records.map((r) =>
      readCapacityRecord(ssm, r.name).catch((err: unknown) => {
        throw r.entry === undefined ? err : namingEntry(r.entry, err);
      }),
    ),
  );
  const notes: string[] = [];
  for (const [i, record] of records.entries()) {
    const value = current[i];
    const label = record.entry === undefined ? '' : `${record.entry}: `;
    if (value === undefined) {
      // Not created here: the network stack's deploy would then fail on a parameter it did not create.
      notes.push(`${label}parameter ${record.name} does not exist (deploy the network stack): not recorded`);
    } else if (!(value >= record.target)) {
      try {
        await writeCapacityRecord(ssm, record.name, record.target);
      } catch (err: unknown) {
        throw record.entry === undefined ? err : namingEntry(record.entry, err);
      }
      notes.push(`${label}parameter ${record.name} → ${record.target}`);
    }
  }
  return notes;
}

async function updateAsg(
  autoScaling: AutoScalingClient,
  name: string,
  update: { readonly MinSize: number; readonly DesiredCapacity: number; readonly MaxSize: number },
): Promise<void> {
  try {
    await autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, ...update }));
  } catch (err: unknown) {
    if (hasErrorName(err, 'ScalingActivityInProgress', 'ScalingActivityInProgressFault')) {
      const e = asError(err);
      throw new TransientAwsError(
        `UpdateAutoScalingGroup ${name}: ${e.name}: ${e.message} (retried: the ECS capacity provider scales ` +
          'the same group and AWS documents this as passing; the retry reads first and changes only what is still short)',
        { cause: e },
      );
    }
    rethrow(err, 'UpdateAutoScalingGroup');
  }
}

/** Raise every service below its target to it, all at once; returns the names of those raised. */
async function raiseServices(
  settings: ScaleServiceSettings,
  ecs: ECSClient,
  progress: ServiceProgress,
): Promise<Set<string>> {
  const short = progress.services.filter((s) => s.needsUpdate);
  await settleAll(
    short.map(async (s) => {
      try {
        await awsCall('UpdateService', () =>
          ecs.send(
            new UpdateServiceCommand({
              cluster: settings.ecsCluster,
              service: s.ecsService,
              desiredCount: s.targetCount,
            }),
          ),
        );
      } catch (err: unknown) {
        throw namingEntry(`service ${s.name}`, err);
      }
    }),
  );
  return new Set(short.map((s) => s.name));
}

/**
 * `resources`: each service, in config order; `raised` ones say what this call asked of them, and
 * one serving below its target says so. For the `full` goal a service is done at its target count.
 */
function resourcesOf(
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
function describe(progress: ServiceProgress, capacity: CapacityReport): string {
  const below = progress.services.filter((s) => s.done && !s.full).map(partialClause);
  return [
    ...(below.length === 0 ? [] : [`serving below target: ${below.join('; ')}`]),
    progress.detail,
    ...(capacity.lines.length === 0 ? [] : [`capacity: ${capacity.lines.join('; ')}`]),
  ].join('; ');
}

/**
 * Record the targets, then raise the ASG and the services still short (never lowering); returns
 * what it changed, one phrase each, and the services raised.
 */
async function act(
  settings: ScaleServiceSettings,
  clients: ScaleServiceClients,
  progress: ServiceProgress,
): Promise<{ readonly changes: string[]; readonly raised: ReadonlySet<string> }> {
  // Intent first: a service-stack deploy between this write and the scaling applies the targets.
  const changes = await recordCapacity(settings, clients.ssm);
  if (progress.asgNeedsUpdate) {
    const target = settings.asgMinCapacity;
    const update = {
      MinSize: Math.max(progress.asg.min, target),
      DesiredCapacity: Math.max(progress.asg.desired, target),
      MaxSize: Math.max(progress.asg.max, target),
    };
    await updateAsg(clients.autoScaling, settings.asgName, update);
    changes.push(`ASG min/desired/max → ${update.MinSize}/${update.DesiredCapacity}/${update.MaxSize}`);
  }
  const raised = await raiseServices(settings, clients.ecs, progress);
  for (const s of progress.services) {
    if (raised.has(s.name)) changes.push(`service ${s.name}: desiredCount → ${s.targetCount}`);
  }
  return { changes, raised };
}

/**
 * Goal `full`, after traffic moved: READY when every service is at its target count, or (still
 * `partial`) when the step's budget is spent: the run ends promoted either way. Until then
 * PENDING, raising whatever fell short again.
 */
async function scaleToFull(
  event: ScaleServiceEvent,
  call: StepCall,
  settings: ScaleServiceSettings,
  clients: ScaleServiceClients,
  progress: ServiceProgress,
  capacity: CapacityReport,
): Promise<StepResult> {
  const budgetEnded = call.attempt > 1 && elapsedSeconds(call) >= call.wait.budgetMinutes * 60;
  const fullTarget = fullTargetReport(
    progress,
    event.previous?.fullTarget,
    new Date(),
    event.runStartedAt ?? call.startedAt,
    budgetEnded,
  );
  const detail = describe(progress, capacity);
  const extra = { resources: resourcesOf(progress, 'full'), capacity, fullTarget };
  if (fullTarget.state === 'REACHED') {
    const reached = `every service at its target count: ${fullTarget.lines.join('; ')}`;
    return { ...ready(call, `${reached}; ${detail}`), ...extra, partial: false };
  }
  if (fullTarget.state === 'BUDGET_ENDED') {
    const ended = `below the target count when the budget ended: ${fullTarget.lines.join('; ')}`;
    return { ...ready(call, `${ended}; ${detail}`), ...extra, partial: true };
  }
  if (!progress.asgNeedsUpdate && !progress.serviceNeedsUpdate) {
    return { ...waiting(call, detail), ...extra, partial: true };
  }
  const { changes, raised } = await act(settings, clients, progress);
  return {
    ...waiting(call, `${changes.join('; ')}; ${detail}`),
    ...extra,
    resources: resourcesOf(progress, 'full', raised),
    partial: true,
  };
}

/**
 * Step `service`: record the targets in the region's capacity parameters (the ASG's and each
 * service's, raising only; none for capacity or a service the team deployed), then raise the
 * shared ASG once (MinSize/DesiredCapacity, and MaxSize if needed) and each ECS service below its
 * `desiredCount` to it — never scaling in — then report PENDING until every service serves: share 1
 * (the default), stable (one deployment, running == desired ≥ target) with at least its target
 * count of healthy targets in its target group; a `servingShare` below 1, that share of its target
 * count healthy (rounded up). Then READY, `partial` when some service serves below its target
 * count, with `fullTarget` (`SCALING`) naming them (`goal: 'full'` then waits for those, see
 * {@link scaleToFull}). `resources` has one entry
 * per service; `capacity` (and `detail`) what EC2 refused the shared ASG since the step started and
 * what it launched instead of the first-choice type (the activities read while the group launches,
 * {@link capacityNow}). A rerun reads first and changes only what is
 * still short.
 *
 * @throws ResourceNotFoundError the ASG, the cluster, a service or its target group does not exist
 * @throws InvalidStateError a service is draining or its deployment failed, or SSM refused a
 * capacity parameter write that needs an operator (e.g. ParameterMaxVersionLimitExceeded)
 * @throws WaitTimeoutError the step's time budget is spent (goal `serving` only); its message
 * carries the capacity shortfall
 * @throws TransientAwsError throttling, 5xx, network errors, or a scaling activity in progress on the
 * ASG, a concurrent write to a capacity parameter (TooManyUpdates), or a target-health read that
 * AWS reports as passing (retried by the state machine)
 *
 * An error about one service names it (`service api: …`). A failed read of the scaling activities
 * is reported (`scaling activities unreadable: …`), never thrown.
 */
export async function scaleService(
  event: ScaleServiceEvent,
  settings: ScaleServiceSettings,
  clients: ScaleServiceClients,
): Promise<StepResult> {
  const call = beginStep('service', event);
  const progress = await readServiceProgress(clients, settings);
  const capacity = await capacityNow(
    clients.autoScaling,
    settings.asgName,
    call.startedAt,
    progress,
    settings.instanceTypes[0],
    event.previous?.capacity,
  );
  if (event.goal === 'full') return scaleToFull(event, call, settings, clients, progress, capacity);
  const detail = describe(progress, capacity);
  const resources = resourcesOf(progress, 'serving');
  const partial = progress.services.some((s) => !s.full);
  // Who is below target when traffic may move: the `full` goal tracks them from here.
  const below = () =>
    partial ? { fullTarget: fullTargetReport(progress, undefined, new Date(), call.startedAt, false) } : {};
  if (progress.done) return { ...ready(call, detail), resources, capacity, partial, ...below() };
  if (!progress.asgNeedsUpdate && !progress.serviceNeedsUpdate) {
    return { ...pending(call, detail), resources, capacity };
  }
  ensureBudget(call, detail);
  const { changes, raised } = await act(settings, clients, progress);
  const changed = `${changes.join('; ')}; ${detail}`;
  const after = resourcesOf(progress, 'serving', raised);
  // Raising only the ASG leaves services already serving as they were: nothing left to wait for.
  if (raised.size === 0 && progress.serving) {
    return { ...ready(call, changed, { changed: true }), resources: after, capacity, partial, ...below() };
  }
  return { ...pending(call, changed), resources: after, capacity };
}
