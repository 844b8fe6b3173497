import { SFNClient } from '@aws-sdk/client-sfn';
import { type Answer, approvalToken, sendAnswer } from '../../infra/cli/approve';
import type { ProjectConfig } from '../../infra/config/schema';
import type { PREFLIGHT_ENV } from '../../lambdas/preflight/env';
import type { ApprovalMode, ApprovalTimeoutAction } from '../../lambdas/shared/approval';
import { STEPS } from '../../lambdas/shared/steps';
import { WiringError } from '../errors';
import type { SimCallbackTask } from '../sim/sfn/tasks';
import type { World } from '../sim/world';
import type { WiredFunction } from '../synth/function';
import type { OrchestratorWiring } from '../synth/wiring';

/**
 * The approval gate in the drill: who answers an approval request, and when. Answers go through the
 * failover CLI's own logic (`infra/cli/approve.ts`: the token from GetExecutionHistory, then
 * SendTaskSuccess / SendTaskFailure) against the simulated Step Functions, on the virtual clock.
 */

/** `--approve-after <s>`, `--deny`, or nobody answers (the request times out per the config). */
export type DrillApproval =
  | { readonly decision: 'approve'; readonly afterSeconds: number }
  | { readonly decision: 'deny'; readonly afterSeconds: number }
  | { readonly decision: 'none' };

/** Who answers in the drill (the approver a notice names). */
export const DRILL_APPROVER = 'drill-approver';
/** How long `--deny` takes to answer: a person reading the request. */
export const DENY_AFTER_SECONDS = 60;
export const DRILL_DENY_REASON = 'rehearsed deny (--deny)';

/** One approval request and what became of it. */
export interface ApprovalRecord {
  readonly executionArn: string;
  readonly stateName: string;
  /** Simulated second the request was scheduled. */
  readonly requestedAt: number;
  /** When the drill's approver answered (its call reached Step Functions). */
  answeredAt?: number;
  /** Why the answer was not accepted (e.g. the request had timed out). */
  refused?: string;
}

/** The approval gate's settings a drill run uses (`failover.approval`, with the flags' override). */
export interface ApprovalSettings {
  readonly required: ApprovalMode;
  readonly timeoutSeconds: number;
  readonly onTimeout: ApprovalTimeoutAction;
}

/**
 * The settings `approval` implies for `config`: a flag that answers (or waits for a timeout) turns
 * the gate on for every run (`required: all`) when the config has it off; timeout and onTimeout stay
 * the config's.
 */
export function drillApprovalSettings(config: ProjectConfig, approval?: DrillApproval): ApprovalSettings {
  const a = config.failover.approval;
  const required = approval !== undefined && a.required === 'none' ? 'all' : a.required;
  return { required, timeoutSeconds: a.timeoutMinutes * 60, onTimeout: a.onTimeout };
}

type PreflightEnvName = (typeof PREFLIGHT_ENV)[number];

/**
 * `wiring` with preflight's approval environment set to `settings`: the same function as synthesized
 * from a config with those settings (infra/constructs/failover-steps.ts renders them so).
 *
 * @throws WiringError the template has no preflight function
 */
export function withApproval(wiring: OrchestratorWiring, settings: ApprovalSettings): OrchestratorWiring {
  const entry = [...wiring.functions].find(([, fn]) => fn.key === STEPS.preflight.substitution);
  if (entry === undefined)
    throw new WiringError('the template has no preflight function to set the approval gate on');
  const [arn, fn] = entry;
  const env: Partial<Record<PreflightEnvName, string>> = {
    APPROVAL_REQUIRED: settings.required,
    APPROVAL_TIMEOUT_SECONDS: String(settings.timeoutSeconds),
    APPROVAL_ON_TIMEOUT: settings.onTimeout,
  };
  const functions = new Map<string, WiredFunction>(wiring.functions);
  functions.set(arn, { ...fn, environment: { ...fn.environment, ...env } });
  return { ...wiring, functions };
}

function isApprovalRequest(task: SimCallbackTask): boolean {
  try {
    const parameters = JSON.parse(task.parameters) as { Payload?: { kind?: unknown } };
    return parameters.Payload?.kind === 'APPROVAL_REQUESTED';
  } catch {
    return false;
  }
}

/**
 * Answer every approval request scheduled in `world` as `approval` says, through the CLI's logic.
 * Returns the requests as they are made and answered.
 */
export function installApprover(world: World, approval: DrillApproval): ApprovalRecord[] {
  const records: ApprovalRecord[] = [];
  world.sfn.tasks.onScheduled((task) => {
    if (!isApprovalRequest(task)) return;
    const record: ApprovalRecord = {
      executionArn: task.executionArn,
      stateName: task.stateName,
      requestedAt: task.scheduledAt,
    };
    records.push(record);
    if (approval.decision === 'none') return;
    const { afterSeconds } = approval;
    setTimeout(() => {
      void answer(task, approval.decision === 'approve').then(
        () => {
          record.answeredAt = world.clock.now();
        },
        (err: unknown) => {
          record.refused = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        },
      );
    }, afterSeconds * 1000);
  });
  return records;
}

async function answer(task: SimCallbackTask, approve: boolean): Promise<void> {
  const sfn = new SFNClient({ region: task.region });
  const token = await approvalToken(sfn, task.executionArn);
  const decision: Answer = approve
    ? { approve: true, by: DRILL_APPROVER, reason: 'rehearsed approval (--approve-after)', at: new Date() }
    : { approve: false, by: DRILL_APPROVER, reason: DRILL_DENY_REASON };
  await sendAnswer(sfn, token, decision);
}
