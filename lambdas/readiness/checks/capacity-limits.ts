import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { RegionCheckSpec } from '../check-spec';
import { combine, failPart, namedPart, type Part, part, passPart, unknownPart } from '../outcome';
import type { ReadinessReads } from '../reads';
import type { ReadinessService, ReadinessSettings } from '../settings';

/** ECS counts 1024 CPU units per vCPU. */
const CPU_UNITS_PER_VCPU = 1024;
/**
 * Share of an instance's memory taken as free for tasks. The ECS agent registers less than the
 * instance type's memory (the OS, the agent and Docker keep some; about 5–8 % on the ECS-optimized
 * AMI): 90 % errs on the side of reporting too little room.
 */
export const USABLE_MEMORY_SHARE = 0.9;

/** The task's CPU units and memory (MiB) reservation: task level when set, else the sum over containers. */
export function taskReservation(td: TaskDefinition): { cpu: number; memoryMiB: number } {
  const containers = td.containerDefinitions ?? [];
  const sum = (f: (c: (typeof containers)[number]) => number) => containers.reduce((a, c) => a + f(c), 0);
  const taskCpu = Number(td.cpu ?? Number.NaN);
  const taskMemory = Number(td.memory ?? Number.NaN);
  return {
    cpu: Number.isFinite(taskCpu) ? taskCpu : sum((c) => c.cpu ?? 0),
    memoryMiB: Number.isFinite(taskMemory) ? taskMemory : sum((c) => c.memory ?? c.memoryReservation ?? 0),
  };
}

/** Whether two copies of the task on one instance would want the same host port. */
export function usesFixedHostPort(td: TaskDefinition): boolean {
  if (td.networkMode === 'awsvpc') return false;
  const mappings = (td.containerDefinitions ?? []).flatMap((c) => c.portMappings ?? []);
  if (td.networkMode === 'host') return mappings.length > 0;
  return mappings.some((m) => (m.hostPort ?? 0) > 0);
}

/** How many copies of the task one instance of `info` holds, and what limits it. */
export function tasksPerInstance(
  info: InstanceTypeInfo,
  task: { cpu: number; memoryMiB: number },
  networkMode: string | undefined,
  fixedHostPort = false,
): { count: number; limit: string } {
  const vcpus = info.VCpuInfo?.DefaultVCpus ?? 0;
  const memory = Math.floor((info.MemoryInfo?.SizeInMiB ?? 0) * USABLE_MEMORY_SHARE);
  const limits: { count: number; limit: string }[] = [];
  if (task.cpu > 0) {
    limits.push({
      count: Math.floor((vcpus * CPU_UNITS_PER_VCPU) / task.cpu),
      limit: `CPU: ${vcpus * CPU_UNITS_PER_VCPU} units / ${task.cpu}`,
    });
  }
  if (task.memoryMiB > 0) {
    limits.push({
      count: Math.floor(memory / task.memoryMiB),
      limit: `memory: ${memory} MiB usable (${USABLE_MEMORY_SHARE * 100} % of ${info.MemoryInfo?.SizeInMiB ?? 0}) / ${task.memoryMiB} MiB`,
    });
  }
  if (networkMode === 'awsvpc') {
    // Each awsvpc task takes an ENI; the instance keeps its primary one (no ENI trunking assumed).
    const enis = (info.NetworkInfo?.MaximumNetworkInterfaces ?? 1) - 1;
    limits.push({ count: enis, limit: `awsvpc: ${enis} ENIs for tasks` });
  }
  if (fixedHostPort) limits.push({ count: 1, limit: 'a fixed host port: one task per instance' });
  if (limits.length === 0)
    return { count: Number.POSITIVE_INFINITY, limit: 'the task reserves no CPU or memory' };
  return limits.reduce((a, b) => (b.count < a.count ? b : a));
}

async function asgPart(s: ReadinessSettings, reads: ReadinessReads): Promise<Part> {
  const asg = await reads.autoScalingGroup();
  if (asg === undefined) {
    return failPart(
      `ASG ${s.asgName} does not exist in ${s.targetRegion}`,
      "deploy this region's service stack",
    );
  }
  const max = asg.MaxSize ?? 0;
  if (max < s.promotion.asgMinCapacity) {
    return failPart(
      `ASG ${s.asgName} MaxSize ${max} < the promotion's minCapacity ${s.promotion.asgMinCapacity}: a promotion cannot scale it that far`,
      `raise regions.${s.targetRole}.capacity.maxCapacity to at least ${s.promotion.asgMinCapacity} and deploy the service stack`,
    );
  }
  return passPart;
}

async function servicePart(reads: ReadinessReads, svc: ReadinessService): Promise<Part> {
  const service = await reads.ecsService(svc);
  if (service === undefined || service.status === 'INACTIVE') {
    return failPart(
      `ECS service ${reads.serviceLabel(svc)} does not exist${service ? ' (INACTIVE)' : ''}`,
      "deploy this region's service stack",
    );
  }
  if (service.status !== 'ACTIVE') {
    return failPart(
      `ECS service ${reads.serviceLabel(svc)} is ${service.status ?? 'in an unknown state'}`,
      "deploy this region's service stack",
    );
  }
  return passPart;
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
    return namedPart(
      `service ${svc.name}`,
      unknownPart(`task size unknown: ${td}`, "deploy this region's service stack"),
    );
  }
  const known = await reads.instanceTypes(types);
  const task = taskReservation(td);
  let worst: ServiceFit | undefined;
  for (const t of types) {
    const info = known.get(t);
    if (info === undefined) {
      return failPart(
        `EC2 does not know instance type ${t}`,
        `regions.${s.targetRole}.capacity.instanceType in the config`,
      );
    }
    const fit = tasksPerInstance(info, task, td.networkMode, usesFixedHostPort(td));
    if (worst === undefined || fit.count < worst.count) worst = { service: svc, task, type: t, ...fit };
  }
  return (
    worst ?? unknownPart('the launch template names no instance type', "deploy this region's service stack")
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
  return failPart(
    why,
    `raise regions.${s.targetRole}.capacity.promotion.minCapacity to ${raiseTo}, or use a larger regions.${s.targetRole}.capacity.instanceType, or lower the services' cpu / memoryMiB`,
  );
}

/** Several parts as one (FAIL over UNKNOWN), keeping each why and fix. */
function combinePart(parts: readonly Part[]): Part {
  const merged = combine('capacity-limits', '', parts);
  return merged.status === 'PASS' ? passPart : { status: merged.status, why: merged.why, fix: merged.fix };
}

/**
 * `capacity-limits`: a promotion can reach its sizes: the shared ASG's MaxSize admits the
 * promotion's minCapacity, every ECS service exists and is ACTIVE (a finding names the service),
 * and that many instances of the launch template's type hold every service's promotion
 * `desiredCount` tasks (CPU, {@link USABLE_MEMORY_SHARE} of memory, ENIs in awsvpc mode, one per
 * instance with a fixed host port; the services' shares of an instance added up).
 */
export const capacityLimitsCheck: RegionCheckSpec = {
  id: 'capacity-limits',
  scope: 'region',
  what: (s) =>
    `ASG ${s.asgName} can reach ${s.promotion.asgMinCapacity} instance(s) holding ${s.services
      .map((svc) => `${svc.desiredCount} task(s) of ${svc.ecsService}`)
      .join(', ')}`,
  run: async (s, reads) => {
    const parts = await Promise.all([
      part(() => asgPart(s, reads)),
      ...s.services.map((svc) =>
        part(() => servicePart(reads, svc)).then((p) => namedPart(`service ${svc.name}`, p)),
      ),
      part(() => placementPart(s, reads)),
    ]);
    return combine('capacity-limits', capacityLimitsCheck.what(s), parts);
  },
};
