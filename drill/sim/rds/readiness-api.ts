import {
  type DescribeOrderableDBInstanceOptionsCommandInput,
  type OrderableDBInstanceOption,
  RDSServiceException,
} from '@aws-sdk/client-rds';
import type { SimApi } from '../api';
import { serviceError } from '../aws-errors';
import { missingParameter } from './promotion';

/**
 * The RDS reads of the readiness checks beside the Aurora model's: which instance classes are
 * orderable (DescribeOrderableDBInstanceOptions, paginated by `Marker`) and the account's quotas
 * (DescribeAccountAttributes).
 */

/** DescribeOrderableDBInstanceOptions' MaxRecords: 20 to 1,000, default 100 (API reference). */
const MIN_RECORDS = 20;
const MAX_RECORDS = 1000;
const DEFAULT_RECORDS = 100;

/** Quotas DescribeAccountAttributes lists besides DB instances (values of a default account). */
const OTHER_ACCOUNT_QUOTAS = [
  { AccountQuotaName: 'DBClusters', Max: 40 },
  { AccountQuotaName: 'ManualSnapshots', Max: 100 },
  { AccountQuotaName: 'DBParameterGroups', Max: 50 },
] as const;

export const rdsReadinessApi: SimApi = {
  DescribeOrderableDBInstanceOptions: (raw, world, region) => {
    const input = raw as DescribeOrderableDBInstanceOptionsCommandInput;
    if (input.Engine === undefined || input.Engine === '') throw missingParameter('Engine');
    const max = input.MaxRecords ?? DEFAULT_RECORDS;
    if (max < MIN_RECORDS || max > MAX_RECORDS) {
      throw serviceError(
        RDSServiceException,
        'InvalidParameterValue',
        `Invalid value ${max} for MaxRecords. Must be between ${MIN_RECORDS} and ${MAX_RECORDS}`,
      );
    }
    const offset = input.Marker === undefined ? 0 : Number(input.Marker);
    if (!Number.isInteger(offset) || offset < 0) {
      throw serviceError(RDSServiceException, 'InvalidParameterValue', `Invalid Marker: ${input.Marker}`);
    }
    const matching = world.deployed.orderable
      .options(region)
      .filter((o) => o.engine === input.Engine)
      .filter((o) => input.EngineVersion === undefined || o.engineVersion === input.EngineVersion)
      .filter((o) => input.DBInstanceClass === undefined || o.instanceClass === input.DBInstanceClass)
      // Aurora runs in a VPC only: asking for non-VPC options finds none.
      .filter(() => input.Vpc !== false);
    const page = matching.slice(offset, offset + max);
    const options: OrderableDBInstanceOption[] = page.map((o) => ({
      Engine: o.engine,
      EngineVersion: o.engineVersion,
      DBInstanceClass: o.instanceClass,
      LicenseModel: 'postgresql-license',
      AvailabilityZones: o.zones.map((Name) => ({ Name })),
      MultiAZCapable: false,
      ReadReplicaCapable: false,
      Vpc: true,
      SupportsStorageEncryption: true,
      StorageType: 'aurora',
      SupportsIops: false,
      SupportsEnhancedMonitoring: true,
      SupportsIAMDatabaseAuthentication: true,
      SupportsPerformanceInsights: true,
      SupportedEngineModes: ['provisioned'],
      SupportsGlobalDatabases: true,
      SupportsClusters: true,
      SupportedNetworkTypes: ['IPV4', 'DUAL'],
    }));
    const next = offset + max < matching.length ? { Marker: String(offset + max) } : {};
    return { OrderableDBInstanceOptions: options, ...next };
  },

  DescribeAccountAttributes: (_raw, world, region) => {
    const q = world.deployed.quotas;
    return {
      AccountQuotas: [
        {
          AccountQuotaName: 'DBInstances',
          Used: q.dbInstancesUsed(region),
          Max: q.dbInstancesQuota.get(region) ?? 0,
        },
        ...OTHER_ACCOUNT_QUOTAS.map((x) => ({
          ...x,
          Used:
            x.AccountQuotaName === 'DBClusters'
              ? world.rds.clusters().filter((c) => c.region === region).length
              : 0,
        })),
      ],
    };
  },
};
