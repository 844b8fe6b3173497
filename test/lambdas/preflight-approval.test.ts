import { type ApprovalSettings, approvalPlan, parseApprovalEnv } from '../../lambdas/preflight/approval';
import { readPreflightSettings } from '../../lambdas/preflight/settings';
import type { ExecutionInput } from '../../lambdas/shared/contracts';
import { InvalidInputError } from '../../lambdas/shared/errors';
import { ENV } from './preflight-fixtures';

const byPerson: ExecutionInput = { mode: 'unplanned', reason: 'main is down' };
const byAlarm: ExecutionInput = {
  mode: 'auto',
  reason: 'CloudWatch alarm proj-main-health in ALARM',
  trigger: { source: 'alarm', alarmName: 'proj-main-health', alarmAt: '2026-03-01T12:00:00Z' },
};

function settings(overrides: Partial<ApprovalSettings> = {}): ApprovalSettings {
  return { required: 'none', timeoutSeconds: 1800, onTimeout: 'stop', ...overrides };
}

describe('approvalPlan', () => {
  it('requires no approval when failover.approval.required is none, whoever started the run', () => {
    // Act / Assess
    expect(approvalPlan(settings(), byAlarm).required).toBe(false);
    expect(approvalPlan(settings(), byPerson).required).toBe(false);
  });

  it('requires approval of an alarm-started run only under alarm-started', () => {
    // Prepare
    const s = settings({ required: 'alarm-started' });

    // Act / Assess
    expect(approvalPlan(s, byAlarm).required).toBe(true);
    expect(approvalPlan(s, byPerson).required).toBe(false);
  });

  it('requires approval of every run under all, and carries the timeout and what happens on it', () => {
    // Act
    const plan = approvalPlan(
      settings({ required: 'all', timeoutSeconds: 600, onTimeout: 'proceed' }),
      byPerson,
    );

    // Assess
    expect(plan).toEqual({ required: true, timeoutSeconds: 600, onTimeout: 'proceed' });
  });
});

describe('parseApprovalEnv', () => {
  it('refuses an unknown mode, naming the variable and the allowed values', () => {
    // Act / Assess
    expect(() => parseApprovalEnv('sometimes', 60, 'stop')).toThrow(
      new InvalidInputError(
        "environment variable APPROVAL_REQUIRED: expected one of none, alarm-started, all, got 'sometimes'",
      ),
    );
  });

  it('refuses an unknown timeout action', () => {
    // Act / Assess
    expect(() => parseApprovalEnv('all', 60, 'wait')).toThrow(
      /APPROVAL_ON_TIMEOUT: expected one of stop, proceed/,
    );
  });
});

describe('readPreflightSettings (approval)', () => {
  it('reads the approval settings infra gives the function', () => {
    // Act
    const s = readPreflightSettings({
      ...ENV,
      APPROVAL_REQUIRED: 'alarm-started',
      APPROVAL_TIMEOUT_SECONDS: '900',
      APPROVAL_ON_TIMEOUT: 'proceed',
    });

    // Assess
    expect(s.approval).toEqual({ required: 'alarm-started', timeoutSeconds: 900, onTimeout: 'proceed' });
  });

  it('refuses a zero timeout (the Task needs at least one second)', () => {
    // Act / Assess
    expect(() => readPreflightSettings({ ...ENV, APPROVAL_TIMEOUT_SECONDS: '0' })).toThrow(
      /APPROVAL_TIMEOUT_SECONDS: expected an integer >= 1/,
    );
  });
});
