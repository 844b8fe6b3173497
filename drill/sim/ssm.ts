import {
  type GetParameterCommandInput,
  ParameterAlreadyExists,
  ParameterNotFound,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import { modeledError } from './aws-errors';
import type { SimApi } from './calls';
import type { World } from './world';

/**
 * SSM Parameter Store: String parameters by region and name, each with its version history. The
 * service stack deploys each region's capacity parameters (`names.regions[role].capacityParameters`),
 * holding the capacity it deployed; the failover steps raise them so a later deploy keeps it.
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

/** Seed each region's capacity parameters with the capacity its stacks deployed (seed.ts). */
export function seedParameters(world: World, at: number): void {
  for (const role of ['main', 'dr'] as const) {
    const names = world.names.regions[role].capacityParameters;
    const region = world.regionOf(role);
    const asg = world.autoscaling.ofRole(role);
    const svc = world.ecs.ofRole(role);
    if (asg !== undefined) world.ssm.put(region, names.asgMinCapacity, String(asg.min), at);
    if (svc !== undefined) world.ssm.put(region, names.serviceDesiredCount, String(svc.desired), at);
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
