/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/test/setup/env.ts'],
  globalSetup: '<rootDir>/test/setup/synth-cache.ts',
  globalTeardown: '<rootDir>/test/setup/synth-cache-teardown.ts',
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  testTimeout: 120000,
  // Test files in worker processes, each replaced once it holds over 1 GB after a file: in one
  // process (Jest's choice on 2 cores) the drill and CDK suites' memory accumulates, and a run that
  // happens to order them first slowed every later file ~10x (infra suites 12 s → 130 s).
  maxWorkers: 2,
  workerIdleMemoryLimit: '1GB',
  // `npm test` passes --coverage; a targeted `npx jest <file>` stays fast and threshold-free.
  collectCoverageFrom: [
    'lambdas/**/*.ts',
    'infra/**/*.ts',
    'drill/**/*.ts',
    'statemachines/**/*.ts',
    // Both run their work on import, so no test can load them in-process: the CDK entry synthesizes
    // the app (and exits on a config error), the bench spawns `cdk synth` and timed child processes.
    '!infra/app.ts',
    '!drill/sweep/bench.ts',
  ],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  coverageThreshold: {
    global: { lines: 90, branches: 80 },
  },
};
