import type { ReadinessUnavailable } from '../../lambdas/shared/contracts';
import { READINESS } from '../../lambdas/shared/steps';
import { placeholder, type State } from './asl';
import { lambdaRetry } from './retry';

/** Where the readiness evaluated at the run's start lands (`$.steps.readiness` after the Parallel). */
export const READINESS_PATH = '$.readiness';

/**
 * Just above the readiness Lambda's 60 s timeout (`infra/constructs/readiness-evaluator.ts`): a lost
 * invocation ends the check, never the run.
 */
export const READINESS_TASK_TIMEOUT_SECONDS = 70;

/** The Pass that records why readiness is unknown: `<name>Unavailable`. */
export function readinessUnavailableStateName(name: string): string {
  return `${name}Unavailable`;
}

/**
 * Evaluate readiness now (`lambdas/readiness`, read-only) into {@link READINESS_PATH}. Whatever goes
 * wrong, the run goes on: an outage does not wait for a readiness report, so every error becomes a
 * {@link ReadinessUnavailable} the notices print ("readiness: not evaluated (<why>)").
 */
export function readinessCheck(name: string, next: string): Record<string, State> {
  const unavailable = readinessUnavailableStateName(name);
  const record: Record<keyof ReadinessUnavailable, unknown> = {
    ready: false,
    unavailable: { 'error.$': `${READINESS_PATH}.Error`, 'cause.$': `${READINESS_PATH}.Cause` },
  };
  return {
    [name]: {
      Type: 'Task',
      Resource: placeholder(READINESS.substitution),
      Parameters: { source: 'execution', 'executionArn.$': '$$.Execution.Id' },
      ResultPath: READINESS_PATH,
      TimeoutSeconds: READINESS_TASK_TIMEOUT_SECONDS,
      Retry: lambdaRetry('transientAws'),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: READINESS_PATH, Next: unavailable }],
      Next: next,
    },
    [unavailable]: {
      Type: 'Pass',
      Comment: 'Readiness could not be evaluated: record why and go on (a run never waits on readiness).',
      Parameters: record,
      ResultPath: READINESS_PATH,
      Next: next,
    },
  };
}
