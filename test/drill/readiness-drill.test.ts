import { parseDrillArgs } from '../../drill/cli/args';
import { mainReadiness } from '../../drill/cli/readiness';
import { faultRunsOn, parseFault } from '../../drill/faults/catalog';
import { READINESS_FAULT_CHECKS, READINESS_FAULT_NAMES } from '../../drill/faults/readiness';
import {
  runReadinessDrill,
  type SynthesizedReadiness,
  synthesizeReadiness,
} from '../../drill/runner/readiness';
import { loadTimingModel, sampleTimings } from '../../drill/timing';
import type { RegionRole } from '../../infra/config/schema';
import { READINESS_CHECK_IDS } from '../../lambdas/shared/readiness-contract';
import { config } from './sim-helpers';

/**
 * `npm run drill -- --readiness`: the synthesized readiness Lambda against the simulated world.
 * The deployed world is ready; each readiness fault turns exactly its one check red.
 */

const synthesized: Partial<Record<RegionRole, SynthesizedReadiness>> = {};
beforeAll(async () => {
  synthesized.dr = await synthesizeReadiness(config, 'dr', 'base');
  synthesized.main = await synthesizeReadiness(config, 'main', 'base');
}, 180_000);

function evaluate(role: RegionRole, faults: readonly string[] = []) {
  const orchestrator = synthesized[role];
  if (orchestrator === undefined) throw new Error(`${role} not synthesized`);
  return runReadinessDrill({
    config,
    role,
    faults: faults.map(parseFault),
    timings: sampleTimings(loadTimingModel()),
    synthesized: orchestrator,
  });
}

/** Run `mainReadiness` with `argv`, capturing what it prints. */
async function cli(argv: readonly string[]): Promise<{ code: number; out: string }> {
  const args = parseDrillArgs(['--readiness', ...argv], ['base']);
  const printed: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    const code = await mainReadiness(args, synthesized[args.role]);
    return { code, out: printed.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('readiness drill without faults', () => {
  it.each(['dr', 'main'] as const)('finds %s READY: every check PASS, the lag read', async (role) => {
    // Act
    const { report, world } = await evaluate(role);

    // Assess
    expect(report.ready).toBe(true);
    expect(report.role).toBe(role);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual(READINESS_CHECK_IDS.map((id) => [id, 'PASS']));
    expect(report.replicationLagSeconds).toBe(world.timings.replicationLagSeconds);
  });

  it('answers every call the readiness Lambda makes (none unsupported or refused)', async () => {
    // Act
    const { world } = await evaluate('dr');

    // Assess
    expect(world.calls.filter((c) => c.error !== undefined).map((c) => `${c.command}: ${c.error}`)).toEqual(
      [],
    );
    expect(new Set(world.calls.map((c) => `${c.service}:${c.command}`))).toEqual(
      new Set([
        'rds:DescribeGlobalClusters',
        'backup:ListRecoveryPointsByBackupVault',
        'rds:DescribeDBClusters',
        'rds:DescribeOrderableDBInstanceOptions',
        'rds:DescribeAccountAttributes',
        'cloudwatch:GetMetricData',
        'cloudwatch:PutMetricData',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypeOfferings',
        'ec2:DescribeInstanceTypes',
        'autoscaling:DescribeAutoScalingGroups',
        'ecs:DescribeServices',
        'ecs:DescribeCapacityProviders',
        'ecs:DescribeTaskDefinition',
        'elbv2:DescribeTargetGroups',
        'route53:ListResourceRecordSets',
        'route53:GetHealthCheck',
        'sfn:DescribeStateMachine',
        'lambda:GetFunction',
        'servicequotas:GetServiceQuota',
        's3:GetBucketReplication',
        'ssm:GetParameter',
        'acm:DescribeCertificate',
      ]),
    );
  });

  it('prints the table and exits 0', async () => {
    // Act
    const { code, out } = await cli([]);

    // Assess
    expect(code).toBe(0);
    expect(out).toMatch(/Readiness of dr \(us-west-2\) at .*: READY/);
    for (const id of READINESS_CHECK_IDS) expect(out).toMatch(new RegExp(`^${id} +\\| PASS`, 'm'));
  });
});

/** The readiness faults the base config can run (`reservation-inactive` needs a reservation: db-capacity.test.ts). */
const BASE_READINESS_FAULTS = READINESS_FAULT_NAMES.filter((f) => faultRunsOn(f, config, 'dr'));

describe('readiness faults', () => {
  it.each(BASE_READINESS_FAULTS)('%s turns exactly its check red', async (fault) => {
    // Act
    const { report } = await evaluate('dr', [fault]);

    // Assess
    expect(report.ready).toBe(false);
    expect(report.checks.filter((c) => c.status !== 'PASS').map((c) => [c.id, c.status])).toEqual([
      [READINESS_FAULT_CHECKS[fault], 'FAIL'],
    ]);
  });

  it.each(BASE_READINESS_FAULTS)('%s: the table shows the red check, exit 1', async (fault) => {
    // Act
    const { code, out } = await cli(['--fault', fault]);

    // Assess
    expect(code).toBe(1);
    expect(out).toContain(`NOT READY (1 of ${READINESS_CHECK_IDS.length} checks not PASS)`);
    expect(out).toMatch(new RegExp(`^${READINESS_FAULT_CHECKS[fault]} +\\| FAIL +\\|.*\\| why: `, 'm'));
  });

  it('replication-broken: the lag read is the time since replication stopped', async () => {
    // Act
    const { report } = await evaluate('dr', ['replication-broken:45']);

    // Assess: read for the last finished minute, mid-minute, 45 min after the stall.
    expect(report.replicationLagSeconds).toBeGreaterThan(44 * 60);
    expect(report.checks.find((c) => c.id === 'replication-lag')?.why).toMatch(/exceeds 10 s/);
  });

  it.each([
    ['vcpu', /vCPU/],
    ['db-instances', /DBInstances/],
  ] as const)('quota-too-low:%s lowers that quota only', async (kind, why) => {
    // Act
    const { report } = await evaluate('dr', [`quota-too-low:${kind}`]);

    // Assess
    const quotas = report.checks.find((c) => c.id === 'quotas');
    expect(quotas?.status).toBe('FAIL');
    expect(quotas?.why).toMatch(why);
    expect(report.checks.filter((c) => c.status !== 'PASS')).toHaveLength(1);
  });

  it('ami-missing in main (instances still run from it): DescribeImages lists it no more', async () => {
    // Act
    const { report } = await evaluate('main', ['ami-missing']);

    // Assess
    expect(report.checks.find((c) => c.id === 'launch-template')?.why).toMatch(/does not exist/);
  });

  it('parses --readiness --region main as the region evaluated, and refuses --sweep and --trigger alarm with it', () => {
    // Act
    const args = parseDrillArgs(['--readiness', '--region', 'main', '--fault', 'ami-missing'], ['base']);

    // Assess
    expect(args).toMatchObject({ readiness: true, role: 'main', faults: [{ name: 'ami-missing' }] });
    expect(() => parseDrillArgs(['--readiness', '--sweep', '2'], ['base'])).toThrow(
      /drop --sweep and --trigger alarm/,
    );
    expect(() => parseDrillArgs(['--readiness', '--trigger', 'alarm'], ['base'])).toThrow(/drop --sweep/);
    expect(() => parseDrillArgs(['--readiness', '--region', 'eu'], ['base'])).toThrow(/unknown region 'eu'/);
  });

  it('refuses --region without --readiness, and a quota kind it does not know', async () => {
    // Act / Assess
    expect(() => parseDrillArgs(['--region', 'main'], ['base'])).toThrow(
      /--region names the region --readiness/,
    );
    await expect(evaluate('dr', ['quota-too-low:memory'])).rejects.toThrow(
      /expected one of vcpu, db-instances, both/,
    );
  });
});
