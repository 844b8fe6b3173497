import { REGION_ROLES, type RegionRole } from '../../infra/config/schema';
import type { SimCall } from '../sim/calls';
import type { World } from '../sim/world';

/**
 * The evidence `report.json` carries so that someone who does not trust the drill's own analysis
 * can check it: every AWS call, the capacity history of both regions, every notification as sent.
 * Every time is in seconds since the first trigger (`origin`), to the millisecond.
 */

/** Times are stored to the millisecond: the modeled API latency is tens of milliseconds. */
const at = (t: number, origin: number) => Math.round((t - origin) * 1000) / 1000;

/** One AWS call as the simulated endpoint saw it. */
export interface CallRecord {
  readonly seq: number;
  readonly at: number;
  readonly region: string;
  readonly service: string;
  readonly operation: string;
  /** The request as the SDK sent it (identifiers, modes, counts, the change batch). */
  readonly input: unknown;
  /** The error the caller saw, if any. */
  readonly error?: string;
  /** The execution whose Lambda (or SNS integration) made it, and its Task state. */
  readonly execution?: string;
  readonly state?: string;
  /** Whatever else the simulator recorded about the call (e.g. where AWS's guide sends it). */
  readonly [extra: string]: unknown;
}

/** An execution's name from its ARN (`...:execution:<machine>:<name>`). */
function executionName(arn: string): string {
  return arn.split(':').pop() ?? arn;
}

/** Every call, in the order the simulator received them. */
export function callRecords(calls: readonly SimCall[], origin: number): CallRecord[] {
  return calls.map((c) => {
    const { seq, service, command, region, at: t, input, execution, state, error, ...extra } = c;
    return {
      seq,
      at: at(t, origin),
      region,
      service,
      operation: command,
      input,
      ...(error === undefined ? {} : { error }),
      ...(execution === undefined ? {} : { execution: executionName(execution) }),
      ...(state === undefined ? {} : { state }),
      ...extra,
    };
  });
}

/** One region's Auto Scaling group and ECS services over the drill. */
export interface CapacityHistory {
  readonly role: RegionRole;
  readonly region: string;
  readonly asg?: {
    readonly name: string;
    readonly min: number;
    readonly desired: number;
    readonly max: number;
    /** Every accepted UpdateAutoScalingGroup, with the values it replaced. */
    readonly updates: readonly Readonly<Record<string, number>>[];
    /** Instances: launched (negative: before the drill), InService or Pending, registered with ECS. */
    readonly instances: readonly {
      readonly id: string;
      readonly az: string;
      readonly instanceType: string;
      /** The capacity reservation it runs in (absent: none). */
      readonly reservationId?: string;
      readonly state: string;
      readonly launchedAt: number;
      readonly registeredAt?: number;
    }[];
  };
  /** Each service (`services[]`) of the region, in config order. */
  readonly services: readonly {
    /** The entry's `name` in `services[]`. */
    readonly entry: string;
    readonly name: string;
    readonly desired: number;
    readonly updates: readonly {
      readonly at: number;
      readonly previousDesired: number;
      readonly desired: number;
    }[];
    /** Tasks now, placed at `startedAt` on container instance `instanceId`. */
    readonly tasks: readonly {
      readonly id: string;
      readonly state: string;
      readonly startedAt: number;
      readonly instanceId: string;
    }[];
    /** Tasks still waiting in PROVISIONING for an instance to place them on. */
    readonly provisioning: number;
    /** Tasks that started and failed their health checks. */
    readonly failedTasks: number;
    /** Since when running == desired, if it is. */
    readonly stableSince?: number;
    /** The service's events (DescribeServices), oldest first. */
    readonly events: readonly { readonly at: number; readonly message: string }[];
  }[];
}

/** The capacity history of both regions. */
export function capacityHistory(w: World, origin: number): CapacityHistory[] {
  return REGION_ROLES.map((role) => {
    const asg = w.autoscaling.ofRole(role);
    return {
      role,
      region: w.regionOf(role),
      ...(asg === undefined
        ? {}
        : {
            asg: {
              name: asg.name,
              min: asg.min,
              desired: asg.desired,
              max: asg.max,
              updates: asg.updates.map((u) => ({ ...u, at: at(u.at, origin) })),
              instances: asg.instances.map((i) => ({
                id: i.id,
                az: i.az,
                instanceType: i.instanceType,
                ...(i.reservationId === undefined ? {} : { reservationId: i.reservationId }),
                state: i.state,
                launchedAt: at(i.launchedAt, origin),
                ...(i.registeredAt === undefined ? {} : { registeredAt: at(i.registeredAt, origin) }),
              })),
            },
          }),
      services: w.ecs.inRegion(role).map((svc) => ({
        entry: svc.entry,
        name: svc.name,
        desired: svc.desired,
        updates: svc.updates.map((u) => ({ ...u, at: at(u.at, origin) })),
        tasks: svc.tasks.map((t) => ({
          id: t.id,
          state: t.state,
          startedAt: at(t.startedAt, origin),
          instanceId: t.instanceId,
        })),
        provisioning: svc.provisioning.length,
        failedTasks: svc.failedTasks,
        ...(svc.stableSince === undefined ? {} : { stableSince: at(svc.stableSince, origin) }),
        events: [...svc.events].reverse().map((e) => ({ at: at(e.at, origin), message: e.message })),
      })),
    };
  });
}

/** One notification as SNS received it. */
export interface NotificationRecord {
  readonly at: number;
  readonly topicArn: string;
  readonly subject?: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly execution?: string;
  readonly state?: string;
}

/** Every notification published, in order. */
export function notificationRecords(w: World, origin: number): NotificationRecord[] {
  return w.sns.published.map((p) => ({
    at: at(p.at, origin),
    topicArn: p.topicArn,
    ...(p.subject === undefined ? {} : { subject: p.subject }),
    body: p.message,
    attributes: p.attributes,
    ...(p.execution === undefined ? {} : { execution: executionName(p.execution) }),
    ...(p.state === undefined ? {} : { state: p.state }),
  }));
}
