import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { type DBCluster, DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { Route53Client } from '@aws-sdk/client-route-53';
import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
// zod/mini: the same validation at a fraction of the bundle size (cold start).
import * as z from 'zod/mini';
import { readDnsProgress } from '../flip-dns/flip-dns';
import { readPromotionProgress } from '../promote-database/promote-database';
import { readDatabaseProgress } from '../scale-database/scale-database';
import { readServiceProgress } from '../scale-service/scale-service';
import {
  type ExecutionInput,
  FAILOVER_MODES,
  MAX_REASON_LENGTH,
  type PreflightEvent,
  type PreflightResult,
  type PreflightStatus,
  type ResolvedMode,
  STEP_NAMES,
  type StepName,
  type Timings,
} from '../shared/contracts';
import {
  type Env,
  parseIntVar,
  REGION_ENV,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import {
  asError,
  awsCall,
  InvalidInputError,
  isThrottling,
  isTransient,
  TransientAwsError,
} from '../shared/errors';
import { withTimeout } from '../shared/timeout';

export interface PreflightSettings extends RegionSettings {
  readonly globalClusterId: string;
  readonly targetClusterId: string;
  readonly sourceClusterId: string;
  readonly dbInstanceCount: number;
  readonly asgName: string;
  readonly asgMinCapacity: number;
  readonly ecsCluster: string;
  readonly ecsService: string;
  readonly serviceDesiredCount: number;
  readonly hostedZoneId: string;
  readonly recordName: string;
  readonly targetRecordName: string;
  /** After an execution that promoted, later triggers end without acting for this long. 0 = off. */
  readonly coolDownMinutes: number;
  /** How long the source region's RDS API may take to answer the probe. */
  readonly sourceProbeTimeoutMs: number;
  readonly timings: Timings;
}

export interface PreflightClients {
  readonly sfn: SFNClient;
  /** RDS in the target region. */
  readonly rds: RDSClient;
  /** RDS in the source region (may be down: only probed, with a timeout). */
  readonly sourceRds: RDSClient;
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly route53: Route53Client;
}

const timingFields = {
  expectedWaitSeconds: z.int().check(z.minimum(0)),
  pollSeconds: z.int().check(z.minimum(1)),
  maxAttempts: z.int().check(z.minimum(1)),
};
const TimingSchema = z.strictObject(timingFields);
const TimingsSchema = z.strictObject({
  database: TimingSchema,
  service: TimingSchema,
  promotion: z.strictObject({ ...timingFields, unplannedExpectedWaitSeconds: z.int().check(z.minimum(0)) }),
  dns: TimingSchema,
});

const ExecutionInputSchema = z.strictObject({
  mode: z.enum(FAILOVER_MODES, { error: `expected one of ${FAILOVER_MODES.join(', ')}` }),
  reason: z
    .string({ error: 'expected a string' })
    .check(
      z.trim(),
      z.minLength(1, { error: 'expected a non-empty string' }),
      z.maxLength(MAX_REASON_LENGTH, { error: `expected at most ${MAX_REASON_LENGTH} characters` }),
    ),
  dryRun: z.optional(z.boolean({ error: 'expected a boolean' })),
});

/** One line per issue, each naming the field (`input.mode`) and what was expected. */
function describeIssues(root: string, error: { readonly issues: readonly z.core.$ZodIssue[] }): string {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${path}.${k}: unexpected field`).join('; ');
      }
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * Validate the execution input (`{ mode, reason, dryRun? }`, nothing else); throws
 * InvalidInputError naming each bad field and what was expected.
 */
export function parseExecutionInput(input: unknown): ExecutionInput {
  const parsed = ExecutionInputSchema.safeParse(input);
  if (!parsed.success) {
    const hint = input === null || typeof input !== 'object' ? ' (expected an object)' : '';
    throw new InvalidInputError(`invalid execution input${hint}: ${describeIssues('input', parsed.error)}`);
  }
  return parsed.data;
}

function parseTimings(raw: string): Timings {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err: unknown) {
    throw new InvalidInputError(`environment variable TIMINGS: expected JSON, got '${raw}'`, { cause: err });
  }
  const parsed = TimingsSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(`environment variable TIMINGS: ${describeIssues('TIMINGS', parsed.error)}`);
  }
  return parsed.data;
}

/** Read the preflight settings; throws InvalidInputError naming missing or malformed variables. */
export function readPreflightSettings(env: Env): PreflightSettings {
  const raw = requireEnv(
    [
      ...REGION_ENV,
      'GLOBAL_CLUSTER_ID',
      'TARGET_CLUSTER_ID',
      'SOURCE_CLUSTER_ID',
      'DB_INSTANCE_COUNT',
      'ASG_NAME',
      'ASG_MIN_CAPACITY',
      'ECS_CLUSTER',
      'ECS_SERVICE',
      'SERVICE_DESIRED_COUNT',
      'HOSTED_ZONE_ID',
      'RECORD_NAME',
      'TARGET_RECORD_NAME',
      'COOL_DOWN_MINUTES',
      'SOURCE_PROBE_TIMEOUT_MS',
      'TIMINGS',
    ],
    env,
  );
  return {
    ...regionSettings(raw),
    globalClusterId: raw.GLOBAL_CLUSTER_ID,
    targetClusterId: raw.TARGET_CLUSTER_ID,
    sourceClusterId: raw.SOURCE_CLUSTER_ID,
    dbInstanceCount: parseIntVar('DB_INSTANCE_COUNT', raw.DB_INSTANCE_COUNT, 1),
    asgName: raw.ASG_NAME,
    asgMinCapacity: parseIntVar('ASG_MIN_CAPACITY', raw.ASG_MIN_CAPACITY, 1),
    ecsCluster: raw.ECS_CLUSTER,
    ecsService: raw.ECS_SERVICE,
    serviceDesiredCount: parseIntVar('SERVICE_DESIRED_COUNT', raw.SERVICE_DESIRED_COUNT, 1),
    hostedZoneId: raw.HOSTED_ZONE_ID,
    recordName: raw.RECORD_NAME,
    targetRecordName: raw.TARGET_RECORD_NAME,
    coolDownMinutes: parseIntVar('COOL_DOWN_MINUTES', raw.COOL_DOWN_MINUTES),
    sourceProbeTimeoutMs: parseIntVar('SOURCE_PROBE_TIMEOUT_MS', raw.SOURCE_PROBE_TIMEOUT_MS, 1),
    timings: parseTimings(raw.TIMINGS),
  };
}

function parseStartTime(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidInputError(`startTime: expected an ISO timestamp, got '${value}'`);
  }
  return date;
}

/** The earliest other RUNNING execution that started before this one (ties: lower ARN first). */
async function findEarlierRunning(sfn: SFNClient, event: PreflightEvent, startTime: Date) {
  const running: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('ListExecutions', () =>
      sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: event.stateMachineArn,
          statusFilter: 'RUNNING',
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      ),
    );
    running.push(...(page.executions ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  const own = startTime.getTime();
  const earlier = running.filter((e) => {
    if (e.executionArn === event.executionArn || e.startDate === undefined) return false;
    const t = e.startDate.getTime();
    return t < own || (t === own && (e.executionArn ?? '') < event.executionArn);
  });
  earlier.sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0));
  return earlier[0];
}

interface RecentPromotion {
  readonly executionArn: string;
  readonly stopDate: Date;
  readonly coolDownEnds: Date;
}

/** The latest SUCCEEDED execution within the cool-down whose output says it promoted. */
async function findRecentPromotion(
  sfn: SFNClient,
  stateMachineArn: string,
  coolDownMinutes: number,
  now: Date,
): Promise<RecentPromotion | undefined> {
  if (coolDownMinutes === 0) return undefined;
  const windowMs = coolDownMinutes * 60_000;
  const page = await awsCall('ListExecutions', () =>
    sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED', maxResults: 20 })),
  );
  const recent = (page.executions ?? [])
    .filter((e) => e.stopDate !== undefined && e.executionArn !== undefined)
    .filter((e) => now.getTime() - (e.stopDate?.getTime() ?? 0) < windowMs)
    .sort((a, b) => (b.stopDate?.getTime() ?? 0) - (a.stopDate?.getTime() ?? 0));
  for (const e of recent) {
    if (e.executionArn === undefined || e.stopDate === undefined) continue;
    const arn = e.executionArn;
    const described = await awsCall('DescribeExecution', () =>
      sfn.send(new DescribeExecutionCommand({ executionArn: arn })),
    );
    if (outcomeOf(described.output) === 'PROMOTED') {
      return {
        executionArn: arn,
        stopDate: e.stopDate,
        coolDownEnds: new Date(e.stopDate.getTime() + windowMs),
      };
    }
  }
  return undefined;
}

function outcomeOf(output: string | undefined): unknown {
  if (output === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(output);
    return parsed !== null && typeof parsed === 'object'
      ? (parsed as { outcome?: unknown }).outcome
      : undefined;
  } catch {
    // Outputs of executions that ended early (or of other versions) need not be JSON objects.
    return undefined;
  }
}

interface SourceProbe {
  /** The source region's RDS API answered in time. */
  readonly reachable: boolean;
  /** The source cluster reported `available`. */
  readonly available: boolean;
  readonly detail: string;
}

/** Ask the source region's RDS API about the source cluster, within the probe timeout. */
async function probeSource(rds: RDSClient, settings: PreflightSettings): Promise<SourceProbe> {
  const what = `DescribeDBClusters ${settings.sourceClusterId} in ${settings.sourceRegion}`;
  try {
    const out = await withTimeout(
      (abortSignal) =>
        rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: settings.sourceClusterId }), {
          abortSignal,
        }),
      settings.sourceProbeTimeoutMs,
      what,
    );
    const cluster: DBCluster | undefined = out.DBClusters?.[0];
    const status = cluster?.Status ?? 'missing';
    return { reachable: true, available: status === 'available', detail: `source cluster ${status}` };
  } catch (err: unknown) {
    const e = asError(err);
    // Throttling proves the source answers but says nothing of its health: retry the preflight rather
    // than choose a failover that loses data over our own request rate.
    if (isThrottling(e)) throw new TransientAwsError(`${what}: ${e.name}: ${e.message}`, { cause: e });
    // A modeled answer (e.g. DBClusterNotFoundFault) means the API is up; 5xx and timeouts mean it is not.
    const reachable = !isTransient(e);
    return {
      reachable,
      available: false,
      detail: `source ${reachable ? 'cluster' : 'region'}: ${e.name}: ${e.message}`,
    };
  }
}

const NOTHING_DONE: Readonly<Record<StepName, boolean>> = {
  database: false,
  service: false,
  promotion: false,
  dns: false,
};

function describePlan(
  settings: PreflightSettings,
  mode: ResolvedMode,
  done: Readonly<Record<StepName, boolean>>,
): string {
  const actions: Record<StepName, string> = {
    database: `add ${settings.dbInstanceCount} instance(s) to ${settings.targetClusterId}`,
    service: `scale ${settings.ecsService} to ${settings.serviceDesiredCount} task(s) (ASG ≥ ${settings.asgMinCapacity})`,
    promotion:
      mode === 'planned'
        ? `switch over ${settings.globalClusterId} (planned, no data loss)`
        : `fail over ${settings.globalClusterId} (unplanned, data loss allowed)`,
    dns: `point ${settings.recordName} at ${settings.targetRecordName}`,
  };
  const todo = STEP_NAMES.filter((s) => !done[s]).map((s) => actions[s]);
  const skipped = STEP_NAMES.filter((s) => done[s]);
  return `${todo.join(', ')}${skipped.length > 0 ? ` (already done: ${skipped.join(', ')})` : ''}`;
}

/**
 * Preflight: validate the execution input, enforce single flight and the cool-down, read every
 * step's state (the same read-only checks the steps use), resolve `auto` to planned or unplanned,
 * and decide the status the state machine branches on. Changes nothing in AWS.
 *
 * For IN_FLIGHT and COOL_DOWN nothing else is read: `alreadyDone` is all false, `sourceReachable`
 * false, and `mode` is the requested one (`auto` reported as `planned`, its first choice).
 *
 * @throws InvalidInputError the execution input (or `startTime`) is malformed — before any AWS call
 * @throws ResourceNotFoundError the global cluster, target cluster, ASG, service or zone is missing
 * @throws InvalidStateError the target cluster is not a member of the global cluster
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
 */
export async function preflight(
  event: PreflightEvent,
  settings: PreflightSettings,
  clients: PreflightClients,
): Promise<PreflightResult> {
  const input = parseExecutionInput(event.input);
  const startTime = parseStartTime(event.startTime);
  const now = new Date();
  const requestedMode = input.mode;
  const dryRun = input.dryRun ?? false;
  const base = {
    requestedMode,
    reason: input.reason,
    dryRun,
    targetRegion: settings.targetRegion,
    sourceRegion: settings.sourceRegion,
    timings: settings.timings,
    checkedAt: now.toISOString(),
  };
  const idle = (status: PreflightStatus, message: string): PreflightResult => ({
    ...base,
    status,
    mode: requestedMode === 'auto' ? 'planned' : requestedMode,
    sourceReachable: false,
    alreadyDone: NOTHING_DONE,
    message,
  });

  const earlier = await findEarlierRunning(clients.sfn, event, startTime);
  if (earlier !== undefined) {
    return idle(
      'IN_FLIGHT',
      `Execution ${earlier.executionArn ?? 'unknown'} (started ${earlier.startDate?.toISOString() ?? 'earlier'}) ` +
        'is already promoting this region, so this one ends without acting.',
    );
  }
  const recent = await findRecentPromotion(clients.sfn, event.stateMachineArn, settings.coolDownMinutes, now);
  if (recent !== undefined) {
    return idle(
      'COOL_DOWN',
      `Execution ${recent.executionArn} promoted ${settings.targetRegion} at ${recent.stopDate.toISOString()}; ` +
        `the ${settings.coolDownMinutes}-minute cool-down ends at ${recent.coolDownEnds.toISOString()}, so this one ends without acting.`,
    );
  }

  const [database, service, dns, probe] = await Promise.all([
    readDatabaseProgress(clients.rds, settings),
    readServiceProgress(clients, settings),
    readDnsProgressTolerant(clients.route53, settings),
    probeSource(clients.sourceRds, settings),
  ]);
  const promotion = await readPromotionProgress(clients.rds, {
    globalClusterId: settings.globalClusterId,
    targetClusterArn: database.clusterArn,
  });
  const alreadyDone = {
    database: database.done,
    service: service.done,
    promotion: promotion.done,
    dns: dns.done,
  };
  const canSwitchOver = probe.reachable && probe.available && promotion.healthy;
  const mode: ResolvedMode =
    requestedMode === 'auto' ? (canSwitchOver ? 'planned' : 'unplanned') : requestedMode;
  const why =
    requestedMode === 'auto'
      ? ` (auto: ${settings.sourceRegion} ${canSwitchOver ? 'answers and the global cluster is healthy' : `cannot switch over — ${probe.detail}; global cluster ${promotion.globalStatus}`})`
      : '';
  const result = { ...base, mode, sourceReachable: probe.reachable, alreadyDone };
  if (STEP_NAMES.every((s) => alreadyDone[s])) {
    return {
      ...result,
      status: 'ALREADY_PROMOTED',
      message: `${settings.targetRegion} is already promoted (instances available, service stable, writer, DNS pointed here); nothing to do.`,
    };
  }
  const plan = describePlan(settings, mode, alreadyDone);
  const dnsNote = dns.unknown ? ' (the DNS record could not be read; the flip will be attempted)' : '';
  if (dryRun) {
    return {
      ...result,
      status: 'DRY_RUN',
      message: `Dry run: would ${plan} in ${settings.targetRegion}${why}${dnsNote}.`,
    };
  }
  return {
    ...result,
    status: 'PROCEED',
    message: `Promoting ${settings.targetRegion}: ${plan}${why}${dnsNote}.`,
  };
}

/**
 * The Route 53 control plane lives in us-east-1, often the region being left: a transient failure
 * to read the record must not stop the failover, so it counts as "not done" (the flip retries).
 */
async function readDnsProgressTolerant(
  route53: Route53Client,
  settings: PreflightSettings,
): Promise<{ readonly done: boolean; readonly unknown: boolean }> {
  try {
    return { done: (await readDnsProgress(route53, settings)).done, unknown: false };
  } catch (err: unknown) {
    if (!isTransient(err)) throw err;
    return { done: false, unknown: true };
  }
}
