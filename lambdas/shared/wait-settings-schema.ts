// zod/mini: preflight validates its TIMINGS with it, and its bundle size is cold-start time.
import * as z from 'zod/mini';
import type { PromotionTimings, StepTimings, Timings } from './contracts';

/**
 * The wait settings of the polled steps, defined once: the config's `failover.<step>` sections
 * (and so the JSON Schema), and preflight's TIMINGS variable (built from them) validate with these.
 */

const int = (min: number, max: number, description: string) =>
  z.int().check(z.minimum(min), z.maximum(max), z.describe(description));

const stepShape = {
  expectedWaitSeconds: int(0, 3600, 'Wait this long after acting, before the first check.'),
  pollSeconds: int(1, 600, 'Then check this often.'),
  maxAttempts: int(1, 1000, 'Checks before the step fails with WaitTimeoutError.'),
};

/** One polled step: act, wait `expectedWaitSeconds`, then check every `pollSeconds`. */
export const StepWaitSettingsSchema = z.strictObject(stepShape) satisfies z.ZodMiniType<StepTimings>;

/** The promotion step, whose failover (unplanned) usually finishes sooner than a switchover. */
export const PromotionWaitSettingsSchema = z.strictObject({
  ...stepShape,
  unplannedExpectedWaitSeconds: int(
    0,
    3600,
    'Wait this long after starting a failover (unplanned), which usually finishes sooner than a switchover.',
  ),
}) satisfies z.ZodMiniType<PromotionTimings>;

/** Every polled step's settings, keyed by step (`lambdas/shared/steps.ts`). */
export const WaitSettingsSchema = z.strictObject({
  database: StepWaitSettingsSchema,
  service: StepWaitSettingsSchema,
  promotion: PromotionWaitSettingsSchema,
  dns: StepWaitSettingsSchema,
}) satisfies z.ZodMiniType<Timings>;
