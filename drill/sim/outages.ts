/** An outage in simulated seconds (`until` undefined: for the whole drill). */
export interface Outage {
  readonly from: number;
  readonly until?: number;
}

function covers(o: Outage | undefined, t: number): boolean {
  return o !== undefined && t >= o.from && (o.until === undefined || t < o.until);
}

/**
 * Which endpoints do not answer, and when: the network the simulated services sit behind. A
 * regional outage also stops the region's database writes and replication (the RDS model reads it).
 */
export class Outages {
  /** By region: its regional endpoints. */
  readonly regions = new Map<string, Outage>();
  /** Route 53's control plane (a global service served from one region). */
  route53?: Outage;

  /** Whether `region`'s regional endpoints are unreachable at `t`. */
  regionDown(region: string, t: number): boolean {
    return covers(this.regions.get(region), t);
  }

  /** Whether Route 53's control plane is unreachable at `t`. */
  route53Down(t: number): boolean {
    return covers(this.route53, t);
  }
}
