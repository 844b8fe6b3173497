import { REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import type { SimAsg } from '../sim/autoscaling/autoscaling';
import type { ZoneCapacityRecord, ZoneRefusal } from '../sim/capacity';
import type { World } from '../sim/world';

/**
 * What capacity each region found during the drill: the launches EC2 refused (by type and zone),
 * the instances the group launched and which of them are fallbacks, the reservations used, the DB
 * instance classes RDS refused and where it placed the instances it created, and what the
 * shortfall cost: when the last instance the promotion needed went InService, against when it
 * would have with no refusal. Times are seconds since `origin` (the first trigger).
 */

/** Refusals of one type (or class) in one zone, grouped. */
export interface ZoneRefusals {
  readonly instanceType: string;
  readonly zone: string;
  readonly refusal: ZoneRefusal;
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

/** Instances of one type the group launched during the drill. */
export interface LaunchedType {
  readonly instanceType: string;
  readonly count: number;
  /** Not the group's first type: the mixed-instances policy fell back to it. */
  readonly fallback: boolean;
  /** How many of them run in a capacity reservation. */
  readonly reserved: number;
  /** Their zones, in launch order. */
  readonly zones: readonly string[];
}

/** One capacity reservation at the end of the drill. */
export interface ReservationUse {
  readonly id: string;
  readonly zone: string;
  readonly instanceType: string;
  readonly state: string;
  readonly total: number;
  readonly used: number;
}

/** When the group reached the capacity the drill asked of it, against a launch EC2 never refused. */
export interface Shortfall {
  /** The desired capacity the drill's first raise asked for. */
  readonly desired: number;
  /** When the last of those instances went InService; absent when the group never got them. */
  readonly reachedAt?: number;
  /** When it would have with every launch accepted at the raise. */
  readonly unrefusedAt: number;
  /** `reachedAt - unrefusedAt` (absent with `reachedAt`). */
  readonly costSeconds?: number;
}

/** One region's Auto Scaling group's capacity story. */
export interface AsgCapacity {
  readonly name: string;
  /** Its types in priority order (the first is the launch template's). */
  readonly instanceTypes: readonly string[];
  readonly refused: readonly ZoneRefusals[];
  /** Scaling activities that failed (every type refused in the zone tried). */
  readonly failedActivities: number;
  readonly launched: readonly LaunchedType[];
  readonly reservations: readonly ReservationUse[];
  /** Absent when the drill did not raise the group. */
  readonly shortfall?: Shortfall;
}

/** One database's DB instance capacity in one region. */
export interface DatabaseCapacity {
  readonly database: string;
  /** Classes RDS had none of, by zone (a placement that found another zone, or a refusal). */
  readonly refused: readonly ZoneRefusals[];
  /** CreateDBInstance calls refused with InsufficientDBInstanceCapacity, by class. */
  readonly refusedCreates: readonly { readonly instanceClass: string; readonly count: number }[];
  /** The instances the drill created, where RDS placed them. */
  readonly placed: readonly { readonly id: string; readonly instanceClass: string; readonly zone: string }[];
}

/** One region's capacity during the drill. */
export interface RegionCapacity {
  readonly role: RegionRole;
  readonly region: string;
  readonly asg?: AsgCapacity;
  /** Only databases with a refusal or a created instance in this region. */
  readonly databases: readonly DatabaseCapacity[];
}

/** The refusals of `records` grouped by type and zone, in first-seen order. */
function grouped(records: readonly ZoneCapacityRecord[], origin: number): ZoneRefusals[] {
  const out = new Map<string, { -readonly [K in keyof ZoneRefusals]: ZoneRefusals[K] }>();
  for (const r of records) {
    const key = `${r.instanceType}|${r.zone}|${r.refusal}`;
    const g = out.get(key);
    if (g === undefined) {
      out.set(key, {
        instanceType: r.instanceType,
        zone: r.zone,
        refusal: r.refusal,
        count: 1,
        first: r.at - origin,
        last: r.at - origin,
      });
    } else {
      g.count += 1;
      g.last = r.at - origin;
    }
  }
  return [...out.values()];
}

/** The group's shortfall: the first raise of the drill, and when its instances went InService. */
function shortfallOf(world: World, asg: SimAsg, origin: number): Shortfall | undefined {
  const raise = asg.updates.find((u) => u.desired > u.previousDesired);
  if (raise === undefined) return undefined;
  const needed = raise.desired - asg.instances.filter((i) => i.launchedAt < raise.at).length;
  const unrefusedAt = raise.at + world.timings.asgInstanceLaunchSeconds - origin;
  const inService = asg.instances
    .filter((i) => i.launchedAt >= raise.at && i.inServiceAt !== undefined)
    .map((i) => i.inServiceAt ?? 0)
    .sort((a, b) => a - b);
  const last = needed <= 0 ? raise.at : inService[needed - 1];
  if (last === undefined) return { desired: raise.desired, unrefusedAt };
  const reachedAt = Math.max(last, raise.at) - origin;
  return {
    desired: raise.desired,
    reachedAt,
    unrefusedAt: needed <= 0 ? reachedAt : unrefusedAt,
    costSeconds: needed <= 0 ? 0 : reachedAt - unrefusedAt,
  };
}

function asgCapacity(world: World, asg: SimAsg, origin: number): AsgCapacity {
  const first = asg.instanceTypes[0];
  const launched = new Map<string, { count: number; reserved: number; zones: string[] }>();
  for (const i of asg.instances.filter((x) => x.launchedAt >= 0)) {
    const l = launched.get(i.instanceType) ?? { count: 0, reserved: 0, zones: [] };
    l.count += 1;
    if (i.reservationId !== undefined) l.reserved += 1;
    l.zones.push(i.az);
    launched.set(i.instanceType, l);
  }
  const shortfall = shortfallOf(world, asg, origin);
  return {
    name: asg.name,
    instanceTypes: asg.instanceTypes,
    refused: grouped(
      world.capacity.refusals.filter((r) => r.service === 'ec2' && r.region === asg.region),
      origin,
    ),
    failedActivities: asg.activities.filter((a) => a.status === 'Failed').length,
    launched: [...launched].map(([instanceType, l]) => ({
      instanceType,
      count: l.count,
      fallback: instanceType !== first,
      reserved: l.reserved,
      zones: l.zones,
    })),
    reservations: world.reservations.inRegion(asg.region).map((r) => ({
      id: r.id,
      zone: r.zone,
      instanceType: r.instanceType,
      state: r.state,
      total: r.total,
      used: r.instances.length,
    })),
    ...(shortfall === undefined ? {} : { shortfall }),
  };
}

function databaseCapacity(
  world: World,
  role: RegionRole,
  region: string,
  database: string,
  origin: number,
): DatabaseCapacity {
  const db = world.rds.database(database);
  const cluster = db.clusters.get(role);
  const refusedCreates = new Map<string, number>();
  for (const c of world.calls) {
    if (c.command !== 'CreateDBInstance' || c.region !== region) continue;
    if (c.error !== 'InsufficientDBInstanceCapacityFault') continue;
    const input = c.input as { readonly DBClusterIdentifier?: string; readonly DBInstanceClass?: string };
    if (input.DBClusterIdentifier !== cluster?.id) continue;
    const cls = input.DBInstanceClass ?? '?';
    refusedCreates.set(cls, (refusedCreates.get(cls) ?? 0) + 1);
  }
  return {
    database,
    refused: grouped(
      world.capacity.refusals.filter(
        (r) => r.service === 'rds' && r.region === region && r.database === database,
      ),
      origin,
    ),
    refusedCreates: [...refusedCreates].map(([instanceClass, count]) => ({ instanceClass, count })),
    placed: db
      .clusterInstances(role)
      .filter((i) => !i.seeded)
      .map((i) => ({ id: i.id, instanceClass: i.instanceClass, zone: i.availabilityZone })),
  };
}

/** Each region's capacity during the drill, times from `origin`. */
export function capacityOf(world: World, origin: number): RegionCapacity[] {
  return REGION_ROLES.map((role) => {
    const region = world.regionOf(role);
    const asg = world.autoscaling.ofRole(role);
    const databases = world.config.databases
      .map((d) => databaseCapacity(world, role, region, d.name, origin))
      .filter((d) => d.refused.length > 0 || d.refusedCreates.length > 0 || d.placed.length > 0);
    return {
      role,
      region,
      ...(asg === undefined ? {} : { asg: asgCapacity(world, asg, origin) }),
      databases,
    };
  });
}
