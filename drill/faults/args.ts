import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { DrillUsageError } from '../errors';
import type { World } from '../sim/world';

/** What every fault is made of, and how its `:argument` is read. */

/** A rerun after a failed first execution. */
export interface Rerun {
  readonly fix: () => void;
  readonly delaySeconds: number;
  /** What the progress line says before the rerun. @default 'fault fixed' */
  readonly reason?: string;
}

/** What a fault asks of the drill besides changing the world. */
export interface ScenarioEffects {
  /** Start a second execution this many simulated seconds after the first. */
  secondTriggerAfterSeconds?: number;
  /** After the first execution fails, apply `fix` and run again `delaySeconds` later. */
  rerun?: Rerun;
  /** Task states whose next invocation(s) fail with `Lambda.ServiceException`, with counts. */
  readonly lambdaServiceExceptions: Map<string, number>;
}

/** The config lists a fault's argument may name one entry of, in the order usage lists them. */
export const ENTRY_KINDS = ['database', 'service', 'bucket'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** One fault: what `--fault` prints for it, its optional argument, and what it does. */
export interface FaultDefinition {
  readonly summary: string;
  /**
   * What the optional `:argument` means, and its default. `kind` is how it is read: a positive
   * number, a whole one, a name, `name-int` / `name-number`: a name, a count or both (`name:count`,
   * see {@link nameAndCount}), `kind-name`: an entry of any list (`database:orders`, see
   * {@link kindAndName}), `database-classes`: DB instance classes, of one database or every one
   * (`orders:db.r6g.large+db.r7g.large@us-west-2a`, see {@link databaseAndClasses}), `types-zones`: EC2
   * instance types, in some zones or every one (`t3.small+t3a.small@us-west-2a`, see
   * {@link typesAndZones}), `instance-type`: one EC2 instance type (see {@link instanceTypeArgument}). `entry`: the name is one entry of that config list (checked against
   * the project's when the fault is applied, see {@link entryOf}).
   */
  readonly argument?: {
    readonly meaning: string;
    readonly default: string;
    readonly kind:
      | 'number'
      | 'int'
      | 'name'
      | 'name-int'
      | 'name-number'
      | 'kind-name'
      | 'database-classes'
      | 'types-zones'
      | 'instance-type';
    readonly entry?: EntryKind;
  };
  /**
   * Why the fault cannot run on `config` promoting `role` (it needs something the config does not
   * deploy), or undefined when it can. Absent: it runs on every config.
   */
  readonly needs?: (config: ProjectConfig, role: RegionRole) => string | undefined;
  apply(world: World, effects: ScenarioEffects, argument: string | undefined): void;
}

export function positiveNumber(fault: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new DrillUsageError(`--fault ${fault}:${raw}: expected a positive number after ':'`);
  }
  return n;
}

export function positiveInt(fault: string, raw: string): number {
  const n = positiveNumber(fault, raw);
  if (!Number.isInteger(n))
    throw new DrillUsageError(`--fault ${fault}:${raw}: expected a whole number after ':'`);
  return n;
}

/** A name is lower case and starts with a letter (as config entry names do); a count is digits. */
const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Read a `name-int` (`whole`) or `name-number` argument: `name`, `count` or `name:count` (a name
 * never starts with a digit, so the two never mix up). Either part may be absent; the caller
 * applies the defaults.
 */
export function nameAndCount(
  fault: string,
  raw: string,
  whole: boolean,
): { readonly name?: string; readonly count?: number } {
  const parts = raw.split(':');
  const [first = '', second] = parts;
  const count = (x: string) => (whole ? positiveInt(fault, x) : positiveNumber(fault, x));
  if (parts.length > 2 || (second !== undefined && !NAME.test(first))) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: expected name, ${whole ? 'a whole number' : 'a number'}, or name:number after ':'`,
    );
  }
  if (second !== undefined) return { name: first, count: count(second) };
  return NAME.test(first) ? { name: first } : { count: count(first) };
}

/** {@link nameAndCount} of a whole count. */
export function nameAndInt(fault: string, raw: string): { readonly name?: string; readonly count?: number } {
  return nameAndCount(fault, raw, true);
}

/** A bare name argument: lower case, starting with a letter (a config entry's name). */
export function nameArgument(fault: string, raw: string): string {
  if (!NAME.test(raw)) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: expected a name (lower case, starting with a letter) after ':'`,
    );
  }
  return raw;
}

/** Where each entry kind lives in the config, as a usage error names it. */
const LISTS: Readonly<Record<EntryKind, string>> = {
  database: 'databases',
  service: 'services',
  bucket: 'buckets',
};

/** The entries of `kind` of `config`, in config order. */
export function entriesOf(config: ProjectConfig, kind: EntryKind): string[] {
  if (kind === 'database') return config.databases.map((d) => d.name);
  if (kind === 'service') return config.services.map((s) => s.name);
  return config.buckets.map((b) => b.name);
}

/**
 * `name`, when the project lists an entry of `kind` so named; else a usage error naming it and
 * listing the project's (`--fault instance-capacity:foo: no database 'foo' in databases (app, orders)`).
 */
export function entryOf(
  world: Pick<World, 'config'>,
  fault: string,
  raw: string,
  kind: EntryKind,
  name: string,
): string {
  const valid = entriesOf(world.config, kind);
  if (valid.includes(name)) return name;
  throw new DrillUsageError(
    `--fault ${fault}:${raw}: no ${kind} '${name}' in ${LISTS[kind]} (${valid.join(', ')})`,
  );
}

/**
 * The entry of `kind` a fault's optional name argument picks, or undefined for every entry (no
 * argument): `instance-capacity:orders` → `orders`.
 */
export function optionalEntry(
  world: World,
  fault: string,
  kind: EntryKind,
  argument: string | undefined,
): string | undefined {
  return argument === undefined
    ? undefined
    : entryOf(world, fault, argument, kind, nameArgument(fault, argument));
}

/** An entry of one of the config's lists, as a `kind-name` argument names it. */
export interface EntryRef {
  readonly kind: EntryKind;
  readonly name: string;
}

/**
 * Read a `kind-name` argument, `<kind>:<name>` (`database:orders`, `service:api`, `bucket:media`):
 * the kind is checked here; the name against the project's list by {@link entryOf}.
 */
export function kindAndName(fault: string, raw: string): EntryRef {
  const [kind = '', name, ...more] = raw.split(':');
  if (!(ENTRY_KINDS as readonly string[]).includes(kind)) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: unknown kind '${kind}' (valid: ${ENTRY_KINDS.join(', ')})`,
    );
  }
  if (name === undefined || more.length > 0 || !NAME.test(name)) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: expected ${kind}:<name> after ':', the name of one of the project's ${LISTS[kind as EntryKind]} (lower case, starting with a letter)`,
    );
  }
  return { kind: kind as EntryKind, name };
}

/** A DB instance class as RDS spells it (`db.r6g.large`). */
const DB_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
/** An EC2 instance type (`t3.small`). */
const INSTANCE_TYPE = /^[a-z][a-z0-9]*\.[a-z0-9]+$/;
/** An Availability Zone name (`us-west-2a`). */
const ZONE = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

/** `list@zone+zone` → the list and the zones (undefined: every zone); undefined when malformed. */
function splitZones(raw: string): { readonly list: string; readonly zones?: readonly string[] } | undefined {
  const [list = '', zones, ...more] = raw.split('@');
  if (more.length > 0) return undefined;
  if (zones === undefined) return { list };
  const names = zones.split('+');
  return names.every((z) => ZONE.test(z)) ? { list, zones: names } : undefined;
}

/**
 * Read a `database-classes` argument, `[<database>:]<class>[+<class>…][@<zone>[+<zone>…]]`
 * (`db.r6g.large`, `orders:db.r6g.xlarge+db.r7g.large`, `db.r6g.large@us-west-2a`, or `@us-west-2a`
 * for the default classes in that zone): the database, absent for every one (checked against the
 * project's list by {@link entryOf}), the classes (empty: the fault's default) and the zones (absent:
 * every zone).
 */
export function databaseAndClasses(
  fault: string,
  raw: string,
): { readonly name?: string; readonly classes: readonly string[]; readonly zones?: readonly string[] } {
  const parts = raw.split(':');
  const [name, rest] = parts.length === 2 ? parts : [undefined, parts[0]];
  const split = splitZones(rest ?? '');
  const classes = split === undefined || split.list === '' ? [] : split.list.split('+');
  if (
    parts.length > 2 ||
    split === undefined ||
    (name !== undefined && !NAME.test(name)) ||
    (classes.length === 0 && split.zones === undefined) ||
    !classes.every((c) => DB_CLASS.test(c))
  ) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: expected [<database>:]<class>[+<class>...][@<zone>[+<zone>...]] after ':', e.g. db.r6g.large, orders:db.r6g.large+db.r7g.large or db.r6g.large@us-west-2a`,
    );
  }
  return {
    ...(name === undefined ? {} : { name }),
    classes,
    ...(split.zones === undefined ? {} : { zones: split.zones }),
  };
}

/**
 * Read a `types-zones` argument, `<type>[+<type>…][@<zone>[+<zone>…]]` (`t3.small`,
 * `t3.small+t3a.small@us-west-2a+us-west-2b`, or `@us-west-2a` for the default type there): the
 * types (empty: the fault's default) and the zones (absent: every zone).
 */
export function typesAndZones(
  fault: string,
  raw: string,
): { readonly types: readonly string[]; readonly zones?: readonly string[]; readonly minutes?: number } {
  const [spec = '', duration, ...extra] = raw.split('~');
  const minutes = duration === undefined ? undefined : Number(duration);
  const split = extra.length > 0 ? undefined : splitZones(spec);
  const types = split === undefined || split.list === '' ? [] : split.list.split('+');
  if (
    split === undefined ||
    (types.length === 0 && split.zones === undefined && minutes === undefined) ||
    !types.every((t) => INSTANCE_TYPE.test(t)) ||
    (minutes !== undefined && !(Number.isFinite(minutes) && minutes > 0))
  ) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: expected <type>[+<type>...][@<zone>[+<zone>...]][~<minutes>] after ':', e.g. t3.small, t3.small+t3a.small@us-west-2a or t3.small~12`,
    );
  }
  return {
    types,
    ...(split.zones === undefined ? {} : { zones: split.zones }),
    ...(minutes === undefined ? {} : { minutes }),
  };
}

/** A bare EC2 instance type argument (`t3.medium`). */
export function instanceTypeArgument(fault: string, raw: string): string {
  if (!INSTANCE_TYPE.test(raw)) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: expected an EC2 instance type after ':', e.g. t3.medium`,
    );
  }
  return raw;
}

/**
 * `zones`, when every one is a zone of the promoted region (`regions.<role>.availabilityZones`); all
 * of them when `zones` is undefined; else a usage error listing the region's.
 */
export function promotedZones(
  world: Pick<World, 'config' | 'targetRole'>,
  fault: string,
  raw: string,
  zones: readonly string[] | undefined,
): readonly string[] {
  const valid = world.config.regions[world.targetRole].availabilityZones;
  if (zones === undefined) return valid;
  const unknown = zones.filter((z) => !valid.includes(z));
  if (unknown.length > 0) {
    throw new DrillUsageError(
      `--fault ${fault}:${raw}: ${unknown.join(', ')} is not a zone of the promoted region (regions.${world.targetRole}.availabilityZones: ${valid.join(', ')})`,
    );
  }
  return zones;
}
