import validator from 'asl-validator';
import { APPROVAL_DENIED_ERROR } from '../../lambdas/shared/approval';
import {
  NOTIFIER,
  READINESS,
  RECORDER,
  STEP_LIST,
  stepOfState,
  TOPIC_SUBSTITUTION,
} from '../../lambdas/shared/steps';
import { placeholders, readFailoverDefinition, substitute } from '../../statemachines/definition';

interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Retry?: ReadonlyArray<{ readonly ErrorEquals: readonly string[] }>;
  readonly Catch?: ReadonlyArray<{ readonly ErrorEquals: readonly string[]; readonly Next: string }>;
  readonly Branches?: ReadonlyArray<{ readonly States: Record<string, State> }>;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly TimeoutSecondsPath?: string;
  readonly ResultPath?: string | null;
}
interface Definition {
  readonly States: Record<string, State>;
}

const SUBSTITUTIONS: Record<string, string> = {
  ...Object.fromEntries(
    [...STEP_LIST, NOTIFIER, READINESS, RECORDER].map((s) => [
      s.substitution,
      `arn:aws:lambda:us-west-2:111111111111:function:${s.label}`,
    ]),
  ),
  [TOPIC_SUBSTITUTION]: 'arn:aws:sns:us-west-2:111111111111:failover',
};

function allStates(states: Record<string, State>): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, State],
    ...(s.Branches ?? []).flatMap((b) => allStates(b.States)),
  ]);
}

describe('failover.asl.json', () => {
  const text = readFailoverDefinition();
  const definition = substitute(text, SUBSTITUTIONS) as Definition;

  it('is valid ASL once substituted', () => {
    const result = validator(definition);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses exactly the substitutions CDK provides', () => {
    expect(placeholders(text)).toEqual(Object.keys(SUBSTITUTIONS).sort());
  });

  it('fails loudly when a substitution is missing', () => {
    expect(() =>
      substitute(text, { ...SUBSTITUTIONS, [TOPIC_SUBSTITUTION]: undefined } as unknown as Record<
        string,
        string
      >),
    ).toThrow(`no substitution for: ${TOPIC_SUBSTITUTION}`);
  });

  it('retries transient errors on every Lambda task', () => {
    const lambdaTasks = allStates(definition.States).filter(([, s]) =>
      s.Resource?.startsWith('arn:aws:lambda'),
    );
    expect(lambdaTasks.length).toBeGreaterThanOrEqual(9);
    for (const [name, s] of lambdaTasks) {
      const retried = (s.Retry ?? []).flatMap((r) => r.ErrorEquals);
      expect({ name, retried }).toEqual({
        name,
        retried: expect.arrayContaining(['Lambda.ServiceException', 'TransientAwsError']),
      });
    }
  });

  it('routes every top-level task failure before traffic moved to the failure notification', () => {
    const fence = stepOfState('FenceSource');
    const top = Object.entries(definition.States).filter(
      ([name, s]) =>
        (s.Type === 'Task' &&
          s.Resource?.startsWith('arn:aws:lambda') &&
          stepOfState(name) !== undefined &&
          stepOfState(name) !== fence) ||
        s.Type === 'Parallel',
    );
    for (const [name, s] of top) {
      const next = s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next;
      expect({ name, next }).toEqual({ name, next: expect.stringMatching(/Failed$/) });
      // The Parallel's route first evaluates the readiness its stopped start branch could not report.
      const after = definition.States[next ?? '']?.Next;
      expect(after).toBe(s.Type === 'Parallel' ? 'ReadinessAfterFailure?' : 'RecordRunOnFailure');
    }
    expect(definition.States['ReadinessAfterFailure?']).toMatchObject({
      Choices: [{ Variable: '$.stateReached.readiness', IsPresent: true, Next: 'RecordRunOnFailure' }],
      Default: 'CheckReadinessAfterFailure',
    });
    expect(definition.States.CheckReadinessAfterFailure?.Next).toBe('RecordRunOnFailure');
    expect(definition.States.CheckReadinessAfterFailureUnavailable?.Next).toBe('RecordRunOnFailure');
  });

  it('records a fencing failure as pending and still finishes the run as promoted', () => {
    for (const name of ['FenceSource', 'FenceSourceCheck']) {
      const next = definition.States[name]?.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next;
      expect({ name, next }).toEqual({ name, next: 'FenceSourceFailed' });
    }
    const pending = definition.States.FenceSourceFailed;
    expect(pending).toMatchObject({
      Type: 'Pass',
      ResultPath: '$.steps.fence',
      Next: 'ServicePartial?',
      Parameters: { status: 'READY', fence: { state: 'PENDING' } },
    });
    // Traffic moved is told at once; fencing follows it.
    expect(definition.States['FlipDnsDone?']).toMatchObject({
      Choices: expect.arrayContaining([expect.objectContaining({ Next: 'NotifyTrafficMoved' })]),
    });
    expect(definition.States.NotifyTrafficMoved?.Next).toBe('FenceSource');
  });

  it('scales on to the full target after fencing only when the service result is partial, best effort', () => {
    // Fencing (either way it ends) goes to the partial check; nothing partial goes straight to the summary.
    expect(definition.States['FenceSourceDone?']).toMatchObject({
      Choices: expect.arrayContaining([
        expect.objectContaining({ StringEquals: 'READY', Next: 'ServicePartial?' }),
      ]),
    });
    expect(definition.States['ServicePartial?']).toMatchObject({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.steps.service.partial', IsPresent: true },
            { Variable: '$.steps.service.partial', BooleanEquals: true },
          ],
          Next: 'ScaleServiceToFull',
        },
      ],
      Default: 'Summarize',
    });
    // The service step's own Lambda, continuing from its last result, with goal full.
    for (const name of ['ScaleServiceToFull', 'ScaleServiceToFullCheck']) {
      expect(definition.States[name]).toMatchObject({
        Type: 'Task',
        Resource: SUBSTITUTIONS.ScaleServiceFunctionArn,
        Parameters: {
          'previous.$': '$.steps.service',
          'wait.$': '$.preflight.timings.service',
          goal: 'full',
        },
        ResultPath: '$.steps.service',
        Next: 'ScaleServiceToFullDone?',
      });
      const next = definition.States[name]?.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next;
      expect(next).toBe('ScaleServiceToFullFailed');
    }
    expect(definition.States.ScaleServiceToFullFailed).toMatchObject({
      Type: 'Pass',
      ResultPath: '$.steps.service.fullTarget',
      Next: 'Summarize',
    });
  });

  it('waits for approval with a task token passed to the notify Lambda, timed out by the preflight setting', () => {
    // Act
    const gate = definition.States.AwaitApproval;

    // Assess
    expect(gate).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: SUBSTITUTIONS[NOTIFIER.substitution],
        Payload: { kind: 'APPROVAL_REQUESTED', 'taskToken.$': '$$.Task.Token', 'state.$': '$' },
      },
      TimeoutSecondsPath: '$.preflight.approval.timeoutSeconds',
      ResultPath: '$.approval',
    });
    expect(gate?.Catch?.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [[APPROVAL_DENIED_ERROR], 'ApprovalDenied'],
      [['States.Timeout'], 'ApprovalTimedOut?'],
      [['States.ALL'], 'AwaitApprovalFailed'],
    ]);
    expect(definition.States.AwaitApprovalFailed?.Next).toBe('RecordRunOnFailure');
    expect(definition.States.ApprovalDenied?.Next).toBe('RecordRunOnNoAction');
    expect(definition.States.ApprovalTimedOut?.Next).toBe('RecordRunOnNoAction');
    // Approved (or proceeding on timeout): preflight reads again after the wait, and the gate lets it through.
    expect(gate?.Next).toBe('Preflight');
    expect(definition.States.ApprovalTimedOutProceed?.Next).toBe('Preflight');
  });

  it('never fails a run because of readiness: every readiness check catches all into a record', () => {
    // Act
    const checks = allStates(definition.States).filter(
      ([, s]) => s.Resource === SUBSTITUTIONS[READINESS.substitution],
    );

    // Assess: one at the start of every run, one before an approval request, one after a failed Parallel.
    expect(checks.map(([name]) => name).sort()).toEqual([
      'CheckReadiness',
      'CheckReadinessAfterFailure',
      'CheckReadinessForApproval',
    ]);
    for (const [name, s] of checks) {
      const next = s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'))?.Next;
      expect({ name, next, resultPath: s.ResultPath }).toEqual({
        name,
        next: `${name}Unavailable`,
        resultPath: '$.readiness',
      });
    }
  });

  it('writes the run record before each final notice, and a record failure goes on to the notice', () => {
    // Act
    const recorders = allStates(definition.States).filter(
      ([, s]) => s.Resource === SUBSTITUTIONS[RECORDER.substitution],
    );

    // Assess
    expect(recorders.map(([name, s]) => [name, s.Parameters?.outcome, s.Next])).toEqual([
      ['RecordRunOnNoAction', 'NO_ACTION', 'NotifyNoAction'],
      ['RecordRunOnSuccess', 'PROMOTED', 'NotifySuccess'],
      ['RecordRunOnFailure', 'FAILED', 'NotifyFailure'],
    ]);
    for (const [name, s] of recorders) {
      expect({ name, resultPath: s.ResultPath, catch: s.Catch }).toEqual({
        name,
        resultPath: '$.runRecord',
        catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.runRecordError', Next: s.Next }],
      });
    }
    expect(definition.States.Summarize?.Next).toBe('RecordRunOnSuccess');
    expect(definition.States.ReportNoAction?.Next).toBe('RecordRunOnNoAction');
  });

  it('writes JSONPath only (the local interpreter cannot run JSONata)', () => {
    expect(text).not.toContain('JSONata');
  });
});
