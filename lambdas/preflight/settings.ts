import type { DnsTarget } from '../flip-dns/progress';
import type { ServiceTarget } from '../scale-service/progress';
import type { Timings } from '../shared/contracts';
import { describeIssues } from '../shared/describe-issues';
import {
  type Env,
  parseIntVar,
  parseListVar,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import { InvalidInputError } from '../shared/errors';
import { type DatabaseOf, readDatabases, readServices } from '../shared/resources';
import { WaitSettingsSchema } from '../shared/wait-settings-schema';
import { type ApprovalSettings, parseApprovalEnv } from './approval';
import { PREFLIGHT_DATABASE_FIELDS, PREFLIGHT_ENV, PREFLIGHT_SERVICE_FIELDS } from './env';
import type { SecondOpinionSettings } from './second-opinion';

/** A `DATABASES` entry as preflight reads it. */
export type PreflightDatabase = DatabaseOf<(typeof PREFLIGHT_DATABASE_FIELDS)[number]>;

/** What preflight reads: every step's target (to tell what is done), the guards' and the probe's settings. */
export interface PreflightSettings extends RegionSettings, ServiceTarget, DnsTarget, SecondOpinionSettings {
  /** Every database, in config order: its instances, its promotion and its source cluster are read. */
  readonly databases: readonly PreflightDatabase[];
  /** The hosted zone's name: its name servers tell where the application's hostnames answer. */
  readonly zoneName: string;
  /** After an execution that promoted, later triggers end without acting for this long. 0 = off. */
  readonly coolDownMinutes: number;
  /** How long the source region's RDS API may take to answer the probe. */
  readonly sourceProbeTimeoutMs: number;
  readonly timings: Timings;
  /** `failover.approval`: whether runs wait for a person after preflight. */
  readonly approval: ApprovalSettings;
}

function parseTimings(raw: string): Timings {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err: unknown) {
    throw new InvalidInputError(`environment variable TIMINGS: expected JSON, got '${raw}'`, { cause: err });
  }
  const parsed = WaitSettingsSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    throw new InvalidInputError(
      `environment variable TIMINGS: ${describeIssues(parsed.error, 'TIMINGS').join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * Read the preflight settings ({@link PREFLIGHT_ENV}, the lists with the fields
 * {@link PREFLIGHT_DATABASE_FIELDS} and {@link PREFLIGHT_SERVICE_FIELDS}); throws InvalidInputError
 * naming missing or malformed variables (and, for a list, the entry and field).
 */
export function readPreflightSettings(env: Env): PreflightSettings {
  const raw = requireEnv(PREFLIGHT_ENV, env);
  return {
    ...regionSettings(raw),
    databases: readDatabases(raw, PREFLIGHT_DATABASE_FIELDS),
    asgName: raw.ASG_NAME,
    asgMinCapacity: parseIntVar('ASG_MIN_CAPACITY', raw.ASG_MIN_CAPACITY, 1),
    ecsCluster: raw.ECS_CLUSTER,
    services: readServices(raw, PREFLIGHT_SERVICE_FIELDS),
    zoneName: raw.ZONE_NAME,
    recordNames: parseListVar('RECORD_NAMES', raw.RECORD_NAMES),
    targetRecordName: raw.TARGET_RECORD_NAME,
    sourceRecordName: raw.SOURCE_RECORD_NAME,
    coolDownMinutes: parseIntVar('COOL_DOWN_MINUTES', raw.COOL_DOWN_MINUTES),
    sourceProbeTimeoutMs: parseIntVar('SOURCE_PROBE_TIMEOUT_MS', raw.SOURCE_PROBE_TIMEOUT_MS, 1),
    sourceHealthUrl: raw.SOURCE_HEALTH_URL,
    sourceHealthRequests: parseIntVar('SOURCE_HEALTH_REQUESTS', raw.SOURCE_HEALTH_REQUESTS, 1),
    sourceHealthTimeoutMs: parseIntVar('SOURCE_HEALTH_TIMEOUT_MS', raw.SOURCE_HEALTH_TIMEOUT_MS, 1),
    timings: parseTimings(raw.TIMINGS),
    approval: parseApprovalEnv(
      raw.APPROVAL_REQUIRED,
      parseIntVar('APPROVAL_TIMEOUT_SECONDS', raw.APPROVAL_TIMEOUT_SECONDS, 1),
      raw.APPROVAL_ON_TIMEOUT,
    ),
  };
}
