import type { GlobalCluster } from '@aws-sdk/client-rds';
import { RDSServiceException } from '@aws-sdk/client-rds';
import { serviceError } from '../sim/aws-errors';
import type { OperationDurationInterceptor } from '../sim/rds/aurora';
import type { CallInterceptor, ResponseInterceptor, World } from '../sim/world';

/**
 * Faults over the global database's promotion, as AWS's references allow it to fail: a server error
 * that is not a refusal, a response lost after the request was accepted, a global status that does
 * not settle while the old primary's region is down, an operation that outlasts its wait budget.
 */

/** The RDS Common Errors a request can meet for no fault of its own: 500, then 503, alternately. */
const SERVER_ERRORS = [
  {
    name: 'InternalFailure',
    status: 500,
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  },
  {
    name: 'ServiceUnavailable',
    status: 503,
    message: 'The request has failed due to a temporary failure of the server.',
  },
] as const;

/** The first `count` SwitchoverGlobalCluster calls fail with InternalFailure / ServiceUnavailable; nothing starts. */
export function failSwitchovers(count: number): CallInterceptor {
  let failed = 0;
  return (call) => {
    if (call.service !== 'rds' || call.command !== 'SwitchoverGlobalCluster' || failed >= count)
      return undefined;
    const e = SERVER_ERRORS[failed % SERVER_ERRORS.length] ?? SERVER_ERRORS[0];
    failed += 1;
    return serviceError(RDSServiceException, e.name, e.message, e.status);
  };
}

/**
 * The first switchover AWS accepts loses its response: the operation runs, and the caller waits
 * `seconds` and then sees the SDK's socket timeout (`TimeoutError`), as a request does whose answer
 * never arrives. The caller cannot tell it from a request that never arrived.
 */
export function loseFirstSwitchoverResponse(seconds: number): ResponseInterceptor {
  let lost = false;
  return (call) => {
    if (lost || call.service !== 'rds' || call.command !== 'SwitchoverGlobalCluster') return undefined;
    lost = true;
    const error = Object.assign(
      new Error(
        `@smithy/node-http-handler - the request socket timed out after ${seconds * 1000} ms of inactivity (configured by client requestHandler).`,
      ),
      { name: 'TimeoutError', $metadata: {} },
    );
    return { error, afterSeconds: seconds };
  };
}

/**
 * DescribeGlobalClusters keeps reporting `Status: failing-over` after a failover while the old
 * primary's region is down: AWS re-adds the old primary only once that region is healthy again and
 * does not document the status meanwhile, so the drill takes the worst case. The members are as
 * AWS left them (the target is the writer); `FailoverState` is empty, the operation being over.
 */
export function stickGlobalStatus(): ResponseInterceptor {
  return (call, world, output) => {
    if (call.service !== 'rds' || call.command !== 'DescribeGlobalClusters') return undefined;
    const last = world.rds.operations[world.rds.operations.length - 1];
    if (last?.kind !== 'failover' || last.completedAt === undefined) return undefined;
    if (!world.outages.regionDown(world.regionOf(last.fromRole), world.clock.now())) return undefined;
    const clusters = (output.GlobalClusters ?? []) as GlobalCluster[];
    return {
      output: { ...output, GlobalClusters: clusters.map((g) => ({ ...g, Status: 'failing-over' })) },
    };
  };
}

/** The first switchover or failover takes `seconds` instead of the timing model's duration. */
export function overrunFirstPromotion(seconds: number): OperationDurationInterceptor {
  return (_kind, modeled, index) => (index === 0 ? Math.max(modeled, seconds) : undefined);
}

/** The source region is unreachable from 3 minutes before the trigger, unless a fault already set an outage. */
export function takeSourceRegionDown(world: World): void {
  const region = world.regionOf(world.sourceRole);
  if (!world.outages.regions.has(region)) world.outages.regions.set(region, { from: -180 });
}
