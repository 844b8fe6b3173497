import type { RegionNames, ServiceNames } from '../../../infra/config/names';
import type { RegionRole, ServiceConfig } from '../../../infra/config/schema';

/**
 * The name of the app container behind the target group: infra/stacks/service-stack.ts's
 * APP_CONTAINER_NAME (not imported: the simulator loads no CDK; a test asserts they agree).
 */
export const SIM_APP_CONTAINER_NAME = 'app';

/**
 * The task definitions the service stacks register: one per service (`services[]`) and region,
 * revision 1, running the entry's image with its CPU and memory (bridge networking, dynamic host port).
 */

export interface SimTaskDefinition {
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
  readonly region: string;
  readonly role: RegionRole;
  /** The `services[]` entry whose service runs it. */
  readonly service: string;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  readonly image: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly containerPort: number;
  readonly containerName: string;
  readonly taskRoleArn: string;
}

export class TaskDefinitionModel {
  /** By ARN. */
  readonly definitions = new Map<string, SimTaskDefinition>();

  /** The definition `role`'s service of entry `service` runs. */
  of(role: RegionRole, service: string): SimTaskDefinition | undefined {
    return [...this.definitions.values()].find((d) => d.role === role && d.service === service);
  }

  /** The definition `ref` names in `region`: `family`, `family:revision`, or an ARN. */
  find(region: string, ref: string): SimTaskDefinition | undefined {
    const inRegion = [...this.definitions.values()].filter((d) => d.region === region);
    if (ref.startsWith('arn:')) return inRegion.find((d) => d.arn === ref);
    const [family, revision] = ref.split(':');
    const ofFamily = inRegion.filter((d) => d.family === family);
    if (revision !== undefined) return ofFamily.find((d) => String(d.revision) === revision);
    // A family alone names its latest ACTIVE revision.
    return ofFamily.filter((d) => d.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
  }
}

/**
 * Register `role`'s task definition of `entry` (whose names in the region are `s`): the family is
 * the service's name, as ecs-api.ts has always named it.
 */
export function seedTaskDefinition(
  model: TaskDefinitionModel,
  entry: ServiceConfig,
  n: RegionNames,
  s: ServiceNames,
  role: RegionRole,
): void {
  const family = s.ecsServiceName;
  const arn = n.arn('ecs', `task-definition/${family}:1`);
  model.definitions.set(arn, {
    arn,
    family,
    revision: 1,
    region: n.region,
    role,
    service: entry.name,
    status: 'ACTIVE',
    image: entry.image,
    cpu: entry.cpu,
    memoryMiB: entry.memoryMiB,
    containerPort: entry.containerPort,
    containerName: SIM_APP_CONTAINER_NAME,
    taskRoleArn: s.taskRoleArn,
  });
}
