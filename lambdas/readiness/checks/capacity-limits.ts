import type { RegionCheckSpec } from '../check-spec';
import { teamFix } from '../fixes';
import {
  combine,
  failPart,
  namedPart,
  type Part,
  part,
  partOfError,
  passPart,
  unknownPart,
} from '../outcome';
import type { ReadinessReads } from '../reads';
import {
  asgMaxFix,
  capacityFix,
  launchTemplateFix,
  missingAsgFix,
  missingEcsClusterFix,
  missingServiceFix,
  noTaskDefinitionFix,
} from '../service-fixes';
import type { ReadinessService, ReadinessSettings } from '../settings';
import { capacityProviderPart } from './capacity-provider';
import { taskReservation, tasksPerInstance, USABLE_MEMORY_SHARE, usesFixedHostPort } from './task-fit';

async function asgPart(s: ReadinessSettings, reads: ReadinessReads): Promise<Part> {
  const asg = await reads.autoScalingGroup();
  if (asg === undefined)
    return failPart(`ASG ${s.asgName} does not exist in ${s.targetRegion}`, missingAsgFix(s));
  const max = asg.MaxSize ?? 0;
  if (max < s.promotion.asgMinCapacity) {
    return failPart(
      `ASG ${s.asgName} MaxSize ${max} < the promotion's minCapacity ${s.promotion.asgMinCapacity}: a promotion cannot scale it that far`,
      asgMaxFix(s),
    );
  }
  return passPart;
}

/** `svc`'s ECS service exists, is ACTIVE and places its tasks through the ASG's capacity provider. */
async function servicePart(
  s: ReadinessSettings,
  reads: ReadinessReads,
  svc: ReadinessService,
): Promise<Part> {
  const service = await reads.ecsService(svc);
  if (service === undefined || service.status === 'INACTIVE') {
    return failPart(
      `ECS service ${reads.serviceLabel(svc)} does not exist${service ? ' (INACTIVE)' : ''}`,
      missingServiceFix(s, svc),
    );
  }
  if (service.status !== 'ACTIVE') {
    return failPart(
      `ECS service ${reads.serviceLabel(svc)} is ${service.status ?? 'in an unknown state'}`,
      missingServiceFix(s, svc),
    );
  }
  return capacityProviderPart(s, reads, svc, service);
}

/**
 * One part per service, each naming it; or, when the ECS cluster does not exist, one part saying
 * so (every service is then missing for the same reason). A failed read is one UNKNOWN part.
 */
async function servicesParts(s: ReadinessSettings, reads: ReadinessReads): Promise<Part[]> {
  try {
    if (!(await reads.ecsClusterFound())) {
      return [
        failPart(
          `ECS cluster ${s.ecsClusterName} does not exist in ${s.targetRegion}`,
          missingEcsClusterFix(s),
        ),
      ];
    }
  } catch (err: unknown) {
    return [partOfError(err)];
  }
  return Promise.all(
    s.services.map((svc) =>
      part(() => servicePart(s, reads, svc)).then((p) => namedPart(`service ${svc.name}`, p)),
    ),
  );
}

/** One service's promoted tasks on the worst instance type: how many one instance holds, and why. */
interface ServiceFit {
  readonly service: ReadinessService;
  readonly task: { readonly cpu: number; readonly memoryMiB: number };
  readonly type: string;
  readonly count: number;
  readonly limit: string;
}

/**
 * How many of `svc`'s tasks one instance holds, on the smallest of `types` for it (with several
 * instance types, a mixed instances policy, any of them may launch), or a part saying why not known.
 */
async function fitOf(
  s: ReadinessSettings,
  reads: ReadinessReads,
  svc: ReadinessService,
  types: readonly string[],
): Promise<ServiceFit | Part> {
  const td = await reads.serviceTaskDefinition(svc);
  if (typeof td === 'string') {
    const fix = await noTaskDefinitionFix(s, reads, svc);
    return namedPart(`service ${svc.name}`, unknownPart(`task size unknown: ${td}`, fix));
  }
  const known = await reads.instanceTypes(types);
  const task = taskReservation(td);
  let worst: ServiceFit | undefined;
  for (const t of types) {
    const info = known.get(t);
    if (info === undefined) {
      return failPart(
        `EC2 does not know instance type ${t}`,
        launchTemplateFix(
          s,
          `regions.${s.targetRole}.capacity.instanceType in the config`,
          'naming an instance type EC2 offers',
        ),
      );
    }
    const fit = tasksPerInstance(info, task, td.networkMode, usesFixedHostPort(td));
    if (worst === undefined || fit.count < worst.count) worst = { service: svc, task, type: t, ...fit };
  }
  return (
    worst ??
    unknownPart(
      'the launch template names no instance type',
      launchTemplateFix(s, "deploy this region's service stack", 'naming an instance type'),
    )
  );
}

const isFit = (x: ServiceFit | Part): x is ServiceFit => 'service' in x;

/**
 * The shared instances hold every service's promoted tasks. An estimate: each service's tasks take
 * `desiredCount / count` of an instance (its own per-instance fit), and the shares add up; with one
 * service this is exactly whether `count × instances` tasks reach its desired count.
 */
async function placementPart(s: ReadinessSettings, reads: ReadinessReads): Promise<Part> {
  const spec = await reads.launchSpec();
  if (!spec.ok) return unknownPart(`instance type unknown: ${spec.why}`, spec.fix);
  if (!(await reads.ecsClusterFound())) {
    // One reason for every service, given once (the same fix as the cluster's own part).
    return unknownPart('task sizes unknown: no ECS cluster', missingEcsClusterFix(s));
  }
  const fits = await Promise.all(s.services.map((svc) => fitOf(s, reads, svc, spec.instanceTypes)));
  const unknown = fits.filter((f): f is Part => !isFit(f));
  if (unknown.length > 0) return combinePart(unknown);
  const known = fits.filter(isFit);
  const instances = s.promotion.asgMinCapacity;
  const needed = known.reduce((sum, f) => sum + f.service.desiredCount / f.count, 0);
  if (needed <= instances) return passPart;
  const held = (f: ServiceFit) =>
    `${f.service.desiredCount} task(s) of ${f.task.cpu} CPU units / ${f.task.memoryMiB} MiB (${f.count} per ${f.type}, limited by ${f.limit})`;
  const [only] = known;
  const why =
    known.length === 1 && only !== undefined
      ? `${instances} × ${only.type} hold ${only.count * instances} task(s) of ${only.task.cpu} CPU units / ${only.task.memoryMiB} MiB (${only.count} each, limited by ${only.limit}), below service ${only.service.name}'s promotion desiredCount ${only.service.desiredCount}`
      : `${instances} instance(s) cannot hold every service's promoted tasks: ${known.map((f) => `service ${f.service.name}: ${held(f)}`).join('; ')}`;
  const raiseTo = Number.isFinite(needed) ? String(Math.ceil(needed)) : 'more';
  const raise = `raise regions.${s.targetRole}.capacity.promotion.minCapacity to ${raiseTo}`;
  return failPart(
    why,
    capacityFix(
      s,
      `${raise}, or use a larger regions.${s.targetRole}.capacity.instanceType, or lower the services' cpu / memoryMiB`,
      () =>
        `${raise} in the config, or ${teamFix(`use a larger instance type in ASG ${s.asgName}'s launch template or lower the services' task CPU / memory`)}`,
    ),
  );
}

/** Several parts as one (FAIL over UNKNOWN), keeping each why and fix. */
function combinePart(parts: readonly Part[]): Part {
  const merged = combine('capacity-limits', '', parts);
  return merged.status === 'PASS' ? passPart : { status: merged.status, why: merged.why, fix: merged.fix };
}

/**
 * `capacity-limits`: a promotion can reach its sizes: the shared ASG exists and its MaxSize admits
 * the promotion's minCapacity, the ECS cluster exists, every ECS service exists, is ACTIVE and
 * places its tasks through a capacity provider of that ASG (a finding names the service; one
 * DescribeCapacityProviders for every service), and that many instances of the launch template's
 * type hold every service's promotion `desiredCount` tasks (CPU, {@link USABLE_MEMORY_SHARE} of
 * memory, ENIs in awsvpc mode, one per instance with a fixed host port; the services' shares of an
 * instance added up). Fixes for the team's services and capacity are in its terms (`service-fixes.ts`).
 */
export const capacityLimitsCheck: RegionCheckSpec = {
  id: 'capacity-limits',
  scope: 'region',
  what: (s) =>
    `ASG ${s.asgName} can reach ${s.promotion.asgMinCapacity} instance(s) holding ${s.services
      .map((svc) => `${svc.desiredCount} task(s) of ${svc.ecsService}`)
      .join(', ')}`,
  run: async (s, reads) => {
    const [asg, services, placement] = await Promise.all([
      part(() => asgPart(s, reads)),
      servicesParts(s, reads),
      part(() => placementPart(s, reads)),
    ]);
    return combine('capacity-limits', capacityLimitsCheck.what(s), [asg, ...services, placement]);
  },
};
