import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { synthesizeOrchestrator } from '../../drill/wiring';
import { loadConfig } from '../../infra/config/load';
import { projectNames } from '../../infra/config/names';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';

/**
 * Runs the synthesized failover definition in aws-local-stepfunctions with the real handlers, each
 * given the environment its function has in the orchestrator template (so wiring mistakes fail
 * here). Waits and retry pauses are overridden to zero: these tests assert behaviour; the drill
 * measures time.
 */

type Handler = (event: unknown) => Promise<unknown>;
type RunArgs = Parameters<StateMachine['run']>;
type Overrides = NonNullable<NonNullable<RunArgs[1]>['overrides']>;

interface StateDef {
  readonly Type: string;
  readonly Resource?: string;
  readonly Retry?: unknown[];
  readonly Branches?: ReadonlyArray<{ readonly States: Record<string, StateDef> }>;
}

export interface PublishedMessage {
  readonly state: string;
  readonly subject: string;
  readonly message: Record<string, unknown>;
}

export interface LocalResult {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: Record<string, unknown>;
  readonly error?: string;
  readonly cause?: string;
  /** Names of the states entered, in order (branches interleaved). */
  readonly states: string[];
  readonly published: PublishedMessage[];
}

export interface LocalFailover {
  readonly role: RegionRole;
  readonly stateMachineArn: string;
  /** Run one execution to its end. */
  run(input: unknown, options?: RunOptions): Promise<LocalResult>;
}

export interface RunOptions {
  /** @default a unique name */
  readonly name?: string;
  /** @default now */
  readonly startTime?: Date;
  /** Replace a task's handler (keyed by state name), e.g. to inject a Lambda service fault. */
  readonly wrap?: Readonly<Record<string, (real: Handler) => Handler>>;
}

function allStates(states: Record<string, StateDef>): Array<[string, StateDef]> {
  return Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, StateDef],
    ...(s.Branches ?? []).flatMap((b) => allStates(b.States)),
  ]);
}

function withEnv(env: Record<string, string>, handler: Handler): Handler {
  return (event) => {
    const saved = process.env;
    process.env = { ...saved, ...env, AWS_REGION: env.TARGET_REGION ?? 'us-east-1' };
    try {
      // Handlers read their environment synchronously on entry; restoring right after the call keeps
      // the two Parallel branches from seeing each other's variables.
      return handler(event);
    } finally {
      process.env = saved;
    }
  };
}

let executionCounter = 0;

/**
 * Build a local failover for `role` from the synthesized orchestrator stack, read by the same
 * wiring code as the drill (definition and substitutions as deployed, each function's environment).
 */
export async function localFailover(
  role: RegionRole,
  config: ProjectConfig = loadConfig('base'),
): Promise<LocalFailover> {
  const { wiring } = await synthesizeOrchestrator(config, role);
  const handlersByArn = new Map<string, Handler>();
  for (const [arn, fn] of wiring.functions) {
    const mod = require(`../../${fn.entry}`) as { handler: Handler };
    handlersByArn.set(arn, withEnv(fn.environment, mod.handler));
  }
  const definition = wiring.definition as unknown as { States: Record<string, StateDef> };
  const states = allStates(definition.States);
  const stateMachineArn = projectNames(config).regions[role].stateMachineArn;

  return {
    role,
    stateMachineArn,
    async run(input, options = {}) {
      const published: PublishedMessage[] = [];
      const entered: string[] = [];
      const taskHandlers: Record<string, Handler> = {};
      const waitTimeOverrides: Record<string, number> = {};
      const retryIntervalOverrides: Record<string, number> = {};
      for (const [name, s] of states) {
        if (s.Type === 'Wait') waitTimeOverrides[name] = 0;
        if (s.Retry) retryIntervalOverrides[name] = 0;
        if (s.Type !== 'Task' || s.Resource === undefined) continue;
        let h: Handler;
        const lambda = handlersByArn.get(s.Resource);
        if (lambda) {
          h = lambda;
        } else if (s.Resource === 'arn:aws:states:::sns:publish') {
          h = async (event) => {
            const e = event as { Subject: string; Message: string };
            published.push({ state: name, subject: e.Subject, message: JSON.parse(e.Message) });
            return { MessageId: `m-${published.length}` };
          };
        } else {
          throw new Error(`no local handler for ${name} (${s.Resource})`);
        }
        const wrap = options.wrap?.[name];
        const base = wrap ? wrap(h) : h;
        taskHandlers[name] = (event) => {
          entered.push(name);
          return base(event);
        };
      }
      const name = options.name ?? `test-${++executionCounter}`;
      const machine = new StateMachine(definition as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: false, checkPaths: false },
      });
      const execution = machine.run(input as RunArgs[0], {
        overrides: {
          taskResourceLocalHandlers: taskHandlers as unknown as Overrides['taskResourceLocalHandlers'],
          waitTimeOverrides,
          retryIntervalOverrides,
        },
        context: {
          Execution: {
            Id: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
            Name: name,
            Input: input as RunArgs[0],
            StartTime: (options.startTime ?? new Date()).toISOString(),
          },
          StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(':').pop() },
        },
      });
      try {
        const output = (await execution.result) as Record<string, unknown>;
        return { status: 'SUCCEEDED', output, states: entered, published };
      } catch (err: unknown) {
        const e = err as { cause?: { name?: string; message?: string }; name?: string; message?: string };
        return {
          status: 'FAILED',
          error: e.cause?.name ?? e.name,
          cause: e.cause?.message ?? e.message,
          states: entered,
          published,
        };
      }
    },
  };
}
