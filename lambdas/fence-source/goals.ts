import type { ResolvedMode } from '../shared/contracts';
import type { ServiceOf } from '../shared/resources';
import { type ClaimRole, claimCommand, otherRole } from '../shared/traffic-claim';

/**
 * A `services[]` entry with what fencing reads of it: its ECS service and parameter in the source
 * region (no parameter for a service the team deployed).
 */
export type FencedService = ServiceOf<'sourceEcsService' | 'sourceDesiredCountParameter'>;

/** What fence-source works on: the region traffic left, named from the region it runs in. */
export interface FenceTarget {
  readonly project: string;
  readonly targetRole: ClaimRole;
  readonly targetRegion: string;
  readonly sourceRegion: string;
  /** The source region's ECS cluster, where every service's `sourceEcsService` runs. */
  readonly sourceEcsCluster: string;
  readonly sourceClaimAlarmName: string;
  /**
   * Each service: its ECS service in the source region (`sourceEcsService`) and the parameter the
   * source's service stack deploys its DesiredCount from (`sourceDesiredCountParameter`; absent for
   * a service the team deployed, whose count its own tool owns).
   */
  readonly services: readonly FencedService[];
}

export type GoalKey = 'release' | 'record' | 'stop' | 'reset';

/**
 * One thing fence-source must get done. `did` and `already` are the sentences `fence.done` records
 * (this run did it / found it done); they are fixed per target, so a later call knows from
 * `previous.fence.done` which goals are met without asking the source region again. `record` and
 * `stop` are about one `services[]` entry (`service`); `record` names the parameter it writes.
 */
export type Goal = GoalText &
  (
    | { readonly key: 'release' | 'reset' }
    | { readonly key: 'record'; readonly service: FencedService; readonly parameter: string }
    | { readonly key: 'stop'; readonly service: FencedService }
  );

interface GoalText {
  readonly did: string;
  readonly already: string;
  /** The AWS CLI command that meets the goal by hand. */
  readonly command: string;
}

/**
 * `record` then `stop` of one service: its deployed desired count to 0, then the service itself.
 * A service without a parameter (the team deployed it) has only the `stop`: whatever deploys it
 * owns its count.
 */
function serviceGoals(target: FenceTarget, service: FencedService): Goal[] {
  const sourceRole = otherRole(target.targetRole);
  const entry = `service ${service.name}`;
  const parameter = service.sourceDesiredCountParameter;
  const record: Goal[] =
    parameter === undefined
      ? []
      : [
          {
            key: 'record',
            service,
            parameter,
            did: `${entry}: ${sourceRole} desired count recorded as 0 in ${parameter}`,
            already: `${entry}: ${sourceRole} desired count already recorded as 0 in ${parameter}`,
            command: `aws ssm put-parameter --region ${target.sourceRegion} --name ${parameter} --type String --value 0 --overwrite`,
          },
        ];
  return [
    ...record,
    {
      key: 'stop',
      service,
      did: `${entry}: ${sourceRole} ECS service ${service.sourceEcsService} scaled to 0`,
      already: `${entry}: ${sourceRole} ECS service ${service.sourceEcsService} already at 0`,
      command:
        `aws ecs update-service --region ${target.sourceRegion} --cluster ${target.sourceEcsCluster} ` +
        `--service ${service.sourceEcsService} --desired-count 0`,
    },
  ];
}

/**
 * The goals for this run, in order: release the source's claim; for each service (config order),
 * record 0 as its deployed desired count in the source region (where it has a parameter), then
 * stop it (unplanned only: a planned switchover left the source's databases readers; recorded
 * first so a deploy of the source's service stack does not start it again); on failback, reset
 * main's own claim to the resting state 0 once DR's release has been read by Route 53.
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
  if (mode === 'unplanned') goals.push(...target.services.flatMap((s) => serviceGoals(target, s)));
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

/** How a goal is named in the step's detail: `release`, `service api: stop`. */
export function goalLabel(goal: Goal): string {
  return 'service' in goal ? `service ${goal.service.name}: ${goal.key}` : goal.key;
}
