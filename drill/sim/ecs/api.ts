import {
  ClusterNotFoundException,
  type DescribeServicesCommandInput,
  InvalidParameterException,
  type Service,
  ServiceNotFoundException,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import type { World } from '../world';
import type { SimService } from './ecs';

/** Seconds before the seed's services were created: they exist long before any drill starts. */
const CREATED_AT = -86_400;

function clusterMatches(svc: SimService, cluster: string | undefined): boolean {
  const c = cluster ?? 'default';
  return c === svc.cluster || c === svc.clusterArn;
}

function describeService(world: World, svc: SimService): Service {
  const running = svc.tasks.filter((t) => t.state === 'RUNNING').length;
  // The API reference counts PENDING tasks only: one waiting in PROVISIONING is in neither count.
  const pending = svc.tasks.filter((t) => t.state === 'PENDING').length;
  const taskDefinition =
    world.deployed.taskDefinitions.of(svc.role, svc.entry)?.arn ??
    world.names.regions[svc.role].arn('ecs', `task-definition/${svc.name}:1`);
  const deployment = {
    id: svc.deploymentId,
    status: 'PRIMARY',
    taskDefinition,
    desiredCount: svc.desired,
    pendingCount: pending,
    runningCount: running,
    failedTasks: svc.failedTasks,
    createdAt: world.clock.dateAt(svc.deploymentCreatedAt),
    updatedAt: world.clock.dateAt(svc.updatedAt),
    // Scaling changes the primary deployment's counts; it does not start a new deployment.
    rolloutState: 'COMPLETED' as const,
    rolloutStateReason: 'ECS deployment ecs-svc completed.',
  };
  const group = world.elb.groupOf(svc.role, svc.entry);
  // The cluster's one capacity provider.
  const provider = world.ecs.cluster(svc.region, svc.clusterArn)?.capacityProvider.name ?? `${svc.name}-cp`;
  return {
    serviceArn: svc.arn,
    serviceName: svc.name,
    clusterArn: svc.clusterArn,
    status: 'ACTIVE',
    taskDefinition,
    desiredCount: svc.desired,
    runningCount: running,
    pendingCount: pending,
    launchType: undefined,
    loadBalancers:
      group === undefined
        ? []
        : [
            {
              targetGroupArn: group.arn,
              containerName: group.containerName,
              containerPort: group.containerPort,
            },
          ],
    capacityProviderStrategy: [{ capacityProvider: provider, weight: 1, base: 0 }],
    deployments: [deployment],
    events: svc.events
      .slice(0, 20)
      .map((e) => ({ id: e.id, createdAt: world.clock.dateAt(e.at), message: e.message })),
    createdAt: world.clock.dateAt(CREATED_AT),
    schedulingStrategy: 'REPLICA',
  };
}

/** The services of `cluster` in `region`; throws ClusterNotFoundException when it does not exist. */
function servicesOf(world: World, region: string, cluster: string | undefined): SimService[] {
  if (world.ecs.cluster(region, cluster) === undefined) {
    throw modeledError(ClusterNotFoundException, 'Cluster not found.');
  }
  return [...world.ecs.services.values()].filter((s) => s.region === region && clusterMatches(s, cluster));
}

/** DescribeServices describes at most this many services per call (API reference). */
const MAX_SERVICES_PER_DESCRIBE = 10;

function invalidParameter(message: string): Error {
  return modeledError(InvalidParameterException, message);
}

/** The simulated ECS API (services on ASG capacity). */
export const ecsApi: SimApi = {
  DescribeServices: (raw, world, region) => {
    const input = raw as DescribeServicesCommandInput;
    const names = input.services ?? [];
    if (names.length === 0) throw invalidParameter('services can not be empty.');
    if (names.length > MAX_SERVICES_PER_DESCRIBE) {
      throw invalidParameter(`services can have at most ${MAX_SERVICES_PER_DESCRIBE} items.`);
    }
    const inCluster = servicesOf(world, region, input.cluster);
    const services: Service[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const name of names) {
      const svc = inCluster.find((s) => s.name === name || s.arn === name);
      if (svc === undefined) failures.push({ arn: name, reason: 'MISSING' });
      else services.push(describeService(world, svc));
    }
    return { services, failures };
  },

  UpdateService: (raw, world, region) => {
    const input = raw as UpdateServiceCommandInput;
    if (input.service === undefined || input.service === '')
      throw invalidParameter('service can not be blank.');
    const svc = servicesOf(world, region, input.cluster).find(
      (s) => s.name === input.service || s.arn === input.service,
    );
    if (svc === undefined) throw modeledError(ServiceNotFoundException, 'Service not found.');
    if (input.desiredCount !== undefined) {
      if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
        throw invalidParameter('desiredCount must be a non-negative integer.');
      }
      world.ecs.setDesired(svc, input.desiredCount);
    }
    return { service: describeService(world, svc) };
  },
};
