import type { ReadinessCheckId } from '../../lambdas/shared/readiness-contract';
import type { World } from '../sim/world';
import { type EntryKind, type EntryRef, entryOf, type FaultDefinition, kindAndName } from './args';

/**
 * A resource gone: one entry's resource in the promoted region no longer exists (deleted outside
 * pilot-light, e.g. by the team's own tool for an `existing:` entry, or by hand). It is removed from
 * the simulated world before the run, so every read and action sees it gone as AWS would answer:
 *
 * - `database:<name>`: the entry's member cluster in the promoted region, and its instances
 *   (DescribeDBClusters answers DBClusterNotFoundFault, the global cluster lists one member less).
 * - `service:<name>`: the entry's ECS service in the promoted region (DescribeServices reports it
 *   MISSING, UpdateService answers ServiceNotFoundException).
 * - `bucket:<name>`: the entry's bucket in the promoted region (NoSuchBucket).
 *
 * Preflight reads every database's and service's progress in the promoted region, so a run stops
 * there, before it changes anything, its failure naming the entry. No step reads the promoted
 * region's bucket in a failover (the drain reads the source's replication metrics): it promotes.
 */

/** The readiness check that finds each kind of resource gone, naming the entry. */
export const MISSING_RESOURCE_CHECKS = {
  database: 'global-cluster',
  service: 'capacity-limits',
  bucket: 's3-replication',
} as const satisfies Record<EntryKind, ReadinessCheckId>;

/** Remove `ref`'s resource in the promoted region; throws when the world has none to remove. */
function remove(world: World, ref: EntryRef): void {
  const role = world.targetRole;
  const gone =
    ref.kind === 'database'
      ? world.rds.removeCluster(ref.name, role)
      : ref.kind === 'service'
        ? world.ecs.remove(role, ref.name)
        : world.deployed.buckets.remove(role, ref.name);
  if (gone === undefined)
    throw new Error(`missing-resource: the simulated world has no ${role} ${ref.kind} ${ref.name}`);
}

export const MISSING_FAULTS = {
  'missing-resource': {
    summary:
      "the named entry's resource in the promoted region is gone (deleted outside pilot-light): database:<name> its member cluster and instances, service:<name> its ECS service, bucket:<name> its bucket; readiness finds it (global-cluster, capacity-limits, s3-replication, naming the entry) and a run fails at the first step that reads it (Preflight, reading what is already done), the failure notified naming the entry; a failover reads no bucket of the promoted region: it promotes, its start notice lists s3-replication red",
    argument: {
      meaning: 'database|service|bucket:name',
      default: 'database:<the first database>',
      kind: 'kind-name',
    },
    apply(world, _effects, argument) {
      const first = world.config.databases[0]?.name ?? '';
      const raw = argument ?? `database:${first}`;
      const ref = kindAndName('missing-resource', raw);
      remove(world, { kind: ref.kind, name: entryOf(world, 'missing-resource', raw, ref.kind, ref.name) });
    },
  },
} satisfies Record<string, FaultDefinition>;
