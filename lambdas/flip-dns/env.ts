/**
 * The environment variables the flip-dns handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it.
 */
export const FLIP_DNS_ENV = [
  'TARGET_ROLE',
  'TARGET_REGION',
  'SOURCE_REGION',
  'PROJECT',
  'ZONE_NAME',
  'RECORD_NAME',
  'TARGET_RECORD_NAME',
  'SOURCE_RECORD_NAME',
] as const;
