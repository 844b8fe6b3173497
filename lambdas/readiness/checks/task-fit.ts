import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { TaskDefinition } from '@aws-sdk/client-ecs';

/**
 * How many copies of a task one container instance holds: the arithmetic of the capacity-limits
 * check, apart from its reads.
 */

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
