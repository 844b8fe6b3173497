import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { listStates, type NestingState } from '../../statemachines/states';
import { WiringError } from '../errors';
import { deployOrchestrator } from '../sim/deploy-orchestrator';
import type { TimedEvent } from '../sim/sfn/sfn';
import { DRILL_TOKEN_PREFIX } from '../sim/sfn/tasks';
import type { World } from '../sim/world';
import { iamArn, stackArn } from '../synth/cfn-template';
import type { WiredFunction } from '../synth/function';
import {
  localDefinition,
  type OrchestratorWiring,
  readPath,
  type TaskStateInfo,
  taskResources,
  taskStates,
} from '../synth/wiring';
import { type ExecutionRecord, runExecution } from './execution';
import { LambdaEmulator, type LocalTaskHandler, namedError } from './lambda-emulation';
import { ExecutionProgress, type ProgressLog } from './progress';
import { SNS_PUBLISH, snsPublishIntegration } from './sns-integration';

/**
 * A synthesized orchestrator deployed into the simulated world: its state machine and topics
 * exist there, and each execution runs the definition with the real handlers against it.
 */

export interface OrchestratorOptions {
  /** Where handler source folders are resolved from. */
  readonly repoRoot: string;
  /** Task states whose next invocation(s) fail with `Lambda.ServiceException`, with counts. */
  readonly serviceExceptions?: Map<string, number>;
  /** Progress lines; omit for a silent run. */
  readonly log?: ProgressLog;
}

/** Throws {@link WiringError} when the drill cannot run `wiring` as synthesized. */
function checkWiring(
  wiring: OrchestratorWiring,
  tasks: readonly TaskStateInfo[],
  options: OrchestratorOptions,
): void {
  for (const fn of wiring.functions.values()) {
    const target = fn.environment.TARGET_REGION;
    if (target !== undefined && target !== wiring.region) {
      throw new WiringError(
        `${fn.logicalId}: TARGET_REGION is ${target} but the function is deployed in ${wiring.region}`,
      );
    }
  }
  for (const t of tasks) {
    if (t.resource !== SNS_PUBLISH && !wiring.functions.has(t.resource)) {
      throw new WiringError(
        `Task ${t.name}: resource ${t.resource} is neither a template function nor sns:publish`,
      );
    }
  }
  const lambdaTasks = tasks.filter((t) => t.resource !== SNS_PUBLISH).map((t) => t.name);
  for (const state of options.serviceExceptions?.keys() ?? []) {
    if (!lambdaTasks.includes(state)) {
      throw new WiringError(
        `lambda-service-exception: no Lambda Task state named '${state}' (Lambda Tasks: ${lambdaTasks.join(', ')})`,
      );
    }
  }
}

/** The project's state machine name for the region `wiring` deploys to. */
function defaultName(world: World, wiring: OrchestratorWiring): string {
  const role = (['main', 'dr'] as const).find((r) => world.regionOf(r) === wiring.region);
  if (role === undefined) {
    throw new WiringError(
      `the orchestrator template is for ${wiring.region}, which is neither of the project's regions`,
    );
  }
  return world.names.regions[role].stateMachineName;
}

/** Definitions (as JSON text) already validated in this process. */
const VALIDATED = new Set<string>();

/**
 * The interpreter's state machine for `definition`, validated by asl-validator (ARNs and paths) the
 * first time this process sees the definition. A sweep or a test file builds the same definition
 * hundreds of times, and each validation compiles the validator's JSON schemas anew (~0.1 s).
 */
function machineOf(definition: StateMachineDefinition): StateMachine {
  const key = JSON.stringify(definition);
  if (VALIDATED.has(key)) return new StateMachine(definition, { validationOptions: { noValidate: true } });
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  VALIDATED.add(key);
  return machine;
}

/** One orchestrator stack's state machine, runnable in the simulated world. */
export class Orchestrator {
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  /** Its executions, in the order they ended. */
  readonly executions: ExecutionRecord[] = [];
  private readonly tasks: readonly TaskStateInfo[];
  private readonly machine: StateMachine;
  private readonly lambdas: LambdaEmulator;
  private readonly sns: ReturnType<typeof snsPublishIntegration>;
  /** Callback Task → its `TimeoutSecondsPath` in the effective input (see {@link localDefinition}). */
  private readonly timeoutPaths: ReadonlyMap<string, string>;

  /** @throws WiringError when a function or Task cannot run as synthesized */
  constructor(
    private readonly world: World,
    readonly wiring: OrchestratorWiring,
    private readonly options: OrchestratorOptions,
  ) {
    this.tasks = taskStates(wiring.definition);
    checkWiring(wiring, this.tasks, options);
    this.stateMachineName = wiring.stateMachineName ?? defaultName(world, wiring);
    this.stateMachineArn = stackArn(wiring, 'states', `stateMachine:${this.stateMachineName}`);
    world.sfn.stateMachines.add(this.stateMachineArn);
    deployOrchestrator(world, this.stateMachineArn, wiring);
    for (const arn of wiring.topics.keys()) world.sns.addTopic(arn, wiring.region);
    const local = localDefinition(wiring.definition);
    this.timeoutPaths = timeoutPaths(local);
    this.machine = machineOf(local);
    this.lambdas = new LambdaEmulator({
      world,
      wiring,
      repoRoot: options.repoRoot,
      ...(options.serviceExceptions === undefined ? {} : { serviceExceptions: options.serviceExceptions }),
    });
    this.sns = snsPublishIntegration(wiring.region);
  }

  /** Start an execution with `input` and run it to its end (on the virtual clock: drive it). */
  async execute(input: unknown): Promise<ExecutionRecord> {
    const { world, wiring } = this;
    const index = world.sfn.executions.size + 1;
    const name = `drill-${index}`;
    const executionArn = stackArn(wiring, 'states', `execution:${this.stateMachineName}:${name}`);
    const startedAt = world.clock.now();
    // Shared with the simulated Step Functions: a Lambda reading this execution's history sees it live.
    const events: TimedEvent[] = [];
    world.sfn.add({
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: startedAt,
      input: JSON.stringify(input),
      interpreterEvents: events,
      lambdaTasks: new Set(
        this.tasks.filter((t) => wiring.functions.has(t.resource) && t.callback !== true).map((t) => t.name),
      ),
      roleArn: iamArn(wiring, 'role/drill'),
    });
    const handlers: Record<string, LocalTaskHandler> = {};
    for (const t of this.tasks) {
      const fn = wiring.functions.get(t.resource);
      handlers[t.name] =
        fn === undefined
          ? this.sns(t.name, executionArn)
          : t.callback === true
            ? this.callbackTask(t, fn, executionArn)
            : this.lambdas.task(t.name, fn, executionArn);
    }
    const progress = this.progress(index);
    progress?.started(startedAt, name, input);
    const identity = {
      index,
      name,
      executionArn,
      stateMachineArn: this.stateMachineArn,
      stateMachineName: this.stateMachineName,
      roleArn: iamArn(wiring, 'role/drill'),
      taskToken: `${DRILL_TOKEN_PREFIX}${index}-${world.ids.hex()}`,
    };
    const record = await runExecution(
      {
        machine: this.machine,
        identity,
        input,
        startedAt,
        handlers,
        epochMs: world.clock.epochMs,
        events,
        ...(progress === undefined ? {} : { onStateEvent: (ev) => progress.state(ev) }),
      },
      () => world.clock.now(),
    );
    const simExecution = world.sfn.executions.get(executionArn);
    if (simExecution !== undefined) {
      simExecution.status = record.status;
      simExecution.stopDate = record.stoppedAt;
      if (record.output !== undefined) simExecution.output = JSON.stringify(record.output);
    }
    this.executions.push(record);
    progress?.ended(record.stoppedAt, name, record.status, record.error);
    return record;
  }

  /**
   * A `lambda:invoke.waitForTaskToken` Task: invoke the function with `Payload` (as Lambda's
   * integration does), then wait until SendTaskSuccess / SendTaskFailure answers the token in the
   * simulated Step Functions (the interpreter's own timer applies `TimeoutSecondsPath`).
   */
  private callbackTask(t: TaskStateInfo, fn: WiredFunction, executionArn: string): LocalTaskHandler {
    const invoke = this.lambdas.task(t.name, fn, executionArn);
    const { world } = this;
    const timeoutPath = this.timeoutPaths.get(t.name);
    return async (input) => {
      const payload = readPath(input, '$.Payload');
      const token = readPath(payload, '$.taskToken');
      if (typeof token !== 'string') {
        throw new WiringError(`Task ${t.name}: Payload.taskToken is missing (pass $$.Task.Token)`);
      }
      const timeout = timeoutPath === undefined ? undefined : readPath(input, timeoutPath);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const answered = new Promise<ReturnType<typeof JSON.parse>>((resolve, reject) => {
        world.sfn.tasks.schedule(
          {
            token,
            executionArn,
            stateName: t.name,
            resourceType: 'lambda',
            resource: 'invoke.waitForTaskToken',
            region: this.wiring.region,
            parameters: JSON.stringify(input),
            ...(typeof timeout === 'number' ? { timeoutSeconds: timeout } : {}),
            scheduledAt: world.clock.now(),
            status: 'WAITING',
          },
          (answer) => {
            clearTimeout(timer);
            if ('output' in answer) resolve(JSON.parse(answer.output) as ReturnType<typeof JSON.parse>);
            else if ('error' in answer) reject(namedError(answer.error, answer.cause));
            // Timed out: the interpreter's timer has failed the Task with States.Timeout.
          },
        );
      });
      // The Task may fail before anyone answers (the invoke below); the answer is then never read.
      answered.catch(() => undefined);
      if (typeof timeout === 'number') {
        timer = setTimeout(
          () => world.sfn.tasks.settle(token, { timedOut: true }, world.clock.now()),
          timeout * 1000,
        );
      }
      try {
        await invoke(payload);
      } catch (err: unknown) {
        const e = err instanceof Error ? err : new Error(String(err));
        world.sfn.tasks.settle(token, { error: e.name, cause: e.message }, world.clock.now());
        throw err;
      }
      return answered;
    };
  }

  private progress(index: number): ExecutionProgress | undefined {
    const { log } = this.options;
    if (log === undefined) return undefined;
    const resourceOf = taskResources(this.wiring);
    return new ExecutionProgress(
      log,
      index,
      (state) => this.wiring.functions.get(resourceOf.get(state) ?? '')?.key,
    );
  }
}

/** Each Task's `TimeoutSecondsPath` in `definition`, by state name. */
function timeoutPaths(definition: object): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const graph = definition as {
    readonly States?: Readonly<Record<string, NestingState & { readonly TimeoutSecondsPath?: string }>>;
  };
  for (const { name, state } of listStates(graph)) {
    if (state.TimeoutSecondsPath !== undefined) out.set(name, state.TimeoutSecondsPath);
  }
  return out;
}
