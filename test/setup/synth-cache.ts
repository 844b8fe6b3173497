import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNTH_CACHE_ENV } from '../../drill/synth/synthesize';

/**
 * Jest globalSetup: one synthesis cache folder for this run. The workers (and the drill processes
 * the CLI tests spawn) inherit the variable, so the suites that drill the same config share one
 * synthesis of the CDK app instead of each loading aws-cdk-lib and synthesizing it again.
 */
export default function setup(): void {
  process.env[SYNTH_CACHE_ENV] = mkdtempSync(join(tmpdir(), 'pilot-light-synth-'));
}
