import {
  APPROVAL_MODES,
  APPROVAL_TIMEOUT_ACTIONS,
  type ApprovalMode,
  type ApprovalTimeoutAction,
} from '../shared/approval';
import type { ApprovalPlan, ExecutionInput } from '../shared/contracts';
import { InvalidInputError } from '../shared/errors';

/** `failover.approval`, as preflight's environment carries it. */
export interface ApprovalSettings {
  readonly required: ApprovalMode;
  readonly timeoutSeconds: number;
  readonly onTimeout: ApprovalTimeoutAction;
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new InvalidInputError(
    `environment variable ${name}: expected one of ${allowed.join(', ')}, got '${raw}'`,
  );
}

/** Parse `APPROVAL_REQUIRED` and `APPROVAL_ON_TIMEOUT`; throws InvalidInputError naming the variable. */
export function parseApprovalEnv(
  required: string,
  timeoutSeconds: number,
  onTimeout: string,
): ApprovalSettings {
  return {
    required: oneOf('APPROVAL_REQUIRED', required, APPROVAL_MODES),
    timeoutSeconds,
    onTimeout: oneOf('APPROVAL_ON_TIMEOUT', onTimeout, APPROVAL_TIMEOUT_ACTIONS),
  };
}

/**
 * Whether this run waits for a person: every run under `all`; under `alarm-started`, only a run
 * whose input carries the alarm rule's `trigger` (a person who starts a run from the CLI has
 * already decided).
 */
export function approvalPlan(settings: ApprovalSettings, input: ExecutionInput): ApprovalPlan {
  const required =
    settings.required === 'all' ||
    (settings.required === 'alarm-started' && input.trigger?.source === 'alarm');
  return { required, timeoutSeconds: settings.timeoutSeconds, onTimeout: settings.onTimeout };
}
