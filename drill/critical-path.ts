import type { PolledStepKey } from '../lambdas/shared/steps';
import type { Timings } from './timing';

/** The yardsticks a drill's RTO is measured against, computed from the timing model alone. */

/** Polled steps already done before the execution started (a rerun resuming). */
export type StepsDone = Readonly<Partial<Record<PolledStepKey, boolean>>>;

/** The RTO's lower bound under the timing model, and what bounds it. */
export interface CriticalPath {
  readonly seconds: number;
  /** Which parallel branch bounds it. */
  readonly branch: 'database' | 'service';
  readonly parts: Readonly<Record<PolledStepKey, number>>;
}

/** The seed's manual runbook under the same timing model. */
export interface Runbook {
  readonly seconds: number;
  /** The same steps with only the AWS operations (no people, no tooling). */
  readonly awsOnlySeconds: number;
  readonly steps: readonly { readonly name: string; readonly seconds: number }[];
}

/** How the global database changes writer: switchover (planned) or failover with data loss. */
export type PromotionMode = 'planned' | 'unplanned';

/** How long the global database takes to change writer in `mode`. */
function promotionSeconds(t: Timings, mode: PromotionMode): number {
  return mode === 'planned' ? Math.max(t.switchoverSeconds, t.replicationLagSeconds) : t.failoverSeconds;
}

/** Launch, register, start a task: the capacity branch. */
function capacitySeconds(t: Timings): number {
  return t.asgInstanceLaunchSeconds + t.ecsInstanceRegistrationSeconds + t.taskStartSeconds;
}

/** The lower bound under the model: pure AWS durations, parallel branches overlapped. */
export function criticalPath(t: Timings, mode: PromotionMode, done: StepsDone = {}): CriticalPath {
  const database = done.database === true ? 0 : t.dbInstanceCreateSeconds;
  const promotion = done.promotion === true ? 0 : promotionSeconds(t, mode);
  const service = done.service === true ? 0 : capacitySeconds(t);
  const dns = done.dns === true ? 0 : t.route53PropagationSeconds;
  return {
    seconds: Math.max(database + promotion, service) + dns,
    branch: database + promotion >= service ? 'database' : 'service',
    parts: { database, promotion, service, dns },
  };
}

/**
 * The seed's manual runbook under the same model: `cdk deploy` the DB DR stack (instances) and
 * wait, switch over in the console, `cdk deploy` the DR ASG and ECS service stacks, edit DNS —
 * one after the other, each started by a person.
 */
export function seedRunbook(t: Timings, mode: PromotionMode): Runbook {
  const react = t.runbookOperatorReactionSeconds;
  const steps = [
    {
      name: 'deploy DB DR stack (add instances), wait',
      aws: t.dbInstanceCreateSeconds,
      tool: react + t.runbookCdkDeploySeconds,
    },
    {
      name: `${mode === 'planned' ? 'switch over' : 'fail over'} in the RDS console`,
      aws: promotionSeconds(t, mode),
      tool: react + t.runbookConsoleActionSeconds,
    },
    {
      name: 'deploy DR ASG + ECS service stacks, wait',
      aws: capacitySeconds(t),
      tool: react + t.runbookCdkDeploySeconds,
    },
    {
      name: 'point DNS at the DR ALB by hand',
      aws: t.route53PropagationSeconds,
      tool: react + t.runbookConsoleActionSeconds,
    },
  ];
  return {
    seconds: steps.reduce((s, x) => s + x.aws + x.tool, 0),
    awsOnlySeconds: steps.reduce((s, x) => s + x.aws, 0),
    steps: steps.map((x) => ({ name: x.name, seconds: x.aws + x.tool })),
  };
}
