import type { ExecutionListItem } from '@aws-sdk/client-sfn';
import type { PreflightSettings } from '../../lambdas/preflight/settings';
import type { PreflightEvent, Timings } from '../../lambdas/shared/contracts';
import { ACCOUNT, REGION_ENV, REGION_SETTINGS, SOURCE_REGION, TARGET_REGION } from './helpers';

/** Shared fixtures for the preflight tests: one DR state machine promoting us-west-2. */

export const SM_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:stateMachine:proj-dr-failover`;
export const EXEC_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:execution:proj-dr-failover:b-own`;
/** Sorts before {@link EXEC_ARN} ("a-other" < "b-own"): it wins a start-time tie. */
export const OTHER_ARN = `arn:aws:states:${TARGET_REGION}:${ACCOUNT}:execution:proj-dr-failover:a-other`;
export const START = '2026-03-01T12:00:00.000Z';
export const TARGET_ID = 'proj-dr-aurora';
export const SOURCE_ID = 'proj-main-aurora';
export const TARGET_ARN = `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${TARGET_ID}`;
export const SOURCE_ARN = `arn:aws:rds:${SOURCE_REGION}:${ACCOUNT}:cluster:${SOURCE_ID}`;
export const ZONE_NAME = 'app.example.com';

export const TIMINGS: Timings = {
  database: { budgetMinutes: 45, pollSeconds: 3, windowSeconds: 240 },
  service: { budgetMinutes: 20, pollSeconds: 3, windowSeconds: 240 },
  replication: { budgetMinutes: 30, pollSeconds: 30, windowSeconds: 240 },
  promotion: { budgetMinutes: 20, pollSeconds: 5, windowSeconds: 300 },
  dns: { budgetMinutes: 10, pollSeconds: 3, windowSeconds: 120 },
  fence: { budgetMinutes: 3, pollSeconds: 5, windowSeconds: 120 },
};

export function makeSettings(overrides: Partial<PreflightSettings> = {}): PreflightSettings {
  return {
    ...REGION_SETTINGS,
    globalClusterId: 'proj-global',
    targetClusterId: TARGET_ID,
    sourceClusterId: SOURCE_ID,
    dbInstanceCount: 1,
    asgName: 'proj-dr-ecs-asg',
    asgMinCapacity: 2,
    ecsCluster: 'proj-dr-cluster',
    ecsService: 'proj-dr-app',
    serviceDesiredCount: 2,
    zoneName: ZONE_NAME,
    recordNames: ['app.example.com'],
    targetRecordName: 'dr.app.example.com',
    sourceRecordName: 'main.app.example.com',
    coolDownMinutes: 30,
    sourceProbeTimeoutMs: 50,
    timings: TIMINGS,
    approval: { required: 'none', timeoutSeconds: 1800, onTimeout: 'stop' },
    ...overrides,
  };
}

/** The environment infra gives the function for {@link makeSettings} (probe timeout 5000 ms). */
export const ENV = {
  ...REGION_ENV,
  GLOBAL_CLUSTER_ID: 'proj-global',
  TARGET_CLUSTER_ID: TARGET_ID,
  SOURCE_CLUSTER_ID: SOURCE_ID,
  DB_INSTANCE_COUNT: '1',
  ASG_NAME: 'proj-dr-ecs-asg',
  ASG_MIN_CAPACITY: '2',
  ECS_CLUSTER: 'proj-dr-cluster',
  ECS_SERVICE: 'proj-dr-app',
  SERVICE_DESIRED_COUNT: '2',
  ZONE_NAME,
  RECORD_NAMES: 'app.example.com',
  TARGET_RECORD_NAME: 'dr.app.example.com',
  SOURCE_RECORD_NAME: 'main.app.example.com',
  COOL_DOWN_MINUTES: '30',
  SOURCE_PROBE_TIMEOUT_MS: '5000',
  TIMINGS: JSON.stringify(TIMINGS),
  APPROVAL_REQUIRED: 'none',
  APPROVAL_TIMEOUT_SECONDS: '1800',
  APPROVAL_ON_TIMEOUT: 'stop',
};

export function makeEvent(
  input: unknown = { mode: 'auto', reason: 'alarm proj-main-health' },
): PreflightEvent {
  return { input, executionArn: EXEC_ARN, startTime: START, stateMachineArn: SM_ARN };
}

/** An execution of the state machine as ListExecutions returns it: RUNNING, or SUCCEEDED once stopped. */
export function execution(executionArn: string, startDate: string, stopDate?: string): ExecutionListItem {
  return {
    executionArn,
    stateMachineArn: SM_ARN,
    name: executionArn.split(':').pop(),
    status: stopDate === undefined ? 'RUNNING' : 'SUCCEEDED',
    startDate: new Date(startDate),
    ...(stopDate === undefined ? {} : { stopDate: new Date(stopDate) }),
  };
}
