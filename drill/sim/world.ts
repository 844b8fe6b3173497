import type { ProjectNames } from '../../infra/config/names';
import { otherRole, type ProjectConfig, type RegionRole } from '../../infra/config/schema';
import type { Timings } from '../timing';
import { AcmModel } from './acm/acm';
import { AutoScalingModel } from './autoscaling/autoscaling';
import type { SimCall } from './calls';
import { ZoneCapacity } from './capacity';
import { CloudWatchModel } from './cloudwatch/cloudwatch';
import type { ModelContext } from './context';
import { DeployedResources } from './deployed';
import { CapacityReservationModel } from './ec2/reservations';
import { EcsModel } from './ecs/ecs';
import { ElbModel } from './elbv2/elbv2';
import { IdSource } from './ids';
import { Outages } from './outages';
import { AuroraModel } from './rds/aurora';
import type { TrafficDataPlane } from './route53/health-checks';
import { type DnsAnswer, normalizeName, Route53Model } from './route53/route53';
import { RunRecordBuckets, S3Model } from './s3/s3';
import { Scheduler } from './scheduler';
import { SfnModel } from './sfn/sfn';
import { SnsModel } from './sns';
import { SsmModel } from './ssm';

/**
 * The simulated two-region AWS: one model per service over one virtual-time scheduler, the
 * network's outages, every call made, and the faults that intercept them.
 */

/**
 * A fault over calls: return an error to fail the call before the service model sees it (it has
 * already taken its latency). Faults are interceptors, never flags on the models.
 */
export type CallInterceptor = (call: SimCall, world: World) => Error | undefined;

/**
 * A fault over answers: the service has acted on the call and produced `output`. Return `{ error }`
 * to have the caller see an error instead (after `afterSeconds` more of waiting: a response lost on
 * the way back), `{ output }` to have it see another answer, or undefined to leave the answer.
 */
export type ResponseInterceptor = (
  call: SimCall,
  world: World,
  output: Readonly<Record<string, unknown>>,
) => ResponseOverride | undefined;

/** What a {@link ResponseInterceptor} makes of an answer. */
export type ResponseOverride =
  | { readonly error: Error; readonly afterSeconds?: number }
  | { readonly output: Readonly<Record<string, unknown>> };

/**
 * What fills a new world with what was deployed before the drill (`create-world.ts` passes them):
 * passed in so that the world's module does not import the seeders, which read the world.
 */
export interface WorldSeeders {
  /** The global databases, groups, services and hosted zone of both regions. */
  readonly resources: (world: World) => void;
  /** The traffic-claim alarms, health checks, hostnames' failover pairs, listeners and target groups. */
  readonly traffic: (world: World) => TrafficDataPlane;
  /** The SSM parameters the stacks wrote, created `at` (simulated seconds). */
  readonly parameters: (world: World, at: number) => void;
}

export interface WorldOptions {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  /** The region being promoted; the other one is the current writer and DNS target. */
  readonly targetRole: RegionRole;
  readonly timings: Timings;
  /** `Date.now()` at simulated second 0. */
  readonly epochMs: number;
}

/** Seconds before the drill at which the deployed resources were created (as seed.ts). */
const DEPLOYED_AT = -86_400;

/** Where one application hostname resolves. */
export interface HostnameAnswer extends DnsAnswer {
  /** As `dns.records[].recordName` spells it. */
  readonly recordName: string;
}

/** The simulated two-region AWS of one drill (see the module comment). */
export class World implements ModelContext {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
  readonly targetRole: RegionRole;
  readonly sourceRole: RegionRole;
  readonly timings: Timings;

  readonly clock: Scheduler;
  readonly ids = new IdSource();
  readonly outages = new Outages();
  readonly capacity = new ZoneCapacity();
  /** The account's On-Demand Capacity Reservations (`regions.<role>.capacity.reservation`), both regions. */
  readonly reservations = new CapacityReservationModel();
  /** Every API call that reached the simulator, in order. */
  readonly calls: SimCall[] = [];
  /** Faults over calls, asked in order before the service answers. */
  readonly interceptors: CallInterceptor[] = [];
  /** Faults over answers, asked in order after the service acted. */
  readonly responseInterceptors: ResponseInterceptor[] = [];

  readonly rds: AuroraModel;
  readonly autoscaling: AutoScalingModel;
  readonly ecs: EcsModel;
  readonly route53: Route53Model;
  readonly sfn = new SfnModel();
  readonly sns = new SnsModel();
  readonly cloudwatch: CloudWatchModel;
  readonly ssm = new SsmModel();
  /** Each region's load balancer certificate (`drill/sim/acm`). */
  readonly acm = new AcmModel();
  readonly elb: ElbModel;
  /** The traffic claim's health checks, which every hostname's failover pair answers by (Route 53's data plane). */
  readonly traffic: TrafficDataPlane;
  /** The application's objects in every bucket pair (`buckets[]`) and their two-way replication. */
  readonly s3: S3Model;
  /** The run-record buckets of both regions (what `lambdas/record-run` writes). */
  readonly runRecords: RunRecordBuckets;
  /** What the stacks deployed that only the readiness checks read (launch templates, quotas, ...). */
  readonly deployed: DeployedResources;

  constructor(options: WorldOptions, seeders: WorldSeeders) {
    const { config, names, targetRole } = options;
    this.config = config;
    this.names = names;
    this.targetRole = targetRole;
    this.sourceRole = otherRole(targetRole);
    this.timings = options.timings;
    this.clock = new Scheduler(options.epochMs);
    this.rds = new AuroraModel(this);
    this.autoscaling = new AutoScalingModel(this, this.reservations);
    this.ecs = new EcsModel(this, this.autoscaling);
    const zone = { id: config.dns.hostedZoneId, name: `${normalizeName(config.dns.zoneName)}.` };
    this.route53 = new Route53Model({ ...zone, records: new Map(), changes: new Map() }, names);
    this.cloudwatch = new CloudWatchModel(this);
    this.elb = new ElbModel(this);
    seeders.resources(this);
    this.traffic = seeders.traffic(this);
    this.s3 = new S3Model(
      this,
      names.regions.main.buckets.map((b) => b.entry),
      (t) => this.traffic.answer(t),
    );
    this.runRecords = new RunRecordBuckets([names.regions.main, names.regions.dr]);
    seeders.parameters(this, DEPLOYED_AT);
    this.deployed = new DeployedResources(config, names, this.autoscaling, this.rds);
  }

  /** The `services[]` entry hostname `recordName` routes to (its `dns.records[].service`). */
  serviceOfHostname(recordName: string): string | undefined {
    const n = normalizeName(recordName);
    return this.config.dns.records.find((r) => normalizeName(r.recordName) === n)?.service;
  }

  regionOf(role: RegionRole): string {
    return this.names.regions[role].region;
  }

  /** Where `recordName` resolves now (Route 53's data plane: its failover pair, aliases followed). */
  dnsRegion(recordName: string): DnsAnswer {
    return this.route53.resolve(recordName);
  }

  /** Where every application hostname (`dns.records`) resolves now, in config order. */
  dnsAnswers(): HostnameAnswer[] {
    return this.names.hostnames.map((recordName) => ({ recordName, ...this.dnsRegion(recordName) }));
  }

  /**
   * The region every application hostname answers now, or undefined when one answers no region or
   * they disagree (they share the traffic claim's health checks: disagreeing is a fault).
   */
  dnsRole(): RegionRole | undefined {
    const roles = new Set(this.dnsAnswers().map((a) => a.role));
    const [only] = roles;
    return roles.size === 1 ? only : undefined;
  }
}
