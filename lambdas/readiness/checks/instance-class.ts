import {
  DescribeOrderableDBInstanceOptionsCommand,
  type OrderableDBInstanceOption,
} from '@aws-sdk/client-rds';
import type { DatabaseCheckSpec } from '../check-spec';
import { combine, failPart, listOf, type Part, part, passPart, read } from '../outcome';
import type { ReadinessReads } from '../reads';
import type { ReadinessDatabase, ReadinessSettings } from '../settings';

/** Pages of DescribeOrderableDBInstanceOptions read at most (100 options each: far more than one class has). */
const MAX_PAGES = 20;

/** Every option RDS offers for `cls` with the database's engine version in this region. */
async function orderableOptions(
  s: ReadinessSettings,
  reads: ReadinessReads,
  db: ReadinessDatabase,
  cls: string,
): Promise<OrderableDBInstanceOption[]> {
  const options: OrderableDBInstanceOption[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await read('rds:DescribeOrderableDBInstanceOptions', () =>
      reads.clients.rds.send(
        new DescribeOrderableDBInstanceOptionsCommand({
          Engine: s.engine,
          EngineVersion: db.engineVersion,
          DBInstanceClass: cls,
          MaxRecords: 100,
          ...(marker !== undefined ? { Marker: marker } : {}),
        }),
      ),
    );
    options.push(...(out.OrderableDBInstanceOptions ?? []));
    marker = out.Marker;
    if (marker === undefined || marker === '') break;
  }
  return options;
}

/** Whether `cls` (the first choice, or the fallback the finding names as such) is orderable in every zone. */
async function classPart(
  s: ReadinessSettings,
  reads: ReadinessReads,
  db: ReadinessDatabase,
  cls: string,
  fallback: boolean,
): Promise<Part> {
  const options = await orderableOptions(s, reads, db, cls);
  const name = fallback ? `fallback ${cls}` : cls;
  const classKey = fallback
    ? `the databases entry ${db.name}'s regions.${s.targetRole}.promotion.fallbackInstanceClasses (remove it or choose another)`
    : `the databases entry ${db.name}'s regions.${s.targetRole}.promotion.instanceClass (default: its instanceClass)`;
  const listCommand = `aws rds describe-orderable-db-instance-options --engine ${s.engine} --engine-version ${db.engineVersion} --region ${s.targetRegion} --query 'OrderableDBInstanceOptions[].DBInstanceClass'`;
  if (options.length === 0) {
    return failPart(
      `${name} is not orderable for ${s.engine} ${db.engineVersion} in ${s.targetRegion}`,
      `choose an orderable class in ${classKey} (list them: ${listCommand})`,
    );
  }
  const offered = new Set(options.flatMap((o) => (o.AvailabilityZones ?? []).map((az) => az.Name ?? '')));
  const missing = s.availabilityZones.filter((az) => !offered.has(az));
  if (missing.length > 0) {
    return failPart(
      `${name} is not orderable in ${listOf(missing)} (offered in ${listOf([...offered].filter((a) => a !== '')) || 'no zone'})`,
      `choose a class orderable in every zone in ${classKey}, or change regions.${s.targetRole}.availabilityZones (${listCommand})`,
    );
  }
  return passPart;
}

/**
 * `instance-class`, per database: the class its promotion instances are created with, and every
 * one of its `fallbackInstanceClasses` (which the database step tries in order when RDS has no
 * capacity for the first), is orderable for its engine version in this region, in every configured
 * availability zone. A fallback that is not orderable is FAIL, like the first class: the step would
 * reach for it exactly when the region is crowded, so a fallback that cannot be ordered is a false
 * promise of recovery.
 */
export const instanceClassCheck: DatabaseCheckSpec = {
  id: 'instance-class',
  scope: 'database',
  what: (s, db) => {
    const fallbacks = db.fallbackInstanceClasses ?? [];
    const classes =
      fallbacks.length === 0 ? db.instanceClass : `${db.instanceClass} (fallbacks ${fallbacks.join(', ')})`;
    return `${classes} orderable for ${s.engine} ${db.engineVersion} in ${listOf(s.availabilityZones)}`;
  },
  run: async (s, reads, db) => {
    const what = instanceClassCheck.what(s, db);
    const parts = await Promise.all([
      part(() => classPart(s, reads, db, db.instanceClass, false)),
      ...(db.fallbackInstanceClasses ?? []).map((cls) => part(() => classPart(s, reads, db, cls, true))),
    ]);
    return combine('instance-class', what, parts);
  },
};
