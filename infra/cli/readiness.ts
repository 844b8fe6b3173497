/**
 * `npm run readiness`: the readiness checks of one region, from a laptop with credentials. This
 * file only wires the process to {@link runReadiness}.
 */
import { processReadinessDeps } from './readiness-deps';
import { runReadiness } from './readiness-run';

if (require.main === module) {
  const deps = processReadinessDeps();
  void runReadiness(process.argv.slice(2), deps)
    .catch((err: unknown) => {
      deps.err(`error: ${err instanceof Error ? err.message : String(err)}`.replace(/\s*\n\s*/g, ' '));
      return 1;
    })
    .then((code) => {
      process.exitCode = code;
    });
}
