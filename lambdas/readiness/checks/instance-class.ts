import {
  DescribeOrderableDBInstanceOptionsCommand,
  type OrderableDBInstanceOption,
} from '@aws-sdk/client-rds';
import type { DatabaseCheckSpec } from '../check-spec';
import { fail, listOf, pass, read } from '../outcome';

/** Pages of DescribeOrderableDBInstanceOptions read at most (100 options each: far more than one class has). */
const MAX_PAGES = 20;

/**
 * `instance-class`, per database: the class its promotion instances are created with is orderable
 * for its engine version in this region, in every configured availability zone.
 */
export const instanceClassCheck: DatabaseCheckSpec = {
  id: 'instance-class',
  scope: 'database',
  what: (s, db) =>
    `${db.instanceClass} orderable for ${s.engine} ${db.engineVersion} in ${listOf(s.availabilityZones)}`,
  run: async (s, reads, db) => {
    const what = instanceClassCheck.what(s, db);
    const options: OrderableDBInstanceOption[] = [];
    let marker: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await read('rds:DescribeOrderableDBInstanceOptions', () =>
        reads.clients.rds.send(
          new DescribeOrderableDBInstanceOptionsCommand({
            Engine: s.engine,
            EngineVersion: db.engineVersion,
            DBInstanceClass: db.instanceClass,
            MaxRecords: 100,
            ...(marker !== undefined ? { Marker: marker } : {}),
          }),
        ),
      );
      options.push(...(out.OrderableDBInstanceOptions ?? []));
      marker = out.Marker;
      if (marker === undefined || marker === '') break;
    }
    const classKey = `the databases entry ${db.name}'s regions.${s.targetRole}.promotion.instanceClass (default: its instanceClass)`;
    const listCommand = `aws rds describe-orderable-db-instance-options --engine ${s.engine} --engine-version ${db.engineVersion} --region ${s.targetRegion} --query 'OrderableDBInstanceOptions[].DBInstanceClass'`;
    if (options.length === 0) {
      return fail(
        'instance-class',
        what,
        `${db.instanceClass} is not orderable for ${s.engine} ${db.engineVersion} in ${s.targetRegion}`,
        `choose an orderable class in ${classKey} (list them: ${listCommand})`,
      );
    }
    const offered = new Set(options.flatMap((o) => (o.AvailabilityZones ?? []).map((az) => az.Name ?? '')));
    const missing = s.availabilityZones.filter((az) => !offered.has(az));
    if (missing.length > 0) {
      return fail(
        'instance-class',
        what,
        `${db.instanceClass} is not orderable in ${listOf(missing)} (offered in ${listOf([...offered].filter((a) => a !== '')) || 'no zone'})`,
        `choose a class orderable in every zone in ${classKey}, or change regions.${s.targetRole}.availabilityZones (${listCommand})`,
      );
    }
    return pass('instance-class', what);
  },
};
