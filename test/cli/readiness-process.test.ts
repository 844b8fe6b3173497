import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { READINESS_USAGE } from '../../infra/cli/readiness-args';

describe('readiness.ts as a process (npm run readiness)', () => {
  const ROOT = resolve(__dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'pilot-light-readiness-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** The CLI with no credentials anywhere: no keys, empty AWS files, no instance metadata. */
  const run = (args: string[]) => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const {
      AWS_ACCESS_KEY_ID: _id,
      AWS_SECRET_ACCESS_KEY: _secret,
      AWS_PROFILE: _profile,
      ...env
    } = process.env;
    return spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['infra/cli/readiness.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...env,
        AWS_CONFIG_FILE: empty,
        AWS_SHARED_CREDENTIALS_FILE: empty,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
  };

  it('exits 0 with the usage on stdout for --help', () => {
    const result = run(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${READINESS_USAGE}\n`);
    expect(result.stderr).toBe('');
  });

  it('exits 2 with the problem and the usage on stderr for an unknown region', () => {
    const result = run(['--region', 'eu']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: --region: expected main, dr, us-east-1 or us-west-2, got 'eu'\n\nusage: /,
    );
  });

  it('prints one line saying how to sign in, and no table, when the profile has no credentials', () => {
    const result = run(['--region', 'dr', '--profile', 'nosuch']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: no usable AWS credentials for account 111111111111 \(CredentialsProviderError: .*\): sign in with aws sso login --profile nosuch and run the same command again\n$/,
    );
  });
});
