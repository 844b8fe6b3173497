import type { DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';
import type { RegionNames } from '../config/names';
import { credentialAdvice, errorText, isCredentialError } from './aws-errors';
import type { CommandContext } from './context';
import { followExecution, reportEnd } from './history';

/**
 * Follow `executionArn` to its end and report the state it left (exit 0 when it succeeded, else 1).
 * A read that fails stops the following, not the execution, and the operator is told how to see it.
 */
export async function followToEnd(
  ctx: CommandContext,
  sfn: SFNClient,
  executionArn: string,
  names: RegionNames,
): Promise<number> {
  let final: DescribeExecutionCommandOutput;
  try {
    final = await followExecution(sfn, executionArn, ctx.deps);
  } catch (err: unknown) {
    ctx.deps.err(
      isCredentialError(err)
        ? credentialAdvice(err, ctx.profile, names.account)
        : `error: stopped following ${executionArn}: ${errorText(err)}`,
    );
    ctx.deps.err(
      `  only the following stopped, not the execution; see it with: npm run failover -- follow ${executionArn}`,
    );
    return 1;
  }
  return reportEnd(final, ctx.deps);
}
