import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the CDK entry the way `cdk synth` does, with `context` as the CLI's -c values. */
function runApp(context: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'pilot-light-cdkout-'));
  try {
    return spawnSync(TSX, ['infra/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
      timeout: 60_000,
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('infra/app.ts on bad input', () => {
  it('prints one error line, no stack trace, and exits non-zero for an unknown project', () => {
    const result = runApp({ project: 'nope' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: unknown project 'nope': .*\(available: .*base.*\)\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says -c project is missing when it is', () => {
    const result = runApp({});
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: missing project: pass -c project=<name>/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
