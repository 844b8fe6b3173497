import { seedCertificates } from './acm/api';
import { seedWorld } from './seed';
import { seedTraffic } from './seed-traffic';
import { seedParameters } from './ssm-api';
import { World, type WorldOptions } from './world';

/** A simulated two-region AWS as the stacks left it before the drill: every model seeded. */
export function createWorld(options: WorldOptions): World {
  return new World(options, {
    resources: seedWorld,
    traffic: seedTraffic,
    // The certificates' ARNs are parameters too (the service stack writes them).
    parameters: (world, at) => {
      seedParameters(world, at);
      seedCertificates(world, at);
    },
  });
}
