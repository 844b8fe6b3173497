// zod/mini: preflight validates its TIMINGS with it, and its bundle size is cold-start time.
import * as z from 'zod/mini';
import type { StepTimings, Timings } from './contracts';

/**
 * The wait settings of the polled steps, defined once: the config's `failover.<step>` sections
 * (and so the JSON Schema), and preflight's TIMINGS variable (built from them) validate with these.
 */

const int = (min: number, max: number, description: string) =>
  z.int().check(z.minimum(min), z.maximum(max), z.describe(description));

/**
 * Longest polling window of one invocation: Lambda's 900 s limit less the minute kept for the last
 * read and the function's own start.
 */
export const MAX_WINDOW_SECONDS = 840;

/** One polled step: poll every `pollSeconds` inside each invocation, give up after `budgetMinutes`. */
export const StepWaitSettingsSchema = z.strictObject({
  budgetMinutes: int(1, 180, 'Fail the step with WaitTimeoutError once it has taken this long.'),
  pollSeconds: int(1, 60, 'Read the state this often while waiting.'),
  windowSeconds: int(
    30,
    MAX_WINDOW_SECONDS,
    'Poll inside one Lambda invocation for up to this long (two state transitions per window).',
  ),
}) satisfies z.ZodMiniType<StepTimings>;

/** Every polled step's settings, keyed by step (`lambdas/shared/steps.ts`). */
export const WaitSettingsSchema = z.strictObject({
  database: StepWaitSettingsSchema,
  service: StepWaitSettingsSchema,
  replication: StepWaitSettingsSchema,
  promotion: StepWaitSettingsSchema,
  dns: StepWaitSettingsSchema,
  fence: StepWaitSettingsSchema,
}) satisfies z.ZodMiniType<Timings>;

/**
 * Defaults: budgets at least as long as AWS's own reference recovery plans allow (Aurora 20 min,
 * ECS 15 min, Route 53 5 min) and as AWS can take (no published time for adding an instance to a
 * headless cluster; tasks can sit in PROVISIONING 10–30 min); 3 s polls keep each step within
 * seconds of AWS at ≤ 20 polls a minute per poller.
 */
export const DEFAULT_WAIT_SETTINGS: Timings = {
  database: { budgetMinutes: 45, pollSeconds: 3, windowSeconds: 240 },
  service: { budgetMinutes: 20, pollSeconds: 3, windowSeconds: 240 },
  // S3 publishes replication metrics once a minute; a 10 s poll sees a minute's reading within 10 s
  // of its publication (a 30 s poll cost failbacks up to 30 s: it gates the switchover), at 6 cheap
  // reads a minute. A failback waits at most the budget for the DR buckets' backlogs to reach main;
  // a failover never waits.
  replication: { budgetMinutes: 30, pollSeconds: 10, windowSeconds: 240 },
  promotion: { budgetMinutes: 20, pollSeconds: 3, windowSeconds: 240 },
  // One GetChange per poll: 2 s keeps the last step closest to Route 53 at 30 reads a minute.
  dns: { budgetMinutes: 10, pollSeconds: 2, windowSeconds: 240 },
  // After traffic moved: a bounded try at the old region (a failback waits two alarm periods after DR's release before resetting main's claim); what is left is reported, not waited for.
  fence: { budgetMinutes: 6, pollSeconds: 5, windowSeconds: 120 },
};
