import type { RegionNames } from '../../../infra/config/names';
import {
  capacityInstanceTypes,
  instanceArchitecture,
  type ProjectConfig,
  type RegionRole,
} from '../../../infra/config/schema';
import { stableId } from '../stable-id';

/**
 * EC2 as the service stack deploys it and the readiness checks read it: one launch template per
 * region (the ASG's, version 1: the ECS-optimized Amazon Linux 2023 AMI and the configured
 * instance type), the AMIs, and which instance types each availability zone offers. Nothing here
 * changes during a drill except through a fault (an AMI deregistered, a type withdrawn from a zone).
 */

/** The owner of the ECS-optimized AMIs (the account the SSM parameter's images belong to). */
export const ECS_AMI_OWNER = '591542846629';

/** What DescribeInstanceTypes tells of a type. */
export interface InstanceTypeInfo {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly arch: string;
}

/**
 * The instance types the simulator knows. A configured type not listed here is added with 2 vCPUs
 * and 4 GiB (ecs.ts's fallback for the same case).
 */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeInfo>> = {
  't3.micro': { vcpus: 2, memoryMiB: 1024, arch: 'x86_64' },
  't3.small': { vcpus: 2, memoryMiB: 2048, arch: 'x86_64' },
  't3.medium': { vcpus: 2, memoryMiB: 4096, arch: 'x86_64' },
  't3.large': { vcpus: 2, memoryMiB: 8192, arch: 'x86_64' },
  't3.xlarge': { vcpus: 4, memoryMiB: 16384, arch: 'x86_64' },
  't3a.small': { vcpus: 2, memoryMiB: 2048, arch: 'x86_64' },
  't3a.medium': { vcpus: 2, memoryMiB: 4096, arch: 'x86_64' },
  't3a.large': { vcpus: 2, memoryMiB: 8192, arch: 'x86_64' },
  'm5.large': { vcpus: 2, memoryMiB: 8192, arch: 'x86_64' },
  'm5.xlarge': { vcpus: 4, memoryMiB: 16384, arch: 'x86_64' },
  'm6i.large': { vcpus: 2, memoryMiB: 8192, arch: 'x86_64' },
  'm6i.xlarge': { vcpus: 4, memoryMiB: 16384, arch: 'x86_64' },
  'm7i.large': { vcpus: 2, memoryMiB: 8192, arch: 'x86_64' },
  'c5.large': { vcpus: 2, memoryMiB: 4096, arch: 'x86_64' },
  'm6g.large': { vcpus: 2, memoryMiB: 8192, arch: 'arm64' },
  'm7g.large': { vcpus: 2, memoryMiB: 8192, arch: 'arm64' },
  'c7g.large': { vcpus: 2, memoryMiB: 4096, arch: 'arm64' },
};

/** One version of a launch template (what `LaunchTemplateData` holds that the checks read). */
export interface SimLaunchTemplateVersion {
  readonly number: number;
  readonly imageId: string;
  readonly instanceType: string;
  readonly createdAt: number;
  /**
   * The capacity reservation resource group it targets (the service stack's, when
   * `capacity.reservation` is set): launches use the group's reservations first.
   */
  readonly reservationGroupArn?: string;
}

export interface SimLaunchTemplate {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly role: RegionRole;
  readonly versions: SimLaunchTemplateVersion[];
  defaultVersion: number;
}

export interface SimImage {
  readonly id: string;
  readonly region: string;
  readonly name: string;
  readonly architecture: string;
  readonly createdAt: number;
  /** Set once deregistered (a fault): launches from it fail, and DescribeImages stops showing it. */
  deregisteredAt?: number;
}

/** The simulated EC2 catalog of the two regions. */
export class Ec2Model {
  /** By template id. */
  readonly launchTemplates = new Map<string, SimLaunchTemplate>();
  /** By `region|ami-id` (AMI ids are regional). */
  readonly images = new Map<string, SimImage>();
  /** Region → instance type → zones offering it. */
  readonly offerings = new Map<string, Map<string, Set<string>>>();
  /** Every type EC2 describes (the same in every region). */
  readonly instanceTypes = new Map<string, InstanceTypeInfo>(Object.entries(INSTANCE_TYPES));

  /** The launch template of `role`'s ASG. */
  templateOf(role: RegionRole): SimLaunchTemplate | undefined {
    return [...this.launchTemplates.values()].find((t) => t.role === role);
  }

  image(region: string, id: string): SimImage | undefined {
    return this.images.get(`${region}|${id}`);
  }

  /** Zones of `region` offering `instanceType`. */
  zonesOffering(region: string, instanceType: string): ReadonlySet<string> {
    return this.offerings.get(region)?.get(instanceType) ?? new Set();
  }
}

/** Seconds before the drill the stacks were deployed (as seed.ts). */
const DEPLOYED_AT = -86_400;

/**
 * Seed `role`'s region: the ECS-optimized AMI, the launch template of the region's group (the
 * service stack's, or the team's for an existing one: version 1) and every known instance type
 * offered in the region's configured zones.
 */
export function seedEc2(ec2: Ec2Model, config: ProjectConfig, n: RegionNames, role: RegionRole): void {
  const capacity = config.regions[role].capacity;
  for (const type of capacityInstanceTypes(capacity)) {
    if (!ec2.instanceTypes.has(type)) {
      ec2.instanceTypes.set(type, { vcpus: 2, memoryMiB: 4096, arch: instanceArchitecture(type) });
    }
  }
  const arch = ec2.instanceTypes.get(capacity.instanceType)?.arch ?? 'x86_64';
  const image: SimImage = {
    id: `ami-0${stableId(`${n.region}|ecs-ami`, 16)}`,
    region: n.region,
    name: `al2023-ami-ecs-hvm-2023.0.20250110-kernel-6.1-${arch}`,
    architecture: arch,
    createdAt: DEPLOYED_AT - 5 * 86_400,
  };
  ec2.images.set(`${n.region}|${image.id}`, image);
  const template: SimLaunchTemplate = {
    id: `lt-0${stableId(`${n.region}|${n.asgName}|lt`, 16)}`,
    // CloudFormation names a launch template the CDK leaves unnamed after the stack and construct;
    // the team's group (capacity.existing) launches from a template of its own naming.
    name:
      capacity.existing === undefined ? `${n.stacks.service}-LaunchTemplate` : `${n.asgName}-launch-template`,
    region: n.region,
    role,
    versions: [
      {
        number: 1,
        imageId: image.id,
        instanceType: capacity.instanceType,
        createdAt: DEPLOYED_AT,
        // The service stack's reservation group (infra/constructs/capacity-reservations.ts names it).
        ...(capacity.reservation === undefined || capacity.existing !== undefined
          ? {}
          : { reservationGroupArn: n.arn('resource-groups', `group/${n.asgName}-reservations`) }),
      },
    ],
    defaultVersion: 1,
  };
  ec2.launchTemplates.set(template.id, template);
  const byType = new Map<string, Set<string>>();
  for (const type of ec2.instanceTypes.keys()) {
    byType.set(type, new Set(config.regions[role].availabilityZones));
  }
  ec2.offerings.set(n.region, byType);
}
