// zod/mini: preflight validates with it, and its bundle size is cold-start time.
import * as z from 'zod/mini';
import { type ExecutionInput, FAILOVER_MODES, MAX_REASON_LENGTH } from './contracts';

/**
 * The execution input (`{ mode, reason, dryRun? }`, nothing else), defined once: preflight
 * validates every execution with it and the failover CLI checks its flags with it, so a CLI
 * command never starts an execution that preflight would refuse.
 */
export const ExecutionInputSchema = z.strictObject({
  mode: z.enum(FAILOVER_MODES),
  reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_REASON_LENGTH)),
  dryRun: z.optional(z.boolean()),
}) satisfies z.ZodMiniType<ExecutionInput>;
