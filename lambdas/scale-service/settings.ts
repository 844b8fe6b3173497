import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SSMClient } from '@aws-sdk/client-ssm';
import {
  type Env,
  parseListVar,
  REGION_ENV,
  type RegionSettings,
  regionSettings,
  requireEnv,
} from '../shared/env';
import type { ServiceOf } from '../shared/resources';
import { CAPACITY_RECORD_ENV, INSTANCE_TYPES_ENV, SCALE_SERVICE_SERVICE_FIELDS } from './env';
import type { ServiceTarget } from './progress';
import { SERVICE_TARGET_ENV } from './target-env';
import { serviceTargetSettings } from './target-settings';

export interface ScaleServiceSettings extends RegionSettings, ServiceTarget {
  /**
   * Each service, with the parameter its service stack deploys its DesiredCount from (absent for a
   * service the team deployed: its own tool owns its count).
   */
  readonly services: readonly ServiceOf<(typeof SCALE_SERVICE_SERVICE_FIELDS)[number]>[];
  /**
   * The parameter the service stack deploys the shared ASG's MinSize from; absent when the capacity
   * (ECS cluster and ASG) is the team's (`ASG_MIN_CAPACITY_PARAMETER` empty).
   */
  readonly asgMinCapacityParameter?: string;
  /**
   * The ASG's instance types in order of preference (`INSTANCE_TYPES`); empty when not known. The
   * first is the first choice: instances of another type are reported as launched instead of it.
   */
  readonly instanceTypes: readonly string[];
}

export interface ScaleServiceClients {
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** SSM in this region: the capacity parameters. */
  readonly ssm: SSMClient;
}

/**
 * Read the scale-service settings. `ASG_MIN_CAPACITY_PARAMETER` must be set but may be empty (no
 * parameter: the capacity is the team's); so must `INSTANCE_TYPES` (empty: types not known).
 *
 * @throws InvalidInputError naming missing variables, or the malformed one (for `SERVICES`, the
 * entry and field too)
 */
export function readScaleServiceSettings(env: Env): ScaleServiceSettings {
  const raw = requireEnv(
    [...REGION_ENV, ...SERVICE_TARGET_ENV, ...CAPACITY_RECORD_ENV, ...INSTANCE_TYPES_ENV],
    env,
    [...CAPACITY_RECORD_ENV, ...INSTANCE_TYPES_ENV],
  );
  const asgParameter = raw.ASG_MIN_CAPACITY_PARAMETER;
  const types = raw.INSTANCE_TYPES;
  return {
    ...regionSettings(raw),
    ...serviceTargetSettings(raw, env, SCALE_SERVICE_SERVICE_FIELDS),
    ...(asgParameter === '' ? {} : { asgMinCapacityParameter: asgParameter }),
    instanceTypes: types === '' ? [] : parseListVar('INSTANCE_TYPES', types),
  };
}
