import { rmSync } from 'node:fs';
import { SYNTH_CACHE_ENV } from '../../drill/synth/synthesize';

/** Jest globalTeardown: remove this run's synthesis cache folder (test/setup/synth-cache.ts). */
export default function teardown(): void {
  const dir = process.env[SYNTH_CACHE_ENV];
  if (dir !== undefined && dir !== '') rmSync(dir, { recursive: true, force: true });
}
