import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { describeIssues, formatIssueList, type IssueList } from '../lambdas/shared/describe-issues';
import { parseYaml } from '../lambdas/shared/parse-yaml';
import { DrillUsageError } from './errors';
import { seededRandom } from './rng';

/** Every duration of the simulated AWS (seconds). The model file must define exactly these. */
export const TIMING_KEYS = [
  'dbInstanceCreateSeconds',
  'switchoverSeconds',
  'failoverSeconds',
  'replicationLagSeconds',
  'asgInstanceLaunchSeconds',
  'ecsInstanceRegistrationSeconds',
  'taskStartSeconds',
  'route53PropagationSeconds',
  'route53ChangeProcessingSeconds',
  'alarmEvaluationDelaySeconds',
  'route53HealthCheckLagSeconds',
  'targetHealthySeconds',
  'apiLatencySeconds',
  'crossRegionLatencySeconds',
  'unreachableTimeoutSeconds',
  'lambdaColdStartSeconds',
  'lambdaWarmInvokeSeconds',
  'runbookOperatorReactionSeconds',
  'runbookCdkDeploySeconds',
  'runbookConsoleActionSeconds',
  // Last, so a seeded run draws every earlier key as before.
  's3WriteIntervalSeconds',
  's3ReplicationLagSeconds',
  'asgLaunchRetrySeconds',
] as const;

export type TimingKey = (typeof TIMING_KEYS)[number];
/** One value per key: what a single drill uses. */
export type Timings = Readonly<Record<TimingKey, number>>;

/** The bundled model. */
export const DEFAULT_TIMING_FILE = resolve(__dirname, 'timing-model.yml');

const seconds = z.number().min(0).max(86_400);

const EntrySchema = z
  .strictObject({
    default: seconds,
    range: z.tuple([seconds, seconds]),
    source: z.string().min(1).optional(),
    assumption: z.boolean().optional(),
  })
  .superRefine((e, ctx) => {
    const [min, max] = e.range;
    if (min > max) {
      ctx.addIssue({ code: 'custom', path: ['range'], message: `expected min <= max, got [${min}, ${max}]` });
    } else if (e.default < min || e.default > max) {
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `expected a value within range [${min}, ${max}], got ${e.default}`,
      });
    }
    if (e.source === undefined && e.assumption !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['source'],
        message: 'expected a source, or assumption: true when AWS publishes no number',
      });
    }
  });

/** One duration with its provenance. */
export type TimingEntry = z.infer<typeof EntrySchema>;
/** The whole model: every key, each with its default, range and source. */
export type TimingModel = Readonly<Record<TimingKey, TimingEntry>>;

const ModelSchema = z.strictObject(
  Object.fromEntries(TIMING_KEYS.map((k) => [k, EntrySchema])) as Record<TimingKey, typeof EntrySchema>,
);

const OverrideEntrySchema = z.union([
  seconds,
  z.strictObject({
    default: seconds,
    range: z.tuple([seconds, seconds]).optional(),
    source: z.string().min(1).optional(),
    assumption: z.boolean().optional(),
  }),
]);
const OverridesSchema = z.strictObject(
  Object.fromEntries(TIMING_KEYS.map((k) => [k, OverrideEntrySchema.optional()])) as Record<
    TimingKey,
    z.ZodOptional<typeof OverrideEntrySchema>
  >,
);

/** `file: invalid timing model`, one line per problem, and the known keys when one is unknown. */
function invalidModel(file: string, error: IssueList, root?: string): DrillUsageError {
  const lines = describeIssues(error, root);
  const unknownKey = error.issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
  const known = unknownKey ? `\n  known keys: ${TIMING_KEYS.join(', ')}` : '';
  return new DrillUsageError(`${formatIssueList(`${file}: invalid timing model`, lines)}${known}`);
}

function parseTimingYaml(text: string, file: string): unknown {
  return parseYaml(text, file, (message) => new DrillUsageError(message));
}

/** Parse and validate a complete model; throws {@link DrillUsageError} naming the file and each key. */
export function parseTimingModel(text: string, file: string): TimingModel {
  const parsed = ModelSchema.safeParse(parseTimingYaml(text, file), { reportInput: true });
  if (!parsed.success) throw invalidModel(file, parsed.error);
  return parsed.data;
}

/**
 * Apply an overrides file (`--timing`) to `base`. A bare number replaces the default (the range
 * widens to include it); an object replaces default and, if given, range and provenance.
 */
export function applyTimingOverrides(base: TimingModel, text: string, file: string): TimingModel {
  const raw = parseTimingYaml(text, file) ?? {};
  const parsed = OverridesSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw invalidModel(file, parsed.error);
  const merged: Record<string, TimingEntry> = { ...base };
  for (const key of TIMING_KEYS) {
    const o = parsed.data[key];
    if (o === undefined) continue;
    const was = base[key];
    const entry: TimingEntry =
      typeof o === 'number'
        ? {
            ...was,
            default: o,
            range: [Math.min(was.range[0], o), Math.max(was.range[1], o)],
            source: `${file} (override)`,
          }
        : {
            ...was,
            ...o,
            range: o.range ?? [Math.min(was.range[0], o.default), Math.max(was.range[1], o.default)],
            source: o.source ?? `${file} (override)`,
          };
    const check = EntrySchema.safeParse(entry, { reportInput: true });
    if (!check.success) throw invalidModel(file, check.error, key);
    merged[key] = check.data;
  }
  return merged as TimingModel;
}

/** The bundled model, with `overridesFile` applied when given. */
export function loadTimingModel(overridesFile?: string): TimingModel {
  const base = parseTimingModel(readFileSync(DEFAULT_TIMING_FILE, 'utf8'), 'drill/timing-model.yml');
  if (overridesFile === undefined) return base;
  if (!existsSync(overridesFile)) throw new DrillUsageError(`--timing: no such file: ${overridesFile}`);
  return applyTimingOverrides(base, readFileSync(overridesFile, 'utf8'), overridesFile);
}

/** Defaults, or (with a seed) one uniform draw per key from its range, reproducible per seed. */
export function sampleTimings(model: TimingModel, seed?: number): Timings {
  const random = seed === undefined ? undefined : seededRandom(seed);
  const out: Partial<Record<TimingKey, number>> = {};
  for (const key of TIMING_KEYS) {
    const { default: value, range } = model[key];
    out[key] = random === undefined ? value : range[0] + (range[1] - range[0]) * random();
  }
  return out as Timings;
}

/**
 * Durations of the seed's manual runbook that are people and tooling, not AWS: `--scale` leaves
 * them as they are (a faster AWS does not make an operator react faster).
 */
export const RUNBOOK_TIMING_KEYS: readonly TimingKey[] = [
  'runbookOperatorReactionSeconds',
  'runbookCdkDeploySeconds',
  'runbookConsoleActionSeconds',
];

/** Every AWS duration of `t` multiplied by `factor` (after seeding); the runbook's people and tooling unchanged. */
export function scaleTimings(t: Timings, factor: number): Timings {
  return Object.fromEntries(
    TIMING_KEYS.map((k) => [k, RUNBOOK_TIMING_KEYS.includes(k) ? t[k] : t[k] * factor]),
  ) as Timings;
}
