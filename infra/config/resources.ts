import type { DatabaseResource, ServiceResource } from '../../lambdas/shared/resources';
import type { ProjectNames } from './names';
import { otherRole, type ProjectConfig, promotionInstanceClass, type RegionRole } from './schema';

/**
 * The application's resources as the failover functions of region `role` act on them (the
 * `DATABASES` and `SERVICES` variables, `lambdas/shared/resources.ts`): each `databases[]` and
 * `services[]` entry resolved to the identifiers of `role` (promoted) and of the other region (left).
 */
export interface RegionResources {
  readonly databases: readonly DatabaseResource[];
  readonly services: readonly ServiceResource[];
}

/** {@link RegionResources} of `role`, in config order. */
export function regionResources(
  config: ProjectConfig,
  names: ProjectNames,
  role: RegionRole,
): RegionResources {
  const target = names.regions[role];
  const source = names.regions[otherRole(role)];
  const databases = config.databases.map((db, i): DatabaseResource => {
    const own = target.databases[i];
    const other = source.databases[i];
    if (own === undefined || other === undefined) throw new Error(`databases[${i}]: no names derived`);
    return {
      name: db.name,
      globalClusterId: own.globalClusterIdentifier,
      clusterId: own.dbClusterIdentifier,
      clusterArn: own.dbClusterArn,
      sourceClusterId: other.dbClusterIdentifier,
      instanceCount: db.regions[role].promotion.instances,
      instanceClass: promotionInstanceClass(db, role),
      ...(db.regions[role].promotion.fallbackInstanceClasses.length === 0
        ? {}
        : { fallbackInstanceClasses: [...db.regions[role].promotion.fallbackInstanceClasses] }),
      engineVersion: db.engineVersion,
      ...(db.existing === undefined ? {} : { existing: true }),
    };
  });
  const services = config.services.map((svc, i): ServiceResource => {
    const own = target.services[i];
    const other = source.services[i];
    if (own === undefined || other === undefined) throw new Error(`services[${i}]: no names derived`);
    return {
      name: svc.name,
      ecsService: own.ecsServiceName,
      desiredCount: svc.regions[role].promotion.desiredCount,
      ...(svc.regions[role].promotion.servingShare === 1
        ? {}
        : { servingShare: svc.regions[role].promotion.servingShare }),
      ...(own.desiredCountParameter === undefined
        ? {}
        : { desiredCountParameter: own.desiredCountParameter }),
      sourceEcsService: other.ecsServiceName,
      ...(other.desiredCountParameter === undefined
        ? {}
        : { sourceDesiredCountParameter: other.desiredCountParameter }),
      image: svc.image,
      ...(svc.existing === undefined ? {} : { existing: true }),
    };
  });
  return { databases, services };
}

/**
 * Whether `services[index]` is behind the load balancer: the first is its default action, another
 * only when a hostname (`dns.records[].service`) names it. One behind none has no target group and
 * serves when its tasks run (`infra/stacks/service-stack.ts`).
 */
export function behindLoadBalancer(config: ProjectConfig, index: number): boolean {
  const entry = config.services[index];
  if (entry === undefined) return false;
  return index === 0 || config.dns.records.some((record) => record.service === entry.name);
}

/**
 * The health check path of the first service: what the probe requests. The probe calls the regional
 * alias `main.<first hostname>`, whose host header no listener rule names (the rules name the
 * hostnames themselves), so the load balancer's default action answers it: the first service.
 */
export function primaryHealthCheckPath(config: ProjectConfig): string {
  return config.services[0]?.healthCheckPath ?? '/';
}
