// Quiet, credential-free test runs: handlers log through Powertools (silenced here) and the SDK
// must never look for real credentials.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
process.env.AWS_REGION = 'us-east-1';
