import type { RegionRole } from '../../../infra/config/schema';
import { CLAIM_ALARM } from '../../../lambdas/shared/traffic-claim';
import type { CloudWatchModel } from '../cloudwatch/cloudwatch';
import type { ModelContext } from '../context';

/**
 * Route 53's data plane for the application's hostnames: three health checks and the failover pairs
 * they drive, one per hostname, all on the same checks so they answer alike
 * (lambdas/shared/traffic-claim.ts).
 *
 * - One CLOUDWATCH_METRIC check per region's traffic-claim alarm: healthy while the alarm is OK,
 *   unhealthy while it is in ALARM; while the alarm has no data, or Route 53 cannot read it (its
 *   region is down), the check takes its InsufficientDataHealthStatus (main: Unhealthy; DR:
 *   LastKnownStatus, healthy when it never knew better). A check follows the alarm after the timing
 *   model's `route53HealthCheckLagSeconds`.
 * - One CALCULATED check (healthy when at least 1 of the 2 is): PRIMARY's.
 * - Each hostname's pair: PRIMARY → main's regional record (while the calculated check is healthy),
 *   else SECONDARY → DR's.
 *
 * Nothing here calls Route 53's control plane: the answers keep changing during its outage and
 * during any regional outage. Statuses are derived when read; the model schedules nothing.
 */

/** How often the calculated check needs its children healthy: 1 of the 2. */
const CALCULATED_THRESHOLD = 1;
/** A little before an instant: the last moment of the state that ends there. */
const JUST_BEFORE = 1e-6;

export interface SimHealthCheck {
  readonly id: string;
  readonly type: 'CLOUDWATCH_METRIC' | 'CALCULATED';
  /** The region role whose alarm a CLOUDWATCH_METRIC check reads. */
  readonly alarmRole?: RegionRole;
  readonly insufficientDataHealthStatus?: 'Healthy' | 'Unhealthy' | 'LastKnownStatus';
}

/** The health checks of the application's failover pairs (every hostname answers by them). */
export class TrafficDataPlane {
  readonly checks: Readonly<Record<RegionRole | 'calculated', SimHealthCheck>>;

  constructor(
    private readonly ctx: ModelContext,
    private readonly cloudwatch: CloudWatchModel,
    ids: Readonly<Record<RegionRole | 'calculated', string>>,
  ) {
    this.checks = {
      main: {
        id: ids.main,
        type: 'CLOUDWATCH_METRIC',
        alarmRole: 'main',
        insufficientDataHealthStatus: CLAIM_ALARM.main.insufficientDataHealthStatus,
      },
      dr: {
        id: ids.dr,
        type: 'CLOUDWATCH_METRIC',
        alarmRole: 'dr',
        insufficientDataHealthStatus: CLAIM_ALARM.dr.insufficientDataHealthStatus,
      },
      calculated: { id: ids.calculated, type: 'CALCULATED' },
    };
  }

  /** Whether `role`'s alarm check is healthy at `t` (it sees the alarm as it was one lag ago). */
  alarmCheckHealthy(role: RegionRole, t: number = this.ctx.clock.now()): boolean {
    const seen = t - this.ctx.timings.route53HealthCheckLagSeconds;
    const known = this.readable(role, seen);
    if (known !== undefined) return known;
    const fallback = this.checks[role].insufficientDataHealthStatus;
    if (fallback === 'Healthy') return true;
    if (fallback === 'Unhealthy') return false;
    return this.lastKnown(role, seen);
  }

  /** The calculated check: at least one of its children healthy. */
  calculatedHealthy(t: number = this.ctx.clock.now()): boolean {
    const healthy = (['main', 'dr'] as const).filter((r) => this.alarmCheckHealthy(r, t)).length;
    return healthy >= CALCULATED_THRESHOLD;
  }

  /** The region every hostname answers at `t`. */
  answer(t: number = this.ctx.clock.now()): RegionRole {
    return this.calculatedHealthy(t) ? 'main' : 'dr';
  }

  /**
   * Every change of the hostnames' answer up to `until`, the first entry being the answer at `from`.
   * Answers change only where an alarm changed state or a region's reachability changed, one
   * health-check lag later: those instants are the candidates.
   */
  answers(from: number, until: number = this.ctx.clock.now()): { at: number; role: RegionRole }[] {
    const lag = this.ctx.timings.route53HealthCheckLagSeconds;
    const instants = new Set<number>();
    for (const role of ['main', 'dr'] as const) {
      const alarm = this.cloudwatch.claimAlarm(role);
      if (alarm === undefined) continue;
      for (const h of this.cloudwatch.history(alarm, until)) instants.add(h.at + lag);
      const o = this.ctx.outages.regions.get(alarm.region);
      if (o !== undefined) instants.add(o.from + lag);
      if (o?.until !== undefined) instants.add(o.until + lag);
    }
    const out = [{ at: from, role: this.answer(from) }];
    for (const at of [...instants].filter((i) => i > from && i <= until).sort((a, b) => a - b)) {
      const role = this.answer(at);
      if (role !== out[out.length - 1]?.role) out.push({ at, role });
    }
    return out;
  }

  /** What the check reads from the alarm at `s`: healthy/unhealthy, or undefined (no data, unreachable). */
  private readable(role: RegionRole, s: number): boolean | undefined {
    const alarm = this.cloudwatch.claimAlarm(role);
    if (alarm === undefined) return undefined;
    if (this.ctx.outages.regionDown(alarm.region, s)) return undefined;
    const { state } = this.cloudwatch.stateAt(alarm, s);
    return state === 'INSUFFICIENT_DATA' ? undefined : state === 'OK';
  }

  /**
   * LastKnownStatus: the latest status read before `s`. It can only have ended where the alarm
   * changed state or its region went down, so those instants (just before) are the candidates.
   */
  private lastKnown(role: RegionRole, s: number): boolean {
    const alarm = this.cloudwatch.claimAlarm(role);
    if (alarm === undefined) return true;
    const outage = this.ctx.outages.regions.get(alarm.region);
    const candidates = [
      ...this.cloudwatch.history(alarm, s).map((h) => h.at - JUST_BEFORE),
      ...(outage === undefined ? [] : [outage.from - JUST_BEFORE]),
    ]
      .filter((c) => c < s)
      .sort((a, b) => b - a);
    for (const c of candidates) {
      const known = this.readable(role, c);
      if (known !== undefined) return known;
    }
    return true;
  }
}
