import type { World } from './world';

/** The AWS services the simulator answers. */
export const SERVICES = ['rds', 'autoscaling', 'ecs', 'route53', 'sfn', 'sns', 'cloudwatch'] as const;
/** One of {@link SERVICES}. */
export type ServiceName = (typeof SERVICES)[number];

/** One API call as the simulator saw it. */
export interface SimCall {
  readonly seq: number;
  readonly service: ServiceName;
  readonly command: string;
  /** Region of the endpoint called. */
  readonly region: string;
  /** Simulated seconds since the drill started. */
  readonly at: number;
  readonly input: unknown;
  /** Execution and state whose Lambda (or SNS integration) made the call, when known. */
  readonly execution?: string;
  readonly state?: string;
  /** Name of the error returned, if any. */
  error?: string;
}

/**
 * A fault over calls: return an error to fail the call before the service model sees it (it has
 * already taken its latency). Faults are interceptors, never flags on the models.
 */
export type CallInterceptor = (call: SimCall, world: World) => Error | undefined;

/** One simulated API: input in, output out (or a thrown SDK-shaped error). */
export type SimHandler = (input: unknown, world: World, region: string, call: SimCall) => unknown;

/** A service's simulated API, by command name without the `Command` suffix. */
export type SimApi = Readonly<Record<string, SimHandler>>;

/** `{ execution }` when the call came from an execution, for records that name their cause. */
export function executionOf(call: SimCall): { readonly execution?: string } {
  return call.execution === undefined ? {} : { execution: call.execution };
}
