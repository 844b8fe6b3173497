/**
 * Which DB instance classes RDS offers for Aurora PostgreSQL, per region and zone (what
 * `DescribeOrderableDBInstanceOptions` lists). Seeded with the classes the project's configs use
 * and their neighbours, orderable in every configured zone of both regions for the deployed engine
 * version; a fault withdraws one.
 */

/** Classes offered for the engine (a subset of RDS's list, enough for the configs and tests). */
export const ORDERABLE_CLASSES: readonly string[] = [
  'db.r6g.large',
  'db.r6g.xlarge',
  'db.r6g.2xlarge',
  'db.r7g.large',
  'db.r7g.xlarge',
  'db.r6i.large',
  'db.r6i.xlarge',
  'db.t4g.medium',
  'db.t4g.large',
  'db.serverless',
];

/** One orderable combination: class, engine, version, and the zones offering it. */
export interface SimOrderable {
  readonly instanceClass: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly zones: readonly string[];
}

export class OrderableModel {
  /** Region → options, in RDS's order (by class). */
  readonly byRegion = new Map<string, SimOrderable[]>();

  /** Offer every known class (and `extra`, the configured ones) for `engine` at each of `versions` in `zones`. */
  seed(
    region: string,
    engine: string,
    versions: readonly string[],
    zones: readonly string[],
    extra: readonly string[],
  ): void {
    const classes = [...new Set([...ORDERABLE_CLASSES, ...extra])].sort();
    this.byRegion.set(
      region,
      classes.flatMap((instanceClass) =>
        versions.map((engineVersion) => ({ instanceClass, engine, engineVersion, zones: [...zones] })),
      ),
    );
  }

  /** Withdraw `instanceClass` from `region` (a fault: RDS no longer offers it there). */
  withdraw(region: string, instanceClass: string): void {
    const options = this.byRegion.get(region) ?? [];
    this.byRegion.set(
      region,
      options.filter((o) => o.instanceClass !== instanceClass),
    );
  }

  options(region: string): readonly SimOrderable[] {
    return this.byRegion.get(region) ?? [];
  }
}
