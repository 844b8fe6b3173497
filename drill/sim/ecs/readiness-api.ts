import {
  type CapacityProvider,
  ClientException,
  type Cluster,
  type DescribeCapacityProvidersCommandInput,
  type DescribeClustersCommandInput,
  type DescribeTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { World } from '../world';
import type { SimEcsCluster } from './ecs';

/**
 * The simulated ECS reads the readiness checks add: DescribeTaskDefinition, and the cluster's wiring
 * to the region's group: DescribeClusters (its capacity providers and default strategy) and
 * DescribeCapacityProviders (the Auto Scaling group each one scales).
 */

/** The providers every account has, listed without an Auto Scaling group (Fargate's). */
const FARGATE_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;

function describeProvider(world: World, cluster: SimEcsCluster): CapacityProvider {
  const { capacityProvider: p } = cluster;
  const asg = world.autoscaling.groups.get(p.asgName);
  return {
    capacityProviderArn: p.arn,
    name: p.name,
    status: 'ACTIVE',
    autoScalingGroupProvider: {
      autoScalingGroupArn: asg?.arn ?? p.asgName,
      managedScaling: {
        status: 'ENABLED',
        targetCapacity: 100,
        minimumScalingStepSize: 1,
        maximumScalingStepSize: 10_000,
        instanceWarmupPeriod: 300,
      },
      managedTerminationProtection: 'DISABLED',
      managedDraining: 'ENABLED',
    },
    tags: [],
  };
}

function describeCluster(world: World, cluster: SimEcsCluster): Cluster {
  const services = [...world.ecs.services.values()].filter((s) => s.clusterArn === cluster.arn);
  const tasks = services.flatMap((s) => s.tasks);
  const asg = world.autoscaling.groups.get(cluster.capacityProvider.asgName);
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: asg?.instances.filter((i) => i.registeredAt !== undefined).length ?? 0,
    runningTasksCount: tasks.filter((t) => t.state === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.state === 'PENDING').length,
    activeServicesCount: services.length,
    capacityProviders: [cluster.capacityProvider.name],
    defaultCapacityProviderStrategy: [
      { capacityProvider: cluster.capacityProvider.name, weight: 1, base: 0 },
    ],
  };
}

/** Seconds before the drill the definitions were registered (the service stack's deploy, as seed.ts). */
const REGISTERED_AT = -86_400;

export const ecsReadinessApi: SimApi = {
  DescribeClusters: (raw, world, region) => {
    const input = raw as DescribeClustersCommandInput;
    const asked = input.clusters === undefined || input.clusters.length === 0 ? ['default'] : input.clusters;
    const clusters: Cluster[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const name of asked) {
      const c = world.ecs.cluster(region, name);
      if (c === undefined) failures.push({ arn: name, reason: 'MISSING' });
      else clusters.push(describeCluster(world, c));
    }
    return { clusters, failures };
  },

  DescribeCapacityProviders: (raw, world, region) => {
    const input = raw as DescribeCapacityProvidersCommandInput;
    const inRegion = [...world.ecs.clusters.values()].filter(
      (c) =>
        c.region === region &&
        (input.cluster === undefined || c.name === input.cluster || c.arn === input.cluster),
    );
    const own = inRegion.map((c) => describeProvider(world, c));
    const fargate = FARGATE_PROVIDERS.map(
      (name): CapacityProvider => ({
        capacityProviderArn: `arn:${world.names.partition}:ecs:${region}::capacity-provider/${name}`,
        name,
        status: 'ACTIVE',
        tags: [],
      }),
    );
    // A cluster's own list holds only the providers added to it: its group's, not Fargate's.
    const all = input.cluster === undefined ? [...fargate, ...own] : own;
    const names = input.capacityProviders;
    if (names === undefined || names.length === 0) return { capacityProviders: all, failures: [] };
    const capacityProviders: CapacityProvider[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const name of names) {
      const p = all.find((x) => x.name === name || x.capacityProviderArn === name);
      if (p === undefined) failures.push({ arn: name, reason: 'MISSING' });
      else capacityProviders.push(p);
    }
    return { capacityProviders, failures };
  },

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
