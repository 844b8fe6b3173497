import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
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
  'apiLatencySeconds',
  'crossRegionLatencySeconds',
  'unreachableTimeoutSeconds',
  'lambdaColdStartSeconds',
  'lambdaWarmInvokeSeconds',
  'runbookOperatorReactionSeconds',
  'runbookCdkDeploySeconds',
  'runbookConsoleActionSeconds',
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

function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      return `  - ${path === '(top level)' ? '' : `${path}: `}unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')} (known: ${TIMING_KEYS.join(', ')})`;
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) return `  - ${path}: missing`;
    return `  - ${path}: ${issue.message}`;
  });
  return `${file}: invalid timing model\n${lines.join('\n')}`;
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const where = first.linePos?.[0]
      ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})`
      : '';
    throw new DrillUsageError(`${file}: invalid YAML${where}: ${first.message.split('\n')[0] ?? ''}`);
  }
  return doc.toJS();
}

/** Parse and validate a complete model; throws {@link DrillUsageError} naming the file and each key. */
export function parseTimingModel(text: string, file: string): TimingModel {
  const parsed = ModelSchema.safeParse(parseYaml(text, file));
  if (!parsed.success) throw new DrillUsageError(formatIssues(file, parsed.error));
  return parsed.data;
}

/**
 * Apply an overrides file (`--timing`) to `base`. A bare number replaces the default (the range
 * widens to include it); an object replaces default and, if given, range and provenance.
 */
export function applyTimingOverrides(base: TimingModel, text: string, file: string): TimingModel {
  const raw = parseYaml(text, file) ?? {};
  const parsed = OverridesSchema.safeParse(raw);
  if (!parsed.success) throw new DrillUsageError(formatIssues(file, parsed.error));
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
    const check = EntrySchema.safeParse(entry);
    if (!check.success) {
      throw new DrillUsageError(
        formatIssues(file, new z.ZodError(check.error.issues.map((i) => ({ ...i, path: [key, ...i.path] })))),
      );
    }
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
