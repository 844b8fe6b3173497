import {
  type DescribeImagesCommandInput,
  type DescribeInstanceTypeOfferingsCommandInput,
  type DescribeInstanceTypesCommandInput,
  type DescribeLaunchTemplateVersionsCommandInput,
  EC2ServiceException,
  type Filter,
  type Image,
  type InstanceTypeInfo,
  type LaunchTemplateVersion,
} from '@aws-sdk/client-ec2';
import type { SimApi } from '../api';
import { serviceError } from '../aws-errors';
import type { World } from '../world';
import { ECS_AMI_OWNER, type SimImage, type SimLaunchTemplate } from './ec2';

/**
 * The simulated EC2 API the readiness checks read: launch template versions, images, instance type
 * offerings and instance types. EC2 models no exception classes: every error is its base exception
 * named with the API reference's code (`InvalidAMIID.NotFound`, ...).
 */

/** EC2's base exception named with the API reference's code. */
export function ec2Error(code: string, message: string): Error {
  return serviceError(EC2ServiceException, code, message);
}

/** The values of filter `name`, undefined when the request has no such filter. */
export function filterValues(filters: readonly Filter[] | undefined, name: string): string[] | undefined {
  return filters?.find((f) => f.Name === name)?.Values;
}

/** `{ offset, size }` of the page `NextToken`/`MaxResults` ask for, within `[min, max]` results. */
export function page(
  nextToken: string | undefined,
  maxResults: number | undefined,
  limits: { readonly min: number; readonly max: number; readonly default: number },
): { readonly offset: number; readonly size: number } {
  if (maxResults !== undefined && (maxResults < limits.min || maxResults > limits.max)) {
    throw ec2Error(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Parameter must be between ${limits.min} and ${limits.max}.`,
    );
  }
  const offset = nextToken === undefined ? 0 : Number(nextToken);
  if (!Number.isInteger(offset) || offset < 0) {
    throw ec2Error('InvalidPaginationToken', `Invalid pagination token: ${nextToken}`);
  }
  return { offset, size: maxResults ?? limits.default };
}

/** The page `p` of `items`, and the token of the next one when there is more. */
export function paged<T>(items: readonly T[], p: { readonly offset: number; readonly size: number }) {
  const slice = items.slice(p.offset, p.offset + p.size);
  const more = p.offset + p.size < items.length;
  return { slice, ...(more ? { NextToken: String(p.offset + p.size) } : {}) };
}

const LT_ID = /^lt-[0-9a-f]{8,17}$/;
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

function templateOf(world: World, region: string, input: DescribeLaunchTemplateVersionsCommandInput) {
  const { LaunchTemplateId: id, LaunchTemplateName: name } = input;
  if (id !== undefined && name !== undefined) {
    throw ec2Error(
      'InvalidParameterCombination',
      'Specify either the launch template ID or the launch template name, but not both.',
    );
  }
  const inRegion = [...world.deployed.ec2.launchTemplates.values()].filter((t) => t.region === region);
  if (id !== undefined) {
    if (!LT_ID.test(id))
      throw ec2Error('InvalidLaunchTemplateId.Malformed', `The launch template ID '${id}' is malformed.`);
    const t = inRegion.find((x) => x.id === id);
    if (t === undefined) {
      throw ec2Error(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${id}, does not exist.`,
      );
    }
    return t;
  }
  if (name !== undefined) {
    const t = inRegion.find((x) => x.name === name);
    if (t === undefined) {
      throw ec2Error(
        'InvalidLaunchTemplateName.NotFoundException',
        `The specified launch template, with template name ${name}, does not exist.`,
      );
    }
    return t;
  }
  return undefined;
}

/** The versions of `t` that `versions` names (`$Latest`, `$Default`, numbers). */
function selectVersions(t: SimLaunchTemplate, versions: readonly string[] | undefined) {
  if (versions === undefined || versions.length === 0) return [...t.versions];
  const latest = Math.max(...t.versions.map((v) => v.number));
  return versions.map((raw) => {
    const n = raw === '$Latest' ? latest : raw === '$Default' ? t.defaultVersion : Number(raw);
    const v = t.versions.find((x) => x.number === n);
    if (v === undefined) {
      throw ec2Error(
        'InvalidLaunchTemplateId.VersionNotFound',
        `Could not find launch template version ${raw} for launch template ${t.id}`,
      );
    }
    return v;
  });
}

function describeVersion(
  world: World,
  t: SimLaunchTemplate,
  v: SimLaunchTemplate['versions'][number],
): LaunchTemplateVersion {
  return {
    LaunchTemplateId: t.id,
    LaunchTemplateName: t.name,
    VersionNumber: v.number,
    CreateTime: world.clock.dateAt(v.createdAt),
    CreatedBy: `arn:${world.names.partition}:sts::${world.config.regions[t.role].account}:assumed-role/cdk-deploy/CloudFormation`,
    DefaultVersion: v.number === t.defaultVersion,
    LaunchTemplateData: {
      ImageId: v.imageId,
      InstanceType: v.instanceType as never,
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      ...(v.reservationGroupArn === undefined
        ? {}
        : {
            CapacityReservationSpecification: {
              CapacityReservationTarget: { CapacityReservationResourceGroupArn: v.reservationGroupArn },
            },
          }),
    },
  };
}

function describeImage(world: World, i: SimImage): Image {
  return {
    ImageId: i.id,
    Name: i.name,
    Description: 'Amazon Linux AMI 2023.0 x86_64 ECS HVM EBS',
    State: 'available',
    OwnerId: ECS_AMI_OWNER,
    ImageOwnerAlias: 'amazon',
    Public: true,
    Architecture: i.architecture as never,
    ImageType: 'machine',
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    CreationDate: world.clock.dateAt(i.createdAt).toISOString(),
  };
}

/** Whether an instance still runs from `image` (AWS keeps showing, then hides, a deregistered AMI). */
function stillReferenced(world: World, image: SimImage): boolean {
  return [...world.autoscaling.groups.values()].some((g) => {
    const t = world.deployed.ec2.templateOf(g.role);
    return (
      g.region === image.region && g.instances.length > 0 && t?.versions.some((v) => v.imageId === image.id)
    );
  });
}

export const ec2Api: SimApi = {
  DescribeLaunchTemplateVersions: (raw, world, region) => {
    const input = raw as DescribeLaunchTemplateVersionsCommandInput;
    const p = page(input.NextToken, input.MaxResults, { min: 1, max: 200, default: 200 });
    const t = templateOf(world, region, input);
    let found: LaunchTemplateVersion[];
    if (t === undefined) {
      // Without a template, only $Latest / $Default of every template of the account's region.
      const versions = input.Versions ?? ['$Latest'];
      if (versions.some((v) => v !== '$Latest' && v !== '$Default')) {
        throw ec2Error(
          'InvalidParameterCombination',
          'Version numbers are valid only with a launch template ID or name.',
        );
      }
      const all = [...world.deployed.ec2.launchTemplates.values()].filter((x) => x.region === region);
      found = all.flatMap((x) => selectVersions(x, versions).map((v) => describeVersion(world, x, v)));
    } else {
      found = selectVersions(t, input.Versions).map((v) => describeVersion(world, t, v));
    }
    const imageIds = filterValues(input.Filters, 'image-id');
    const types = filterValues(input.Filters, 'instance-type');
    found = found.filter(
      (v) =>
        (imageIds === undefined || imageIds.includes(v.LaunchTemplateData?.ImageId ?? '')) &&
        (types === undefined || types.includes(v.LaunchTemplateData?.InstanceType ?? '')),
    );
    const { slice, ...next } = paged(found, p);
    return { LaunchTemplateVersions: slice, ...next };
  },

  DescribeImages: (raw, world, region) => {
    const input = raw as DescribeImagesCommandInput;
    const p = page(input.NextToken, input.MaxResults, { min: 5, max: 1000, default: 1000 });
    const ids = input.ImageIds;
    for (const id of ids ?? []) {
      if (!AMI_ID.test(id)) throw ec2Error('InvalidAMIID.Malformed', `Invalid id: "${id}"`);
    }
    const inRegion = [...world.deployed.ec2.images.values()].filter((i) => i.region === region);
    const missing = (ids ?? []).filter((id) => {
      const i = inRegion.find((x) => x.id === id);
      // Once no instance references a deregistered AMI, naming it is an error.
      return i === undefined || (i.deregisteredAt !== undefined && !stillReferenced(world, i));
    });
    if (missing.length > 0) {
      throw ec2Error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
    }
    // Every AMI here is an ECS-optimized one, owned by Amazon.
    const owners = input.Owners;
    const amazons = owners === undefined || owners.includes(ECS_AMI_OWNER) || owners.includes('amazon');
    const selected = inRegion
      .filter((i) => ids === undefined || ids.includes(i.id))
      // A deregistered AMI still referenced is left out of the answer (AWS: "then return empty results").
      .filter((i) => i.deregisteredAt === undefined && amazons);
    const { slice, ...next } = paged(selected, p);
    return { Images: slice.map((i) => describeImage(world, i)), ...next };
  },

  DescribeInstanceTypeOfferings: (raw, world, region) => {
    const input = raw as DescribeInstanceTypeOfferingsCommandInput;
    const p = page(input.NextToken, input.MaxResults, { min: 5, max: 1000, default: 1000 });
    const locationType = input.LocationType ?? 'region';
    if (locationType !== 'region' && locationType !== 'availability-zone') {
      const err = new Error(
        `the drill's simulated EC2 answers DescribeInstanceTypeOfferings by region or availability-zone, not ${locationType}`,
      );
      err.name = 'DrillUnsupportedCommand';
      throw err;
    }
    const types = filterValues(input.Filters, 'instance-type');
    const locations = filterValues(input.Filters, 'location');
    const offered = world.deployed.ec2.offerings.get(region) ?? new Map<string, Set<string>>();
    const rows: { InstanceType: string; LocationType: string; Location: string }[] = [];
    for (const [type, zones] of offered) {
      if (types !== undefined && !types.includes(type)) continue;
      const where = locationType === 'region' ? (zones.size > 0 ? [region] : []) : [...zones].sort();
      for (const location of where) {
        if (locations !== undefined && !locations.includes(location)) continue;
        rows.push({ InstanceType: type, LocationType: locationType, Location: location });
      }
    }
    const { slice, ...next } = paged(rows, p);
    return { InstanceTypeOfferings: slice, ...next };
  },

  DescribeInstanceTypes: (raw, world) => {
    const input = raw as DescribeInstanceTypesCommandInput;
    const p = page(input.NextToken, input.MaxResults, { min: 5, max: 100, default: 100 });
    const known = world.deployed.ec2.instanceTypes;
    const asked = input.InstanceTypes ?? [...known.keys()];
    const unknown = asked.filter((t) => !known.has(t));
    if (unknown.length > 0) {
      throw ec2Error(
        'InvalidInstanceType',
        `The following supplied instance types do not exist: [${unknown.join(', ')}]`,
      );
    }
    const infos: InstanceTypeInfo[] = asked.map((type) => {
      const i = known.get(type) ?? { vcpus: 2, memoryMiB: 4096, arch: 'x86_64' };
      return {
        InstanceType: type as never,
        CurrentGeneration: true,
        SupportedUsageClasses: ['on-demand', 'spot'],
        ProcessorInfo: { SupportedArchitectures: [i.arch as never] },
        VCpuInfo: { DefaultVCpus: i.vcpus, DefaultCores: Math.max(1, i.vcpus / 2), DefaultThreadsPerCore: 2 },
        MemoryInfo: { SizeInMiB: i.memoryMiB },
      };
    });
    const { slice, ...next } = paged(infos, p);
    return { InstanceTypes: slice, ...next };
  },
};
