/**
 * The physical name of bucket entry `entry` in a region: `<project>-<role>-<entry>-<account>-<region>`
 * (the seed's `data` entry keeps the bucket it had). S3 allows 63 characters; the schema checks.
 */
export function bucketNameOf(
  project: string,
  role: string,
  where: { readonly account: string; readonly region: string },
  entry: string,
): string {
  return `${project}-${role}-${entry}-${where.account}-${where.region}`;
}
