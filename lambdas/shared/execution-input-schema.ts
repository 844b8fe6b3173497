// zod/mini: preflight validates with it, and its bundle size is cold-start time.
import * as z from 'zod/mini';
import { type ExecutionInput, type ExecutionTrigger, FAILOVER_MODES, MAX_REASON_LENGTH } from './contracts';

/** CloudWatch alarm names are 1 to 255 characters. */
const MAX_ALARM_NAME_LENGTH = 255;

/** `trigger`: what the alarm rule's input transformer renders (`infra/constructs/failover-trigger.ts`). */
export const ExecutionTriggerSchema = z.strictObject({
  source: z.literal('alarm'),
  alarmName: z.string().check(z.minLength(1), z.maxLength(MAX_ALARM_NAME_LENGTH)),
  alarmAt: z.string().check(z.minLength(1)),
}) satisfies z.ZodMiniType<ExecutionTrigger>;

/**
 * The execution input (`{ mode, reason, dryRun?, trigger? }`, nothing else), defined once:
 * preflight validates every execution with it and the failover CLI checks its flags with it, so a
 * CLI command never starts an execution that preflight would refuse.
 */
export const ExecutionInputSchema = z.strictObject({
  mode: z.enum(FAILOVER_MODES),
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_REASON_LENGTH)),
  dryRun: z.optional(z.boolean()),
  trigger: z.optional(ExecutionTriggerSchema),
}) satisfies z.ZodMiniType<ExecutionInput>;
