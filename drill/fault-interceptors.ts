import {
  InsufficientDBInstanceCapacityFault,
  InvalidGlobalClusterStateFault,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import { PriorRequestNotComplete } from '@aws-sdk/client-route-53';
import type { RegionRole } from '../infra/config/schema';
import { modeledError, serviceError } from './sim/aws-errors';
import type { CallInterceptor, SimCall } from './sim/calls';
import type { TaskStartInterceptor } from './sim/ecs';

/** The interceptors the drill's faults install: functions over calls (and task starts), never model flags. */

/** Between two bursts of throttled RDS calls, this many calls are answered. */
const CALLS_BETWEEN_BURSTS = 8;

/** Every RDS call, counted: the first `burst` of every `burst + 8` calls answer Throttling (HTTP 400). */
export function throttleRdsInBursts(burst: number): CallInterceptor {
  let n = 0;
  return (call) => {
    if (call.service !== 'rds') return undefined;
    n += 1;
    const inBurst = (n - 1) % (burst + CALLS_BETWEEN_BURSTS) < burst;
    return inBurst ? serviceError(RDSServiceException, 'Throttling', 'Rate exceeded', 400) : undefined;
  };
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

/** The first `count` ChangeResourceRecordSets answer PriorRequestNotComplete. */
export function refuseRecordChanges(count: number): CallInterceptor {
  let left = count;
  return (call) => {
    if (call.service !== 'route53' || call.command !== 'ChangeResourceRecordSets' || left === 0)
      return undefined;
    left -= 1;
    return modeledError(
      PriorRequestNotComplete,
      'The request was rejected because Route 53 was still processing a prior request.',
    );
  };
}

/** Tasks of `role`'s service start but fail their container health checks. */
export function failHealthChecks(role: RegionRole): TaskStartInterceptor {
  return (service) => (service.role === role ? 'failed container health checks' : undefined);
}
