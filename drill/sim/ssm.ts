/**
 * SSM Parameter Store: String parameters by region and name, each with its version history. The
 * service stack deploys each region's capacity parameters (`names.regions[role].capacityParameters`),
 * holding the capacity it deployed; the failover steps raise them so a later deploy keeps it. A
 * region whose services are existing has none: nothing here needs them.
 */

export interface SimParameter {
  readonly region: string;
  readonly name: string;
  value: string;
  version: number;
  modifiedAt: number;
  /** Every value written during the drill, in order. */
  readonly writes: { readonly at: number; readonly value: string }[];
}

/** The simulated Parameter Store. */
export class SsmModel {
  /** By `region|name`. */
  readonly parameters = new Map<string, SimParameter>();

  get(region: string, name: string): SimParameter | undefined {
    return this.parameters.get(`${region}|${name}`);
  }

  put(region: string, name: string, value: string, at: number): SimParameter {
    const p = this.get(region, name);
    if (p !== undefined) {
      p.value = value;
      p.version += 1;
      p.modifiedAt = at;
      p.writes.push({ at, value });
      return p;
    }
    const created: SimParameter = { region, name, value, version: 1, modifiedAt: at, writes: [] };
    this.parameters.set(`${region}|${name}`, created);
    return created;
  }
}
