import { type GetBucketReplicationCommandInput, NoSuchBucket, S3ServiceException } from '@aws-sdk/client-s3';
import { modeledError, serviceError } from './aws-errors';
import type { SimApi } from './calls';

/**
 * The simulated S3 control reads: GetBucketReplication of the application buckets. A bucket asked of
 * another region's endpoint answers 301 PermanentRedirect (the SDK does not follow it by default).
 */

export const s3Api: SimApi = {
  GetBucketReplication: (raw, world, region) => {
    const input = raw as GetBucketReplicationCommandInput;
    const name = input.Bucket ?? '';
    const bucket = world.deployed.buckets.buckets.get(name);
    if (bucket === undefined) throw modeledError(NoSuchBucket, 'The specified bucket does not exist', 404);
    if (bucket.region !== region) {
      throw serviceError(
        S3ServiceException,
        'PermanentRedirect',
        'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
        301,
      );
    }
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
