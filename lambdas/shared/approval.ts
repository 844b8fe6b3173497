/**
 * The optional approval gate (`failover.approval`): after preflight, before anything changes, a
 * run may wait for a person's approve or deny (Step Functions task token). Names defined once for
 * the config, preflight, the definition, the notices and the CLI.
 */

/** `failover.approval.required`. */
export const APPROVAL_MODES = ['none', 'alarm-started', 'all'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** `failover.approval.onTimeout`. */
export const APPROVAL_TIMEOUT_ACTIONS = ['stop', 'proceed'] as const;
export type ApprovalTimeoutAction = (typeof APPROVAL_TIMEOUT_ACTIONS)[number];

/** The error a deny sends with SendTaskFailure; the definition catches it by this name. */
export const APPROVAL_DENIED_ERROR = 'PilotLight.ApprovalDenied';
