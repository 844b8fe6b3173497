import { DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { composeNotice } from '../../lambdas/notify/notice';
import { type NotifySettings, notify } from '../../lambdas/notify/notify';
import { readinessLines } from '../../lambdas/notify/readiness-lines';
import { type NotifyEvent, runFacts } from '../../lambdas/notify/run-record';
import type { NoticeSettings } from '../../lambdas/notify/settings';
import type { ReadinessAtStart, RunRecordLink } from '../../lambdas/shared/contracts';
import type { ReadinessReport } from '../../lambdas/shared/readiness-contract';
import { ACCOUNT, REGION_SETTINGS, TARGET_REGION } from './helpers';
import { asRead, DATABASE, WRITER_THERE } from './notify-fixtures';

const rdsMock = mockClient(RDSClient);
const snsMock = mockClient(SNSClient);

const STATE_MACHINE_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:stateMachine:proj-dr-failover`;
const EXECUTION_ARN = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:run-1`;
const SETTINGS: NoticeSettings = {
  ...REGION_SETTINGS,
  project: 'proj',
  configName: 'base',
  stateMachineArn: STATE_MACHINE_ARN,
};
const NOTIFY_SETTINGS: NotifySettings = {
  ...SETTINGS,
  topicArn: `arn:aws:sns:${TARGET_REGION}:${ACCOUNT}:proj-dr-failover`,
  databases: [asRead(DATABASE)],
};

const PASSING = {
  id: 'global-cluster',
  status: 'PASS',
  what: 'proj-dr-aurora is a member of proj-global',
} as const;
const NOT_READY: ReadinessReport = {
  role: 'dr',
  region: TARGET_REGION,
  evaluatedAt: '2026-01-01T00:00:05.000Z',
  ready: false,
  checks: [
    PASSING,
    {
      id: 'replication-lag',
      status: 'FAIL',
      what: 'replication lag under 60 s',
      why: 'lag is 312 s',
      fix: 'check the source cluster',
    },
    { id: 'quotas', status: 'UNKNOWN', what: 'DB instance quota has room', why: 'ThrottlingException' },
  ],
  replicationLagSeconds: 312,
};
const READY: ReadinessReport = { ...NOT_READY, ready: true, checks: [PASSING] };
const UNAVAILABLE: ReadinessAtStart = {
  ready: false,
  unavailable: { error: 'States.Timeout', cause: '' },
};
const RECORD: RunRecordLink = {
  bucket: 'proj-dr-runs',
  jsonKey: 'runs/run-1.json',
  markdownKey: 'runs/run-1.md',
  s3Uri: 's3://proj-dr-runs/runs/run-1.md',
  consoleUrl: 'https://s3.console.aws.amazon.com/s3/object/proj-dr-runs?prefix=runs/run-1.md',
};

const PREFLIGHT = {
  status: 'PROCEED',
  requestedMode: 'auto',
  mode: 'unplanned',
  reason: 'CloudWatch alarm proj-main-health in ALARM',
  targetRegion: TARGET_REGION,
  message: 'will add 1 DB instance, scale the service to 2, fail over the global database (unplanned)',
  approval: { required: true, timeoutSeconds: 1800, onTimeout: 'stop' },
};

function makeEvent(kind: NotifyEvent['kind'], state: unknown, extra: Partial<NotifyEvent> = {}): NotifyEvent {
  return { kind, state, executionArn: EXECUTION_ARN, startTime: '2026-01-01T00:00:00.000Z', ...extra };
}

function compose(event: NotifyEvent) {
  return composeNotice(event, SETTINGS, runFacts(event), WRITER_THERE);
}

describe('readinessLines', () => {
  it('lists each red check with why and how to fix, and the replication lag', () => {
    // Act
    const lines = readinessLines(NOT_READY);

    // Assess
    expect(lines).toEqual([
      `Readiness of ${TARGET_REGION} (dr), evaluated 2026-01-01T00:00:05.000Z: NOT READY (2 of 3 checks red)`,
      '  - replication-lag FAIL: replication lag under 60 s',
      '      why: lag is 312 s',
      '      fix: check the source cluster',
      '  - quotas UNKNOWN: DB instance quota has room',
      '      why: ThrottlingException',
      '  Replication lag: 312 s (the data-loss window of an unplanned failover)',
    ]);
  });

  it('says READY in one line (plus the lag) when every check passes', () => {
    // Act / Assess
    expect(readinessLines(READY)[0]).toMatch(/: READY \(1 checks pass\)$/);
  });

  it('says why readiness was not evaluated', () => {
    // Act / Assess
    expect(readinessLines(UNAVAILABLE)).toEqual(['Readiness: not evaluated (States.Timeout)']);
    expect(
      readinessLines({ ready: false, unavailable: { error: 'Lambda.Unknown', cause: 'x'.repeat(500) } })[0],
    ).toHaveLength('Readiness: not evaluated ()'.length + 300);
    expect(readinessLines(undefined)).toEqual(['Readiness: not evaluated (no report in the run state)']);
  });
});

describe('composeNotice (approval, readiness, run record)', () => {
  it('START lists the red readiness checks', () => {
    // Act
    const notice = compose(makeEvent('START', { preflight: PREFLIGHT, readiness: NOT_READY }));

    // Assess
    expect(notice.message).toContain('NOT READY (2 of 3 checks red)');
    expect(notice.message).toContain('  - replication-lag FAIL: replication lag under 60 s');
    expect(notice.attributes.ready).toBe('false');
  });

  it('START says readiness was not evaluated, and why, when the check failed', () => {
    // Act
    const notice = compose(makeEvent('START', { preflight: PREFLIGHT, readiness: UNAVAILABLE }));

    // Assess
    expect(notice.message).toContain('Readiness: not evaluated (States.Timeout)');
  });

  it('APPROVAL_REQUESTED gives the plan, the readiness, the timeout and the exact approve/deny commands, never the token', () => {
    // Prepare
    const state = {
      input: {
        mode: 'auto',
        reason: PREFLIGHT.reason,
        trigger: { source: 'alarm', alarmName: 'proj-main-health', alarmAt: '2026-01-01T00:00:00Z' },
      },
      preflight: PREFLIGHT,
      readiness: NOT_READY,
      approval: { outcome: 'NOT_REQUIRED' },
    };

    // Act
    const notice = compose(makeEvent('APPROVAL_REQUESTED', state, { taskToken: 'SECRET-TOKEN' }));

    // Assess
    expect(notice.subject).toBe(
      `pilot-light proj: APPROVAL NEEDED: failover to ${TARGET_REGION} (dr) (unplanned)`,
    );
    expect(notice.message).toContain(`What will happen once approved: ${PREFLIGHT.message}`);
    expect(notice.message).toContain(
      'Started by: CloudWatch alarm proj-main-health (ALARM at 2026-01-01T00:00:00Z)',
    );
    expect(notice.message).toContain('Nothing has changed in AWS yet.');
    expect(notice.message).toContain('It waits 30 min (1800 s); then it STOPS without acting');
    expect(notice.message).toContain(
      `  npm run failover -- approve ${EXECUTION_ARN} --reason "<why>" --project base`,
    );
    expect(notice.message).toContain(
      `  npm run failover -- deny ${EXECUTION_ARN} --reason "<why>" --project base`,
    );
    expect(notice.message).toContain(`#/v2/executions/details/${EXECUTION_ARN}`);
    expect(notice.message).toContain('replication-lag FAIL');
    expect(notice.message).not.toContain('SECRET-TOKEN');
    expect(notice.message).not.toContain('Steps:');
    expect(notice.attributes.outcome).toBe('APPROVAL_REQUESTED');
  });

  it('NO_ACTION after a deny says who denied and why', () => {
    // Prepare: the ApprovalDenied record.
    const state = {
      outcome: 'DENIED',
      message: 'approval denied: denied by alice: main is recovering',
      reason: PREFLIGHT.reason,
      targetRegion: TARGET_REGION,
      preflight: PREFLIGHT,
      readiness: READY,
      approval: { outcome: 'DENIED', cause: 'denied by alice: main is recovering' },
    };

    // Act
    const notice = compose(makeEvent('NO_ACTION', state));

    // Assess
    expect(notice.subject).toBe(`pilot-light proj: no failover to ${TARGET_REGION} (dr) (DENIED)`);
    expect(notice.message).toContain('What happened: approval denied: denied by alice: main is recovering');
    expect(notice.attributes.noActionOutcome).toBe('DENIED');
  });

  it('NO_ACTION after a timeout says nobody answered and that the config stops', () => {
    // Prepare
    const state = {
      outcome: 'APPROVAL_TIMED_OUT',
      message: 'nobody approved or denied within 1800 s, and failover.approval.onTimeout is stop',
      preflight: PREFLIGHT,
      readiness: READY,
    };

    // Act
    const notice = compose(makeEvent('NO_ACTION', state));

    // Assess
    expect(notice.subject).toContain('(APPROVAL_TIMED_OUT)');
    expect(notice.message).toContain('nobody approved or denied within 1800 s');
  });

  it('PROMOTED tells who approved, and links the run record', () => {
    // Prepare: the success summary, with the record H5's RecordRun adds.
    const state = {
      outcome: 'PROMOTED',
      mode: 'unplanned',
      steps: {},
      approval: {
        outcome: 'APPROVED',
        approver: 'alice',
        reason: 'main is gone',
        approvedAt: '2026-01-01T00:04:00Z',
      },
      runRecord: RECORD,
    };

    // Act
    const notice = compose(makeEvent('PROMOTED', state));

    // Assess
    expect(notice.message).toContain('Approval: approved by alice at 2026-01-01T00:04:00Z: main is gone');
    expect(notice.message).toContain(`Run record: ${RECORD.s3Uri}\n  ${RECORD.consoleUrl}`);
  });

  it('FAILED and NO_ACTION link the run record too; no link without one', () => {
    // Act
    const failed = compose(
      makeEvent('FAILED', { outcome: 'FAILED', failedStep: 'ScaleDatabase', runRecord: RECORD }),
    );
    const none = compose(makeEvent('NO_ACTION', { outcome: 'DRY_RUN', runRecord: RECORD }));
    const without = compose(makeEvent('NO_ACTION', { outcome: 'DRY_RUN' }));

    // Assess
    expect(failed.message).toContain(`Run record: ${RECORD.s3Uri}`);
    expect(none.message).toContain(`Run record: ${RECORD.s3Uri}`);
    expect(without.message).not.toContain('Run record:');
  });

  it('says the run proceeded on timeout when nobody answered and the config says proceed', () => {
    // Act
    const notice = compose(
      makeEvent('START', {
        preflight: PREFLIGHT,
        readiness: READY,
        approval: { outcome: 'TIMED_OUT_PROCEEDED', timeoutSeconds: 1800 },
      }),
    );

    // Assess
    expect(notice.message).toContain('Approval: nobody answered within 1800 s; proceeded');
  });
});

describe('notify (APPROVAL_REQUESTED)', () => {
  beforeEach(() => {
    rdsMock.reset();
    snsMock.reset();
    rdsMock.on(DescribeGlobalClustersCommand).resolves({ GlobalClusters: [] });
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('publishes the request and returns at once (the run waits for the task token, not for this Lambda)', async () => {
    // Prepare
    const event = makeEvent(
      'APPROVAL_REQUESTED',
      { preflight: PREFLIGHT, readiness: READY },
      { taskToken: 't' },
    );

    // Act
    const result = await notify(event, NOTIFY_SETTINGS, { rds: new RDSClient({}), sns: new SNSClient({}) });

    // Assess
    expect(result.messageId).toBe('m-1');
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: NOTIFY_SETTINGS.topicArn,
      MessageAttributes: expect.objectContaining({
        outcome: { DataType: 'String', StringValue: 'APPROVAL_REQUESTED' },
      }),
    });
  });
});
