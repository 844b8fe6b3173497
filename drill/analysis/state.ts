import { REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import { AnalysisError } from '../errors';
import { describeCluster, describeGlobal } from '../sim/rds/describe';
import type { World } from '../sim/world';
import type { PromotionMode } from './critical-path';

/**
 * The state a drill left AWS in, read from the simulated world when the last execution ended:
 * where the database writes, where each application hostname resolves, what is still running. When
 * the database was promoted and traffic was not moved, this is what an operator must act on.
 */

/** One region's side of the state. */
export interface RegionState {
  readonly role: RegionRole;
  readonly region: string;
  /** The global cluster lists this region's cluster as its writer (DescribeGlobalClusters). */
  readonly globalWriter: boolean;
  /** The cluster's writer instance (DescribeDBClusters), if it has one. */
  readonly writerInstance?: string;
  readonly dbInstances: { readonly available: number; readonly creating: number };
  readonly asg?: { readonly desired: number; readonly inService: number; readonly registered: number };
  readonly service?: { readonly desired: number; readonly running: number; readonly stable: boolean };
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
  readonly writerRole?: RegionRole;
  /** Where the first hostname resolves (the regional records are named after it). */
  readonly dns: DnsState;
  /**
   * Every hostname's answer in config order, when the config lists more than one: with one, `dns`
   * says it all and report.json keeps the shape it had before there could be several.
   */
  readonly hostnames?: readonly DnsState[];
  /** AWS operations still running when the drill ended. */
  readonly inFlight: readonly string[];
  /** The database writes in the promoted region but traffic (some hostname's answer) goes elsewhere. */
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

function regionState(w: World, role: RegionRole, writers: ReadonlySet<string>): RegionState {
  const cluster = w.rds.clusters.get(role);
  const described = cluster === undefined ? undefined : describeCluster(w, cluster);
  const writerInstance = described?.DBClusterMembers?.find(
    (m) => m.IsClusterWriter === true,
  )?.DBInstanceIdentifier;
  const instances = w.rds.clusterInstances(role);
  const asg = w.autoscaling.ofRole(role);
  const svc = w.ecs.ofRole(role);
  return {
    role,
    region: w.regionOf(role),
    globalWriter: cluster !== undefined && writers.has(cluster.arn),
    ...(writerInstance === undefined ? {} : { writerInstance }),
    dbInstances: {
      available: instances.filter((i) => i.status === 'available').length,
      creating: instances.filter((i) => i.status === 'creating').length,
    },
    ...(asg === undefined
      ? {}
      : {
          asg: {
            desired: asg.desired,
            inService: asg.instances.filter((i) => i.state === 'InService').length,
            registered: asg.instances.filter((i) => i.registeredAt !== undefined).length,
          },
        }),
    ...(svc === undefined
      ? {}
      : {
          service: {
            desired: svc.desired,
            running: svc.tasks.filter((t) => t.state === 'RUNNING').length,
            stable: svc.stableSince !== undefined,
          },
        }),
  };
}

/** AWS work still running at `endedAt`, one line each. */
function inFlightAt(w: World, endedAt: number): string[] {
  const lines: string[] = [];
  const op = w.rds.global.operation;
  if (op !== undefined) {
    lines.push(
      `global database ${op.kind} to ${w.regionOf(op.toRole)} (${op.toRole}) running since ${op.startedAt.toFixed(1)} s`,
    );
  }
  for (const role of REGION_ROLES) {
    const region = w.regionOf(role);
    for (const i of w.rds.clusterInstances(role).filter((x) => x.status === 'creating')) {
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
    const svc = w.ecs.ofRole(role);
    if (svc !== undefined && svc.stableSince === undefined && svc.desired > 0) {
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

/** The state `w` was left in when the drill ended, and the command that finishes a half-done promotion. */
export function stateLeft(w: World, ctx: FinishContext): StateLeft {
  const writerArns = new Set(
    (describeGlobal(w).GlobalClusterMembers ?? [])
      .filter((m) => m.IsWriter === true)
      .map((m) => m.DBClusterArn ?? ''),
  );
  const regions = REGION_ROLES.map((role) => regionState(w, role, writerArns));
  const writerRole = regions.find((r) => r.globalWriter)?.role;
  const hostnames = hostnameStates(w);
  const [dns] = hostnames;
  const target = w.targetRole;
  const elsewhere = hostnames.filter((h) => h.role !== target);
  const trafficHere = elsewhere.length === 0;
  const split = writerRole === target && !trafficHere;
  const splitPending = !split && !trafficHere && w.rds.global.operation?.toRole === target;
  const inFlight = inFlightAt(w, ctx.endedAt);
  const command = split || splitPending ? finishCommand(ctx.configName, target, ctx.mode) : undefined;
  const where = `database writer in ${place(w, writerRole)}; ${resolvesTo(w, hostnames, '→')}`;
  const summary = split
    ? `SPLIT: the database writes in ${place(w, target)} but ${resolvesTo(w, elsewhere, 'still resolves to', 'still resolve to')}: traffic is not at the writer`
    : splitPending
      ? `PROMOTION STILL RUNNING: the database is moving to ${place(w, target)} while ${resolvesTo(w, elsewhere, 'resolves to', 'resolve to')}: when it completes, traffic will not be at the writer`
      : where;
  return {
    regions,
    ...(writerRole === undefined ? {} : { writerRole }),
    dns,
    ...(hostnames.length === 1 ? {} : { hostnames }),
    inFlight,
    split,
    splitPending,
    ...(command === undefined ? {} : { finishCommand: command }),
    summary,
  };
}
