import type { RegionRole } from '../../infra/config/schema';
import type { GlobalDatabase } from '../sim/rds/aurora';
import type { World } from '../sim/world';

/**
 * Where each resource of the application (`databases[]`, `services[]`) stood in a region at a given
 * instant of the drill, read from the history the simulated world keeps (operations, instances,
 * targets registered and deregistered): what the invariants judge traffic against, and what the
 * lower bound counts as already done.
 */

/** Whether `db` wrote in `role` at `t`: its last switchover or failover completed by then went there. */
export function writesIn(db: GlobalDatabase, role: RegionRole, t: number): boolean {
  const ops = db.operations();
  const done = ops.filter((o) => o.completedAt !== undefined && o.completedAt <= t);
  const last = done[done.length - 1];
  // No operation completed by then: it writes where it was deployed to.
  if (last === undefined) return writerAtSeed(db) === role;
  return last.toRole === role;
}

/** Where `db` wrote before the drill changed anything: its first operation's source, else its writer. */
function writerAtSeed(db: GlobalDatabase): RegionRole {
  return db.operations()[0]?.fromRole ?? db.global.writerRole;
}

/** Whether `role`'s cluster of `db` had its promotion's instances available at `t`. */
export function instancesReadyAt(w: World, db: GlobalDatabase, role: RegionRole, t: number): boolean {
  const want = w.config.databases.find((d) => d.name === db.name)?.regions[role].promotion.instances ?? 1;
  const available = db
    .clusterInstances(role)
    .filter((i) => i.status === 'available' && (i.availableAt ?? Number.POSITIVE_INFINITY) <= t);
  return available.length >= want;
}

/**
 * Whether `role`'s service of entry `name` was serving at `t`: as many healthy targets as its
 * promotion's desired count (a service no load balancer routes to: stable with that many running).
 */
export function servingAt(w: World, role: RegionRole, name: string, t: number): boolean {
  const svc = w.ecs.service(role, name);
  if (svc === undefined) return false;
  const want = w.config.services.find((s) => s.name === name)?.regions[role].promotion.desiredCount ?? 1;
  const group = w.elb.groupOf(role, name);
  if (group !== undefined) return w.elb.healthyCount(group, t) >= want;
  return svc.stableSince !== undefined && svc.stableSince <= t && svc.desired >= want;
}

/**
 * The resources not ready in the target region at `t`: databases not yet writing there, services
 * not yet serving there (`database orders not promoted`, `service api not serving`).
 */
export function notReadyAt(w: World, t: number): string[] {
  const target = w.targetRole;
  return [
    ...w.rds.databases
      .filter((db) => !writesIn(db, target, t))
      .map((db) => `database ${db.name} not promoted`),
    ...w.config.services
      .filter((s) => !servingAt(w, target, s.name, t))
      .map((s) => `service ${s.name} not serving`),
  ];
}
