import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RunRecordLink } from '../shared/contracts';
import { awsCall } from '../shared/errors';

/**
 * Where a record goes: `runs/<yyyy>/<mm>/<dd>/<execution name>.json|.md`, dated by the execution's
 * start (UTC), so writing the record of one execution again overwrites the same two objects.
 */
export function recordKeys(startedAt: Date, executionName: string): { json: string; markdown: string } {
  const iso = startedAt.toISOString();
  const base = `runs/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${executionName}`;
  return { json: `${base}.json`, markdown: `${base}.md` };
}

/** The AWS console's host per partition (the partition is the second field of any ARN). */
const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** The S3 console page of `key`, on the console of `partition`. */
export function consoleUrl(partition: string, region: string, bucket: string, key: string): string {
  const host = CONSOLE_HOSTS[partition] ?? CONSOLE_HOSTS.aws;
  return `https://${host}/s3/object/${bucket}?region=${region}&bucketType=general&prefix=${encodeURIComponent(key)}`;
}

/** The partition an ARN is in. */
export function partitionOfArn(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

/** Everything the write needs. */
export interface RecordObjects {
  readonly bucket: string;
  readonly region: string;
  readonly executionArn: string;
  readonly startedAt: Date;
  readonly executionName: string;
  readonly json: string;
  readonly markdown: string;
}

/**
 * The bucket encrypts with S3-managed keys and its policy refuses a put that does not ask for
 * them, so every put names `AES256`.
 */
export const RECORD_ENCRYPTION = 'AES256';

/**
 * Write the record's JSON and Markdown and return the link. Throws `TransientAwsError` on throttling
 * and 5xx; AccessDenied, NoSuchBucket and other refusals pass through with their own names.
 */
export async function writeRecord(s3: S3Client, o: RecordObjects): Promise<RunRecordLink> {
  const keys = recordKeys(o.startedAt, o.executionName);
  const put = (key: string, body: string, contentType: string) =>
    awsCall('PutObject', () =>
      s3.send(
        new PutObjectCommand({
          Bucket: o.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ServerSideEncryption: RECORD_ENCRYPTION,
        }),
      ),
    );
  await put(keys.json, o.json, 'application/json');
  await put(keys.markdown, o.markdown, 'text/markdown; charset=utf-8');
  return {
    bucket: o.bucket,
    jsonKey: keys.json,
    markdownKey: keys.markdown,
    s3Uri: `s3://${o.bucket}/${keys.markdown}`,
    consoleUrl: consoleUrl(partitionOfArn(o.executionArn), o.region, o.bucket, keys.markdown),
  };
}
