import { promotionInstanceClass, REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import { AnalysisError } from '../errors';
import type { GlobalDatabase } from '../sim/rds/aurora';
import { describeCluster, describeGlobal } from '../sim/rds/describe';
import type { World } from '../sim/world';
import type { PromotionMode } from './critical-path';

/**
 * The state a drill left AWS in, read from the simulated world when the last execution ended:
 * where each global database writes, what each service runs in each region, where each application
 * hostname resolves, what is still running. When a database was promoted and traffic was not moved,
 * this is what an operator must act on.
 */

/** One region's side of the state: its one Auto Scaling group, every service's capacity. */
export interface RegionState {
  readonly role: RegionRole;
  readonly region: string;
  readonly asg?: { readonly desired: number; readonly inService: number; readonly registered: number };
}

/** One region's member cluster of a global database. */
export interface DatabaseMemberState {
  readonly role: RegionRole;
  readonly region: string;
  readonly cluster: string;
  /** The global cluster lists this cluster as its writer (DescribeGlobalClusters). */
  readonly globalWriter: boolean;
  /** The cluster's writer instance (DescribeDBClusters), if it has one. */
  readonly writerInstance?: string;
  readonly instances: { readonly available: number; readonly creating: number };
  /**
   * The instances the drill created in this cluster, with their classes, in creation order; absent
   * when it created none. `fallback`: not the promotion's class (RDS refused it for capacity and
   * scale-database used one of `fallbackInstanceClasses`).
   */
  readonly created?: readonly {
    readonly id: string;
    readonly instanceClass: string;
    readonly fallback: boolean;
  }[];
}

/** One global database (`databases[]`) when the drill ended. */
export interface DatabaseState {
  /** The entry's `name`. */
  readonly name: string;
  readonly globalCluster: string;
  /** The region whose member the global cluster lists as writer (absent: none, or more than one). */
  readonly writerRole?: RegionRole;
  readonly writerRegion?: string;
  readonly members: readonly DatabaseMemberState[];
  /**
   * The last switchover (`planned`) or failover (`unplanned`) the drill ran on it that completed,
   * and the seconds of writes it lost; absent when none did.
   */
  readonly modeUsed?: PromotionMode;
  readonly lostWritesSeconds?: number;
}

/** One region's ECS service of one `services[]` entry. */
export interface ServiceRegionState {
  readonly role: RegionRole;
  readonly region: string;
  readonly service: string;
  readonly desired: number;
  readonly running: number;
  /** Healthy targets in its target group; absent when no load balancer rule routes to it. */
  readonly healthy?: number;
  readonly stable: boolean;
}

/** One service (`services[]`) in both regions when the drill ended. */
export interface ServiceState {
  /** The entry's `name`. */
  readonly name: string;
  /** The hostnames (`dns.records`) routed to it. */
  readonly hostnames: readonly string[];
  readonly regions: readonly ServiceRegionState[];
}

/** Where one application hostname resolves. */
export interface DnsState {
  readonly record: string;
  readonly target: string;
  readonly role?: RegionRole;
  readonly region?: string;
}

/** The state left, and what to do about it. */
export interface StateLeft {
  readonly regions: readonly RegionState[];
  /** Where every global database writes, when they all write in one region. */
  readonly writerRole?: RegionRole;
  /** Each global database, in `databases[]` order. */
  readonly databases: readonly DatabaseState[];
  /** Each service, in `services[]` order. */
  readonly services: readonly ServiceState[];
  /** Where the first hostname resolves (the regional records are named after it). */
  readonly dns: DnsState;
  /**
   * Every hostname's answer in config order, when the config lists more than one: with one, `dns`
   * says it all and report.json keeps the shape it had before there could be several.
   */
  readonly hostnames?: readonly DnsState[];
  /** AWS operations still running when the drill ended. */
  readonly inFlight: readonly string[];
  /**
   * A database (some or every one) writes in the promoted region but traffic (some hostname's
   * answer) goes elsewhere.
   */
  readonly split: boolean;
  /** A promotion to the promoted region is still running and traffic is elsewhere: it will be split. */
  readonly splitPending: boolean;
  /** The one command that finishes the job (when split or about to be). */
  readonly finishCommand?: string;
  /** What is where, in one line (without the command or what is still running). */
  readonly summary: string;
}

/** What finishing a run needs beyond the world: the config file's name and the mode the run used. */
export interface FinishContext {
  /** `project-config/<configName>.yml`: what the failover CLI's `--project` takes. */
  readonly configName: string;
  readonly mode: PromotionMode;
  /** Simulated second the drill ended at. */
  readonly endedAt: number;
}

/** The failover CLI command that promotes `role` and follows it (a rerun skips what is done). */
export function finishCommand(configName: string, role: RegionRole, mode: PromotionMode): string {
  return `npm run failover -- --project ${configName} --region ${role} --mode ${mode} --follow`;
}

function regionState(w: World, role: RegionRole): RegionState {
  const asg = w.autoscaling.ofRole(role);
  return {
    role,
    region: w.regionOf(role),
    ...(asg === undefined
      ? {}
      : {
          asg: {
            desired: asg.desired,
            inService: asg.instances.filter((i) => i.state === 'InService').length,
            registered: asg.instances.filter((i) => i.registeredAt !== undefined).length,
          },
        }),
  };
}

function databaseState(w: World, db: GlobalDatabase): DatabaseState {
  const writerArns = new Set(
    (describeGlobal(w, db).GlobalClusterMembers ?? [])
      .filter((m) => m.IsWriter === true)
      .map((m) => m.DBClusterArn ?? ''),
  );
  const members = REGION_ROLES.flatMap((role): DatabaseMemberState[] => {
    const cluster = db.clusters.get(role);
    if (cluster === undefined) return [];
    const writerInstance = describeCluster(w, cluster).DBClusterMembers?.find(
      (m) => m.IsClusterWriter === true,
    )?.DBInstanceIdentifier;
    const instances = db.clusterInstances(role);
    const entry = w.config.databases.find((d) => d.name === db.name);
    const first = entry === undefined ? undefined : promotionInstanceClass(entry, role);
    const created = instances
      .filter((i) => !i.seeded)
      .map((i) => ({
        id: i.id,
        instanceClass: i.instanceClass,
        fallback: first !== undefined && i.instanceClass !== first,
      }));
    return [
      {
        role,
        region: w.regionOf(role),
        cluster: cluster.id,
        globalWriter: writerArns.has(cluster.arn),
        ...(writerInstance === undefined ? {} : { writerInstance }),
        instances: {
          available: instances.filter((i) => i.status === 'available').length,
          creating: instances.filter((i) => i.status === 'creating').length,
        },
        ...(created.length === 0 ? {} : { created }),
      },
    ];
  });
  const writers = members.filter((m) => m.globalWriter);
  const writer = writers.length === 1 ? writers[0] : undefined;
  const last = db
    .operations()
    .filter((o) => o.completedAt !== undefined)
    .pop();
  return {
    name: db.name,
    globalCluster: db.global.id,
    ...(writer === undefined ? {} : { writerRole: writer.role, writerRegion: writer.region }),
    members,
    ...(last === undefined
      ? {}
      : {
          modeUsed: last.kind === 'switchover' ? 'planned' : 'unplanned',
          lostWritesSeconds: last.lostWritesSeconds ?? 0,
        }),
  };
}

function serviceState(w: World, name: string): ServiceState {
  const regions = REGION_ROLES.flatMap((role): ServiceRegionState[] => {
    const svc = w.ecs.service(role, name);
    if (svc === undefined) return [];
    const group = w.elb.groupOf(role, name);
    return [
      {
        role,
        region: w.regionOf(role),
        service: svc.name,
        desired: svc.desired,
        running: svc.tasks.filter((t) => t.state === 'RUNNING').length,
        ...(group === undefined ? {} : { healthy: w.elb.healthyCount(group) }),
        stable: svc.stableSince !== undefined,
      },
    ];
  });
  const hostnames = w.config.dns.records.filter((r) => r.service === name).map((r) => r.recordName);
  return { name, hostnames, regions };
}

/** AWS work still running at `endedAt`, one line each. */
function inFlightAt(w: World, endedAt: number): string[] {
  const lines: string[] = [];
  const several = w.rds.databases.length > 1;
  for (const db of w.rds.databases) {
    const op = db.global.operation;
    if (op === undefined) continue;
    // With one database the line reads as it did before there could be several.
    const which = several ? `global database ${db.name} (${db.global.id})` : 'global database';
    lines.push(
      `${which} ${op.kind} to ${w.regionOf(op.toRole)} (${op.toRole}) running since ${op.startedAt.toFixed(1)} s`,
    );
  }
  for (const role of REGION_ROLES) {
    const region = w.regionOf(role);
    const creating = w.rds.databases.flatMap((db) =>
      db.clusterInstances(role).filter((x) => x.status === 'creating'),
    );
    for (const i of creating) {
      lines.push(`DB instance ${i.id} (${region}) creating since ${i.createdAt.toFixed(1)} s`);
    }
    const asg = w.autoscaling.ofRole(role);
    const launching = asg?.instances.filter((i) => i.state === 'Pending').length ?? 0;
    const unregistered = asg?.instances.filter(
      (i) => i.state === 'InService' && i.registeredAt === undefined,
    );
    if (asg !== undefined && launching + (unregistered?.length ?? 0) > 0) {
      lines.push(
        `Auto Scaling group ${asg.name} (${region}): ${launching} instance(s) launching, ${unregistered?.length ?? 0} not yet registered with ECS`,
      );
    }
    for (const svc of w.ecs.inRegion(role)) {
      if (svc.stableSince !== undefined || svc.desired === 0) continue;
      const running = svc.tasks.filter((t) => t.state === 'RUNNING').length;
      lines.push(`ECS service ${svc.name} (${region}): ${running} of ${svc.desired} task(s) running`);
    }
  }
  for (const c of w.route53.zone.changes.values()) {
    if (c.insyncAt > endedAt)
      lines.push(`Route 53 change ${c.id} PENDING (INSYNC at ${c.insyncAt.toFixed(1)} s)`);
  }
  return lines;
}

function place(w: World, role: RegionRole | undefined): string {
  return role === undefined ? 'no region' : `${w.regionOf(role)} (${role})`;
}

/** Every hostname's answer in `s`, in config order. */
export function dnsStates(s: Pick<StateLeft, 'dns' | 'hostnames'>): readonly DnsState[] {
  return s.hostnames ?? [s.dns];
}

/** Each hostname's answer now, in config order (at least one: the config requires it). */
function hostnameStates(w: World): [DnsState, ...DnsState[]] {
  const [first, ...rest] = w.dnsAnswers().map(
    (a): DnsState => ({
      record: a.recordName,
      target: a.target,
      ...(a.role === undefined ? {} : { role: a.role, region: w.regionOf(a.role) }),
    }),
  );
  if (first === undefined) throw new AnalysisError('the config lists no hostname (dns.records)');
  return [first, ...rest];
}

/**
 * `app.example.com → us-west-2 (dr)`: the hostnames of `states` by where they resolve, those
 * resolving to the same place joined, `verb` between (`→`, `still resolves to`, ...; `plural`
 * replaces it for several hostnames).
 */
function resolvesTo(w: World, states: readonly DnsState[], verb: string, plural = verb): string {
  const byPlace = new Map<string, string[]>();
  for (const s of states) {
    const at = place(w, s.role);
    byPlace.set(at, [...(byPlace.get(at) ?? []), s.record]);
  }
  return [...byPlace]
    .map(([at, records]) => `${records.join(', ')} ${records.length === 1 ? verb : plural} ${at}`)
    .join('; ');
}

/**
 * `database writer in us-west-2 (dr)` (one database), `database writers: app in us-west-2 (dr),
 * orders in us-east-1 (main)` (several).
 */
function writersLine(w: World, databases: readonly DatabaseState[]): string {
  const [only, ...more] = databases;
  if (only !== undefined && more.length === 0) return `database writer in ${place(w, only.writerRole)}`;
  return `database writers: ${databases.map((d) => `${d.name} in ${place(w, d.writerRole)}`).join(', ')}`;
}

/**
 * Which of `all` databases `names` are, with the verb agreeing: `the database writes` (the only
 * one), `every database writes`, `database app writes`, `databases app, orders write`.
 */
function whichDatabases(
  names: readonly string[],
  all: number,
  verb: { readonly one: string; readonly many: string },
): string {
  if (all === 1) return `the database ${verb.one}`;
  if (names.length === all) return `every database ${verb.one}`;
  return names.length === 1
    ? `database ${names.join('')} ${verb.one}`
    : `databases ${names.join(', ')} ${verb.many}`;
}

/** The state `w` was left in when the drill ended, and the command that finishes a half-done promotion. */
export function stateLeft(w: World, ctx: FinishContext): StateLeft {
  const regions = REGION_ROLES.map((role) => regionState(w, role));
  const databases = w.rds.databases.map((db) => databaseState(w, db));
  const services = w.config.services.map((s) => serviceState(w, s.name));
  const roles = new Set(databases.map((d) => d.writerRole));
  const [common] = roles;
  const writerRole = roles.size === 1 ? common : undefined;
  const hostnames = hostnameStates(w);
  const [dns] = hostnames;
  const target = w.targetRole;
  const elsewhere = hostnames.filter((h) => h.role !== target);
  const trafficHere = elsewhere.length === 0;
  const promotedHere = databases.filter((d) => d.writerRole === target).map((d) => d.name);
  const moving = w.rds.databases.filter((db) => db.global.operation?.toRole === target).map((db) => db.name);
  const split = promotedHere.length > 0 && !trafficHere;
  const splitPending = !split && !trafficHere && moving.length > 0;
  const inFlight = inFlightAt(w, ctx.endedAt);
  const command = split || splitPending ? finishCommand(ctx.configName, target, ctx.mode) : undefined;
  const all = databases.length;
  const where = `${writersLine(w, databases)}; ${resolvesTo(w, hostnames, '→')}`;
  const summary = split
    ? `SPLIT: ${whichDatabases(promotedHere, all, { one: 'writes', many: 'write' })} in ${place(w, target)} but ${resolvesTo(w, elsewhere, 'still resolves to', 'still resolve to')}: traffic is not at the writer`
    : splitPending
      ? `PROMOTION STILL RUNNING: ${whichDatabases(moving, all, { one: 'is', many: 'are' })} moving to ${place(w, target)} while ${resolvesTo(w, elsewhere, 'resolves to', 'resolve to')}: when it completes, traffic will not be at the writer`
      : where;
  return {
    regions,
    ...(writerRole === undefined ? {} : { writerRole }),
    databases,
    services,
    dns,
    ...(hostnames.length === 1 ? {} : { hostnames }),
    inFlight,
    split,
    splitPending,
    ...(command === undefined ? {} : { finishCommand: command }),
    summary,
  };
}
