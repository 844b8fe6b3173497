/**
 * Metadata key on each Lambda function's CloudFormation resource naming its source folder
 * (e.g. `lambdas/preflight`). The drill, the execution tests and the bench map template functions to
 * code with it. A module of its own so readers need not load aws-cdk-lib.
 */
export const ENTRY_METADATA_KEY = 'pilot-light:entry';
