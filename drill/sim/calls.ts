/** The AWS services the simulator answers. */
export const SERVICES = [
  'rds',
  'autoscaling',
  'ecs',
  'elbv2',
  'route53',
  'sfn',
  'sns',
  'cloudwatch',
  'ssm',
  'ec2',
  'servicequotas',
  'lambda',
  's3',
  'backup',
  'acm',
  /** Queries to Route 53's name servers (drill/sim/route53/dns.ts): not an SDK client. */
  'dns',
] as const;
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
  /**
   * Where AWS's guide sends this call, when it says (a switchover to the primary's region, a failover
   * to the selected secondary's); AWS documents no refusal of a call sent elsewhere, so the drill
   * records it for a check instead ({@link misdirectedCalls}).
   */
  documentedRegion?: string;
  /** The service acted on the call although its caller saw `error` (a response lost after acceptance). */
  acceptedDespiteError?: boolean;
}

/** Calls sent to another region than the one AWS's guide sends them to. */
export function misdirectedCalls(calls: readonly SimCall[]): SimCall[] {
  return calls.filter((c) => c.documentedRegion !== undefined && c.documentedRegion !== c.region);
}

/** `{ execution }` when the call came from an execution, for records that name their cause. */
export function executionOf(call: SimCall): { readonly execution?: string } {
  return call.execution === undefined ? {} : { execution: call.execution };
}
