import type { GlobalCluster } from '@aws-sdk/client-rds';
import { RDSServiceException } from '@aws-sdk/client-rds';
import { serviceError } from '../sim/aws-errors';
import type { OperationDurationInterceptor } from '../sim/rds/aurora';
import type { CallInterceptor, ResponseInterceptor, World } from '../sim/world';
import { actsOn } from './interceptors';

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

/**
 * The first `count` SwitchoverGlobalCluster calls (of `database`'s global cluster, or of any) fail
 * with InternalFailure / ServiceUnavailable; nothing starts.
 */
export function failSwitchovers(count: number, database?: string): CallInterceptor {
  let failed = 0;
  return (call, world) => {
    if (call.service !== 'rds' || call.command !== 'SwitchoverGlobalCluster' || failed >= count)
      return undefined;
    if (!actsOn(world, call, database)) return undefined;
    const e = SERVER_ERRORS[failed % SERVER_ERRORS.length] ?? SERVER_ERRORS[0];
    failed += 1;
    return serviceError(RDSServiceException, e.name, e.message, e.status);
  };
}

/**
 * The first switchover AWS accepts (of `database`'s global cluster, or of any) loses its response:
 * the operation runs, and the caller waits `seconds` and then sees the SDK's socket timeout
 * (`TimeoutError`), as a request does whose answer never arrives. The caller cannot tell it from a
 * request that never arrived.
 */
export function loseFirstSwitchoverResponse(seconds: number, database?: string): ResponseInterceptor {
  let lost = false;
  return (call, world) => {
    if (lost || call.service !== 'rds' || call.command !== 'SwitchoverGlobalCluster') return undefined;
    if (!actsOn(world, call, database)) return undefined;
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
 * DescribeGlobalClusters keeps reporting `Status: failing-over` after a failover (of every global
 * database, or of `database`) while the old primary's region is down: AWS re-adds the old primary
 * only once that region is healthy again and does not document the status meanwhile, so the drill
 * takes the worst case. The members are as AWS left them (the target is the writer);
 * `FailoverState` is empty, the operation being over.
 */
export function stickGlobalStatus(database?: string): ResponseInterceptor {
  /** Whether `g`'s last operation is a completed failover whose old primary's region is down. */
  const stuck = (world: World, g: GlobalCluster): boolean => {
    const db = world.rds.findGlobal(g.GlobalClusterIdentifier);
    if (db === undefined || (database !== undefined && db.name !== database)) return false;
    const ops = db.operations();
    const last = ops[ops.length - 1];
    if (last?.kind !== 'failover' || last.completedAt === undefined) return false;
    return world.outages.regionDown(world.regionOf(last.fromRole), world.clock.now());
  };
  return (call, world, output) => {
    if (call.service !== 'rds' || call.command !== 'DescribeGlobalClusters') return undefined;
    const clusters = (output.GlobalClusters ?? []) as GlobalCluster[];
    if (!clusters.some((g) => stuck(world, g))) return undefined;
    return {
      output: {
        ...output,
        GlobalClusters: clusters.map((g) => (stuck(world, g) ? { ...g, Status: 'failing-over' } : g)),
      },
    };
  };
}

/**
 * The first switchover or failover of each global database (or of `database`) takes `seconds`
 * instead of the timing model's duration.
 */
export function overrunFirstPromotion(seconds: number, database?: string): OperationDurationInterceptor {
  return (_kind, modeled, index, db) =>
    index === 0 && (database === undefined || db === database) ? Math.max(modeled, seconds) : undefined;
}

/** The source region is unreachable from 3 minutes before the trigger, unless a fault already set an outage. */
export function takeSourceRegionDown(world: World): void {
  const region = world.regionOf(world.sourceRole);
  if (!world.outages.regions.has(region)) world.outages.regions.set(region, { from: -180 });
}
