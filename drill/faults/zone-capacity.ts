import { capacityInstanceTypes, promotionInstanceClass } from '../../infra/config/schema';
import type { World } from '../sim/world';
import { databaseAndClasses, entryOf, type FaultDefinition, promotedZones, typesAndZones } from './args';
import { zoneShortage } from './capacity';
import { type ThrottledService, throttleInBursts } from './interceptors';

/**
 * Faults over a crowded promoted region: zones short of EC2 instance types (the Auto Scaling group
 * falls back through its mixed-instances policy's types, then to other zones) or of DB instance
 * classes (RDS places the instance in a zone that has the class; scale-database falls back through
 * `fallbackInstanceClasses` when none has it), and a stampede of other tenants doing the same.
 */

/** How many of the promoted region's zones a stampede empties (the first ones, in config order). */
const STAMPEDE_ZONES = 2;
/**
 * Throttled calls per service, Task state and execution in a stampede. A state whose attempts each
 * meet one throttled call spends one TransientAwsError retry per call; 2 per service keeps the
 * states that call several services (the capacity step: SSM, Auto Scaling, ECS, ELB) within budget.
 */
const STAMPEDE_BURST = 2;
/** The services a stampede throttles: those every tenant failing over calls. */
const STAMPEDE_SERVICES: readonly ThrottledService[] = ['rds', 'ec2', 'autoscaling', 'ecs'];

/**
 * Each database's (or only `database`'s) promotion class is short in `zones` of the promoted region,
 * for that database.
 */
function promotionClassesOut(world: World, zones: readonly string[], database?: string): void {
  const region = world.regionOf(world.targetRole);
  for (const db of world.config.databases) {
    if (database !== undefined && db.name !== database) continue;
    world.capacity.interceptors.push(
      zoneShortage({
        service: 'rds',
        region,
        types: new Set([promotionInstanceClass(db, world.targetRole)]),
        zones: new Set(zones),
        database: db.name,
      }),
    );
  }
}

/** `types` of EC2 are short in `zones` of the promoted region. */
function instanceTypesOut(
  world: World,
  types: readonly string[],
  zones: readonly string[],
  minutes?: number,
): void {
  world.capacity.interceptors.push(
    zoneShortage({
      service: 'ec2',
      region: world.regionOf(world.targetRole),
      types: new Set(types),
      zones: new Set(zones),
      ...(minutes === undefined ? {} : { until: minutes * 60 }),
    }),
  );
}

/** The promoted region's first instance type (`regions.<role>.capacity.instanceType`). */
function firstInstanceType(world: World): string {
  return capacityInstanceTypes(world.config.regions[world.targetRole].capacity)[0] ?? '';
}

export const ZONE_CAPACITY_FAULTS = {
  'db-capacity': {
    summary:
      "RDS has no capacity for the classes listed in the promoted region's zones given (every zone by default), of the database named or every one (e.g. :db.r6g.large+db.r7g.large, :orders:db.r6g.xlarge, :db.r6g.large@us-west-2a); by default each database's promotion class. CreateDBInstance names no zone, so RDS places the instance in a zone that has the class and a class out in some zones only narrows its choice (the report shows the refusals); out in every zone, it fails with InsufficientDBInstanceCapacityFault and scale-database falls back to the database's next fallbackInstanceClasses, and fails when none is left",
    argument: {
      meaning: 'classes',
      default: "each database's promotion class, every zone",
      kind: 'database-classes',
      entry: 'database',
    },
    apply(world, _effects, argument) {
      const region = world.regionOf(world.targetRole);
      const parsed = argument === undefined ? { classes: [] } : databaseAndClasses('db-capacity', argument);
      const zones = promotedZones(world, 'db-capacity', argument ?? '', parsed.zones);
      const database =
        parsed.name === undefined
          ? undefined
          : entryOf(world, 'db-capacity', argument ?? '', 'database', parsed.name);
      if (parsed.classes.length === 0) {
        promotionClassesOut(world, zones, database);
        return;
      }
      world.capacity.interceptors.push(
        zoneShortage({
          service: 'rds',
          region,
          types: new Set(parsed.classes),
          zones: new Set(zones),
          ...(database === undefined ? {} : { database }),
        }),
      );
    },
  },
  'ec2-capacity': {
    summary:
      "EC2 refuses launches of the instance types listed in the promoted region's zones given with InsufficientInstanceCapacity (e.g. :t3.small+t3a.small@us-west-2a+us-west-2b; by default its first instance type in every zone): the Auto Scaling group launches its next fallbackInstanceTypes in the zone, or fails the activity and retries in the other zones; with every type out everywhere the service step never gets its capacity and fails at its budget. ~<minutes> ends the shortage that many minutes into the drill (e.g. :t3.small+t3a.small+t3.medium~12)",
    argument: {
      meaning: 'instance types',
      default: "the promoted region's first instance type, every zone",
      kind: 'types-zones',
    },
    apply(world, _effects, argument) {
      const parsed = argument === undefined ? { types: [] } : typesAndZones('ec2-capacity', argument);
      const zones = promotedZones(world, 'ec2-capacity', argument ?? '', parsed.zones);
      const types = parsed.types.length === 0 ? [firstInstanceType(world)] : parsed.types;
      instanceTypesOut(world, types, zones, parsed.minutes);
    },
  },
  stampede: {
    summary: `every tenant fails over into the promoted region at once: its first instance type and each database's promotion class are out in its first ${STAMPEDE_ZONES} zones, and the first ${STAMPEDE_BURST} calls to each of ${STAMPEDE_SERVICES.join(', ')} of every Task state in every execution answer that service's throttling error (RDS Throttling, EC2 RequestLimitExceeded, Auto Scaling Throttling, ECS ThrottlingException), retried as TransientAwsError`,
    apply(world) {
      const zones = world.config.regions[world.targetRole].availabilityZones.slice(0, STAMPEDE_ZONES);
      instanceTypesOut(world, [firstInstanceType(world)], zones);
      promotionClassesOut(world, zones);
      world.interceptors.push(
        throttleInBursts(STAMPEDE_BURST, STAMPEDE_SERVICES, world.regionOf(world.targetRole)),
      );
    },
  },
} satisfies Record<string, FaultDefinition>;
