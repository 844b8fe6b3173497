import type { ResolvedMode } from '../shared/contracts';
import { type ClaimRole, claimCommand, otherRole } from '../shared/traffic-claim';

/** What fence-source works on: the region traffic left, named from the region it runs in. */
export interface FenceTarget {
  readonly project: string;
  readonly targetRole: ClaimRole;
  readonly targetRegion: string;
  readonly sourceRegion: string;
  readonly sourceEcsCluster: string;
  readonly sourceEcsService: string;
  readonly sourceClaimAlarmName: string;
  /** The parameter the source's service stack deploys the service's DesiredCount from. */
  readonly sourceServiceDesiredCountParameter: string;
}

export type GoalKey = 'release' | 'record' | 'stop' | 'reset';

/**
 * One thing fence-source must get done. `did` and `already` are the sentences `fence.done` records
 * (this run did it / found it done); they are fixed per target, so a later call knows from
 * `previous.fence.done` which goals are met without asking the source region again.
 */
export interface Goal {
  readonly key: GoalKey;
  readonly did: string;
  readonly already: string;
  /** The AWS CLI command that meets the goal by hand. */
  readonly command: string;
}

/**
 * The goals for this run, in order: release the source's claim; record 0 as the source service's
 * deployed desired count, then stop the service (unplanned only: a planned switchover left its
 * database a reader; recorded first so a deploy of the source's service stack does not start it
 * again); on failback, reset main's
 * own claim to the resting state 0 once DR's release has been read by Route 53.
 */
export function fenceGoals(target: FenceTarget, mode: ResolvedMode): Goal[] {
  const sourceRole = otherRole(target.targetRole);
  const goals: Goal[] = [
    {
      key: 'release',
      did: `released ${sourceRole}'s traffic claim in ${target.sourceRegion}`,
      already: `${sourceRole}'s traffic claim already released (alarm ${target.sourceClaimAlarmName})`,
      command: claimCommand(target.sourceRegion, target.project, sourceRole, 0),
    },
  ];
  if (mode === 'unplanned') {
    goals.push({
      key: 'record',
      did: `${sourceRole} service desired count recorded as 0 in ${target.sourceServiceDesiredCountParameter}`,
      already: `${sourceRole} service desired count already recorded as 0 in ${target.sourceServiceDesiredCountParameter}`,
      command:
        `aws ssm put-parameter --region ${target.sourceRegion} --name ${target.sourceServiceDesiredCountParameter} ` +
        '--type String --value 0 --overwrite',
    });
    goals.push({
      key: 'stop',
      did: `${sourceRole} ECS service ${target.sourceEcsService} scaled to 0`,
      already: `${sourceRole} ECS service ${target.sourceEcsService} already at 0`,
      command:
        `aws ecs update-service --region ${target.sourceRegion} --cluster ${target.sourceEcsCluster} ` +
        `--service ${target.sourceEcsService} --desired-count 0`,
    });
  }
  if (target.targetRole === 'main') {
    goals.push({
      key: 'reset',
      did: `main's traffic claim reset to 0 in ${target.targetRegion} (resting state)`,
      already: `main's traffic claim already at rest`,
      command: claimCommand(target.targetRegion, target.project, 'main', 0),
    });
  }
  return goals;
}

/** Whether `done` records `goal` as met. */
export function isMet(goal: Goal, done: readonly string[]): boolean {
  return done.includes(goal.did) || done.includes(goal.already);
}
