/**
 * The operator CLI (`npm run failover -- <command>`): start, status, list and follow. This file only
 * wires the process to {@link main}; each command lives in its own module beside it.
 */
import { processDeps } from './deps';
import { main } from './run';

export { processDeps } from './deps';
export { main, runCli } from './run';

if (require.main === module) {
  void main(process.argv.slice(2), processDeps()).then((code) => {
    process.exitCode = code;
  });
}
