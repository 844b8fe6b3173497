import { fixFor, isTeams, teamFix } from './fixes';
import type { ReadinessReads } from './reads';
import type { ReadinessDatabase, ReadinessSettings } from './settings';

/**
 * The fixes of the database findings: pilot-light's database stacks for a database it deploys,
 * the AWS CLI or the team's tool for one the team deployed (`existing:`), naming the config key
 * that may be the one to correct.
 */

/** `aws rds create-db-cluster` adding a secondary cluster to `db`'s global cluster in this region. */
function createSecondary(s: ReadinessSettings, db: ReadinessDatabase, clusterId: string): string {
  return (
    `aws rds create-db-cluster --db-cluster-identifier ${clusterId} --global-cluster-identifier ${db.globalClusterId} ` +
    `--engine ${s.engine} --engine-version ${db.engineVersion} --region ${s.targetRegion}`
  );
}

/** `databases entry ledger's existing.<key>` */
const existingKey = (db: ReadinessDatabase, key: string): string =>
  `databases entry ${db.name}'s existing.${key}`;

/** `db`'s global cluster does not exist. */
export function missingGlobalClusterFix(s: ReadinessSettings, db: ReadinessDatabase): string {
  return fixFor(
    isTeams(db),
    `deploy the database stacks (main, then dr); check with aws rds describe-global-clusters --global-cluster-identifier ${db.globalClusterId}`,
    () =>
      teamFix(
        `correct ${existingKey(db, 'globalClusterId')} if it is misspelt (aws rds describe-global-clusters --region ${s.targetRegion} lists them), else create ${db.globalClusterId} from the writer's cluster`,
        `aws rds create-global-cluster --global-cluster-identifier ${db.globalClusterId} --source-db-cluster-identifier <writer cluster ARN>`,
      ),
  );
}

/** `db`'s cluster does not exist in this region. */
export function missingClusterFix(s: ReadinessSettings, db: ReadinessDatabase): string {
  return fixFor(
    isTeams(db),
    `deploy this region's database stack (aws rds describe-db-clusters --db-cluster-identifier ${db.clusterId} --region ${s.targetRegion})`,
    () =>
      teamFix(
        `correct ${existingKey(db, `regions.${s.targetRole}.clusterId`)} if it is misspelt (aws rds describe-db-clusters --region ${s.targetRegion} lists them), else add ${db.clusterId} to ${db.globalClusterId}`,
        createSecondary(s, db, db.clusterId),
      ),
  );
}

/**
 * `db`'s cluster here exists but is not a member of its global cluster: it left (detached or
 * removed; a cluster cannot rejoin) or was never one.
 */
export function notMemberFix(s: ReadinessSettings, db: ReadinessDatabase): string {
  return fixFor(
    isTeams(db),
    `re-create this region's cluster as a secondary of ${db.globalClusterId}: redeploy this region's database stack (a detached cluster cannot rejoin; it must be replaced)`,
    () =>
      teamFix(
        `name a member of ${db.globalClusterId} in ${existingKey(db, `regions.${s.targetRole}.clusterId`)}, or add a new cluster in ${s.targetRegion} to it (one that left a global database cannot rejoin) and name that one`,
        createSecondary(s, db, '<new cluster>'),
      ),
  );
}

/**
 * The fix when `reads.membership(db)` found no membership to judge: the global cluster or, failing
 * that, the cluster does not exist. Asks AWS nothing: `membership` has read (and kept) both.
 */
export async function membershipGapFix(
  s: ReadinessSettings,
  reads: ReadinessReads,
  db: ReadinessDatabase,
): Promise<string> {
  const globalMissing = (await reads.globalCluster(db)) === undefined;
  return globalMissing ? missingGlobalClusterFix(s, db) : missingClusterFix(s, db);
}
