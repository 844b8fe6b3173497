import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, processDeps } from '../../infra/cli/failover';
import { GLOBAL_USAGE, LIST_USAGE } from '../../infra/cli/usage';
import { makeDeps } from './helpers';

describe('failover.ts as a process', () => {
  const ROOT = resolve(__dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'pilot-light-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...env } = process.env;
    return spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['infra/cli/failover.ts', ...args], {
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

  it.each([
    [['--help'], GLOBAL_USAGE],
    [['list', '-h'], LIST_USAGE],
  ])('%j exits 0 with the usage on stdout', (args, usage) => {
    const result = run(args);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${usage}\n`);
    expect(result.stderr).toBe('');
  });

  it('exits 2 with every problem and the usage on stderr for bad flags', () => {
    const result = run(['list', '--region', 'eu', '--limit', 'x']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: --region: expected main or dr, got 'eu'\nerror: --limit: expected a whole number from 1 to 1000, got 'x'\n\nusage: /,
    );
  });

  it('prints one line saying how to sign in, and no SDK warning, when the profile has no credentials', () => {
    const result = run(['list', '--region', 'dr', '--profile', 'nosuch']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^error: no usable AWS credentials for account 111111111111 \(CredentialsProviderError: .*\): sign in with aws sso login --profile nosuch and run the same command again\n$/,
    );
  });
});

describe('main', () => {
  it('reports an unexpected error as one error line and exits 1', async () => {
    // Prepare: a project "file" that cannot be read (a directory).
    const dir = mkdtempSync(join(tmpdir(), 'pilot-light-cli-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'odd.yml'));
    const { deps, err } = makeDeps({ configDir: dir });
    try {
      // Act
      const code = await main(['status', '--project', 'odd'], deps);
      // Assess
      expect(code).toBe(1);
      expect(err).toEqual([expect.stringMatching(/^error: .*EISDIR: illegal operation on a directory/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('processDeps', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('keeps one set of clients per profile and region, each with its region and profile', async () => {
    // Prepare
    const deps = processDeps();
    // Act
    const west = deps.clientsFor('us-west-2', 'ops');
    const again = deps.clientsFor('us-west-2', 'ops');
    const other = deps.clientsFor('us-west-2', undefined);
    // Assess
    expect(again).toBe(west);
    expect(other).not.toBe(west);
    await expect(west.ecs.config.region()).resolves.toBe('us-west-2');
    expect(west.rds.config.profile).toBe('ops');
    expect(other.sfn.config.profile).toBeUndefined();
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    expect(typeof deps.dnsFor('example.com').resolve4).toBe('function');
    expect(deps.now()).toBeInstanceOf(Date);
  });

  it('writes each line to stdout or stderr, and sleeps for the given time', async () => {
    // Prepare
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    jest.useFakeTimers();
    const deps = processDeps();
    let done = false;
    // Act
    deps.out('to stdout');
    deps.err('to stderr');
    const sleeping = deps.sleep(5000).then(() => {
      done = true;
    });
    await jest.advanceTimersByTimeAsync(4999);
    const before = done;
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;
    // Assess
    expect(stdout).toHaveBeenCalledWith('to stdout\n');
    expect(stderr).toHaveBeenCalledWith('to stderr\n');
    expect(before).toBe(false);
    expect(done).toBe(true);
  });
});
