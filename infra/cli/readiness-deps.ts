import { evaluateReadiness } from '../../lambdas/readiness/evaluate';
import { renderReadinessTable } from '../../lambdas/readiness/table';
import { readinessClients } from './readiness-clients';
import type { ReadinessCliDeps } from './readiness-run';

/**
 * What `npm run readiness` uses as a process: the Lambda's own checks (`evaluateReadiness`) with
 * clients signed by `--profile`, its table, stdio. A refused credential is thrown after the
 * evaluation, so the operator reads one line about signing in instead of ten UNKNOWN findings.
 */
export function processReadinessDeps(now: () => Date = () => new Date()): ReadinessCliDeps {
  // As in the failover CLI: the SDK's Node-version notice would print before every answer.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    evaluate: async (settings, profile) => {
      const refused: unknown[] = [];
      const report = await evaluateReadiness(settings, readinessClients(settings, profile, refused), now);
      if (refused.length > 0) throw refused[0];
      return report;
    },
    render: (report) => renderReadinessTable(report),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}
