/**
 * Where Route 53's control plane answers for a region's partition: it is global within a
 * partition, served from one region (`aws`: us-east-1, `aws-cn`: cn-northwest-1, `aws-us-gov`:
 * us-gov-west-1). The Lambda and the CLI both read it here.
 */
export function route53ControlPlaneRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-northwest-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}
