import { isAbsolute, join } from 'node:path';
import { WiringError } from '../errors';
import { runAs } from '../sim/invocation';
import type { World } from '../sim/world';
import { stackArn } from '../synth/cfn-template';
import type { WiredFunction } from '../synth/function';
import type { OrchestratorWiring } from '../synth/wiring';

/**
 * Lambda as the state machine sees it: the real handler, loaded from its source folder, invoked
 * with exactly its template environment, a Lambda context, its cold or warm start latency, its
 * timeout and the payload limit, on the virtual clock.
 */

/** A Task state's local handler (aws-local-stepfunctions' `taskResourceLocalHandlers`). */
export type LocalTaskHandler = (input: unknown) => Promise<ReturnType<typeof JSON.parse>>;

/** Lambda's and Step Functions' limit on a task's result. */
const PAYLOAD_LIMIT_BYTES = 262_144;

/** What Lambda's runtime puts in every function's environment for the SDK; not real keys. */
export const DRILL_CREDENTIALS: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'AKIADRILLEXAMPLE0000',
  AWS_SECRET_ACCESS_KEY: 'drill-secret-not-a-real-key',
  AWS_SESSION_TOKEN: 'drill-session-token',
};

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** An error named as Step Functions matches it (`Lambda.ServiceException`, `Sandbox.Timedout`, ...). */
export function namedError(name: string, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** Wait `seconds` of simulated time. */
export function pause(seconds: number): Promise<void> {
  return new Promise((r) => setTimeout(r, seconds * 1000));
}

/** What an orchestrator's Lambda functions run with. */
export interface LambdaEmulatorOptions {
  readonly world: World;
  readonly wiring: OrchestratorWiring;
  /** Where handler source folders are resolved from. */
  readonly repoRoot: string;
  /** Task states whose next invocation(s) fail with `Lambda.ServiceException`, with counts. */
  readonly serviceExceptions?: Map<string, number>;
}

/** The Lambda functions of one orchestrator. */
export class LambdaEmulator {
  private readonly loaded = new Map<string, Handler>();
  private readonly warm = new Set<string>();

  constructor(private readonly options: LambdaEmulatorOptions) {}

  /** The local handler of Task state `stateName`, invoking `fn` for `executionArn`. */
  task(stateName: string, fn: WiredFunction, executionArn: string): LocalTaskHandler {
    return async (input) => {
      // Once the simulation's step guard tripped, nothing the handler does can be simulated.
      const runaway = this.options.world.clock.runaway;
      if (runaway !== undefined) throw runaway;
      await this.startLatency(stateName, fn);
      const invocation = { env: this.environment(fn), region: this.options.wiring.region };
      const result = await this.withTimeout(fn, () =>
        runAs({ ...invocation, functionName: fn.key, stateName, executionArn }, () =>
          this.load(fn)(JSON.parse(JSON.stringify(input)) as unknown, this.context(fn)),
        ),
      );
      const json = JSON.stringify(result ?? null);
      const bytes = Buffer.byteLength(json);
      if (bytes > PAYLOAD_LIMIT_BYTES)
        throw namedError('States.DataLimitExceeded', `${fn.key} returned ${bytes} bytes`);
      return JSON.parse(json) as ReturnType<typeof JSON.parse>;
    };
  }

  /** Cold start or warm invoke; an injected service exception fails after the warm latency. */
  private async startLatency(stateName: string, fn: WiredFunction): Promise<void> {
    const { timings } = this.options.world;
    const exceptions = this.options.serviceExceptions;
    const remaining = exceptions?.get(stateName) ?? 0;
    if (remaining > 0) {
      exceptions?.set(stateName, remaining - 1);
      await pause(timings.lambdaWarmInvokeSeconds);
      throw namedError(
        'Lambda.ServiceException',
        'Lambda.ServiceException: The service encountered an internal error (injected by the drill).',
      );
    }
    const cold = !this.warm.has(fn.key);
    this.warm.add(fn.key);
    await pause(cold ? timings.lambdaColdStartSeconds : timings.lambdaWarmInvokeSeconds);
  }

  /** Run `work` within the function's timeout; an unhandled error is reported as Lambda does. */
  private async withTimeout(fn: WiredFunction, work: () => Promise<unknown>): Promise<unknown> {
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
    try {
      return await Promise.race([work(), timedOut]);
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
  }

  private load(fn: WiredFunction): Handler {
    const cached = this.loaded.get(fn.entry);
    if (cached !== undefined) return cached;
    const path = isAbsolute(fn.entry) ? fn.entry : join(this.options.repoRoot, fn.entry, 'index.ts');
    // Required inside the invocation, so module-scope reads of process.env see the function's env.
    const mod = require(path) as { handler?: unknown };
    if (typeof mod.handler !== 'function') {
      throw new WiringError(`${fn.entry}/index.ts does not export a handler function`);
    }
    const handler = mod.handler as Handler;
    this.loaded.set(fn.entry, handler);
    return handler;
  }

  /** The function's template environment plus what the Lambda runtime sets. */
  private environment(fn: WiredFunction): Record<string, string> {
    const { region } = this.options.wiring;
    return {
      ...fn.environment,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: fn.key,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      ...DRILL_CREDENTIALS,
    };
  }

  private context(fn: WiredFunction) {
    const { world, wiring } = this.options;
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fn.key,
      functionVersion: '$LATEST',
      invokedFunctionArn: stackArn(wiring, 'lambda', `function:${fn.key}`),
      memoryLimitInMB: String(fn.memorySize),
      awsRequestId: world.ids.uuid(),
      logGroupName: `/aws/lambda/${fn.key}`,
      logStreamName: `2025/01/15/[$LATEST]${world.ids.hex()}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  }
}
