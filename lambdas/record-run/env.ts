/**
 * The environment variables the record-run handler reads: infra types the function's environment
 * against this list. No imports, so infra loads nothing of the handler with it.
 */
export const RECORD_RUN_ENV = ['RUN_RECORD_BUCKET', 'TARGET_ROLE', 'TARGET_REGION', 'SOURCE_REGION'] as const;
