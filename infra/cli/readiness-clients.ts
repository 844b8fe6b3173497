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
import type { ReadinessClients } from '../../lambdas/readiness/reads';
import { route53ControlPlaneRegion } from '../../lambdas/readiness/route53-region';
import type { ReadinessSettings } from '../../lambdas/readiness/settings';
import { isCredentialError } from './aws-errors';

/** As the failover CLI's: one retry, and a region that does not connect in 3 s does not answer. */
const CLIENT_OPTIONS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 3000, requestTimeout: 15_000 },
} as const;

interface Sender {
  send(command: unknown, options?: unknown): Promise<unknown>;
}

/**
 * `client`, with every credentials error its calls meet recorded in `refused`. The checks turn any
 * failed read into an UNKNOWN finding; the CLI needs to know the credentials were the cause, to
 * say so in one line instead of ten findings.
 */
function watched<C extends object>(client: C, refused: unknown[]): C {
  const send = (client as unknown as Sender).send.bind(client);
  Object.defineProperty(client, 'send', {
    value: async (command: unknown, options?: unknown) => {
      try {
        return await send(command, options);
      } catch (err: unknown) {
        if (isCredentialError(err)) refused.push(err);
        throw err;
      }
    },
  });
  return client;
}

/**
 * The clients the readiness checks of `settings` read through, signed with `profile` (the default
 * chain when undefined); each credentials error any of them meets lands in `refused`.
 */
export function readinessClients(
  settings: ReadinessSettings,
  profile: string | undefined,
  refused: unknown[],
): ReadinessClients {
  const base = { ...CLIENT_OPTIONS, ...(profile === undefined ? {} : { profile }) };
  const at = { ...base, region: settings.targetRegion };
  const w = <C extends object>(client: C): C => watched(client, refused);
  return {
    rds: w(new RDSClient(at)),
    cloudwatch: w(new CloudWatchClient(at)),
    ec2: w(new EC2Client(at)),
    autoScaling: w(new AutoScalingClient(at)),
    ecs: w(new ECSClient(at)),
    elbv2: w(new ElasticLoadBalancingV2Client(at)),
    route53: w(new Route53Client({ ...base, region: route53ControlPlaneRegion(settings.targetRegion) })),
    sfn: w(new SFNClient(at)),
    lambda: w(new LambdaClient(at)),
    serviceQuotas: w(new ServiceQuotasClient(at)),
    backup: w(new BackupClient(at)),
    acm: w(new ACMClient(at)),
    ssm: w(new SSMClient(at)),
    s3: {
      own: w(new S3Client({ ...base, region: settings.buckets.own.region })),
      other: w(new S3Client({ ...base, region: settings.buckets.other.region })),
    },
  };
}
