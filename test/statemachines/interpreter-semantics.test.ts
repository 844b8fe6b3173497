import {
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { installVirtualClock, type VirtualClock } from '../../drill/runner/virtual-clock';

/**
 * The interpreter every execution test and drill runs `failover.asl.json` on behaves as Step
 * Functions documents it. Each test runs a tiny definition through it and pins one rule the published
 * aws-local-stepfunctions 3.0.0 breaks (the fork in vendor/aws-local-stepfunctions fixes them; its
 * README says where AWS documents each rule). Executions run on the drill's virtual clock, so start
 * times are exact and the 99,999,999 s default Task timeout costs no wall time.
 */

const EPOCH_MS = Date.UTC(2026, 0, 1);
const START_TIME = new Date(EPOCH_MS).toISOString();
const EXECUTION_ID = 'arn:aws:states:us-west-2:111111111111:execution:semantics:run-1';
const TASK_ARN = 'arn:aws:lambda:us-west-2:111111111111:function:work';
/** AWS's default `TimeoutSeconds` of a Task state. */
const AWS_DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

type Input = Parameters<StateMachine['run']>[0];
type Handlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** How one execution ended, as Step Functions would report it. */
interface Outcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: unknown;
  readonly error?: string;
  /** Simulated seconds from start to end. */
  readonly seconds: number;
}

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock(EPOCH_MS);
});
afterEach(() => clock.uninstall());

/**
 * Run `definition` on `input` to its end on the virtual clock. `checkPaths: false` is for the one
 * literal asl-validator rejects though AWS documents it (an escaped backslash, `\\`).
 */
async function execute(
  definition: StateMachineDefinition,
  input: Input,
  options: { readonly handlers?: Handlers; readonly checkPaths?: boolean } = {},
): Promise<Outcome> {
  const machine = new StateMachine(definition, {
    validationOptions: { checkArn: true, checkPaths: options.checkPaths ?? true },
  });
  const run = machine.run(input, {
    overrides: { taskResourceLocalHandlers: options.handlers ?? {} },
    context: { Execution: { Id: EXECUTION_ID } },
  });
  const seconds = () => (Date.now() - EPOCH_MS) / 1000;
  try {
    const output = await clock.drive(run.result, {
      maxSimulatedSeconds: AWS_DEFAULT_TASK_TIMEOUT_SECONDS + 60,
    });
    return { status: 'SUCCEEDED', output, seconds: seconds() };
  } catch (err: unknown) {
    if (!(err instanceof ExecutionError)) throw err;
    const error = err.cause instanceof Error ? err.cause.name : String(err.cause);
    return { status: 'FAILED', error, seconds: seconds() };
  }
}

/** One Pass state whose `Parameters` are `parameters`: the output is what they evaluate to. */
function evaluate(parameters: Record<string, string>): StateMachineDefinition {
  return { StartAt: 'Evaluate', States: { Evaluate: { Type: 'Pass', Parameters: parameters, End: true } } };
}

/** What a state reads from the context object. */
const CONTEXT_READ = {
  'startTime.$': '$$.Execution.StartTime',
  'input.$': '$$.Execution.Input',
  'id.$': '$$.Execution.Id',
};

/** A value with everything JSON must escape: quotes, backslashes, newlines, tabs, non-ASCII. */
const AWKWARD = {
  reason: 'alarm "sonar-proj-1-main-unhealthy" went to ALARM',
  cause:
    '{"errorType":"Error","errorMessage":"Cannot find module \'@aws-sdk/client-ssm\'\\nRequire stack:\\n- /var/task/index.js"}',
  path: 'C:\\temp\\new\\{}',
  lines: 'one\ntwo\r\n\tthree',
  text: 'naïve — ✓',
  nested: [{ quote: '"', backslash: '\\' }],
};

describe('the context object ($$) inside a Parallel branch or a Map iteration', () => {
  it('is the execution’s: its start time and input, not the branch’s', async () => {
    // Prepare: the branch starts 30 s after the execution, on an input of its own.
    const definition: StateMachineDefinition = {
      StartAt: 'Preflight',
      States: {
        Preflight: { Type: 'Wait', Seconds: 30, Next: 'Work' },
        Work: {
          Type: 'Parallel',
          Parameters: { 'target.$': '$.target' },
          Branches: [
            { StartAt: 'Read', States: { Read: { Type: 'Pass', Parameters: CONTEXT_READ, End: true } } },
          ],
          End: true,
        },
      },
    };
    const input = { target: 'us-west-2', mode: 'auto' };

    // Act
    const outcome = await execute(definition, input);

    // Assess
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', seconds: 30 });
    expect(outcome.output).toEqual([{ startTime: START_TIME, input, id: EXECUTION_ID }]);
  });

  it('is the execution’s in each Map iteration too', async () => {
    // Prepare
    const definition: StateMachineDefinition = {
      StartAt: 'Preflight',
      States: {
        Preflight: { Type: 'Wait', Seconds: 30, Next: 'Each' },
        Each: {
          Type: 'Map',
          ItemsPath: '$.regions',
          ItemProcessor: {
            StartAt: 'Read',
            States: { Read: { Type: 'Pass', Parameters: CONTEXT_READ, End: true } },
          },
          End: true,
        },
      },
    };
    const input = { regions: ['us-east-1', 'us-west-2'] };

    // Act
    const outcome = await execute(definition, input);

    // Assess
    const seen = { startTime: START_TIME, input, id: EXECUTION_ID };
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: [seen, seen] });
  });
});

describe('States.JsonToString', () => {
  it('returns JSON text that parses back to the same value, quotes, backslashes and newlines included', async () => {
    // Prepare
    const definition = evaluate({ 'json.$': 'States.JsonToString($)' });

    // Act
    const outcome = await execute(definition, AWKWARD);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const { json } = outcome.output as { readonly json: string };
    expect(JSON.parse(json)).toEqual(AWKWARD);
  });
});

describe('States.Format', () => {
  it('substitutes each value as it is: backslashes, quotes and newlines kept', async () => {
    // Prepare: the failover's fencing note, on an error whose cause is escaped JSON.
    const definition = evaluate({
      'detail.$': "States.Format('fencing not done: {}: {}', $.error.Error, $.error.Cause)",
    });
    const error = { Error: 'Runtime.ImportModuleError', Cause: AWKWARD.cause };

    // Act
    const outcome = await execute(definition, { error });

    // Assess
    expect(outcome).toMatchObject({
      status: 'SUCCEEDED',
      output: { detail: `fencing not done: Runtime.ImportModuleError: ${AWKWARD.cause}` },
    });
  });

  it("reads the template’s escapes: \\' \\{ \\} and \\\\ are text, only a bare {} is a placeholder", async () => {
    // Prepare: asl-validator rejects the escaped backslash the developer guide documents.
    const definition = evaluate({ 'text.$': "States.Format('it\\'s \\{\\} in C:\\\\temp, not {}', $.name)" });

    // Act
    const outcome = await execute(definition, { name: 'a "{}"' }, { checkPaths: false });

    // Assess
    expect(outcome).toMatchObject({
      status: 'SUCCEEDED',
      output: { text: 'it\'s {} in C:\\temp, not a "{}"' },
    });
  });
});

describe('a Task state without TimeoutSeconds', () => {
  const definition: StateMachineDefinition = {
    StartAt: 'Work',
    States: { Work: { Type: 'Task', Resource: TASK_ARN, End: true } },
  };

  it('keeps running past 60 s', async () => {
    // Prepare: the work takes an hour.
    const handlers: Handlers = {
      Work: () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 3_600_000)),
    };

    // Act
    const outcome = await execute(definition, {}, { handlers });

    // Assess
    expect(outcome).toEqual({ status: 'SUCCEEDED', output: { done: true }, seconds: 3600 });
  });

  it('times out with States.Timeout after AWS’s default of 99,999,999 s', async () => {
    // Prepare: the work never answers.
    const handlers: Handlers = { Work: () => new Promise(() => undefined) };

    // Act
    const outcome = await execute(definition, {}, { handlers });

    // Assess
    expect(outcome).toEqual({
      status: 'FAILED',
      error: 'States.Timeout',
      seconds: AWS_DEFAULT_TASK_TIMEOUT_SECONDS,
    });
  });
});

describe('a Choice rule with an Is* operator set to false', () => {
  /** `rule` decides between `Matched` and the Default `NotMatched`. */
  function choice(rule: Record<string, unknown>): StateMachineDefinition {
    return {
      StartAt: 'Decide',
      States: {
        Decide: { Type: 'Choice', Choices: [{ ...rule, Next: 'Matched' }], Default: 'NotMatched' },
        Matched: { Type: 'Pass', Result: 'matched', End: true },
        NotMatched: { Type: 'Pass', Result: 'not matched', End: true },
      },
    };
  }

  it('IsPresent: false matches a field that is absent, and only then', async () => {
    // Prepare
    const definition = choice({ Variable: '$.readiness', IsPresent: false });

    // Act
    const absent = await execute(definition, { preflight: {} });
    const present = await execute(definition, { readiness: { red: [] } });

    // Assess
    expect(absent.output).toBe('matched');
    expect(present.output).toBe('not matched');
  });

  it.each([
    ['IsNull', 'a string'],
    ['IsNumeric', 'a string'],
    ['IsString', 42],
    ['IsBoolean', 'a string'],
    ['IsTimestamp', 'not a timestamp'],
  ])('%s: false matches a value that is not one (%p)', async (operator, value) => {
    // Prepare
    const definition = choice({ Variable: '$.value', [operator]: false });

    // Act
    const outcome = await execute(definition, { value });

    // Assess
    expect(outcome.output).toBe('matched');
  });
});

describe('States.StringSplit', () => {
  it('splits at each character of a multi-character separator', async () => {
    // Prepare: the developer guide's example.
    const definition = evaluate({ 'parts.$': "States.StringSplit($.text, '.+,=')" });

    // Act
    const outcome = await execute(definition, { text: 'This.is+a,test=string' });

    // Assess
    expect(outcome).toMatchObject({
      status: 'SUCCEEDED',
      output: { parts: ['This', 'is', 'a', 'test', 'string'] },
    });
  });

  it('leaves out the empty strings between adjacent separators', async () => {
    // Prepare: as Step Functions answers (LocalStack's recording of AWS: ",,,," split by "," is []).
    const definition = evaluate({ 'parts.$': "States.StringSplit($.text, ',')" });

    // Act
    const outcome = await execute(definition, { text: ',a,,b,' });

    // Assess
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { parts: ['a', 'b'] } });
  });
});

describe('States.ArrayGetItem', () => {
  const definition = evaluate({ 'item.$': 'States.ArrayGetItem($.items, $.index)' });

  it('returns the item at an index inside the array', async () => {
    // Act
    const outcome = await execute(definition, { items: ['a', null, 'c'], index: 1 });

    // Assess
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { item: null } });
  });

  it('fails the execution with States.Runtime for an index past the end, instead of returning null', async () => {
    // Act
    const outcome = await execute(definition, { items: ['a', 'b', 'c'], index: 3 });

    // Assess
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});
