import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { Route53Client } from '@aws-sdk/client-route-53';
import { type DnsTarget, readDnsProgress } from '../flip-dns/progress';
import { type PromotionProgress, readPromotionProgress } from '../promote-database/progress';
import { type DatabaseTarget, readDatabaseProgress } from '../scale-database/progress';
import { readServiceProgress, type ServiceTarget } from '../scale-service/progress';
import type { StepName } from '../shared/contracts';
import { isTransient } from '../shared/errors';
import type { SourceProbe } from './source-probe';

/** Target-region clients: the steps' own read-only readers run on them. */
export interface AlreadyDoneClients {
  readonly rds: RDSClient;
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly route53: Route53Client;
}

export interface AlreadyDoneSettings extends DatabaseTarget, ServiceTarget, DnsTarget {
  readonly globalClusterId: string;
}

export interface AlreadyDone {
  /** Per step: is its goal already met (a rerun resumes past it)? */
  readonly done: Readonly<Record<StepName, boolean>>;
  /** The global cluster as the promotion step sees it: auto mode switches over only when healthy. */
  readonly promotion: PromotionProgress;
  /** The DNS record could not be read (Route 53's control plane is down); counted as not done. */
  readonly dnsUnknown: boolean;
  /** The source probe's answer. */
  readonly probe: SourceProbe;
}

/**
 * The Route 53 control plane lives in us-east-1, often the region being left: a transient failure
 * to read the record must not stop the failover, so it counts as "not done" (the flip retries).
 */
async function readDnsTolerant(
  route53: Route53Client,
  target: DnsTarget,
): Promise<{ readonly done: boolean; readonly unknown: boolean }> {
  try {
    return { done: (await readDnsProgress(route53, target)).done, unknown: false };
  } catch (err: unknown) {
    if (!isTransient(err)) throw err;
    return { done: false, unknown: true };
  }
}

/**
 * Read what each step has already done, with the steps' own read-only readers (never their
 * actions). `probe` (the source probe) runs alongside the first reads; the promotion read follows,
 * as it needs the database's cluster ARN.
 *
 * @throws ResourceNotFoundError the global cluster, target cluster, ASG, service or zone is missing
 * @throws InvalidStateError the target cluster is not a member of the global cluster
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
 */
export async function readAlreadyDone(
  clients: AlreadyDoneClients,
  settings: AlreadyDoneSettings,
  probe: () => Promise<SourceProbe>,
): Promise<AlreadyDone> {
  const [database, service, dns, probed] = await Promise.all([
    readDatabaseProgress(clients.rds, settings),
    readServiceProgress(clients, settings),
    readDnsTolerant(clients.route53, settings),
    probe(),
  ]);
  const promotion = await readPromotionProgress(clients.rds, {
    globalClusterId: settings.globalClusterId,
    targetClusterId: settings.targetClusterId,
    targetClusterArn: database.clusterArn,
  });
  return {
    done: { database: database.done, service: service.done, promotion: promotion.done, dns: dns.done },
    promotion,
    dnsUnknown: dns.unknown,
    probe: probed,
  };
}
