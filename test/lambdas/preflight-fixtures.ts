import type { ExecutionListItem } from '@aws-sdk/client-sfn';
import { PREFLIGHT_DATABASE_FIELDS, PREFLIGHT_SERVICE_FIELDS } from '../../lambdas/preflight/env';
import type { PreflightDatabase, PreflightSettings } from '../../lambdas/preflight/settings';
import type { ServiceTargetEntry } from '../../lambdas/scale-service/progress';
import type { PreflightEvent, Timings } from '../../lambdas/shared/contracts';
import {
  type DatabaseResource,
  databasesEnvironment,
  type ServiceResource,
  servicesEnvironment,
} from '../../lambdas/shared/resources';
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
/** What the alarm's probe requests: an alarm-started run re-checks it. */
export const SOURCE_HEALTH_URL = 'http://main.app.example.com/health';

/** A database as infra names it (`infra/config/names.ts`): the first keeps the seed's names. */
export function database(name: string, suffix = `-${name}`): DatabaseResource {
  const clusterId = `proj-dr-aurora${suffix}`;
  return {
    name,
    globalClusterId: `proj-global${suffix}`,
    clusterId,
    clusterArn: `arn:aws:rds:${TARGET_REGION}:${ACCOUNT}:cluster:${clusterId}`,
    sourceClusterId: `proj-main-aurora${suffix}`,
    instanceCount: 1,
    instanceClass: 'db.r6g.large',
    engineVersion: '16.6',
  };
}

/** The source region's member of `db`'s global cluster. */
export const sourceArnOf = (db: Pick<DatabaseResource, 'sourceClusterId'>): string =>
  `arn:aws:rds:${SOURCE_REGION}:${ACCOUNT}:cluster:${db.sourceClusterId}`;

/** The seed's database ({@link TARGET_ID} in this region, {@link SOURCE_ID} in the other), and a second one. */
export const APP_DB = database('app', '');
export const ORDERS_DB = database('orders');

/** A service as infra names it: the first keeps the seed's names. */
export function service(name: string, suffix = `-${name}`): ServiceResource {
  return {
    name,
    ecsService: `proj-dr-app${suffix}`,
    desiredCount: 2,
    desiredCountParameter: `/proj/dr/capacity${suffix}/service-desired-count`,
    sourceEcsService: `proj-main-app${suffix}`,
    sourceDesiredCountParameter: `/proj/main/capacity${suffix}/service-desired-count`,
    image: 'public.ecr.aws/nginx/nginx:1.27',
  };
}

export const WEB_SERVICE = service('app', '');
export const API_SERVICE = service('api');

/** `db` as preflight reads it: `name` and {@link PREFLIGHT_DATABASE_FIELDS}. */
export function asRead(db: DatabaseResource): PreflightDatabase {
  const { name, globalClusterId, clusterId, clusterArn, sourceClusterId, instanceCount } = db;
  return { name, globalClusterId, clusterId, clusterArn, sourceClusterId, instanceCount };
}

/** `svc` as preflight reads it: `name` and {@link PREFLIGHT_SERVICE_FIELDS}. */
export function serviceAsRead(svc: ServiceResource): ServiceTargetEntry {
  const { name, ecsService, desiredCount } = svc;
  return { name, ecsService, desiredCount };
}

/** `DATABASES` and `SERVICES` as infra writes them for preflight. */
export function listsEnv(
  databases: readonly DatabaseResource[] = [APP_DB],
  services: readonly ServiceResource[] = [WEB_SERVICE],
): { DATABASES: string; SERVICES: string } {
  return {
    DATABASES: databasesEnvironment(databases, PREFLIGHT_DATABASE_FIELDS),
    SERVICES: servicesEnvironment(services, PREFLIGHT_SERVICE_FIELDS),
  };
}

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
    databases: [asRead(APP_DB)],
    asgName: 'proj-dr-ecs-asg',
    asgMinCapacity: 2,
    ecsCluster: 'proj-dr-cluster',
    services: [serviceAsRead(WEB_SERVICE)],
    zoneName: ZONE_NAME,
    recordNames: ['app.example.com'],
    targetRecordName: 'dr.app.example.com',
    sourceRecordName: 'main.app.example.com',
    coolDownMinutes: 30,
    sourceProbeTimeoutMs: 50,
    sourceHealthUrl: SOURCE_HEALTH_URL,
    sourceHealthRequests: 3,
    sourceHealthTimeoutMs: 50,
    timings: TIMINGS,
    approval: { required: 'none', timeoutSeconds: 1800, onTimeout: 'stop' },
    ...overrides,
  };
}

/** The environment infra gives the function for {@link makeSettings} (probe timeout 5000 ms). */
export const ENV = {
  ...REGION_ENV,
  ...listsEnv(),
  ASG_NAME: 'proj-dr-ecs-asg',
  ASG_MIN_CAPACITY: '2',
  ECS_CLUSTER: 'proj-dr-cluster',
  ZONE_NAME,
  RECORD_NAMES: 'app.example.com',
  TARGET_RECORD_NAME: 'dr.app.example.com',
  SOURCE_RECORD_NAME: 'main.app.example.com',
  COOL_DOWN_MINUTES: '30',
  SOURCE_PROBE_TIMEOUT_MS: '5000',
  SOURCE_HEALTH_URL,
  SOURCE_HEALTH_REQUESTS: '3',
  SOURCE_HEALTH_TIMEOUT_MS: '50',
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
