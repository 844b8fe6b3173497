import type { DatabaseCheckSpec } from '../check-spec';
import { membershipGapFix, notMemberFix } from '../database-fixes';
import { fail, pass } from '../outcome';

/**
 * `global-cluster`, per database: its global cluster exists and this region's cluster is one of its
 * members (a promotion switches or fails the global cluster over to it). Says whether it is the
 * writer. A missing global cluster or cluster is a FAIL naming it; the fix for a database the team
 * deployed is the team's (the AWS CLI or its tool), never a pilot-light stack.
 */
export const globalClusterCheck: DatabaseCheckSpec = {
  id: 'global-cluster',
  scope: 'database',
  what: (s, db) => `${db.clusterId} (${s.targetRegion}) is a member of global cluster ${db.globalClusterId}`,
  run: async (s, reads, db) => {
    const what = globalClusterCheck.what(s, db);
    const membership = await reads.membership(db);
    if (typeof membership === 'string') {
      return fail('global-cluster', what, membership, await membershipGapFix(s, reads, db));
    }
    const { member, globalCluster } = membership;
    if (member === undefined) {
      const members = (globalCluster.GlobalClusterMembers ?? []).map((m) => m.DBClusterArn ?? '?');
      return fail(
        'global-cluster',
        what,
        `${db.clusterId} is not a member of ${db.globalClusterId} (members: ${members.join(', ') || 'none'}): it was detached or removed${db.existing === true ? ', or never joined' : ''}`,
        notMemberFix(s, db),
      );
    }
    const role = member.IsWriter === true ? 'the writer' : 'a secondary';
    return pass(
      'global-cluster',
      `${db.clusterId} (${s.targetRegion}) is ${role} of global cluster ${db.globalClusterId} (${globalCluster.Status ?? 'status unknown'})`,
    );
  },
};
