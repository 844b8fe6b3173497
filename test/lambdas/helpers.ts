import type { StepName, StepResult, StepTimings } from '../../lambdas/shared/contracts';
/** Shared fixtures for the step Lambda tests. */

export const TARGET_REGION = 'us-west-2';
export const SOURCE_REGION = 'us-east-1';
export const ACCOUNT = '111111111111';

/** The variables every failover function gets. */
export const REGION_ENV = { TARGET_ROLE: 'dr', TARGET_REGION, SOURCE_REGION } as const;

export const REGION_SETTINGS = {
  targetRole: 'dr',
  targetRegion: TARGET_REGION,
  sourceRegion: SOURCE_REGION,
} as const;

/** An error shaped like an AWS SDK v3 service exception (name + HTTP status metadata). */
export function awsError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });
}

export const throttled = (): Error => awsError('ThrottlingException', 'Rate exceeded', 400);

/** Set `vars` in process.env for the duration of `fn`, restoring the previous values after. */
export async function withEnv<T>(vars: Readonly<Record<string, string>>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Wait settings for a step event: a 10-minute budget, 3 s polls, a 240 s window. */
export const WAIT: StepTimings = { budgetMinutes: 10, pollSeconds: 3, windowSeconds: 240 };

/** An ISO time `seconds` ago: a step that started then has spent that much of its budget. */
export function secondsAgo(seconds: number): string {
  return new Date(Date.now() - seconds * 1000).toISOString();
}

/**
 * The result of an earlier call of `step`, fed back as `previous` (a PENDING first call, started
 * just now, by default: budgets are measured from `startedAt`).
 */
export function makePrevious(step: StepName, overrides: Partial<StepResult> = {}): StepResult {
  return {
    step,
    status: 'PENDING',
    attempt: 1,
    startedAt: secondsAgo(1),
    alreadyDone: false,
    detail: 'previous call',
    ...overrides,
  };
}
