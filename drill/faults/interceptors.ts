import { AutoScalingServiceException } from '@aws-sdk/client-auto-scaling';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { ECSServiceException } from '@aws-sdk/client-ecs';
import {
  InsufficientDBInstanceCapacityFault,
  InvalidGlobalClusterStateFault,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import type { RegionRole } from '../../infra/config/schema';
import { modeledError, serviceError } from '../sim/aws-errors';
import type { ServiceName, SimCall } from '../sim/calls';
import type { TaskStartInterceptor } from '../sim/ecs/ecs';
import type { CallInterceptor, World } from '../sim/world';

/** The interceptors the drill's faults install: functions over calls (and task starts), never model flags. */

/**
 * The `databases[]` entry an RDS call acts on, where it names one: a promotion's global cluster,
 * CreateDBInstance's or DescribeDBClusters' cluster.
 */
export function databaseOfCall(world: World, call: SimCall): string | undefined {
  const input = call.input as {
    readonly GlobalClusterIdentifier?: string;
    readonly DBClusterIdentifier?: string;
  };
  if (input.GlobalClusterIdentifier !== undefined) {
    return world.rds.findGlobal(input.GlobalClusterIdentifier)?.name;
  }
  if (input.DBClusterIdentifier !== undefined) {
    return world.rds.findCluster(call.region, input.DBClusterIdentifier)?.database;
  }
  return undefined;
}

/** Whether `call` acts on `database` (every call does when it is undefined: a fault over all). */
export function actsOn(world: World, call: SimCall, database: string | undefined): boolean {
  return database === undefined || databaseOfCall(world, call) === database;
}

/** The services whose throttling the drill models, each with its documented error. */
export const THROTTLING_ERRORS = {
  // RDS API reference, Common Errors: Throttling, HTTP 400.
  rds: () => serviceError(RDSServiceException, 'Throttling', 'Rate exceeded', 400),
  // EC2 API reference, Error codes: RequestLimitExceeded, a server error (HTTP 503).
  ec2: () => serviceError(EC2ServiceException, 'RequestLimitExceeded', 'Request limit exceeded.', 503),
  // Auto Scaling API reference, Common Errors (Query API): Throttling, HTTP 400.
  autoscaling: () => serviceError(AutoScalingServiceException, 'Throttling', 'Rate exceeded', 400),
  // ECS API reference, request throttling: ThrottlingException, HTTP 400.
  ecs: () => serviceError(ECSServiceException, 'ThrottlingException', 'Rate exceeded', 400),
} as const satisfies Partial<Record<ServiceName, () => Error>>;

/** A service {@link throttleInBursts} can throttle. */
export type ThrottledService = keyof typeof THROTTLING_ERRORS;

/**
 * One burst per Task state, execution and service: the first `burst` calls each state makes to
 * each of `services` (in `region`, or anywhere) answer that service's throttling error. Step
 * Functions counts retries per state, so a state meets the bursts with its whole retry budget;
 * calls outside a state (none in a drill) are never throttled.
 */
export function throttleInBursts(
  burst: number,
  services: readonly ThrottledService[],
  region?: string,
): CallInterceptor {
  const seen = new Map<string, number>();
  return (call) => {
    if (call.execution === undefined || call.state === undefined) return undefined;
    if (region !== undefined && call.region !== region) return undefined;
    const service = services.find((s) => s === call.service);
    if (service === undefined) return undefined;
    const key = `${call.execution}|${call.state}|${service}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n <= burst ? THROTTLING_ERRORS[service]() : undefined;
  };
}

/**
 * One burst per Task state and execution: the first `burst` RDS calls each state makes answer
 * Throttling (HTTP 400), in every region.
 */
export function throttleRdsInBursts(burst: number): CallInterceptor {
  return throttleInBursts(burst, ['rds']);
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

/**
 * CreateDBInstance in `region` (of `database`'s cluster, or any; of the `classes` given, or any)
 * fails as RDS says it has no capacity for the class (InsufficientDBInstanceCapacity, in every zone:
 * the call names none, so RDS picks one and finds nothing there).
 */
export function refuseInstanceCreation(
  region: string,
  database?: string,
  classes?: ReadonlySet<string>,
): CallInterceptor {
  return (call, world) => {
    if (call.service !== 'rds' || call.command !== 'CreateDBInstance' || call.region !== region)
      return undefined;
    if (!actsOn(world, call, database)) return undefined;
    const requested = (call.input as { readonly DBInstanceClass?: string }).DBInstanceClass ?? '';
    if (classes !== undefined && !classes.has(requested)) return undefined;
    return modeledError(
      InsufficientDBInstanceCapacityFault,
      `Cannot create a database instance because there is not enough capacity in the Availability Zone for the requested instance class ${requested} in ${region}. Try a different instance class, or try again later.`,
    );
  };
}

/**
 * Refuse a planned promotion: SwitchoverGlobalCluster, and FailoverGlobalCluster without
 * AllowDataLoss (which is a switchover); with `allowDataLoss`, every promotion. With `database`,
 * only that global database's; `message` says it of the global cluster the call names.
 */
export function refusePromotion(
  message: (globalCluster: string) => string,
  options: { readonly allowDataLoss: boolean; readonly database?: string },
): CallInterceptor {
  const refused = (call: SimCall, world: World) => {
    if (call.service !== 'rds' || !actsOn(world, call, options.database)) return false;
    if (call.command === 'SwitchoverGlobalCluster') return true;
    if (call.command !== 'FailoverGlobalCluster') return false;
    return options.allowDataLoss || (call.input as { AllowDataLoss?: boolean }).AllowDataLoss !== true;
  };
  return (call, world) => {
    if (!refused(call, world)) return undefined;
    const id = (call.input as { GlobalClusterIdentifier?: string }).GlobalClusterIdentifier ?? '';
    return modeledError(InvalidGlobalClusterStateFault, message(id));
  };
}

/** Tasks of `role`'s services (or only `service`'s) start but fail their container health checks. */
export function failHealthChecks(role: RegionRole, service?: string): TaskStartInterceptor {
  return (svc) =>
    svc.role === role && (service === undefined || svc.entry === service)
      ? 'failed container health checks'
      : undefined;
}
