import type { ApprovalDecision, ApprovalPlan } from '../shared/contracts';
import type { NoticeSettings } from './settings';

/** The Step Functions console page of an execution (where Approve/Deny can also be sent). */
export function executionConsoleUrl(region: string, executionArn: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

/** What the approval request tells a person: how long they have and how to answer. */
export function approvalRequestLines(
  settings: NoticeSettings,
  executionArn: string,
  plan: ApprovalPlan | undefined,
): string[] {
  const wait =
    plan === undefined
      ? 'until the approval timeout'
      : `${Math.round(plan.timeoutSeconds / 60)} min (${plan.timeoutSeconds} s); then it ${plan.onTimeout === 'proceed' ? 'PROCEEDS without approval' : 'STOPS without acting'} (failover.approval.onTimeout: ${plan.onTimeout})`;
  const project = `--project ${settings.configName}`;
  return [
    'Nothing has changed in AWS yet. The run waits for a person.',
    `It waits ${wait}.`,
    '',
    'To approve:',
    `  npm run failover -- approve ${executionArn} --reason "<why>" ${project}`,
    'To deny:',
    `  npm run failover -- deny ${executionArn} --reason "<why>" ${project}`,
    `Or in the console: ${executionConsoleUrl(settings.targetRegion, executionArn)}`,
  ];
}

/** One line on how the gate was passed, for the notices after it (none when no approval was asked). */
export function approvalDecisionLines(decision: ApprovalDecision | undefined): string[] {
  if (decision === undefined || decision.outcome === 'NOT_REQUIRED') return [];
  if (decision.outcome === 'TIMED_OUT_PROCEEDED') {
    return [
      `Approval: nobody answered within ${decision.timeoutSeconds} s; proceeded (failover.approval.onTimeout: proceed).`,
    ];
  }
  const why = decision.reason === undefined ? '' : `: ${decision.reason}`;
  return [`Approval: approved by ${decision.approver} at ${decision.approvedAt}${why}`];
}
