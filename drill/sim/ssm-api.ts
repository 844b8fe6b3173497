import {
  type GetParameterCommandInput,
  ParameterAlreadyExists,
  ParameterNotFound,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import type { SimApi } from './api';
import { modeledError } from './aws-errors';
import type { World } from './world';

/**
 * Seed each region's capacity parameters (its ASG's, each service's) with the capacity its stacks
 * deployed (seed.ts). A region whose services are existing has none (the team's tool owns their
 * capacity): its names carry no `capacityParameters`, and nothing is put.
 */
export function seedParameters(world: World, at: number): void {
  for (const role of ['main', 'dr'] as const) {
    const names = world.names.regions[role].capacityParameters;
    if (names === undefined) continue;
    const region = world.regionOf(role);
    const asg = world.autoscaling.ofRole(role);
    if (asg !== undefined) world.ssm.put(region, names.asgMinCapacity, String(asg.min), at);
    for (const [i, entry] of world.config.services.entries()) {
      const svc = world.ecs.service(role, entry.name);
      const name = world.names.regions[role].services[i]?.desiredCountParameter;
      if (svc !== undefined && name !== undefined) world.ssm.put(region, name, String(svc.desired), at);
    }
  }
}

/** `{ ARN }` of parameter `name` in `region` (a parameter's ARN names it without its leading slash). */
function arnOf(world: World, region: string, name: string): { ARN?: string } {
  const role = (['main', 'dr'] as const).find((r) => world.regionOf(r) === region);
  return role === undefined
    ? {}
    : { ARN: world.names.regions[role].arn('ssm', `parameter/${name.replace(/^\//, '')}`) };
}

export const ssmApi: SimApi = {
  GetParameter: (raw, world, region) => {
    const input = raw as GetParameterCommandInput;
    const p = world.ssm.get(region, input.Name ?? '');
    if (p === undefined) throw modeledError(ParameterNotFound, `Parameter ${input.Name ?? ''} not found.`);
    return {
      Parameter: {
        Name: p.name,
        Type: 'String',
        Value: p.value,
        Version: p.version,
        LastModifiedDate: world.clock.dateAt(p.modifiedAt),
        ...arnOf(world, region, p.name),
        DataType: 'text',
      },
    };
  },

  PutParameter: (raw, world, region) => {
    const input = raw as PutParameterCommandInput;
    const name = input.Name ?? '';
    if (world.ssm.get(region, name) !== undefined && input.Overwrite !== true) {
      throw modeledError(
        ParameterAlreadyExists,
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      );
    }
    const p = world.ssm.put(region, name, input.Value ?? '', world.clock.now());
    return { Version: p.version, Tier: 'Standard' };
  },
};
