import {
  InvalidParameterValueException,
  type ListRecoveryPointsByBackupVaultCommandInput,
  MissingParameterValueException,
  type RecoveryPointByBackupVault,
  ResourceNotFoundException,
} from '@aws-sdk/client-backup';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { World } from '../world';
import type { RecoveryPoint } from './backup';

/**
 * The simulated AWS Backup API: ListRecoveryPointsByBackupVault with the filters the readiness
 * check and the CLI use (ByResourceArn, ByCreatedAfter, ByCreatedBefore), newest first, paged by
 * MaxResults and NextToken, and the documented errors: ResourceNotFoundException for a vault that
 * does not exist in the region, MissingParameterValueException without a vault name,
 * InvalidParameterValueException for a MaxResults out of 1-1000.
 */

/** A page when the caller asks for none (AWS documents no default; an assumption). */
const DEFAULT_PAGE = 100;

function describe(
  world: World,
  p: RecoveryPoint,
  vaultName: string,
  vaultArn: string,
): RecoveryPointByBackupVault {
  const date = (t: number) => new Date(world.clock.epochMs + t * 1000);
  return {
    RecoveryPointArn: p.arn,
    BackupVaultName: vaultName,
    BackupVaultArn: vaultArn,
    ResourceArn: p.resourceArn,
    ResourceType: p.resourceType,
    Status: 'COMPLETED',
    CreationDate: date(p.createdAt),
    CompletionDate: date(p.createdAt),
    CalculatedLifecycle: { DeleteAt: date(p.deleteAt) },
    ...(p.sourceVaultArn === undefined ? {} : { SourceBackupVaultArn: p.sourceVaultArn }),
  };
}

export const backupApi: SimApi = {
  ListRecoveryPointsByBackupVault: (raw, world, region) => {
    const input = raw as ListRecoveryPointsByBackupVaultCommandInput;
    if (!input.BackupVaultName) {
      throw modeledError(MissingParameterValueException, 'BackupVaultName is required.');
    }
    const max = input.MaxResults ?? DEFAULT_PAGE;
    if (max < 1 || max > 1000) {
      throw modeledError(InvalidParameterValueException, 'MaxResults must be between 1 and 1000.');
    }
    const model = world.deployed.backup;
    const vault = model.vault(region, input.BackupVaultName);
    if (vault === undefined) {
      throw modeledError(
        ResourceNotFoundException,
        `Backup vault ${input.BackupVaultName} not found in ${region}.`,
        404,
      );
    }
    const toSim = (d: Date) => (d.getTime() - world.clock.epochMs) / 1000;
    const after = input.ByCreatedAfter === undefined ? undefined : toSim(new Date(input.ByCreatedAfter));
    const before = input.ByCreatedBefore === undefined ? undefined : toSim(new Date(input.ByCreatedBefore));
    const matching = model
      .pointsAt(vault, world.clock.now())
      .filter(
        (p) =>
          (input.ByResourceArn === undefined || p.resourceArn === input.ByResourceArn) &&
          (after === undefined || p.createdAt > after) &&
          (before === undefined || p.createdAt < before),
      )
      .sort((a, b) => b.createdAt - a.createdAt);
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page = matching.slice(start, start + max);
    const next = start + max < matching.length ? String(start + max) : undefined;
    return {
      RecoveryPoints: page.map((p) => describe(world, p, vault.name, vault.arn)),
      ...(next === undefined ? {} : { NextToken: next }),
    };
  },
};
