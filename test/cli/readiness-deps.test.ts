import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { BackupClient } from '@aws-sdk/client-backup';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { processReadinessDeps } from '../../infra/cli/readiness-deps';
import { projectNames } from '../../infra/config/names';
import { readinessSettingsOf } from '../../infra/config/readiness-settings';
import { READINESS_CHECK_IDS } from '../../lambdas/shared/readiness-contract';
import { baseConfig } from '../infra/app-fixture';
import { awsError } from '../lambdas/helpers';

/** The part of each client's mock these tests use (one array over fourteen client types). */
interface AnyMock {
  reset(): void;
  onAnyCommand(): { rejects(err: Error): unknown };
}

const mocks: readonly AnyMock[] = [
  mockClient(AutoScalingClient),
  mockClient(BackupClient),
  mockClient(CloudWatchClient),
  mockClient(EC2Client),
  mockClient(ECSClient),
  mockClient(ElasticLoadBalancingV2Client),
  mockClient(LambdaClient),
  mockClient(RDSClient),
  mockClient(Route53Client),
  mockClient(S3Client),
  mockClient(ServiceQuotasClient),
  mockClient(SFNClient),
  mockClient(ACMClient),
  mockClient(SSMClient),
];

const NOW = new Date('2026-11-24T10:00:00Z');
const config = baseConfig();
const settings = readinessSettingsOf(config, projectNames(config), 'dr');

describe('processReadinessDeps', () => {
  beforeEach(() => {
    for (const m of mocks) m.reset();
  });

  it('runs every check of the Lambda and renders its table; a denied read is an UNKNOWN finding, not an error', async () => {
    // Prepare
    for (const m of mocks) m.onAnyCommand().rejects(awsError('AccessDeniedException', 'not authorized'));
    const deps = processReadinessDeps(() => NOW);
    // Act
    const report = await deps.evaluate(settings, 'ops');
    // Assess
    expect(report).toMatchObject({
      role: 'dr',
      region: 'us-west-2',
      evaluatedAt: NOW.toISOString(),
      ready: false,
    });
    expect(report.checks.map((c) => c.id)).toEqual([...READINESS_CHECK_IDS]);
    // capacity-reservations reads nothing when the config reserves nothing (the seed is headless).
    expect(report.checks.filter((c) => c.status !== 'UNKNOWN').map((c) => [c.id, c.status])).toEqual([
      ['capacity-reservations', 'PASS'],
    ]);
    expect(deps.render(report)).toMatch(
      /^Readiness of dr \(us-west-2\) at 2026-11-24T10:00:00.000Z: NOT READY/,
    );
  });

  it('throws the refused credential after the evaluation, so the CLI says it in one line', async () => {
    // Prepare
    const expired = awsError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    );
    for (const m of mocks) m.onAnyCommand().rejects(expired);
    const deps = processReadinessDeps(() => NOW);
    // Act / Assess
    await expect(deps.evaluate(settings, 'ops')).rejects.toBe(expired);
  });
});
