import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { ReadinessCheckSpec } from '../check-spec';
import { combine, failPart, type Part, part, passPart, unknownPart } from '../outcome';
import type { ReadinessReads } from '../reads';
import type { ReadinessSettings } from '../settings';

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
      `ASG ${s.asgName} MaxSize ${max} < promotion.asgMinCapacity ${s.promotion.asgMinCapacity}: a promotion cannot scale it that far`,
      `raise regions.${s.targetRole}.service.maxCapacity to at least ${s.promotion.asgMinCapacity} and deploy the service stack`,
    );
  }
  return passPart;
}

async function servicePart(reads: ReadinessReads): Promise<Part> {
  const service = await reads.ecsService();
  if (service === undefined || service.status === 'INACTIVE') {
    return failPart(
      `ECS service ${reads.serviceLabel()} does not exist${service ? ' (INACTIVE)' : ''}`,
      "deploy this region's service stack",
    );
  }
  if (service.status !== 'ACTIVE') {
    return failPart(
      `ECS service ${reads.serviceLabel()} is ${service.status ?? 'in an unknown state'}`,
      "deploy this region's service stack",
    );
  }
  return passPart;
}

async function placementPart(s: ReadinessSettings, reads: ReadinessReads): Promise<Part> {
  const [spec, td] = await Promise.all([reads.launchSpec(), reads.serviceTaskDefinition()]);
  if (!spec.ok) return unknownPart(`instance type unknown: ${spec.why}`, spec.fix);
  if (typeof td === 'string')
    return unknownPart(`task size unknown: ${td}`, "deploy this region's service stack");
  const types = await reads.instanceTypes(spec.instanceTypes);
  const task = taskReservation(td);
  const need = s.promotion.serviceDesiredCount;
  const instances = s.promotion.asgMinCapacity;
  // With several instance types (mixed instances policy) any of them may launch: judge the smallest.
  let worst: { type: string; count: number; limit: string } | undefined;
  for (const t of spec.instanceTypes) {
    const info = types.get(t);
    if (info === undefined) {
      return failPart(
        `EC2 does not know instance type ${t}`,
        `regions.${s.targetRole}.service.instanceType in the config`,
      );
    }
    const fit = tasksPerInstance(info, task, td.networkMode, usesFixedHostPort(td));
    if (worst === undefined || fit.count < worst.count) worst = { type: t, ...fit };
  }
  if (worst === undefined)
    return unknownPart('the launch template names no instance type', "deploy this region's service stack");
  const capacity = worst.count * instances;
  if (capacity < need) {
    return failPart(
      `${instances} × ${worst.type} hold ${capacity} task(s) of ${task.cpu} CPU units / ${task.memoryMiB} MiB (${worst.count} each, limited by ${worst.limit}), below promotion.serviceDesiredCount ${need}`,
      `raise regions.${s.targetRole}.promotion.asgMinCapacity to ${worst.count > 0 ? Math.ceil(need / worst.count) : 'more'}, or use a larger regions.${s.targetRole}.service.instanceType, or lower app.cpu / app.memoryMiB`,
    );
  }
  return passPart;
}

/**
 * `capacity-limits`: a promotion can reach its sizes: the ASG's MaxSize admits
 * `promotion.asgMinCapacity`, the ECS service exists and is ACTIVE, and that many instances of the
 * launch template's type hold `promotion.serviceDesiredCount` tasks (CPU, {@link USABLE_MEMORY_SHARE}
 * of memory, ENIs in awsvpc mode, one per instance with a fixed host port).
 */
export const capacityLimitsCheck: ReadinessCheckSpec = {
  id: 'capacity-limits',
  what: (s) =>
    `ASG ${s.asgName} can reach ${s.promotion.asgMinCapacity} instance(s) holding ${s.promotion.serviceDesiredCount} task(s) of ${s.ecsServiceName}`,
  run: async (s, reads) => {
    const parts = await Promise.all([
      part(() => asgPart(s, reads)),
      part(() => servicePart(reads)),
      part(() => placementPart(s, reads)),
    ]);
    return combine('capacity-limits', capacityLimitsCheck.what(s), parts);
  },
};
