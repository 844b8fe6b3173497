import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { installVirtualClock, type VirtualClock } from '../../drill/runner/virtual-clock';
import type { ScaleServiceEvent, StepResult } from '../../lambdas/shared/contracts';
import { WaitTimeoutError } from '../../lambdas/shared/errors';
import { FULL_TARGET_STATES, STEPS } from '../../lambdas/shared/steps';
import { scaleToFullTarget } from '../../statemachines/build/full-target';
import { substitute } from '../../statemachines/definition';

/**
 * The states that scale on after traffic moved, executed on the interpreter the drill runs the
 * definition on, with the service Lambda stubbed: which path each service result takes, what the
 * Lambda receives, and that the run goes on (to `Summarize`, here `Done`) whatever it answers.
 */

const EPOCH_MS = Date.UTC(2026, 0, 1);
const SERVICE_ARN = 'arn:aws:lambda:us-west-2:111111111111:function:ScaleService';
const TIMINGS = { budgetMinutes: 15, pollSeconds: 10, windowSeconds: 600 };

type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type Json = Parameters<StateMachine['run']>[0];

/** `value` as the interpreter's JSON (our contracts are JSON, but declared as interfaces). */
const json = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock(EPOCH_MS);
});
afterEach(() => clock.uninstall());

/** The fragment between fencing and the summary, entered with the service step's result. */
function definition(): StateMachineDefinition {
  const states = substitute(JSON.stringify(scaleToFullTarget('Done')), {
    [STEPS.service.substitution]: SERVICE_ARN,
  }) as StateMachineDefinition['States'];
  return { StartAt: FULL_TARGET_STATES.decide, States: { ...states, Done: { Type: 'Succeed' } } };
}

function serviceResult(overrides: Partial<StepResult> = {}): StepResult {
  return {
    step: 'service',
    status: 'READY',
    attempt: 3,
    startedAt: new Date(EPOCH_MS - 120_000).toISOString(),
    alreadyDone: false,
    detail: 'serving below target: api: serving at 2/3 healthy (servingShare 0.6), still scaling to 3',
    partial: true,
    ...overrides,
  };
}

/** Run the fragment on `service`; each call of the service Lambda answers with the next of `answers`. */
async function run(service: StepResult, answers: ReadonlyArray<(e: ScaleServiceEvent) => StepResult>) {
  const events: ScaleServiceEvent[] = [];
  const lambda = async (event: unknown) => {
    const e = event as ScaleServiceEvent;
    events.push(e);
    const answer = answers[events.length - 1];
    if (answer === undefined) throw new Error('no more answers');
    return json(answer(e));
  };
  // The interpreter binds local handlers by Task state name: both call the same Lambda.
  const handlers: Handlers = { [FULL_TARGET_STATES.act]: lambda, [FULL_TARGET_STATES.check]: lambda };
  const machine = new StateMachine(definition(), { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(json({ preflight: { timings: { service: TIMINGS } }, steps: { service } }), {
    overrides: { taskResourceLocalHandlers: handlers },
    context: { Execution: { Id: 'arn:aws:states:us-west-2:111111111111:execution:failover:run-1' } },
  });
  const output = (await clock.drive(execution.result, { maxSimulatedSeconds: 3600 })) as unknown as {
    steps: { service: StepResult };
  };
  return { output, events };
}

const next = (e: ScaleServiceEvent, overrides: Partial<StepResult>): StepResult => ({
  ...serviceResult(),
  attempt: (e.previous?.attempt ?? 0) + 1,
  ...overrides,
});

describe('scaling on to the full target (executed)', () => {
  it.each([
    ['partial false', serviceResult({ partial: false })],
    ['no partial field (a result from before servingShare)', serviceResult({ partial: undefined })],
  ])('goes straight on without calling the Lambda when %s', async (_case, service) => {
    // Act
    const { output, events } = await run(service, []);
    // Assess
    expect(events).toEqual([]);
    expect(output.steps.service).toEqual(JSON.parse(JSON.stringify(service)));
  });

  it('polls with goal full from the last result until READY, keeping the Lambda’s last result', async () => {
    // Prepare
    const reached = {
      state: 'REACHED' as const,
      services: [{ name: 'api', targetCount: 3, serving: 3, reachedAt: new Date(EPOCH_MS).toISOString() }],
      lines: ['api: 3/3 at +4m10s'],
    };
    // Act
    const { output, events } = await run(serviceResult(), [
      (e) => next(e, { status: 'PENDING', fullTarget: { state: 'SCALING', lines: ['api: 2/3 so far'] } }),
      (e) => next(e, { status: 'READY', partial: false, fullTarget: reached }),
    ]);
    // Assess
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ goal: 'full', wait: TIMINGS, previous: { attempt: 3, partial: true } });
    expect(events[0]?.runStartedAt).toEqual(expect.any(String));
    expect(events[1]?.previous).toMatchObject({ attempt: 4, status: 'PENDING' });
    expect(output.steps.service).toMatchObject({
      status: 'READY',
      attempt: 5,
      partial: false,
      fullTarget: reached,
    });
  });

  it('records why it stopped and goes on when the Lambda fails', async () => {
    // Act
    const { output } = await run(serviceResult(), [
      () => {
        throw new WaitTimeoutError('service: goal not met');
      },
    ]);
    // Assess: the service result stays as the step left it, with the reason beside it.
    expect(output.steps.service).toMatchObject({
      status: 'READY',
      partial: true,
      fullTarget: {
        state: 'STOPPED',
        lines: ['scaling on to the target count stopped: WaitTimeoutError: service: goal not met'],
      },
    });
  });

  it('records an unknown status the same way', async () => {
    // Act
    const { output } = await run(serviceResult(), [
      (e) => ({ ...next(e, {}), status: 'DONE' as StepResult['status'] }),
    ]);
    // Assess
    expect(output.steps.service.fullTarget).toMatchObject({
      state: 'STOPPED',
      lines: [
        expect.stringMatching(
          /^scaling on to the target count stopped: UnknownStepStatus: ScaleServiceToFull returned/,
        ),
      ],
    });
  });
});
