import type { Retrier } from './asl';

/**
 * One retry policy per kind of error. Step Functions' best practices: retry the Lambda service's
 * own transient errors (2 s, 6 attempts, backoff 2). `TransientAwsError` is what the step Lambdas
 * throw for throttling, 5xx and network errors from AWS (see `lambdas/shared/errors.ts`).
 */
export const RETRY = {
  lambdaService: {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
  },
  /** ≈ 2+4+8+16+30+30 s: an RDS/ECS/Auto Scaling throttling burst or 5xx spell. */
  transientAws: {
    ErrorEquals: ['TransientAwsError'],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
  },
  /** A notification is best effort: a few tries, then the run ends as it would have. */
  notification: {
    ErrorEquals: ['States.ALL'],
    IntervalSeconds: 2,
    MaxAttempts: 3,
    BackoffRate: 2,
  },
} as const satisfies Readonly<Record<string, Retrier>>;

/**
 * A Task's own timeout: just above Lambda's 900 s maximum, so a lost invocation fails the Task
 * (and is caught and notified) instead of hanging it, and a polling window is never cut short.
 */
export const LAMBDA_TASK_TIMEOUT_SECONDS = 960;

export type TransientPolicy = 'transientAws';

/** The retriers of a step Lambda's Task: the Lambda service's, then AWS's transient errors. */
export function lambdaRetry(transient: TransientPolicy): readonly Retrier[] {
  return [RETRY.lambdaService, RETRY[transient]];
}
