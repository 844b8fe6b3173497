// zod/mini: every step parses these lists at cold start, and its bundle size is cold-start time.
import * as z from 'zod/mini';
import { describeIssues } from './describe-issues';
import type { Env } from './env';
import { InvalidInputError } from './errors';

/**
 * The application's resources as one region's failover functions see them: the lists of the config
 * (`databases[]`, `services[]`) resolved to the identifiers of this region (the one a function
 * promotes) and of the other (the one traffic leaves). Infra writes them with
 * {@link databasesEnvironment} / {@link servicesEnvironment}, each function reads them back with
 * {@link readDatabases} / {@link readServices}: one JSON list per kind in one variable, so adding an
 * entry never adds a variable.
 *
 * Every step works over the whole list, and reports each entry by its `name`.
 */

const id = z.string().check(z.minLength(1));
const count = (min: number) => z.int().check(z.minimum(min));

/** `DATABASES[i]`: one Aurora global database. */
const DatabaseResourceSchema = z.strictObject({
  /** The entry's `name` in `databases[]`: how runs, notices and the drill name it. */
  name: id,
  globalClusterId: id,
  /** This region's member cluster: gets the instances, becomes the writer. */
  clusterId: id,
  clusterArn: id,
  /** The other region's member cluster (the writer a switchover leaves). */
  sourceClusterId: id,
  /** Instances this region's cluster must have, all available, before it is promoted. */
  instanceCount: count(1),
  /** Class of the instances a promotion adds. */
  instanceClass: id,
  /** Classes tried in order when RDS refuses `instanceClass` for capacity (may be empty). */
  fallbackInstanceClasses: z.optional(z.array(id)),
  engineVersion: id,
  /**
   * `true` for a database the team deployed (`existing:` in the config; absent otherwise):
   * readiness then says how to fix it in the team's terms, not with pilot-light's stacks.
   */
  existing: z.optional(z.boolean()),
});

/** `SERVICES[i]`: one ECS service, in this region and in the other. */
const ServiceResourceSchema = z.strictObject({
  /** The entry's `name` in `services[]`. */
  name: id,
  /** This region's ECS service (in `ECS_CLUSTER`). */
  ecsService: id,
  /** The desired count a promotion of this region raises it to (never lowers). */
  desiredCount: count(1),
  /**
   * Share of `desiredCount` that must be healthy before traffic may move (tasks rounded up); absent
   * means 1: every task. The service keeps scaling to `desiredCount` after traffic moves.
   */
  servingShare: z.optional(z.number().check(z.positive(), z.maximum(1))),
  /**
   * The SSM parameter this region's service stack deploys its DesiredCount from; absent for a
   * service the team deployed (`existing:`), whose capacity its own tool owns.
   */
  desiredCountParameter: z.optional(id),
  /** The other region's ECS service: fenced to 0 after an unplanned failover. */
  sourceEcsService: id,
  /** The SSM parameter the other region's service stack deploys its DesiredCount from (absent likewise). */
  sourceDesiredCountParameter: z.optional(id),
  /** The container image the service runs (readiness checks it can be pulled). */
  image: id,
  /** `true` for a service the team deployed (`existing:`; absent otherwise), as for databases. */
  existing: z.optional(z.boolean()),
});

export type DatabaseResource = z.infer<typeof DatabaseResourceSchema>;
export type ServiceResource = z.infer<typeof ServiceResourceSchema>;

/**
 * The fields a function may ask for besides `name`. A function's environment holds only the fields
 * it reads (its `env.ts` lists them, infra writes exactly those): Lambda allows 4 KB of environment
 * per function, and 10 services with every field would take most of it.
 */
export type DatabaseField = Exclude<keyof DatabaseResource, 'name'>;
export type ServiceField = Exclude<keyof ServiceResource, 'name'>;
export const DATABASE_FIELDS = [
  'globalClusterId',
  'clusterId',
  'clusterArn',
  'sourceClusterId',
  'instanceCount',
  'instanceClass',
  'fallbackInstanceClasses',
  'engineVersion',
  'existing',
] as const satisfies readonly DatabaseField[];
export const SERVICE_FIELDS = [
  'ecsService',
  'desiredCount',
  'servingShare',
  'desiredCountParameter',
  'sourceEcsService',
  'sourceDesiredCountParameter',
  'image',
  'existing',
] as const satisfies readonly ServiceField[];

/** A database with `name` and the fields `F`. */
export type DatabaseOf<F extends DatabaseField> = Pick<DatabaseResource, 'name' | F>;
/** A service with `name` and the fields `F`. */
export type ServiceOf<F extends ServiceField> = Pick<ServiceResource, 'name' | F>;

function mask<K extends string>(fields: readonly K[]): { [P in K | 'name']?: true } {
  return Object.fromEntries(['name', ...fields].map((f) => [f, true])) as { [P in K | 'name']?: true };
}

function pickFields<T extends { readonly name: string }>(
  entries: readonly T[],
  fields: readonly string[],
): unknown[] {
  const keep = new Set(['name', ...fields]);
  return entries.map((entry) => Object.fromEntries(Object.entries(entry).filter(([key]) => keep.has(key))));
}

/** The variables the lists live in. */
export const DATABASES_ENV = 'DATABASES';
export const SERVICES_ENV = 'SERVICES';

function readList<T>(env: Env, name: string, schema: z.ZodMiniType<T>): T[] {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    throw new InvalidInputError(`missing environment variable(s): ${name}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err: unknown) {
    throw new InvalidInputError(`environment variable ${name}: expected a JSON list, got '${raw}'`, {
      cause: err,
    });
  }
  const parsed = z.array(schema).check(z.minLength(1)).safeParse(json, { reportInput: true });
  if (!parsed.success) {
    throw new InvalidInputError(
      `environment variable ${name}: ${describeIssues(parsed.error, name).join('; ')}`,
    );
  }
  const names = parsed.data.map((entry) => (entry as { name: string }).name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw new InvalidInputError(`environment variable ${name}: expected unique names, ${repeated} repeats`);
  }
  return parsed.data;
}

/**
 * The databases this region's functions act on ({@link DATABASES_ENV}), each with `name` and
 * exactly `fields` (default: every field).
 *
 * @throws InvalidInputError naming the variable (and the entry and field) when missing or malformed
 */
export function readDatabases<F extends DatabaseField = DatabaseField>(
  env: Env,
  fields: readonly F[] = DATABASE_FIELDS as readonly DatabaseField[] as readonly F[],
): DatabaseOf<F>[] {
  return readList(
    env,
    DATABASES_ENV,
    z.pick(DatabaseResourceSchema, mask(fields) as { name: true }),
  ) as DatabaseOf<F>[];
}

/**
 * The services this region's functions act on ({@link SERVICES_ENV}), each with `name` and exactly
 * `fields` (default: every field).
 *
 * @throws InvalidInputError naming the variable (and the entry and field) when missing or malformed
 */
export function readServices<F extends ServiceField = ServiceField>(
  env: Env,
  fields: readonly F[] = SERVICE_FIELDS as readonly ServiceField[] as readonly F[],
): ServiceOf<F>[] {
  return readList(
    env,
    SERVICES_ENV,
    z.pick(ServiceResourceSchema, mask(fields) as { name: true }),
  ) as ServiceOf<F>[];
}

/**
 * The value of {@link DATABASES_ENV} that {@link readDatabases} with the same `fields` reads back
 * as `databases` (default: every field).
 */
export function databasesEnvironment(
  databases: readonly DatabaseResource[],
  fields: readonly DatabaseField[] = DATABASE_FIELDS,
): string {
  return JSON.stringify(pickFields(databases, fields));
}

/**
 * The value of {@link SERVICES_ENV} that {@link readServices} with the same `fields` reads back as
 * `services` (default: every field).
 */
export function servicesEnvironment(
  services: readonly ServiceResource[],
  fields: readonly ServiceField[] = SERVICE_FIELDS,
): string {
  return JSON.stringify(pickFields(services, fields));
}

/**
 * One resource's state inside a step's result (`StepResult.resources`): the step is READY when
 * every entry is done.
 */
export interface ResourceProgress {
  readonly kind: 'database' | 'service' | 'bucket' | 'hostname';
  /** The entry's `name` in its list. */
  readonly name: string;
  readonly done: boolean;
  /** One clause: where this resource stands, e.g. `orders: 2/2 instance(s) available`. */
  readonly detail: string;
  /** promotion: what was used against this database's global cluster. */
  readonly modeUsed?: 'planned' | 'unplanned';
}
