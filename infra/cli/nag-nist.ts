/**
 * `npm run nag:nist -- [--project <name>]`: synthesize the project's app in-process (no bundling,
 * nothing written beside cdk.out) and print cdk-nag's NIST 800-53 R5 findings grouped by rule and
 * resource. Information only: exit 0 whatever it finds; 2 on bad flags or config. docs/security.md
 * says which findings the project accepts and why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../build-app';
import { ConfigError } from '../config/errors';
import { loadConfig } from '../config/load';
import { formatNistFindings, nistFindings } from '../nag-nist';
import { DEFAULT_PROJECT } from './args';
import { parseFlags } from './flags';

const USAGE = `usage: npm run nag:nist -- [--project <name>]

  Prints cdk-nag's NIST 800-53 R5 findings for project-config/<name>.yml (default ${DEFAULT_PROJECT}),
  grouped by rule and resource. Information, not gating: exit 0 whatever it finds.`;

/** Run the report for `argv`; returns the exit status. */
export function runNagNist(argv: readonly string[], out: (text: string) => void): number {
  const flags = parseFlags(argv, {}, 0);
  if (flags.help) {
    out(USAGE);
    return 0;
  }
  if (flags.problems.length > 0) {
    out(`${flags.problems.join('\n')}\n\n${USAGE}`);
    return 2;
  }
  const outdir = mkdtempSync(join(tmpdir(), 'pilot-light-nag-'));
  try {
    const config = loadConfig(flags.strings.get('project') ?? DEFAULT_PROJECT);
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    buildApp(app, config);
    app.synth();
    out(formatNistFindings(nistFindings(app)));
    return 0;
  } catch (err: unknown) {
    if (!(err instanceof ConfigError)) throw err;
    out(`error: ${err.message}`);
    return 2;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  process.exitCode = runNagNist(process.argv.slice(2), (text) => process.stdout.write(`${text}\n`));
}
