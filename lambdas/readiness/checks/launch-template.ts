import { DescribeImagesCommand, DescribeInstanceTypeOfferingsCommand } from '@aws-sdk/client-ec2';
import type { RegionCheckSpec } from '../check-spec';
import { teamFix } from '../fixes';
import {
  combine,
  fail,
  failPart,
  isReadErrorNamed,
  listOf,
  type Part,
  part,
  passPart,
  read,
} from '../outcome';
import type { ReadinessReads } from '../reads';
import { capacityFix, launchTemplateFix } from '../service-fixes';
import type { ReadinessSettings } from '../settings';

/** Pages of instance type offerings read at most (1000 each; one zone per type and zone). */
const MAX_PAGES = 10;

async function imagePart(s: ReadinessSettings, reads: ReadinessReads, imageId: string): Promise<Part> {
  const fix = launchTemplateFix(
    s,
    `deploy this region's service stack so the launch template names a current AMI (aws ec2 describe-images --image-ids ${imageId} --region ${s.targetRegion})`,
    `naming a current ECS-optimized AMI (${imageId} is not)`,
  );
  try {
    const out = await read('ec2:DescribeImages', () =>
      reads.clients.ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })),
    );
    const image = out.Images?.find((i) => i.ImageId === imageId);
    // A deregistered AMI is either absent from the answer or listed (briefly) as `deregistered`.
    if (image === undefined) return failPart(`AMI ${imageId} does not exist (deregistered or deleted)`, fix);
    if (image.State !== 'available')
      return failPart(`AMI ${imageId} is ${image.State ?? 'in an unknown state'}, not available`, fix);
    return passPart;
  } catch (err: unknown) {
    if (
      isReadErrorNamed(err, 'InvalidAMIID.NotFound', 'InvalidAMIID.Unavailable', 'InvalidAMIID.Malformed')
    ) {
      return failPart(`AMI ${imageId} does not exist (deregistered or deleted)`, fix);
    }
    throw err;
  }
}

async function offeringsPart(
  s: ReadinessSettings,
  reads: ReadinessReads,
  instanceTypes: readonly string[],
  zones: readonly string[],
): Promise<Part> {
  const offered = new Map<string, Set<string>>(instanceTypes.map((t) => [t, new Set<string>()]));
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await read('ec2:DescribeInstanceTypeOfferings', () =>
      reads.clients.ec2.send(
        new DescribeInstanceTypeOfferingsCommand({
          LocationType: 'availability-zone',
          Filters: [{ Name: 'instance-type', Values: [...instanceTypes] }],
          ...(token !== undefined ? { NextToken: token } : {}),
        }),
      ),
    );
    for (const o of out.InstanceTypeOfferings ?? []) {
      if (o.InstanceType !== undefined && o.Location !== undefined)
        offered.get(o.InstanceType)?.add(o.Location);
    }
    token = out.NextToken;
    if (token === undefined || token === '') break;
  }
  const gaps = instanceTypes.flatMap((t) => {
    const missing = zones.filter((z) => !offered.get(t)?.has(z));
    return missing.length > 0 ? [`${t} is not offered in ${listOf(missing)}`] : [];
  });
  if (gaps.length === 0) return passPart;
  const offerings = `aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values=${instanceTypes.join(',')} --region ${s.targetRegion}`;
  return failPart(
    gaps.join('; '),
    capacityFix(
      s,
      `choose a type offered in every zone in regions.${s.targetRole}.capacity.instanceType, then deploy the service stack (${offerings})`,
      () =>
        teamFix(
          `use an instance type offered in every zone of ASG ${s.asgName} in its launch template, or keep the ASG to the zones that offer it (${offerings})`,
        ),
    ),
  );
}

/**
 * `launch-template`: the ASG's launch template (or its mixed instances policy's) exists, its AMI
 * (an SSM alias resolved) is available, and its instance types are offered in the ASG's zones.
 */
export const launchTemplateCheck: RegionCheckSpec = {
  id: 'launch-template',
  scope: 'region',
  what: (s) =>
    `ASG ${s.asgName}: launch template, its AMI available, its instance type offered in the ASG's zones`,
  run: async (s, reads) => {
    const spec = await reads.launchSpec();
    if (!spec.ok) return fail('launch-template', launchTemplateCheck.what(s), spec.why, spec.fix);
    const asg = await reads.autoScalingGroup();
    const zones = asg?.AvailabilityZones?.length ? asg.AvailabilityZones : s.availabilityZones;
    const what = `ASG ${s.asgName}: launch template ${spec.label}, AMI ${spec.imageId} available, ${spec.instanceTypes.join(', ')} offered in ${listOf(zones)}`;
    const parts = await Promise.all([
      part(() => imagePart(s, reads, spec.imageId)),
      part(() => offeringsPart(s, reads, spec.instanceTypes, zones)),
    ]);
    return combine('launch-template', what, parts);
  },
};
