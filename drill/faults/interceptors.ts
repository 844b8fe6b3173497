import {
  InsufficientDBInstanceCapacityFault,
  InvalidGlobalClusterStateFault,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import type { RegionRole } from '../../infra/config/schema';
import { modeledError, serviceError } from '../sim/aws-errors';
import type { SimCall } from '../sim/calls';
import type { TaskStartInterceptor } from '../sim/ecs/ecs';
import type { CallInterceptor } from '../sim/world';

/** The interceptors the drill's faults install: functions over calls (and task starts), never model flags. */

/**
 * One burst per Task state and execution: the first `burst` RDS calls each state makes answer
 * Throttling (HTTP 400). Step Functions counts retries per state, so a state meets the burst with its
 * whole retry budget; calls outside a state (none in a drill) are never throttled.
 */
export function throttleRdsInBursts(burst: number): CallInterceptor {
  const seen = new Map<string, number>();
  return (call) => {
    if (call.service !== 'rds' || call.execution === undefined || call.state === undefined) return undefined;
    const key = `${call.execution}|${call.state}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n <= burst ? serviceError(RDSServiceException, 'Throttling', 'Rate exceeded', 400) : undefined;
  };
}

/**
 * Every RDS call to `region` is denied (an SCP or the role's policy leaves that region out): RDS's
 * documented AccessDeniedException (Common Errors, HTTP 400). The region answers; it says no.
 */
export function denyRdsIn(region: string): CallInterceptor {
  return (call) =>
    call.service === 'rds' && call.region === region
      ? serviceError(
          RDSServiceException,
          'AccessDeniedException',
          `The orchestrator's role is not authorized to perform rds:${call.command} in ${region} (explicit deny)`,
          400,
        )
      : undefined;
}

/** CreateDBInstance in `region` fails: no capacity for the requested class. */
export function refuseInstanceCreation(region: string): CallInterceptor {
  return (call) =>
    call.service === 'rds' && call.command === 'CreateDBInstance' && call.region === region
      ? modeledError(
          InsufficientDBInstanceCapacityFault,
          `Cannot create a database instance because there is no capacity for the requested class in ${region}.`,
        )
      : undefined;
}

/**
 * Refuse a planned promotion: SwitchoverGlobalCluster, and FailoverGlobalCluster without
 * AllowDataLoss (which is a switchover); with `allowDataLoss`, every promotion.
 */
export function refusePromotion(
  message: string,
  options: { readonly allowDataLoss: boolean },
): CallInterceptor {
  const refused = (call: SimCall) => {
    if (call.service !== 'rds') return false;
    if (call.command === 'SwitchoverGlobalCluster') return true;
    if (call.command !== 'FailoverGlobalCluster') return false;
    return options.allowDataLoss || (call.input as { AllowDataLoss?: boolean }).AllowDataLoss !== true;
  };
  return (call) => (refused(call) ? modeledError(InvalidGlobalClusterStateFault, message) : undefined);
}

/** Tasks of `role`'s service start but fail their container health checks. */
export function failHealthChecks(role: RegionRole): TaskStartInterceptor {
  return (service) => (service.role === role ? 'failed container health checks' : undefined);
}
