import type { CapacityReport, ScaleServiceEvent, StepResult } from '../shared/contracts';
import {
  beginStep,
  elapsedSeconds,
  ensureBudget,
  pending,
  ready,
  type StepCall,
  waiting,
} from '../shared/step-result';
import { act } from './actions';
import { capacityNow } from './capacity-report';
import { fullTargetReport } from './full-target';
import { readServiceProgress, type ServiceProgress } from './progress';
import { resourcesOf, stepDetail } from './report';
import type { ScaleServiceClients, ScaleServiceSettings } from './settings';

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
  const detail = stepDetail(progress, capacity);
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
 * {@link scaleToFull}). `resources` has one entry per service; `capacity` (and `detail`) what EC2
 * refused the shared ASG since the step started and what it launched instead of the first-choice
 * type (the activities are read while the group launches, {@link capacityNow}). A rerun reads
 * first and changes only what is still short.
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
  const detail = stepDetail(progress, capacity);
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
