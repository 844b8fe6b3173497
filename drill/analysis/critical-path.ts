import type { PolledStepKey } from '../../lambdas/shared/steps';
import { TRAFFIC_CLAIM_PERIOD_SECONDS } from '../../lambdas/shared/traffic-claim';
import type { Timings } from '../timing';

/** The yardsticks a drill's RTO is measured against, computed from the timings the run drew. */

/** Polled steps already done before the execution started (a rerun resuming, a failback). */
export type StepsDone = Readonly<Partial<Record<PolledStepKey, boolean>>>;

/** How the global database changes writer: switchover (planned) or failover with data loss. */
export type PromotionMode = 'planned' | 'unplanned';

/**
 * The shape of a run, by promotion mode (issue 9): `planned` switches over only once the database
 * instances *and* the service are ready (a switchover before the new region can serve would cut
 * writes in the old one); `unplanned` has nothing left to protect in the old region and fails over
 * as soon as its instances are available, while the service still scales. Traffic moves when both
 * are done.
 */
export const SHAPES: Readonly<Record<PromotionMode, string>> = {
  planned: 'max(DB add, capacity + target health) + switchover + DNS',
  unplanned: 'max(DB add + failover, capacity + target health) + DNS',
};

/**
 * DNS through the data plane (lambdas/shared/traffic-claim.ts): the claim's data point waits for
 * the end of its minute (the alarm's period), the alarm is evaluated after a delay, and the health
 * check follows it after a lag. The minute does not scale with `--scale`: it is CloudWatch's period.
 */
export const DNS_SHAPE = "DNS = rest of the claim's minute + alarm evaluation delay + health-check lag";

/**
 * The application's resources (`databases[]`, `services[]`, in config order) and what of each one's
 * path was already there when the run started (a rerun resuming, a failback): the bound is over all
 * of them, the database branch the slowest database's, the service branch the slowest service's.
 */
export interface ResourcePaths {
  readonly databases: readonly {
    readonly name: string;
    /** Its promoted cluster had the promotion's instances available. */
    readonly instancesDone: boolean;
    /** It already wrote in the promoted region. */
    readonly promoted: boolean;
  }[];
  readonly services: readonly {
    readonly name: string;
    /** It already served in the promoted region (healthy targets for its promotion count). */
    readonly serving: boolean;
  }[];
}

/** The RTO's lower bound: the shape's physical limit under the timings drawn, and what bounds it. */
export interface CriticalPath {
  readonly seconds: number;
  readonly mode: PromotionMode;
  /** The formula, from {@link SHAPES}. */
  readonly shape: string;
  /** Which parallel branch bounds it (the database branch wins a tie). */
  readonly branch: 'database' | 'service';
  /**
   * Each step's AWS duration; 0 for a step already done. `fence` is 0: it runs after traffic moved,
   * off the RTO's path.
   */
  readonly parts: Readonly<Record<PolledStepKey, number>>;
  /** Of `parts.dns`: the wait for the end of the claim's minute (the alarm's period). */
  readonly claimMinuteWaitSeconds: number;
  /**
   * The resources whose paths are the branches' (the first in config order on a tie), when the
   * bound was computed over several databases or services.
   */
  readonly slowest?: { readonly database?: string; readonly service?: string };
}

/**
 * When the execution started, on the wall clock: it places the claim within its minute. Without
 * it, the claim waits half a period (the expectation over a uniformly placed start).
 */
/**
 * What EC2 had (issue 22): the seconds the promoted region's group waited for the instances its
 * raise asked for beyond the launch time, because EC2 refused them (`capacity.ts`'s shortfall cost).
 * No orchestration can launch instances AWS does not have: the bound's service branch counts them.
 */
export interface CapacityHad {
  readonly waitSeconds: number;
}

/**
 * A failback's S3 drain (issue 24): seconds after the first trigger at which S3's per-minute
 * replication metrics could first show every object written in DR before it in main
 * (`replication.ts`, `drainReadyAfter`). The promotion waits for that reading, and no orchestration
 * can read a minute before S3 reports it: the bound's database branch counts it.
 */
export interface DrainHad {
  readonly readySeconds: number;
}

export interface ClaimClock {
  /** Epoch seconds at which the execution started. */
  readonly startedAtEpochSeconds: number;
}

/** The seed's manual runbook under the same timings. */
export interface Runbook {
  readonly seconds: number;
  /** The same steps with only the AWS operations (no people, no tooling). */
  readonly awsOnlySeconds: number;
  readonly steps: readonly { readonly name: string; readonly seconds: number }[];
}

/** How long the global database takes to change writer in `mode`. */
function promotionSeconds(t: Timings, mode: PromotionMode): number {
  // A switchover first lets the secondary catch up with every committed write.
  return mode === 'planned' ? Math.max(t.switchoverSeconds, t.replicationLagSeconds) : t.failoverSeconds;
}

/** Launch, register, start a task: the capacity (what the seed's runbook waits for). */
function capacitySeconds(t: Timings): number {
  return t.asgInstanceLaunchSeconds + t.ecsInstanceRegistrationSeconds + t.taskStartSeconds;
}

/** Seconds from a data point at epoch second `at` to the end of its period (0 < wait <= period). */
export function periodRemainder(at: number, period: number = TRAFFIC_CLAIM_PERIOD_SECONDS): number {
  return period - (((at % period) + period) % period);
}

/** The entry of `items` with the largest `seconds` (the first on a tie), if any. */
function slowestOf<T extends { readonly seconds: number }>(items: readonly T[]): T | undefined {
  return items.reduce<T | undefined>(
    (best, x) => (best === undefined || x.seconds > best.seconds ? x : best),
    undefined,
  );
}

/**
 * The lower bound of `mode`'s shape under `t`: pure AWS durations, parallel branches overlapped,
 * steps in `done` (already there when the run started: a failback, a rerun) counting 0. With
 * `resources`, over every database and service: a resource already there counts 0, the database
 * branch is the slowest database's (its instances, then, unplanned, its failover: the promotion
 * step starts once every database has its instances) and the service branch the slowest service's.
 * The timing model draws one duration per kind of operation, so the slowest resource's path is the
 * one duration unless that resource was already done.
 */
export function criticalPath(
  t: Timings,
  mode: PromotionMode,
  done: StepsDone = {},
  clock?: ClaimClock,
  resources?: ResourcePaths,
  capacity?: CapacityHad,
  drain?: DrainHad,
): CriticalPath {
  const create = done.database === true ? 0 : t.dbInstanceCreateSeconds;
  const promote = done.promotion === true ? 0 : promotionSeconds(t, mode);
  // Running tasks are not serving until the target group's health check passes.
  const serve =
    done.service === true ? 0 : capacitySeconds(t) + (capacity?.waitSeconds ?? 0) + t.targetHealthySeconds;
  const databases = (resources?.databases ?? [{ name: '', instancesDone: false, promoted: false }]).map(
    (d) => {
      const add = d.instancesDone ? 0 : create;
      const promotion = d.promoted ? 0 : promote;
      return { name: d.name, add, promotion, seconds: mode === 'planned' ? add : add + promotion };
    },
  );
  const services = (resources?.services ?? [{ name: '', serving: false }]).map((x) => ({
    name: x.name,
    seconds: x.serving ? 0 : serve,
  }));
  const drained = done.replication === true ? 0 : (drain?.readySeconds ?? 0);
  const before = {
    database: Math.max(0, ...databases.map((d) => d.add)),
    promotion: Math.max(0, ...databases.map((d) => d.promotion)),
    service: Math.max(0, ...services.map((x) => x.seconds)),
  };
  // Planned: the switchover waits for both branches. Unplanned: the failover is part of the database branch.
  // The drain runs before the promotion; S3's reading does not wait for the instances.
  const ready = Math.max(before.database, drained);
  const database = mode === 'planned' ? ready : ready + before.promotion;
  const gated = mode === 'planned' ? before.promotion : 0;
  const claimAt = Math.max(database, before.service) + gated;
  const minuteWait =
    done.dns === true
      ? 0
      : clock === undefined
        ? TRAFFIC_CLAIM_PERIOD_SECONDS / 2
        : periodRemainder(clock.startedAtEpochSeconds + claimAt);
  const dns =
    done.dns === true ? 0 : minuteWait + t.alarmEvaluationDelaySeconds + t.route53HealthCheckLagSeconds;
  const slowDb = slowestOf(databases.map((d) => ({ ...d, seconds: d.add + d.promotion })));
  const slowService = slowestOf(services);
  return {
    seconds: claimAt + dns,
    mode,
    shape: `${SHAPES[mode]}; ${DNS_SHAPE}`,
    branch: database >= before.service ? 'database' : 'service',
    // The S3 drain (before the promotion) counts S3's reading of the backlog, when it had to wait for one.
    parts: { ...before, dns, fence: 0, replication: drained },
    claimMinuteWaitSeconds: minuteWait,
    // With one database and one service there is nothing to name: the bound reads as it always did.
    ...(resources === undefined || (databases.length < 2 && services.length < 2)
      ? {}
      : {
          slowest: {
            ...(slowDb === undefined ? {} : { database: slowDb.name }),
            ...(slowService === undefined ? {} : { service: slowService.name }),
          },
        }),
  };
}

/**
 * The seed's manual runbook under the same timings: `cdk deploy` the DB DR stack (instances) and
 * wait, switch over in the console, `cdk deploy` the DR ASG and ECS service stacks, edit DNS —
 * one after the other, each started by a person. It describes a failover only: a failback is not
 * compared with it.
 */
export function seedRunbook(t: Timings, mode: PromotionMode): Runbook {
  const react = t.runbookOperatorReactionSeconds;
  const steps = [
    {
      name: 'deploy DB DR stack (add instances), wait',
      aws: t.dbInstanceCreateSeconds,
      tool: react + t.runbookCdkDeploySeconds,
    },
    {
      name: `${mode === 'planned' ? 'switch over' : 'fail over'} in the RDS console`,
      aws: promotionSeconds(t, mode),
      tool: react + t.runbookConsoleActionSeconds,
    },
    {
      name: 'deploy DR ASG + ECS service stacks, wait',
      aws: capacitySeconds(t),
      tool: react + t.runbookCdkDeploySeconds,
    },
    {
      name: 'point DNS at the DR ALB by hand',
      // The seed edits a plain record through Route 53's control plane.
      aws: t.route53PropagationSeconds,
      tool: react + t.runbookConsoleActionSeconds,
    },
  ];
  return {
    seconds: steps.reduce((s, x) => s + x.aws + x.tool, 0),
    awsOnlySeconds: steps.reduce((s, x) => s + x.aws, 0),
    steps: steps.map((x) => ({ name: x.name, seconds: x.aws + x.tool })),
  };
}
