/**
 * Readiness: whether this region could be promoted now, judged by read-only checks
 * (`lambdas/readiness`). Defined once here: the readiness Lambda produces it, the CLI prints it, the
 * state machine carries it (`$.readiness`) into the start and approval notices and the run record,
 * and the drill's readiness faults each turn one check red.
 */

/** The checks, in the order they are printed. Each is also a `Check` dimension of the metric. */
export const READINESS_CHECK_IDS = [
  'global-cluster',
  'replication-lag',
  'instance-class',
  'launch-template',
  'capacity-limits',
  'capacity-reservations',
  'task-definition',
  'traffic-routing',
  'certificate',
  'orchestrator',
  'quotas',
  's3-replication',
  'backups',
] as const;
export type ReadinessCheckId = (typeof READINESS_CHECK_IDS)[number];

/**
 * PASS: verified. FAIL: verified not ready (a finding says what, why, how to fix). UNKNOWN: could
 * not be read (throttled, timed out, denied); counts as not ready, since nothing proves it ready.
 */
export const READINESS_STATUSES = ['PASS', 'FAIL', 'UNKNOWN'] as const;
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];

/** One check's outcome: for a FAIL or UNKNOWN, a finding a person can act on. */
export interface ReadinessCheck {
  readonly id: ReadinessCheckId;
  readonly status: ReadinessStatus;
  /** What was checked, in one line (e.g. `db.r6g.large orderable for aurora-postgresql 16.6 in us-west-2a, b, c`). */
  readonly what: string;
  /** Why it failed or could not be read (absent on PASS). */
  readonly why?: string;
  /** How to fix it: a command or the config key to change (absent on PASS). */
  readonly fix?: string;
}

/** One evaluation of one region. */
export interface ReadinessReport {
  /** The region this evaluation is about: the one a failover would promote. */
  readonly role: 'main' | 'dr';
  readonly region: string;
  /** ISO time of the evaluation. */
  readonly evaluatedAt: string;
  /** True when every check is PASS. */
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
  /** The latest AuroraGlobalDBReplicationLag of this region's cluster, when read (the data-loss window of an unplanned failover). */
  readonly replicationLagSeconds?: number;
  /** When that lag was measured (ISO). */
  readonly replicationLagAt?: string;
}

/**
 * The tag on each On-Demand Capacity Reservation the service stack keeps for a promotion, valued
 * with the Auto Scaling group's name: the `capacity-reservations` check finds them by it.
 */
export const CAPACITY_RESERVATION_TAG = 'pilot-light:capacity-for';

/** CloudWatch namespace of the readiness metrics. */
export const READINESS_NAMESPACE = 'PilotLight/Readiness';
/** Metric per check (dimensions Project, Role, Check) and overall (Project, Role): 1 ready, 0 not. */
export const READINESS_METRIC = 'Ready';
