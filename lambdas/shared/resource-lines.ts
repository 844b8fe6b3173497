import type { ResourceProgress } from './resources';

/**
 * A step's `resources` as notices and run records show them, one line each. Read defensively: the
 * execution state a notice or a record is built from may be anything, and they must go out anyway.
 */

const KINDS: readonly ResourceProgress['kind'][] = ['database', 'service', 'bucket', 'hostname'];

type Obj = Readonly<Record<string, unknown>>;

function asObj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The well-formed entries of a step result's `resources` (others are skipped), in order. */
export function resourcesOf(value: unknown): ResourceProgress[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): ResourceProgress[] => {
    const o = asObj(v);
    const kind = o?.kind;
    if (
      o === undefined ||
      typeof kind !== 'string' ||
      !(KINDS as readonly string[]).includes(kind) ||
      typeof o.name !== 'string' ||
      typeof o.done !== 'boolean' ||
      typeof o.detail !== 'string'
    ) {
      return [];
    }
    const modeUsed = o.modeUsed === 'planned' || o.modeUsed === 'unplanned' ? o.modeUsed : undefined;
    return [
      {
        kind: kind as ResourceProgress['kind'],
        name: o.name,
        done: o.done,
        detail: o.detail,
        ...(modeUsed === undefined ? {} : { modeUsed }),
      },
    ];
  });
}

/** The detail without the entry's name the step may have started it with (`api: …`, `service api: …`). */
function detailOf(r: ResourceProgress): string {
  for (const prefix of [`${r.kind} ${r.name}: `, `${r.name}: `]) {
    if (r.detail.startsWith(prefix)) return r.detail.slice(prefix.length);
  }
  return r.detail;
}

/** What a database's promotion mode means for its data. */
export function modeMeaning(mode: 'planned' | 'unplanned'): string {
  return mode === 'unplanned' ? 'unplanned: data loss allowed' : 'planned: no data lost';
}

/**
 * One line per resource: `service api (done): 3/3 task(s) running …`,
 * `database orders (done, unplanned: data loss allowed): …`.
 */
export function resourceLine(r: ResourceProgress): string {
  const mode = r.modeUsed === undefined ? '' : `, ${modeMeaning(r.modeUsed)}`;
  return `${r.kind} ${r.name} (${r.done ? 'done' : 'not done'}${mode}): ${detailOf(r)}`;
}

/** The databases the promotion failed over with data loss allowed (its `unplanned` resources). */
export function dataLossDatabases(resources: readonly ResourceProgress[]): string[] {
  return resources.filter((r) => r.kind === 'database' && r.modeUsed === 'unplanned').map((r) => r.name);
}

/** The strings of `value` when it is a list (anything else in it skipped). */
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The service step's shortfalls, one line each, read defensively from its result: what EC2 refused
 * the shared Auto Scaling group and what it launched instead (`capacity.lines`), and how far each
 * service below its target count got (`fullTarget.lines`: `still scaling: …` until the run scaled
 * on after traffic moved, then `after traffic moved: …`).
 */
export function shortfallLines(result: unknown): string[] {
  const o = asObj(result);
  const full = asObj(o?.fullTarget);
  return [
    ...strings(asObj(o?.capacity)?.lines).map((l) => `capacity: ${l}`),
    ...strings(full?.lines).map(
      (l) => `${full?.state === 'SCALING' ? 'still scaling' : 'after traffic moved'}: ${l}`,
    ),
  ];
}
