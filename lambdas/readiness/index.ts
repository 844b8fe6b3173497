import { Logger } from '@aws-lambda-powertools/logger';
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
import type { Context } from 'aws-lambda';
import { clientFor } from '../shared/clients';
import { asError } from '../shared/errors';
import { invoke } from '../shared/handler';
import type { ReadinessReport } from '../shared/readiness-contract';
import { readReadinessSettings } from './env';
import { evaluateReadiness } from './evaluate';
import { isExecutionEvent, type ReadinessEvent } from './event';
import { publishReadiness } from './publish';
import type { ReadinessClients } from './reads';
import { route53ControlPlaneRegion } from './route53-region';
import type { ReadinessSettings } from './settings';

const logger = new Logger({ serviceName: 'pilot-light-readiness' });

function clientsFor(settings: ReadinessSettings): ReadinessClients {
  const region = settings.targetRegion;
  return {
    rds: clientFor(RDSClient, region),
    cloudwatch: clientFor(CloudWatchClient, region),
    ec2: clientFor(EC2Client, region),
    autoScaling: clientFor(AutoScalingClient, region),
    ecs: clientFor(ECSClient, region),
    elbv2: clientFor(ElasticLoadBalancingV2Client, region),
    route53: clientFor(Route53Client, route53ControlPlaneRegion(region)),
    sfn: clientFor(SFNClient, region),
    lambda: clientFor(LambdaClient, region),
    serviceQuotas: clientFor(ServiceQuotasClient, region),
    backup: clientFor(BackupClient, region),
    acm: clientFor(ACMClient, region),
    ssm: clientFor(SSMClient, region),
    s3: {
      own: clientFor(S3Client, settings.buckets.own.region),
      other: clientFor(S3Client, settings.buckets.other.region),
    },
  };
}

/**
 * Evaluate whether this region could be promoted now (read-only checks, `evaluate.ts`), log one
 * structured finding per check, publish the `PilotLight/Readiness` metrics and return the report.
 * Env: `READINESS_ENV`, read per invocation.
 *
 * Scheduled (EventBridge): a failed publish throws `ReadinessPublishError` (the alarm would go
 * stale; Lambda's error metric shows it). From a run (`{ source: 'execution', executionArn }`): a
 * failed publish is logged and the report still returned, so a run never fails because of readiness.
 *
 * @throws InvalidInputError the environment is missing or malformed
 * @throws ReadinessPublishError scheduled only: PutMetricData failed
 */
export async function handler(event: ReadinessEvent, context?: Context): Promise<ReadinessReport> {
  const fromRun = isExecutionEvent(event);
  return invoke(logger, context, fromRun ? event.executionArn : undefined, async () => {
    const settings = readReadinessSettings(process.env);
    const clients = clientsFor(settings);
    const report = await evaluateReadiness(settings, clients, () => new Date());
    for (const check of report.checks) {
      if (check.status === 'PASS') logger.info('readiness check', { check });
      else logger.warn('readiness check', { check });
    }
    try {
      await publishReadiness(report, settings, clients.cloudwatch);
    } catch (err: unknown) {
      if (!fromRun) throw err;
      logger.warn('readiness metrics not published; the run goes on', asError(err));
    }
    return report;
  });
}
