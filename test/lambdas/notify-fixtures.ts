import type { DatabaseWriter, WriterRegion } from '../../lambdas/notify/live-state';
import type { NotifySettings } from '../../lambdas/notify/notify';
import type { DatabaseResource } from '../../lambdas/shared/resources';
import { ACCOUNT, SOURCE_REGION, TARGET_REGION } from './helpers';

/** Shared fixtures of the notify tests: DR (us-west-2) notifies, main in us-east-1. */

/** A `databases[]` entry as DR's functions see it. */
export function databaseEntry(name: string): DatabaseResource {
  return {
    name,
    globalClusterId: `proj-${name}-global`,
    clusterId: `proj-dr-${name}`,
    clusterArn: `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:proj-dr-${name}`,
    sourceClusterId: `proj-main-${name}`,
    instanceCount: 2,
    instanceClass: 'db.r6g.large',
    engineVersion: '16.6',
  };
}

/** `db` as notify reads it: `name` and `NOTIFY_DATABASE_FIELDS` (the global cluster). */
export function asRead({ name, globalClusterId }: DatabaseResource): NotifySettings['databases'][number] {
  return { name, globalClusterId };
}

/** The seed's one database. */
export const DATABASE = databaseEntry('app');

/** One database (`app`) whose writer reads as `writer`. */
export const writers = (writer: WriterRegion, name = 'app'): DatabaseWriter[] => [{ name, writer }];

export const WRITER_HERE = writers({ known: true, region: TARGET_REGION });
export const WRITER_THERE = writers({ known: true, region: SOURCE_REGION });
export const WRITER_UNKNOWN = writers({ known: false, why: 'TimeoutError: DescribeGlobalClusters' });
