import { ClientException, type DescribeTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';

/** The simulated ECS read the readiness checks add: DescribeTaskDefinition. */

/** Seconds before the drill the definitions were registered (the service stack's deploy, as seed.ts). */
const REGISTERED_AT = -86_400;

export const ecsReadinessApi: SimApi = {
  DescribeTaskDefinition: (raw, world, region) => {
    const input = raw as DescribeTaskDefinitionCommandInput;
    const ref = input.taskDefinition ?? '';
    const d = ref === '' ? undefined : world.deployed.taskDefinitions.find(region, ref);
    // ECS answers an unknown definition with a ClientException, not a NotFound class.
    if (d === undefined) throw modeledError(ClientException, 'Unable to describe task definition.');
    return {
      taskDefinition: {
        taskDefinitionArn: d.arn,
        family: d.family,
        revision: d.revision,
        status: d.status,
        taskRoleArn: d.taskRoleArn,
        networkMode: 'bridge',
        requiresCompatibilities: ['EC2'],
        compatibilities: ['EXTERNAL', 'EC2'],
        registeredAt: world.clock.dateAt(REGISTERED_AT),
        containerDefinitions: [
          {
            name: d.containerName,
            image: d.image,
            cpu: d.cpu,
            memory: d.memoryMiB,
            essential: true,
            portMappings: [{ containerPort: d.containerPort, hostPort: 0, protocol: 'tcp' }],
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'app' } },
          },
        ],
      },
      ...(input.include?.includes('TAGS') ? { tags: [] } : {}),
    };
  },
};
