import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { PreflightEvent, PreflightResult, StepName } from '../shared/contracts';
import type { DnsAnswers } from '../shared/dns-answers';
import { stepsDone } from '../shared/steps';
import { readAlreadyDone } from './already-done';
import { approvalPlan } from './approval';
import { checkGuards } from './guards';
import { parseExecutionInput, parseStartTime } from './input';
import { plan } from './plan';
import { type SecondOpinion, secondOpinion, wantsSecondOpinion } from './second-opinion';
import type { PreflightSettings } from './settings';
import { probeSourceFor } from './source-probe';

export interface PreflightClients {
  readonly sfn: SFNClient;
  /** RDS in the target region. */
  readonly rds: RDSClient;
  /** RDS in the source region (may be down: only probed, with a timeout). */
  readonly sourceRds: RDSClient;
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** The zone's name servers (Route 53's data plane): where the application's hostnames answer now. */
  readonly dns: DnsAnswers;
  /** Main's application over HTTP, for an alarm-started run's second opinion. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const NOTHING_DONE: Readonly<Record<StepName, boolean>> = stepsDone();

/**
 * Preflight: validate the execution input, enforce single flight and the cool-down, read every
 * step's state over every database and service (the same read-only checks the steps use), resolve
 * `auto` to planned or unplanned, and decide the status the state machine branches on. Changes
 * nothing in AWS.
 *
 * A run the failover alarm started first gets a second opinion: main's application is requested
 * again (alongside the reads); when it answers every request, the alarm's evidence is gone and the
 * run ends SOURCE_HEALTHY without acting.
 *
 * For IN_FLIGHT and COOL_DOWN nothing else is read: `alreadyDone` is all false, `sourceReachable`
 * false, and `mode` is the requested one (`auto` reported as `planned`, its first choice).
 *
 * @throws InvalidInputError the execution input (or `startTime`) is malformed — before any AWS call
 * @throws ResourceNotFoundError a global cluster, a database's cluster, the ASG, a service or a
 * target group is missing (naming the database or service)
 * @throws InvalidStateError a database's cluster is not a member of its global cluster
 * @throws SourceProbeError the source probe got AccessDenied or another unexpected answer for a
 * database (not in mode unplanned)
 * @throws SourceUnreachableError mode planned while the source region does not answer
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
 */
export async function preflight(
  event: PreflightEvent,
  settings: PreflightSettings,
  clients: PreflightClients,
): Promise<PreflightResult> {
  const input = parseExecutionInput(event.input);
  const startTime = parseStartTime(event.startTime);
  const now = new Date();
  const requestedMode = input.mode;
  const dryRun = input.dryRun ?? false;
  const base = {
    requestedMode,
    reason: input.reason,
    dryRun,
    targetRegion: settings.targetRegion,
    sourceRegion: settings.sourceRegion,
    timings: settings.timings,
    checkedAt: now.toISOString(),
    approval: approvalPlan(settings.approval, input),
  };

  const stop = await checkGuards(clients.sfn, event, startTime, settings, now);
  if (stop !== undefined) {
    return {
      ...base,
      status: stop.status,
      mode: requestedMode === 'auto' ? 'planned' : requestedMode,
      sourceReachable: false,
      alreadyDone: NOTHING_DONE,
      message: stop.message,
    };
  }

  const [opinion, found] = await Promise.all([
    wantsSecondOpinion(input) ? secondOpinion(settings, clients) : Promise.resolve(undefined),
    readAlreadyDone(clients, settings, () => probeSourceFor(requestedMode, clients.sourceRds, settings)),
  ]);
  if (opinion?.healthy === true) {
    return {
      ...base,
      status: 'SOURCE_HEALTHY',
      mode: requestedMode === 'auto' ? 'planned' : requestedMode,
      sourceReachable: found.probe.reachable,
      alreadyDone: found.done,
      message: sourceHealthyMessage(opinion, input.trigger?.alarmName, settings.targetRole),
    };
  }
  const decided = plan(requestedMode, dryRun, found, settings);
  return {
    ...base,
    mode: decided.mode,
    sourceReachable: found.probe.reachable,
    alreadyDone: found.done,
    status: decided.status,
    message: decided.message,
  };
}

/** Why an alarm-started run ends without acting, and what the alarm will and will not do next. */
function sourceHealthyMessage(opinion: SecondOpinion, alarmName: string | undefined, role: string): string {
  return (
    `second opinion before acting on the alarm${alarmName === undefined ? '' : ` ${alarmName}`}: ${opinion.detail}: ` +
    "main answers again, the alarm's evidence is gone; nothing done. The alarm stays in ALARM until its " +
    'periods recover and starts no other run before it returns to OK: if main fails again meanwhile, start ' +
    `by hand (npm run failover -- --region ${role} --mode auto --reason "...")`
  );
}
