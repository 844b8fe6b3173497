import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READINESS_USAGE } from '../../infra/cli/readiness-args';
import { type ReadinessCliDeps, runReadiness } from '../../infra/cli/readiness-run';
import { CONFIG_DIR } from '../../infra/config/load';
import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import type { ReadinessReport } from '../../lambdas/shared/readiness-contract';
import { awsError } from '../lambdas/helpers';

const READY: ReadinessReport = {
  role: 'dr',
  region: 'us-west-2',
  evaluatedAt: '2026-11-24T10:00:00.000Z',
  ready: true,
  checks: [{ id: 'global-cluster', status: 'PASS', what: 'sonar-proj-1-dr-aurora is a member' }],
};
const NOT_READY: ReadinessReport = {
  ...READY,
  ready: false,
  checks: [
    {
      id: 'quotas',
      status: 'FAIL',
      what: 'EC2 vCPUs',
      why: '6 of 8 vCPUs in use',
      fix: 'request an increase of L-1216C47A',
    },
  ],
};

/** Deps recording output and the settings and profile each evaluation was asked for. */
function makeDeps(evaluate: (s: ReadinessSettings) => Promise<ReadinessReport>, configDir?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: { settings: ReadinessSettings; profile: string | undefined }[] = [];
  const deps: ReadinessCliDeps = {
    evaluate: async (settings, profile) => {
      asked.push({ settings, profile });
      return evaluate(settings);
    },
    render: (report) => `table of ${report.role}: ${report.ready ? 'READY' : 'NOT READY'}`,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ...(configDir === undefined ? {} : { configDir }),
  };
  return { deps, out, err, asked };
}

describe('npm run readiness', () => {
  it('checks DR by default with the project’s settings and exits 0 when ready', async () => {
    // Prepare
    const { deps, out, err, asked } = makeDeps(async () => READY);
    // Act
    const code = await runReadiness([], deps);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual(['table of dr: READY']);
    expect(err).toEqual([]);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.profile).toBeUndefined();
    expect(asked[0]?.settings).toMatchObject({
      targetRole: 'dr',
      targetRegion: 'us-west-2',
      databases: [expect.objectContaining({ name: 'app', clusterId: 'sonar-proj-1-dr-aurora' })],
      services: [expect.objectContaining({ name: 'app', ecsService: 'sonar-proj-1-dr-app' })],
      maxReplicationLagSeconds: 10,
    });
  });

  it('exits 1 when not ready, and takes the region by role or name with a profile', async () => {
    // Prepare
    const { deps, out, asked } = makeDeps(async () => ({ ...NOT_READY, role: 'main', region: 'us-east-1' }));
    // Act
    const byName = await runReadiness(
      ['--project', 'base', '--region', 'us-east-1', '--profile', 'ops'],
      deps,
    );
    const byRole = await runReadiness(['--region', 'main'], deps);
    // Assess
    expect([byName, byRole]).toEqual([1, 1]);
    expect(out).toEqual(['table of main: NOT READY', 'table of main: NOT READY']);
    expect(asked.map((a) => [a.settings.targetRole, a.profile])).toEqual([
      ['main', 'ops'],
      ['main', undefined],
    ]);
  });

  it('prints the report as JSON with --json', async () => {
    // Prepare
    const { deps, out } = makeDeps(async () => NOT_READY);
    // Act
    const code = await runReadiness(['--json'], deps);
    // Assess
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toEqual(NOT_READY);
  });

  it('prints the usage on stdout with --help and exits 0 without evaluating', async () => {
    // Prepare
    const { deps, out, asked } = makeDeps(async () => READY);
    // Act
    const code = await runReadiness(['-h'], deps);
    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([READINESS_USAGE]);
    expect(asked).toEqual([]);
  });

  it('exits 2 listing every bad flag, then the usage, without evaluating', async () => {
    // Prepare
    const { deps, err, asked } = makeDeps(async () => READY);
    // Act
    const code = await runReadiness(
      ['--regoin', 'dr', '--json=yes', '--profile', '', '--project', 'a b'],
      deps,
    );
    // Assess
    expect(code).toBe(2);
    expect(asked).toEqual([]);
    expect(err).toEqual([
      [
        'error: --regoin: unknown option',
        "error: 'dr': unexpected argument",
        'error: --json: takes no value',
        "error: --project: expected letters, digits, - or _, got 'a b'",
        "error: --profile: expected a profile name, got ''",
        '',
        READINESS_USAGE,
      ].join('\n'),
    ]);
  });

  it('exits 2 for a region that is neither a role nor one of the project’s regions', async () => {
    // Prepare
    const { deps, err } = makeDeps(async () => READY);
    // Act
    const code = await runReadiness(['--region', 'eu-west-1'], deps);
    // Assess
    expect(code).toBe(2);
    expect(err[0]?.split('\n')[0]).toBe(
      "error: --region: expected main, dr, us-east-1 or us-west-2, got 'eu-west-1'",
    );
  });

  describe('with a config directory', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'pilot-light-readiness-'));
      writeFileSync(join(dir, 'base.yml'), readFileSync(join(CONFIG_DIR, 'base.yml'), 'utf8'));
      writeFileSync(join(dir, 'broken.yml'), 'project: [');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('exits 2 naming an unknown project or a broken config, without evaluating', async () => {
      // Prepare
      const { deps, err, asked } = makeDeps(async () => READY, dir);
      // Act
      const unknown = await runReadiness(['--project', 'nope'], deps);
      const broken = await runReadiness(['--project', 'broken'], deps);
      // Assess
      expect([unknown, broken]).toEqual([2, 2]);
      expect(asked).toEqual([]);
      expect(err[0]).toBe(
        "error: unknown project 'nope': no project-config/nope.yml (available: base, broken)",
      );
      expect(err[1]).toMatch(/^error: .*broken\.yml/);
    });
  });

  it('says in one line how to sign in when AWS refuses the credentials, exit 1', async () => {
    // Prepare
    const expired = awsError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    );
    const { deps, out, err } = makeDeps(async () => {
      throw expired;
    });
    // Act
    const code = await runReadiness(['--profile', 'ops'], deps);
    // Assess
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'error: no usable AWS credentials for account 111111111111 (ExpiredTokenException: The security token included in the request is expired): ' +
        'sign in with aws sso login --profile ops and run the same command again',
    ]);
  });

  it('reports any other failure of the evaluation as one error line, exit 1', async () => {
    // Prepare
    const { deps, err } = makeDeps(async () => {
      throw new Error('socket hang up\n at …');
    });
    // Act
    const code = await runReadiness([], deps);
    // Assess
    expect(code).toBe(1);
    expect(err).toEqual(['error: Error: socket hang up at …']);
  });
});
