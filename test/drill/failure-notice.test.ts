import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { failedStepOf, failedStepOfNotice } from '../../drill/analysis/failure-notice';
import { WORKFLOW_STATES } from '../../lambdas/shared/steps';
import { readFailoverDefinition } from '../../statemachines/definition';
import { listStates, type NestingState } from '../../statemachines/states';

/**
 * Reading the failed step from a failure notification: the notify Lambda's attributes, or the raw
 * fallback's message, which is what the definition's `NotifyFailureRaw` state publishes
 * (`States.JsonToString($)` of the failure state). The raw message here is made by running that
 * state's own parameters through the interpreter, on a failure state shaped as AWS leaves it.
 */

const RAW_FAILURE = `${WORKFLOW_STATES.notifyFailure}Raw`;
const RAW_START = `${WORKFLOW_STATES.notifyStart}Raw`;

type Input = Parameters<StateMachine['run']>[0];

/** A failure state as the failover leaves it: a Lambda error's cause, with quotes, backslashes and newlines. */
const FAILURE_STATE = {
  outcome: 'FAILED',
  failedStep: 'ScaleDatabase',
  error: 'Runtime.ImportModuleError',
  cause: JSON.stringify({
    errorType: 'Runtime.ImportModuleError',
    errorMessage: "Error: Cannot find module '@aws-sdk/client-ssm'\nRequire stack:\n- /var/task/index.js",
    trace: ['Runtime.ImportModuleError: Error: Cannot find module', '    at C:\\var\\runtime\\index.mjs:1:1'],
  }),
  stateReached: { input: { mode: 'auto', reason: 'alarm "sonar-proj-1-main-unhealthy" went to ALARM' } },
};

/** The Message raw fallback `rawState` publishes for `state`: the definition's own parameters, evaluated. */
async function rawMessage(rawState: string, state: Record<string, unknown>): Promise<string> {
  const failover = JSON.parse(readFailoverDefinition()) as {
    readonly States: Readonly<
      Record<string, NestingState & { readonly Parameters?: Record<string, string> }>
    >;
  };
  const parameters = listStates(failover).find((s) => s.name === rawState)?.state.Parameters;
  if (parameters === undefined) throw new Error(`the definition has no ${rawState} state with Parameters`);
  const definition: StateMachineDefinition = {
    StartAt: rawState,
    States: { [rawState]: { Type: 'Pass', Parameters: parameters, End: true } },
  };
  const output = (await new StateMachine(definition).run(state as Input).result) as { Message?: unknown };
  if (typeof output.Message !== 'string') throw new Error(`${rawState} published no string Message`);
  return output.Message;
}

describe('failedStepOfNotice', () => {
  it('reads the failed step from the raw fallback: the failure state in JSON, quotes, backslashes and newlines kept', async () => {
    // Prepare
    const message = await rawMessage(RAW_FAILURE, FAILURE_STATE);

    // Act
    const failedStep = failedStepOfNotice({ message, attributes: {} });

    // Assess
    expect(JSON.parse(message)).toEqual(FAILURE_STATE);
    expect(failedStep).toBe('ScaleDatabase');
  });

  it('names no step for the raw notice of a run that did not fail', async () => {
    // Prepare: the start notice's raw fallback carries the running state.
    const message = await rawMessage(RAW_START, {
      preflight: { status: 'PROCEED', targetRegion: 'us-west-2', reason: 'a "quoted" \\ reason' },
    });

    // Act
    const failedStep = failedStepOfNotice({ message, attributes: {} });

    // Assess
    expect(failedStep).toBeUndefined();
  });

  it('takes the notify Lambda’s failedStep attribute on a FAILED notice, and none on another outcome', () => {
    // Prepare
    const message = 'pilot-light sonar: failover FAILED at ScaleService';

    // Act
    const failed = failedStepOfNotice({
      message,
      attributes: { outcome: 'FAILED', failedStep: 'ScaleService' },
    });
    const promoted = failedStepOfNotice({ message, attributes: { outcome: 'PROMOTED' } });

    // Assess
    expect(failed).toBe('ScaleService');
    expect(promoted).toBeUndefined();
  });
});

describe('failedStepOf', () => {
  it('names no step for a message that is not JSON, even one that starts like a failure state', () => {
    // Prepare: what 3.0.0 of the interpreter published (its intrinsics dropped every backslash).
    const mangled =
      '{"outcome":"FAILED","failedStep":"ScaleDatabase","cause":"{"errorType":"Runtime.ImportModuleError"}"}';

    // Act
    const failedStep = failedStepOf(mangled);

    // Assess
    expect(failedStep).toBeUndefined();
  });

  it('names no step when failedStep is missing, empty or not a string', () => {
    // Act
    const read = [{}, { failedStep: '' }, { failedStep: 3 }].map((fields) =>
      failedStepOf(JSON.stringify({ outcome: 'FAILED', ...fields })),
    );

    // Assess
    expect(read).toEqual([undefined, undefined, undefined]);
  });
});
