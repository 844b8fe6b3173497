import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import { type GetBucketReplicationCommandInput, S3ServiceException } from '@aws-sdk/client-s3';
import type { SimApi } from '../api';
import { serviceError } from '../aws-errors';
import { bucketIn, REQUIRED_SSE } from './s3';

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

/** S3 PutObject into the run-record buckets: the bucket's region, its SSE-S3 policy, versions kept. */
export const runRecordS3Api: SimApi = {
  PutObject: (raw, world, region) => {
    const input = raw as PutObjectCommandInput;
    const bucket = bucketIn(world.runRecords.buckets.get(input.Bucket ?? ''), region);
    // The bucket policy's explicit deny: S3 answers AccessDenied.
    if (input.ServerSideEncryption !== REQUIRED_SSE) {
      throw serviceError(S3ServiceException, 'AccessDenied', 'Access Denied', 403);
    }
    const key = input.Key ?? '';
    const versions = bucket.objects.get(key) ?? [];
    const versionId = `drill-v${world.calls.length}`;
    versions.push({
      key,
      body: typeof input.Body === 'string' ? input.Body : String(input.Body),
      ...(input.ContentType === undefined ? {} : { contentType: input.ContentType }),
      serverSideEncryption: REQUIRED_SSE,
      versionId,
      at: world.clock.now(),
    });
    bucket.objects.set(key, versions);
    return { ETag: `"${versionId}"`, ServerSideEncryption: REQUIRED_SSE, VersionId: versionId };
  },
};
