/** The AWS partitions a configured region can be in (the schema admits no ISO regions). */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/**
 * The partition of `region`, from its name: `cn-*` is `aws-cn`, `us-gov-*` is `aws-us-gov`, every
 * other region the schema accepts is `aws`. Every ARN infra writes starts with it.
 */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
