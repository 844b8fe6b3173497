import type { ReadinessCheckSpec } from '../check-spec';
import { fail, pass } from '../outcome';

/**
 * `global-cluster`: the global cluster exists and this region's cluster is one of its members (a
 * promotion switches or fails the global cluster over to it). Says whether it is the writer.
 */
export const globalClusterCheck: ReadinessCheckSpec = {
  id: 'global-cluster',
  what: (s) => `${s.dbClusterId} (${s.targetRegion}) is a member of global cluster ${s.globalClusterId}`,
  run: async (s, reads) => {
    const what = globalClusterCheck.what(s);
    const membership = await reads.membership();
    if (typeof membership === 'string') {
      return fail(
        'global-cluster',
        what,
        membership,
        `deploy the database stacks (main, then dr); check with aws rds describe-global-clusters --global-cluster-identifier ${s.globalClusterId}`,
      );
    }
    const { member, globalCluster } = membership;
    if (member === undefined) {
      const members = (globalCluster.GlobalClusterMembers ?? []).map((m) => m.DBClusterArn ?? '?');
      return fail(
        'global-cluster',
        what,
        `${s.dbClusterId} is not a member of ${s.globalClusterId} (members: ${members.join(', ') || 'none'}): it was detached or removed`,
        `re-create this region's cluster as a secondary of ${s.globalClusterId}: redeploy this region's database stack (a detached cluster cannot rejoin; it must be replaced)`,
      );
    }
    const role = member.IsWriter === true ? 'the writer' : 'a secondary';
    return pass(
      'global-cluster',
      `${s.dbClusterId} (${s.targetRegion}) is ${role} of global cluster ${s.globalClusterId} (${globalCluster.Status ?? 'status unknown'})`,
    );
  },
};
