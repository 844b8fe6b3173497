import {
  type DescribeTargetGroupsCommandInput,
  ElasticLoadBalancingV2ServiceException,
  type TargetGroup,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimApi } from '../api';
import { modeledError, serviceError } from '../aws-errors';
import type { World } from '../world';
import type { SimTargetGroup } from './elbv2';

/** The simulated DescribeTargetGroups: the service stacks' target groups (service-stack.ts's `addTargets`). */

/** DescribeTargetGroups' PageSize range (API reference). */
const MAX_PAGE = 400;

function describeGroup(world: World, g: SimTargetGroup): TargetGroup {
  const n = world.names.regions[g.role];
  // One load balancer and VPC per region: named after the region's default (first) group.
  const lb = (world.elb.listeners.get(g.role)?.defaultGroupArn ?? g.arn).slice(-16);
  return {
    TargetGroupArn: g.arn,
    TargetGroupName: g.name,
    Protocol: 'HTTP',
    Port: 80,
    VpcId: `vpc-0${lb}`,
    HealthCheckProtocol: 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: 15,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 3,
    HealthCheckPath: g.healthCheckPath,
    Matcher: { HttpCode: '200-399' },
    LoadBalancerArns: [
      n.arn('elasticloadbalancing', `loadbalancer/app/${world.config.project}-${g.role}-alb/${lb}`),
    ],
    TargetType: 'instance',
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

export const elbv2DescribeApi: SimApi = {
  DescribeTargetGroups: (raw, world, region) => {
    const input = raw as DescribeTargetGroupsCommandInput;
    if (input.PageSize !== undefined && (input.PageSize < 1 || input.PageSize > MAX_PAGE)) {
      throw serviceError(
        ElasticLoadBalancingV2ServiceException,
        'ValidationError',
        `1 validation error detected: Value '${input.PageSize}' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`,
      );
    }
    const inRegion = [...world.elb.groups.values()].filter((g) => g.region === region);
    const arns = input.TargetGroupArns;
    const names = input.Names;
    const missing = [
      ...(arns ?? []).filter((a) => !inRegion.some((g) => g.arn === a)),
      ...(names ?? []).filter((x) => !inRegion.some((g) => g.name === x)),
    ];
    if (missing.length > 0) {
      throw modeledError(TargetGroupNotFoundException, `One or more target groups not found`);
    }
    const selected = inRegion.filter(
      (g) => (arns === undefined || arns.includes(g.arn)) && (names === undefined || names.includes(g.name)),
    );
    const offset = input.Marker === undefined ? 0 : Number(input.Marker);
    const size = input.PageSize ?? MAX_PAGE;
    const page = selected.slice(offset, offset + size);
    return {
      TargetGroups: page.map((g) => describeGroup(world, g)),
      ...(offset + size < selected.length ? { NextMarker: String(offset + size) } : {}),
    };
  },
};
