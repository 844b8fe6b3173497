import type { ProjectNames } from '../../infra/config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../../infra/config/schema';
import type { Timings } from '../timing';

/**
 * The simulated two-region AWS: a discrete-event model on the virtual clock. State changes that
 * take time (an instance becoming available, a switchover finishing, a change reaching INSYNC) are
 * scheduled events, applied lazily in time order whenever an API call looks (`sync`), so the
 * model itself never holds a timer that could move the clock.
 */

export const SERVICES = ['rds', 'autoscaling', 'ecs', 'route53', 'sfn', 'sns', 'cloudwatch'] as const;
/** The AWS services the simulator answers. */
export type ServiceName = (typeof SERVICES)[number];

/** Route 53's control plane (ChangeResourceRecordSets, GetChange, ...) is served from here. */
export const ROUTE53_CONTROL_PLANE_REGION = 'us-east-1';

/** One API call as the simulator saw it. */
export interface SimCall {
  readonly seq: number;
  readonly service: ServiceName;
  readonly command: string;
  /** Region of the endpoint called. */
  readonly region: string;
  /** Simulated seconds since the drill started. */
  readonly at: number;
  readonly input: unknown;
  /** Execution and state whose Lambda (or SNS integration) made the call, when known. */
  readonly execution?: string;
  readonly state?: string;
  /** Name of the error returned, if any. */
  error?: string;
}

/** A fault hook: return an error to fail the call (it has already taken its latency). */
export type CallInterceptor = (call: SimCall, world: World) => Error | undefined;

export interface SimInstance {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly clusterId: string;
  readonly instanceClass: string;
  readonly engine: string;
  status: 'creating' | 'available' | 'deleting';
  readonly createdAt: number;
  availableAt?: number;
  /** Seeded from config (deployed by CloudFormation) rather than created during the drill. */
  readonly seeded: boolean;
}

export interface SimCluster {
  readonly id: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly engine: string;
  readonly engineVersion: string;
  readonly resourceId: string;
}

export type GlobalOperation = 'switchover' | 'failover';

export interface GlobalOperationRecord {
  readonly kind: GlobalOperation;
  readonly fromRole: RegionRole;
  readonly toRole: RegionRole;
  readonly startedAt: number;
  readonly endsAt: number;
  completedAt?: number;
  /** Seconds of committed writes the new writer does not have. */
  lostWritesSeconds?: number;
  readonly execution?: string;
}

export interface SimGlobalCluster {
  readonly id: string;
  readonly arn: string;
  readonly engine: string;
  readonly engineVersion: string;
  writerRole: RegionRole;
  /** Members that must resync after an unplanned failover left them behind. */
  readonly pendingResync: Set<RegionRole>;
  operation?: GlobalOperationRecord;
}

export interface SimAsgInstance {
  readonly id: string;
  readonly az: string;
  readonly instanceType: string;
  state: 'Pending' | 'InService';
  /** When the ECS agent registered it with the cluster (undefined: not yet). */
  registeredAt?: number;
  readonly launchedAt: number;
}

export interface SimAsg {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly instanceType: string;
  readonly azs: readonly string[];
  min: number;
  max: number;
  desired: number;
  readonly instances: SimAsgInstance[];
  /** Every accepted UpdateAutoScalingGroup: for the never-scale-in check. */
  readonly updates: {
    at: number;
    min: number;
    desired: number;
    max: number;
    previousMin: number;
    previousDesired: number;
  }[];
}

export interface SimTask {
  readonly id: string;
  state: 'PENDING' | 'RUNNING';
  readonly startedAt: number;
}

export interface SimService {
  readonly cluster: string;
  readonly clusterArn: string;
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly asgName: string;
  desired: number;
  readonly tasks: SimTask[];
  failedTasks: number;
  readonly deploymentId: string;
  readonly deploymentCreatedAt: number;
  updatedAt: number;
  /** Newest first, like DescribeServices. */
  readonly events: { id: string; at: number; message: string }[];
  /** When running == desired was last reached (undefined while not stable). */
  stableSince?: number;
  /** Every desired-count change: for the never-scale-in check. */
  readonly updates: { at: number; previousDesired: number; desired: number }[];
}

export interface SimRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly values?: readonly string[];
  readonly alias?: {
    readonly hostedZoneId: string;
    readonly dnsName: string;
    readonly evaluateTargetHealth: boolean;
  };
}

export interface SimChange {
  readonly id: string;
  readonly submittedAt: number;
  readonly processedAt: number;
  readonly insyncAt: number;
  readonly comment?: string;
  readonly execution?: string;
}

export interface SimZone {
  readonly id: string;
  readonly name: string;
  /** Keyed by `normalized-name|TYPE`. */
  readonly records: Map<string, SimRecord>;
  readonly changes: Map<string, SimChange>;
}

export interface SimExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly startDate: number;
  stopDate?: number;
  readonly input: string;
  output?: string;
}

export interface SimPublished {
  readonly at: number;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly execution?: string;
  readonly state?: string;
}

interface ScheduledEvent {
  readonly at: number;
  readonly seq: number;
  readonly apply: () => void;
}

/** Outage of a region's regional endpoints, in simulated seconds (`until` undefined: for the whole drill). */
export interface Outage {
  readonly from: number;
  readonly until?: number;
}

export interface WorldOptions {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  /** The region being promoted; the other one is the current writer and DNS target. */
  readonly targetRole: RegionRole;
  readonly timings: Timings;
  /** `Date.now()` at simulated second 0. */
  readonly epochMs: number;
  /** Topic ARNs the orchestrator publishes to (from the wiring), by region. */
  readonly topics: readonly { readonly arn: string; readonly region: string }[];
}

/** ELB's canonical hosted zone ids, for realistic alias targets. Unknown regions get a placeholder. */
const ELB_ZONE: Readonly<Record<string, string>> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
};

/** vCPU and MiB of memory of common ECS instance types; others count as 2 vCPU / 4 GiB. */
const INSTANCE_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  't3.micro': [2, 1024],
  't3.small': [2, 2048],
  't3.medium': [2, 4096],
  't3.large': [2, 8192],
  't3.xlarge': [4, 16384],
  'm5.large': [2, 8192],
  'm5.xlarge': [4, 16384],
  'm6g.large': [2, 8192],
  'c5.large': [2, 4096],
};

/** Lower-case, no trailing dot: how names are compared. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

export function recordKey(name: string, type: string): string {
  return `${normalizeName(name)}|${type.toUpperCase()}`;
}

export class World {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  readonly targetRole: RegionRole;
  readonly sourceRole: RegionRole;
  readonly timings: Timings;
  readonly epochMs: number;

  readonly clusters = new Map<string, SimCluster>();
  /** Keyed by `region|identifier`. */
  readonly instances = new Map<string, SimInstance>();
  readonly global: SimGlobalCluster;
  readonly operations: GlobalOperationRecord[] = [];
  /** Every CreateDBInstance that reached the model: accepted or refused as a duplicate. */
  readonly createAttempts: { id: string; region: string; at: number; outcome: string; execution?: string }[] =
    [];
  readonly asgs = new Map<string, SimAsg>();
  readonly services = new Map<string, SimService>();
  readonly zone: SimZone;
  readonly stateMachines = new Set<string>();
  readonly executions = new Map<string, SimExecution>();
  readonly topics: ReadonlyMap<string, string>;
  readonly published: SimPublished[] = [];
  readonly metrics: { at: number; region: string; namespace: string; count: number }[] = [];
  readonly calls: SimCall[] = [];
  readonly interceptors: CallInterceptor[] = [];
  readonly outages = new Map<string, Outage>();
  route53Outage?: Outage;
  /** Tasks start but never pass health checks (fault ecs-unhealthy). */
  ecsUnhealthy = false;
  /** When set, SwitchoverGlobalCluster is refused with this reason (fault source-down-switchover). */
  switchoverRefusal?: string;
  /** When set, both promotion APIs are refused with this reason (fault rerun-after-failure). */
  promotionRefusal?: string;

  private readonly queue: ScheduledEvent[] = [];
  private seq = 0;
  private idCounter = 0;
  /** Writes are fenced (switchover/failover started) from this second until the op completes. */
  private writesFencedAt?: number;
  /** While a scheduled change is applied, "now" is the time it was due, not the time of the call that noticed it. */
  private applyingAt?: number;

  constructor(options: WorldOptions) {
    const { config, names, targetRole, timings } = options;
    this.config = config;
    this.names = names;
    this.targetRole = targetRole;
    this.sourceRole = otherRole(targetRole);
    this.timings = timings;
    this.epochMs = options.epochMs;
    this.topics = new Map(options.topics.map((t) => [t.arn, t.region]));

    const engine = 'aurora-postgresql';
    for (const role of ['main', 'dr'] as const) {
      const n = names.regions[role];
      this.clusters.set(role, {
        id: n.dbClusterIdentifier,
        arn: n.dbClusterArn,
        region: n.region,
        role,
        engine,
        engineVersion: config.database.engineVersion,
        resourceId: `cluster-${role.toUpperCase()}${this.nextId(20)}`,
      });
      // The current writer region runs what it was promoted with (its deployed count, at least
      // its promotion count); the region being promoted starts as deployed (DR: headless).
      const deployed = config.regions[role].database.instances;
      const count =
        role === this.sourceRole ? Math.max(deployed, config.regions[role].promotion.dbInstances) : deployed;
      for (let i = 0; i < count; i++) {
        const id = n.dbInstanceIdentifier(i);
        this.instances.set(`${n.region}|${id}`, {
          id,
          arn: `arn:aws:rds:${n.region}:${n.account}:db:${id}`,
          region: n.region,
          clusterId: n.dbClusterIdentifier,
          instanceClass: config.database.instanceClass,
          engine,
          status: 'available',
          createdAt: -86_400,
          availableAt: -86_400 + timings.dbInstanceCreateSeconds,
          seeded: true,
        });
      }

      const svc = config.regions[role].service;
      const promo = config.regions[role].promotion;
      const active = role === this.sourceRole;
      const asgSize = active ? Math.max(svc.minCapacity, promo.asgMinCapacity) : svc.minCapacity;
      const asg: SimAsg = {
        name: n.asgName,
        arn: `arn:aws:autoscaling:${n.region}:${n.account}:autoScalingGroup:${this.uuid()}:autoScalingGroupName/${n.asgName}`,
        region: n.region,
        role,
        instanceType: svc.instanceType,
        azs: config.regions[role].availabilityZones,
        min: asgSize,
        max: Math.max(svc.maxCapacity, asgSize),
        desired: asgSize,
        instances: [],
        updates: [],
      };
      for (let i = 0; i < asgSize; i++) {
        asg.instances.push({
          id: this.instanceId(),
          az: asg.azs[i % asg.azs.length] ?? `${n.region}a`,
          instanceType: svc.instanceType,
          state: 'InService',
          registeredAt: -86_400,
          launchedAt: -86_400,
        });
      }
      this.asgs.set(n.asgName, asg);

      const desired = active ? Math.max(svc.desiredCount, promo.serviceDesiredCount) : svc.desiredCount;
      const clusterArn = `arn:aws:ecs:${n.region}:${n.account}:cluster/${n.ecsClusterName}`;
      const service: SimService = {
        cluster: n.ecsClusterName,
        clusterArn,
        name: n.ecsServiceName,
        arn: n.ecsServiceArn,
        region: n.region,
        role,
        asgName: n.asgName,
        desired,
        tasks: [],
        failedTasks: 0,
        deploymentId: `ecs-svc/${this.nextId(19, '0123456789')}`,
        deploymentCreatedAt: -86_400,
        updatedAt: -86_400,
        events: [],
        stableSince: -86_400,
        updates: [],
      };
      for (let i = 0; i < desired; i++) {
        service.tasks.push({ id: this.nextId(32, '0123456789abcdef'), state: 'RUNNING', startedAt: -86_400 });
      }
      this.services.set(n.ecsServiceArn, service);
      this.stateMachines.add(n.stateMachineArn);
    }

    this.global = {
      id: names.globalClusterIdentifier,
      arn: names.globalClusterArn,
      engine,
      engineVersion: config.database.engineVersion,
      writerRole: this.sourceRole,
      pendingResync: new Set(),
    };

    const zoneName = `${normalizeName(config.dns.zoneName)}.`;
    const zone: SimZone = {
      id: config.dns.hostedZoneId,
      name: zoneName,
      records: new Map(),
      changes: new Map(),
    };
    const put = (r: SimRecord) => zone.records.set(recordKey(r.name, r.type), r);
    put({
      name: zoneName,
      type: 'NS',
      ttl: 172800,
      values: ['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.co.uk.', 'ns-3.awsdns-03.net.', 'ns-4.awsdns-04.com.'],
    });
    put({
      name: zoneName,
      type: 'SOA',
      ttl: 900,
      values: ['ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400'],
    });
    for (const role of ['main', 'dr'] as const) {
      const n = names.regions[role];
      put({
        name: `${n.regionalRecordName}.`,
        type: 'A',
        alias: {
          hostedZoneId: ELB_ZONE[n.region] ?? 'ZELBPLACEHOLDER',
          dnsName: `dualstack.${config.project}-${role}-alb-${this.nextId(10, '0123456789')}.${n.region}.elb.amazonaws.com.`,
          evaluateTargetHealth: true,
        },
      });
    }
    put({
      name: `${normalizeName(config.dns.recordName)}.`,
      type: 'A',
      alias: {
        hostedZoneId: config.dns.hostedZoneId,
        dnsName: `${names.regions[this.sourceRole].regionalRecordName}.`,
        evaluateTargetHealth: false,
      },
    });
    this.zone = zone;
  }

  // ---- clock and events ----

  /** Simulated seconds since the drill started (the virtual clock). */
  now(): number {
    return this.applyingAt ?? (Date.now() - this.epochMs) / 1000;
  }

  /** A `Date` at simulated second `t`. */
  dateAt(t: number): Date {
    return new Date(this.epochMs + t * 1000);
  }

  /** Apply `apply` at simulated second `at` (lazily, on the next `sync` at or after it). */
  schedule(at: number, apply: () => void): void {
    this.seq += 1;
    this.queue.push({ at, seq: this.seq, apply });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Apply every scheduled change due by now, in time order (changes may schedule more). */
  sync(now: number = this.now()): void {
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || next.at > now) return;
      this.queue.shift();
      this.applyAt(next);
    }
  }

  private applyAt(event: ScheduledEvent): void {
    this.applyingAt = event.at;
    try {
      event.apply();
    } finally {
      this.applyingAt = undefined;
    }
  }

  /** Apply everything still scheduled, whatever its time: the state AWS settles into. */
  settleAll(): number {
    let last = this.now();
    for (let guard = 0; guard < 100_000; guard++) {
      const next = this.queue[0];
      if (next === undefined) break;
      last = Math.max(last, next.at);
      this.queue.shift();
      this.applyAt(next);
    }
    return last;
  }

  // ---- regions ----

  regionOf(role: RegionRole): string {
    return this.names.regions[role].region;
  }

  roleOfRegion(region: string): RegionRole | undefined {
    if (this.names.regions.main.region === region) return 'main';
    if (this.names.regions.dr.region === region) return 'dr';
    return undefined;
  }

  /** Whether `region`'s regional endpoints are unreachable at `t`. */
  regionDown(region: string, t: number = this.now()): boolean {
    const o = this.outages.get(region);
    return o !== undefined && t >= o.from && (o.until === undefined || t < o.until);
  }

  route53Down(t: number = this.now()): boolean {
    const o = this.route53Outage;
    return o !== undefined && t >= o.from && (o.until === undefined || t < o.until);
  }

  // ---- ids ----

  nextId(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
    // Deterministic ids: a counter spread over the alphabet, so two runs produce the same report.
    this.idCounter += 1;
    let x = (this.idCounter * 2654435761) >>> 0;
    let out = '';
    for (let i = 0; i < length; i++) {
      out += alphabet[x % alphabet.length];
      x = (Math.imul(x ^ (x >>> 13), 1274126177) + i + this.idCounter) >>> 0;
    }
    return out;
  }

  uuid(): string {
    const h = this.nextId(32, '0123456789abcdef');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  instanceId(): string {
    return `i-0${this.nextId(16, '0123456789abcdef')}`;
  }

  // ---- database data model ----

  /** Latest committed write of the current writer (writes stop when fenced or its region is down). */
  lastCommitAt(t: number): number {
    const writerRegion = this.regionOf(this.global.writerRole);
    const down = this.outages.get(writerRegion);
    let last = t;
    if (this.writesFencedAt !== undefined) last = Math.min(last, this.writesFencedAt);
    if (down !== undefined && down.from <= t) last = Math.min(last, down.from);
    return last;
  }

  /** Position (commit time) the other member has received by `t`. */
  replicaPositionAt(t: number): number {
    const lag = this.timings.replicationLagSeconds;
    const writerRegion = this.regionOf(this.global.writerRole);
    const down = this.outages.get(writerRegion);
    let pos = Math.min(this.lastCommitAt(t), t - lag);
    if (down !== undefined && down.from <= t) pos = Math.min(pos, down.from - lag);
    return pos;
  }

  /** Start a switchover or failover of the global cluster to `toRole` (checks done by the caller). */
  startGlobalOperation(kind: GlobalOperation, toRole: RegionRole, execution?: string): GlobalOperationRecord {
    const now = this.now();
    const fromRole = this.global.writerRole;
    const lag = this.timings.replicationLagSeconds;
    // A switchover first lets the secondary catch up with every committed write.
    const duration =
      kind === 'switchover' ? Math.max(this.timings.switchoverSeconds, lag) : this.timings.failoverSeconds;
    const op: GlobalOperationRecord = {
      kind,
      fromRole,
      toRole,
      startedAt: now,
      endsAt: now + duration,
      ...(execution === undefined ? {} : { execution }),
    };
    // Both operations fence writes on the old writer; a failover also stops waiting for replication.
    this.writesFencedAt = now;
    const positionAtStart = this.replicaPositionAt(now);
    this.global.operation = op;
    this.operations.push(op);
    this.schedule(op.endsAt, () => {
      const lastCommit = this.lastCommitAt(op.endsAt);
      const position = kind === 'switchover' ? this.replicaPositionAt(op.endsAt) : positionAtStart;
      op.completedAt = op.endsAt;
      op.lostWritesSeconds = Math.max(0, lastCommit - position);
      this.global.writerRole = toRole;
      this.global.pendingResync.delete(toRole);
      if (kind === 'failover') this.global.pendingResync.add(fromRole);
      this.global.operation = undefined;
      this.writesFencedAt = undefined;
    });
    return op;
  }

  // ---- ECS capacity model ----

  /** Tasks one registered container instance of `instanceType` can hold for this app. */
  slotsPerInstance(instanceType: string): number {
    const [vcpu, mem] = INSTANCE_SIZES[instanceType] ?? [2, 4096];
    // The ECS agent and OS keep some memory back from what the instance registers.
    const usableMem = mem - 256;
    return Math.max(
      0,
      Math.min(
        Math.floor((vcpu * 1024) / this.config.app.cpu),
        Math.floor(usableMem / this.config.app.memoryMiB),
      ),
    );
  }

  /** Launch or terminate ASG instances toward `desired`. */
  reconcileAsg(asg: SimAsg): void {
    const now = this.now();
    const t = this.timings;
    while (asg.instances.length < asg.desired) {
      const inst: SimAsgInstance = {
        id: this.instanceId(),
        az: asg.azs[asg.instances.length % asg.azs.length] ?? `${asg.region}a`,
        instanceType: asg.instanceType,
        state: 'Pending',
        launchedAt: now,
      };
      asg.instances.push(inst);
      const inServiceAt = now + t.asgInstanceLaunchSeconds;
      this.schedule(inServiceAt, () => {
        inst.state = 'InService';
        this.schedule(inServiceAt + t.ecsInstanceRegistrationSeconds, () => {
          inst.registeredAt = inServiceAt + t.ecsInstanceRegistrationSeconds;
          for (const svc of this.services.values()) if (svc.asgName === asg.name) this.reconcileService(svc);
        });
      });
    }
    while (asg.instances.length > asg.desired) asg.instances.pop();
  }

  /** Place or stop tasks toward the service's desired count, within registered capacity. */
  reconcileService(svc: SimService): void {
    const now = this.now();
    const asg = this.asgs.get(svc.asgName);
    const registered = asg?.instances.filter((i) => i.registeredAt !== undefined) ?? [];
    const capacity = registered.reduce((sum, i) => sum + this.slotsPerInstance(i.instanceType), 0);
    while (svc.tasks.length > svc.desired) svc.tasks.pop();
    let placed = false;
    while (svc.tasks.length < Math.min(svc.desired, capacity)) {
      const task: SimTask = { id: this.nextId(32, '0123456789abcdef'), state: 'PENDING', startedAt: now };
      svc.tasks.push(task);
      placed = true;
      const at = now + this.timings.taskStartSeconds;
      this.schedule(at, () => {
        if (!svc.tasks.includes(task)) return;
        if (this.ecsUnhealthy) {
          // It starts, fails its health checks and is stopped; the scheduler places a replacement.
          svc.tasks.splice(svc.tasks.indexOf(task), 1);
          svc.failedTasks += 1;
          this.serviceEvent(
            svc,
            at,
            `(service ${svc.name}) (task ${task.id}) failed container health checks.`,
          );
          this.reconcileService(svc);
          return;
        }
        task.state = 'RUNNING';
        this.updateStable(svc, at);
      });
    }
    if (svc.tasks.length < svc.desired && !placed) {
      this.serviceEvent(
        svc,
        now,
        `(service ${svc.name}) was unable to place a task because no container instance met all of its requirements.`,
      );
    }
    this.updateStable(svc, now);
  }

  private updateStable(svc: SimService, at: number): void {
    const running = svc.tasks.filter((t) => t.state === 'RUNNING').length;
    const stable = running === svc.desired && svc.tasks.length === svc.desired;
    if (stable && svc.stableSince === undefined) {
      svc.stableSince = at;
      this.serviceEvent(svc, at, `(service ${svc.name}) has reached a steady state.`);
    } else if (!stable) {
      svc.stableSince = undefined;
    }
  }

  private serviceEvent(svc: SimService, at: number, message: string): void {
    const last = svc.events[0];
    if (last !== undefined && last.message === message) return;
    svc.events.unshift({ id: this.uuid(), at, message });
    if (svc.events.length > 100) svc.events.pop();
  }

  // ---- DNS ----

  /** The region the application record resolves to (following aliases within the zone). */
  dnsRegion(): { readonly role?: RegionRole; readonly target: string } {
    let name = normalizeName(this.config.dns.recordName);
    for (let hops = 0; hops < 5; hops++) {
      for (const role of ['main', 'dr'] as const) {
        if (name === normalizeName(this.names.regions[role].regionalRecordName))
          return { role, target: name };
      }
      const record = this.zone.records.get(`${name}|A`) ?? this.zone.records.get(`${name}|CNAME`);
      if (record === undefined) return { target: `${name} (missing)` };
      const next = record.alias?.dnsName ?? record.values?.[0];
      if (next === undefined) return { target: name };
      const n = normalizeName(next).replace(/^dualstack\./, '');
      const m = /\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.elb\.amazonaws\.com$/.exec(n);
      if (m?.[1] !== undefined) {
        const role = this.roleOfRegion(m[1]);
        return role === undefined ? { target: n } : { role, target: n };
      }
      name = n;
    }
    return { target: name };
  }

  /** Instances of `role`'s cluster that are not being deleted. */
  clusterInstances(role: RegionRole): SimInstance[] {
    const c = this.clusters.get(role);
    if (c === undefined) return [];
    return [...this.instances.values()].filter(
      (i) => i.region === c.region && i.clusterId === c.id && i.status !== 'deleting',
    );
  }
}
