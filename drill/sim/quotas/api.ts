import {
  type GetServiceQuotaCommandInput,
  IllegalArgumentException,
  NoSuchResourceException,
  type ServiceQuota,
} from '@aws-sdk/client-service-quotas';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { World } from '../world';
import { EC2_STANDARD_VCPU_QUOTA_CODE, RDS_DB_INSTANCES_QUOTA_CODE } from './quotas';

/**
 * The simulated Service Quotas API: GetServiceQuota for the two quotas a promotion consumes, each
 * with its usage metric as AWS reports it (EC2's vCPUs in `AWS/Usage`; RDS's DB instances have none).
 */

/** The dimensions of EC2's On-Demand Standard vCPU usage metric (`AWS/Usage`, `ResourceCount`). */
export const EC2_VCPU_USAGE_DIMENSIONS: Readonly<Record<string, string>> = {
  Service: 'EC2',
  Type: 'Resource',
  Resource: 'vCPU',
  Class: 'Standard/OnDemand',
};

function quotaOf(world: World, region: string, serviceCode: string, quotaCode: string): ServiceQuota {
  const q = world.deployed.quotas;
  const account = world.config.regions.main.account;
  const arn = `arn:${world.names.partition}:servicequotas:${region}:${account}:${serviceCode}/${quotaCode}`;
  if (serviceCode === 'ec2' && quotaCode === EC2_STANDARD_VCPU_QUOTA_CODE) {
    return {
      ServiceCode: 'ec2',
      ServiceName: 'Amazon Elastic Compute Cloud (Amazon EC2)',
      QuotaArn: arn,
      QuotaCode: quotaCode,
      QuotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
      Value: q.vcpuQuota.get(region) ?? 0,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
      QuotaAppliedAtLevel: 'ACCOUNT',
      UsageMetric: {
        MetricNamespace: 'AWS/Usage',
        MetricName: 'ResourceCount',
        MetricDimensions: { ...EC2_VCPU_USAGE_DIMENSIONS },
        MetricStatisticRecommendation: 'Maximum',
      },
    };
  }
  if (serviceCode === 'rds' && quotaCode === RDS_DB_INSTANCES_QUOTA_CODE) {
    return {
      ServiceCode: 'rds',
      ServiceName: 'Amazon Relational Database Service (Amazon RDS)',
      QuotaArn: arn,
      QuotaCode: quotaCode,
      QuotaName: 'DB instances',
      Value: q.dbInstancesQuota.get(region) ?? 0,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
      QuotaAppliedAtLevel: 'ACCOUNT',
    };
  }
  throw modeledError(
    NoSuchResourceException,
    `The request failed because the specified quota ${serviceCode}/${quotaCode} doesn't exist.`,
  );
}

export const serviceQuotasApi: SimApi = {
  GetServiceQuota: (raw, world, region) => {
    const input = raw as GetServiceQuotaCommandInput;
    if (!input.ServiceCode || !input.QuotaCode) {
      throw modeledError(IllegalArgumentException, 'ServiceCode and QuotaCode are required.');
    }
    if (!world.deployed.quotas.knows(region)) {
      throw modeledError(NoSuchResourceException, `No quotas are simulated in ${region}.`);
    }
    return { Quota: quotaOf(world, region, input.ServiceCode, input.QuotaCode) };
  },
};
