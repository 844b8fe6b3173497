import {
  type DescribeTargetHealthCommandInput,
  TargetGroupNotFoundException,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';

/** The simulated ELBv2 API: DescribeTargetHealth over the model's target groups. */
export const elbv2Api: SimApi = {
  DescribeTargetHealth: (raw, world, region) => {
    const input = raw as DescribeTargetHealthCommandInput;
    const group = world.elb.groups.get(input.TargetGroupArn ?? '');
    if (group === undefined || group.region !== region) {
      throw modeledError(
        TargetGroupNotFoundException,
        `Target groups '${input.TargetGroupArn ?? ''}' not found`,
      );
    }
    const now = world.clock.now();
    const wanted = input.Targets;
    const descriptions: TargetHealthDescription[] = group.targets
      .filter(
        (t) => wanted === undefined || wanted.some((w) => w.Id === t.id && (w.Port ?? t.port) === t.port),
      )
      .map((t) => {
        const h = world.elb.health(group, t, now);
        return {
          Target: { Id: t.id, Port: t.port },
          HealthCheckPort: String(t.port),
          TargetHealth: {
            State: h.state,
            ...(h.reason === undefined ? {} : { Reason: h.reason as never }),
            ...(h.description === undefined ? {} : { Description: h.description }),
          },
        };
      });
    return { TargetHealthDescriptions: descriptions };
  },
};
