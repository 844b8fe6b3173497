/**
 * Whether EC2 (for an Auto Scaling launch) or RDS (for a DB instance) has capacity of one instance
 * type or class in one Availability Zone right now. AWS has capacity unless a fault says otherwise:
 * the faults are {@link ZoneCapacityInterceptor}s, asked in order; every refusal is kept, so the
 * report can show what the region refused even when a fallback hid it from the caller.
 */

/** One question to the capacity of a zone. */
export interface ZoneCapacityRequest {
  readonly service: 'ec2' | 'rds';
  readonly region: string;
  readonly zone: string;
  /** An EC2 instance type (`t3.small`) or a DB instance class (`db.r6g.large`). */
  readonly instanceType: string;
  /** Simulated seconds. */
  readonly at: number;
  /** The `databases[]` entry an RDS request creates an instance for. */
  readonly database?: string;
}

/**
 * Why EC2 or RDS refuses: no capacity right now (`InsufficientInstanceCapacity`, RDS's
 * `InsufficientDBInstanceCapacity`), or the type is not offered in that zone at all (`Unsupported`).
 */
export type ZoneRefusal = 'InsufficientCapacity' | 'Unsupported';

/** A fault over a zone's capacity: the refusal, or undefined to leave the request to the next. */
export type ZoneCapacityInterceptor = (request: ZoneCapacityRequest) => ZoneRefusal | undefined;

/** A refusal as recorded: the request and why. */
export interface ZoneCapacityRecord extends ZoneCapacityRequest {
  readonly refusal: ZoneRefusal;
}

/** The capacity of every zone of both regions, as the faults shape it. */
export class ZoneCapacity {
  /** The faults, asked in order. */
  readonly interceptors: ZoneCapacityInterceptor[] = [];
  /** Every refusal, in time order. */
  readonly refusals: ZoneCapacityRecord[] = [];

  /** Why `request` is refused (recorded), or undefined when the zone has the capacity. */
  refusal(request: ZoneCapacityRequest): ZoneRefusal | undefined {
    for (const intercept of this.interceptors) {
      const refusal = intercept(request);
      if (refusal !== undefined) {
        this.refusals.push({ ...request, refusal });
        return refusal;
      }
    }
    return undefined;
  }
}
