/**
 * CPU units and memory an ECS container instance of a type offers tasks, for the schema's "do the
 * services fit" check. Memory is 90 % of the instance's: the ECS agent registers what the operating
 * system leaves free, which AWS does not publish per type ("Container instance memory management"
 * in the ECS guide); 10 % is on the safe side for the ECS-optimized Amazon Linux 2023 AMI.
 */
export interface InstanceResources {
  /** 1024 per vCPU. */
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** vCPUs and GiB of the general-purpose, compute and memory families most ECS clusters use. */
const SIZES: Readonly<Record<string, readonly [vcpu: number, gib: number]>> = {
  nano: [2, 0.5],
  micro: [2, 1],
  small: [2, 2],
  medium: [2, 4],
  large: [2, 8],
  xlarge: [4, 16],
  '2xlarge': [8, 32],
  '4xlarge': [16, 64],
};

/** Families whose memory per size differs from the general-purpose column above (GiB ratio). */
const MEMORY_RATIO: Readonly<Record<string, number>> = {
  c5: 0.5,
  c6i: 0.5,
  c6g: 0.5,
  c7g: 0.5,
  c7i: 0.5,
  r5: 2,
  r6i: 2,
  r6g: 2,
  r7g: 2,
};

const GENERAL = new Set(['t3', 't3a', 't4g', 'm5', 'm6i', 'm6g', 'm7i', 'm7g', 'm6a', 'm7a']);

/** What `instanceType` offers tasks, or undefined for a type this table does not know. */
export function instanceResources(instanceType: string): InstanceResources | undefined {
  const [family = '', size = ''] = instanceType.split('.');
  const known = GENERAL.has(family) || MEMORY_RATIO[family] !== undefined;
  const row = SIZES[size];
  if (!known || row === undefined) return undefined;
  // The burstable t-families stop at medium with 2 vCPUs; m/c/r start at large.
  if (!family.startsWith('t') && ['nano', 'micro', 'small', 'medium'].includes(size)) return undefined;
  const [vcpu, gib] = row;
  return {
    cpu: vcpu * 1024,
    memoryMiB: Math.floor(gib * (MEMORY_RATIO[family] ?? 1) * 1024 * 0.9),
  };
}
