import { isAbsolute, join, resolve } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { StateMachine } from 'aws-local-stepfunctions';
import { projectNames } from '../infra/config/names';
import type { ProjectConfig, RegionRole } from '../infra/config/schema';
import type { FailoverMode } from '../lambdas/shared/contracts';
import { stepOfSubstitution } from '../lambdas/shared/steps';
import { captureOutput } from './capture';
import { WiringError } from './errors';
import { applyFaults, type FaultSpec } from './faults';
import { installEnvironmentView, runAs } from './invocation';
import { installSimulatedAws } from './sim/install';
import { World } from './sim/world';
import type { Timings } from './timing';
import { installVirtualClock } from './virtual-clock';
import { type OrchestratorWiring, taskStates, type WiredFunction } from './wiring';

/** The repository root (handlers are loaded from `<root>/<entry>/index.ts`). */
export const REPO_ROOT = resolve(__dirname, '..');

/** Simulated second 0 of every drill (fixed, so reports are reproducible). */
export const DRILL_EPOCH_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

const SNS_PUBLISH = 'arn:aws:states:::sns:publish';
/** Lambda's and Step Functions' limit on a task's result. */
const PAYLOAD_LIMIT_BYTES = 262_144;

export interface DrillOptions {
  readonly config: ProjectConfig;
  /** The region the orchestrator promotes (its own). */
  readonly role: RegionRole;
  readonly mode: FailoverMode;
  readonly faults?: readonly FaultSpec[];
  readonly timings: Timings;
  readonly wiring: OrchestratorWiring;
  /** Progress lines (already formatted); omit for a silent run. */
  readonly log?: (line: string) => void;
  /** Where handler source folders are resolved from. @default the repository root */
  readonly repoRoot?: string;
}

/** One interpreter event with its simulated time. */
export interface TimedEvent {
  /** Simulated seconds since the drill started. */
  readonly at: number;
  readonly type: string;
  readonly state?: string;
  readonly stateType?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly output?: unknown;
}

/** One execution of the state machine during the drill. */
export interface ExecutionRecord {
  readonly index: number;
  readonly name: string;
  readonly executionArn: string;
  readonly input: unknown;
  readonly startedAt: number;
  readonly stoppedAt: number;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly events: readonly TimedEvent[];
}

export interface DrillRun {
  readonly world: World;
  readonly executions: readonly ExecutionRecord[];
  readonly wiring: OrchestratorWiring;
  readonly options: DrillOptions;
  /** Handler logs and SDK warnings written while the drill ran. */
  readonly handlerOutput: readonly string[];
  /** Simulated second at which the last execution ended. */
  readonly endedAt: number;
}

interface LoadedHandler {
  readonly handler: (event: unknown, context: unknown) => Promise<unknown>;
}

function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** Wait `seconds` of simulated time. */
function pause(seconds: number): Promise<void> {
  return new Promise((r) => setTimeout(r, seconds * 1000));
}

function fmtTime(t: number): string {
  const sign = t < 0 ? '-' : '';
  const a = Math.abs(t);
  const m = Math.floor(a / 60);
  const s = a - m * 60;
  return `${sign}${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

/**
 * Run the drill: the synthesized definition in aws-local-stepfunctions, each Lambda Task running
 * the real handler with its template environment, against the simulated AWS, on the virtual
 * clock. Faults shape the world and the scenario (a second trigger, a rerun).
 */
export async function runDrill(options: DrillOptions): Promise<DrillRun> {
  const { config, role, wiring, timings } = options;
  const names = projectNames(config);
  const own = names.regions[role];
  if (wiring.region !== own.region) {
    throw new WiringError(
      `the orchestrator template is for ${wiring.region}, but role ${role} is ${own.region}`,
    );
  }
  for (const fn of wiring.functions.values()) {
    const target = fn.environment.TARGET_REGION;
    if (target !== undefined && target !== wiring.region) {
      throw new WiringError(
        `${fn.logicalId}: TARGET_REGION is ${target} but the function is deployed in ${wiring.region}`,
      );
    }
  }
  const tasks = taskStates(wiring.definition);
  for (const t of tasks) {
    if (t.resource !== SNS_PUBLISH && !wiring.functions.has(t.resource)) {
      throw new WiringError(
        `Task ${t.name}: resource ${t.resource} is neither a template function nor sns:publish`,
      );
    }
  }
  const stateMachineName = wiring.stateMachineName ?? own.stateMachineName;
  const stateMachineArn = `arn:aws:states:${wiring.region}:${wiring.account}:stateMachine:${stateMachineName}`;

  const world = new World({
    config,
    names,
    targetRole: role,
    timings,
    epochMs: DRILL_EPOCH_MS,
    topics: [...wiring.topics.keys()].map((arn) => ({ arn, region: wiring.region })),
  });
  world.stateMachines.add(stateMachineArn);
  const effects = applyFaults(world, options.faults ?? []);
  for (const state of effects.lambdaServiceExceptions.keys()) {
    if (!tasks.some((t) => t.name === state && t.resource !== SNS_PUBLISH)) {
      throw new WiringError(
        `lambda-service-exception: no Lambda Task state named '${state}' (Lambda Tasks: ${tasks
          .filter((t) => t.resource !== SNS_PUBLISH)
          .map((t) => t.name)
          .join(', ')})`,
      );
    }
  }

  const root = options.repoRoot ?? REPO_ROOT;
  // Set once output capture starts: progress lines bypass it.
  let log: ((line: string) => void) | undefined;
  const loaded = new Map<string, LoadedHandler>();
  const warm = new Set<string>();
  const credentials = {
    AWS_ACCESS_KEY_ID: 'AKIADRILLEXAMPLE0000',
    AWS_SECRET_ACCESS_KEY: 'drill-secret-not-a-real-key',
    AWS_SESSION_TOKEN: 'drill-session-token',
  };

  const loadHandler = (fn: WiredFunction): LoadedHandler => {
    const cached = loaded.get(fn.entry);
    if (cached !== undefined) return cached;
    const path = isAbsolute(fn.entry) ? fn.entry : join(root, fn.entry, 'index.ts');
    // Required inside the invocation, so module-scope reads of process.env see the function's env.
    const mod = require(path) as { handler?: unknown };
    if (typeof mod.handler !== 'function') {
      throw new WiringError(`${fn.entry}/index.ts does not export a handler function`);
    }
    const h = { handler: mod.handler as LoadedHandler['handler'] };
    loaded.set(fn.entry, h);
    return h;
  };

  const lambdaTask =
    (stateName: string, fn: WiredFunction, executionArn: string) => async (input: unknown) => {
      const arn = `arn:aws:lambda:${wiring.region}:${wiring.account}:function:${fn.key}`;
      const remaining = effects.lambdaServiceExceptions.get(stateName) ?? 0;
      if (remaining > 0) {
        effects.lambdaServiceExceptions.set(stateName, remaining - 1);
        await pause(timings.lambdaWarmInvokeSeconds);
        throw namedError(
          'Lambda.ServiceException',
          'Lambda.ServiceException: The service encountered an internal error (injected by the drill).',
        );
      }
      const cold = !warm.has(fn.key);
      warm.add(fn.key);
      await pause(cold ? timings.lambdaColdStartSeconds : timings.lambdaWarmInvokeSeconds);
      const env: Record<string, string> = {
        ...fn.environment,
        AWS_REGION: wiring.region,
        AWS_DEFAULT_REGION: wiring.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.key,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        ...credentials,
      };
      const deadline = Date.now() + fn.timeoutSeconds * 1000;
      const context = {
        callbackWaitsForEmptyEventLoop: true,
        functionName: fn.key,
        functionVersion: '$LATEST',
        invokedFunctionArn: arn,
        memoryLimitInMB: String(fn.memorySize),
        awsRequestId: world.uuid(),
        logGroupName: `/aws/lambda/${fn.key}`,
        logStreamName: `2025/01/15/[$LATEST]${world.nextId(32, '0123456789abcdef')}`,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
      };
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              namedError('Sandbox.Timedout', `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`),
            ),
          fn.timeoutSeconds * 1000,
        );
      });
      let result: unknown;
      try {
        const work = runAs(
          { env, region: wiring.region, functionName: fn.key, stateName, executionArn },
          () => loadHandler(fn).handler(JSON.parse(JSON.stringify(input)) as unknown, context),
        );
        result = await Promise.race([work, timedOut]);
      } catch (err: unknown) {
        const e = err instanceof Error ? err : new Error(String(err));
        if (e.name === 'Sandbox.Timedout' || e instanceof WiringError) throw e;
        // What Lambda reports for an unhandled error: errorType = name, Cause = the JSON payload.
        const payload = {
          errorType: e.name,
          errorMessage: e.message,
          trace: (e.stack ?? '').split('\n').slice(0, 6),
        };
        throw namedError(e.name, JSON.stringify(payload));
      } finally {
        clearTimeout(timer);
      }
      const json = JSON.stringify(result ?? null);
      if (Buffer.byteLength(json) > PAYLOAD_LIMIT_BYTES) {
        throw namedError('States.DataLimitExceeded', `${fn.key} returned ${Buffer.byteLength(json)} bytes`);
      }
      return JSON.parse(json) as ReturnType<typeof JSON.parse>;
    };

  const snsClient = new SNSClient({
    region: wiring.region,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const snsTask = (stateName: string, executionArn: string) => async (input: unknown) => {
    const env = { ...credentials, AWS_REGION: wiring.region };
    try {
      const out = await runAs(
        { env, region: wiring.region, functionName: 'states:sns', stateName, executionArn },
        () => snsClient.send(new PublishCommand(input as ConstructorParameters<typeof PublishCommand>[0])),
      );
      return { MessageId: out.MessageId ?? null };
    } catch (err: unknown) {
      const e = err instanceof Error ? err : new Error(String(err));
      // The optimized integration reports service errors as `SNS.<code>`.
      throw namedError(`SNS.${e.name === 'Error' ? 'SdkClientException' : e.name}`, e.message);
    }
  };

  const machine = new StateMachine(wiring.definition, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const executions: ExecutionRecord[] = [];

  const runExecution = async (input: Record<string, unknown>): Promise<ExecutionRecord> => {
    const index = world.executions.size + 1;
    const name = `drill-${index}`;
    const executionArn = `arn:aws:states:${wiring.region}:${wiring.account}:execution:${stateMachineName}:${name}`;
    const startedAt = world.now();
    world.executions.set(executionArn, {
      executionArn,
      stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: startedAt,
      input: JSON.stringify(input),
    });
    const handlers: Record<string, (input: unknown) => Promise<ReturnType<typeof JSON.parse>>> = {};
    for (const t of tasks) {
      const fn = wiring.functions.get(t.resource);
      handlers[t.name] =
        fn === undefined ? snsTask(t.name, executionArn) : lambdaTask(t.name, fn, executionArn);
    }
    const tag = `#${index}`;
    log?.(`${fmtTime(startedAt)}  ${tag} execution ${name} started: ${JSON.stringify(input)}`);
    const run = machine.run(input as Parameters<StateMachine['run']>[0], {
      overrides: { taskResourceLocalHandlers: handlers },
      context: {
        Execution: { Id: executionArn, Name: name, RoleArn: `arn:aws:iam::${wiring.account}:role/drill` },
        StateMachine: { Id: stateMachineArn, Name: stateMachineName },
      },
    });
    const events: TimedEvent[] = [];
    const entered = new Map<string, number>();
    const consume = (async () => {
      for await (const ev of run.eventLogs) {
        const at = (ev.timestamp - DRILL_EPOCH_MS) / 1000;
        const state = 'state' in ev ? ev.state : undefined;
        const errorInfo = 'Error' in ev ? { error: ev.Error, cause: String(ev.Cause) } : {};
        events.push({
          at,
          type: ev.type,
          ...(state === undefined ? {} : { state: state.name, stateType: state.type }),
          ...(state?.output === undefined ? {} : { output: state.output }),
          ...errorInfo,
        });
        if (log === undefined || state === undefined) continue;
        const timed = state.type === 'Task' || state.type === 'Wait' || state.type === 'Parallel';
        if (ev.type === 'StateEntered') {
          entered.set(state.name, at);
          if (timed) log(`${fmtTime(at)}  ${tag} ▶ ${state.name}`);
        } else if (ev.type === 'StateExited') {
          const took = at - (entered.get(state.name) ?? at);
          const resource = tasks.find((t) => t.name === state.name)?.resource ?? '';
          const status =
            state.type === 'Task' ? summarizeOutput(wiring.functions.get(resource), state.output) : '';
          if (timed) log(`${fmtTime(at)}  ${tag} ✔ ${state.name} (${took.toFixed(1)} s)${status}`);
          else log(`${fmtTime(at)}  ${tag} · ${state.name}${status}`);
        } else if (ev.type === 'StateFailed') {
          log(`${fmtTime(at)}  ${tag} ✖ ${state.name}: ${'Error' in ev ? ev.Error : 'failed'}`);
        } else if (ev.type === 'StateRetried') {
          log(`${fmtTime(at)}  ${tag} ↻ ${state.name} retried`);
        } else if (ev.type === 'StateCaught') {
          log(`${fmtTime(at)}  ${tag} ↪ ${state.name} caught`);
        }
      }
    })();
    const identity = { index, name, executionArn, input, startedAt, events };
    let record: ExecutionRecord;
    try {
      const output = await run.result;
      await consume;
      record = { ...identity, stoppedAt: world.now(), status: 'SUCCEEDED', output };
    } catch (err: unknown) {
      await consume;
      const failed = [...events].reverse().find((e) => e.type === 'ExecutionFailed');
      const timedOut = events.some((e) => e.type === 'ExecutionTimeout');
      record = {
        ...identity,
        stoppedAt: world.now(),
        status: timedOut ? 'TIMED_OUT' : 'FAILED',
        error: failed?.error ?? (err instanceof Error ? err.name : 'Error'),
        cause: failed?.cause ?? (err instanceof Error ? err.message : String(err)),
      };
    }
    const simExecution = world.executions.get(executionArn);
    if (simExecution !== undefined) {
      simExecution.status = record.status;
      simExecution.stopDate = record.stoppedAt;
      if (record.output !== undefined) simExecution.output = JSON.stringify(record.output);
    }
    executions.push(record);
    log?.(
      `${fmtTime(record.stoppedAt)}  ${tag} execution ${name} ${record.status}${record.error === undefined ? '' : `: ${record.error}`}`,
    );
    return record;
  };

  const scenario = async () => {
    const input = { mode: options.mode, reason: `pilot-light drill (${options.mode})` };
    const first = runExecution(input);
    const others: Promise<ExecutionRecord>[] = [];
    const after = effects.secondTriggerAfterSeconds;
    if (after !== undefined) {
      others.push(pause(after).then(() => runExecution({ mode: 'auto', reason: 'second trigger (drill)' })));
    }
    const r1 = await first;
    await Promise.all(others);
    if (effects.rerun !== undefined && r1.status !== 'SUCCEEDED') {
      effects.rerun.fix();
      log?.(`${fmtTime(world.now())}     fault fixed; rerun in ${effects.rerun.delaySeconds} s`);
      await pause(effects.rerun.delaySeconds);
      await runExecution(input);
    }
  };

  const clock = installVirtualClock(DRILL_EPOCH_MS);
  const capture = captureOutput();
  const userLog = options.log;
  if (userLog !== undefined) log = (line: string) => capture.bypass(() => userLog(line));
  const restoreEnv = installEnvironmentView();
  const restoreAws = installSimulatedAws(world);
  let endedAt = 0;
  try {
    await clock.drive(scenario());
    endedAt = world.now();
    world.sync(endedAt);
  } finally {
    restoreAws();
    restoreEnv();
    capture.restore();
    clock.uninstall();
  }
  return {
    world,
    executions,
    wiring,
    options,
    handlerOutput: capture.lines,
    endedAt,
  };
}

/** ` → STATUS` for a step Lambda's Task, from the status it returned. */
function summarizeOutput(fn: WiredFunction | undefined, out: unknown): string {
  // Where the step Lambda's result lands in the state (its Task's ResultPath).
  const key = fn === undefined ? undefined : stepOfSubstitution(fn.key)?.resultPath;
  if (key === undefined || typeof out !== 'object' || out === null) return '';
  const result = (out as Record<string, unknown>)[key];
  const status =
    typeof result === 'object' && result !== null ? (result as { status?: unknown }).status : undefined;
  return typeof status === 'string' ? ` → ${status}` : '';
}
