import { type GetBucketReplicationCommandInput, S3ServiceException } from '@aws-sdk/client-s3';
import { serviceError } from '../aws-errors';
import type { SimApi } from '../calls';
import { bucketIn } from './s3';

/**
 * The simulated S3 control reads: GetBucketReplication of the application buckets. A bucket asked of
 * another region's endpoint answers 301 PermanentRedirect (the SDK does not follow it by default).
 */

export const s3Api: SimApi = {
  GetBucketReplication: (raw, world, region) => {
    const input = raw as GetBucketReplicationCommandInput;
    const name = input.Bucket ?? '';
    const bucket = bucketIn(world.deployed.buckets.buckets.get(name), region);
    if (bucket.replication === undefined) {
      throw serviceError(
        S3ServiceException,
        'ReplicationConfigurationNotFoundError',
        'The replication configuration was not found',
        404,
      );
    }
    return {
      ReplicationConfiguration: {
        Role: bucket.replication.roleArn,
        Rules: bucket.replication.rules.map((r) => JSON.parse(JSON.stringify(r)) as unknown),
      },
    };
  },
};
