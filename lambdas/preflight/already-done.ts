import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import { type DnsRegions, type DnsTarget, readDnsProgress } from '../flip-dns/progress';
import { type PromotionProgress, readPromotionProgress } from '../promote-database/progress';
import { type DatabaseTarget, readDatabaseProgress } from '../scale-database/progress';
import { readServiceProgress, type ServiceTarget } from '../scale-service/progress';
import type { StepName } from '../shared/contracts';
import type { DnsAnswers } from '../shared/dns-answers';
import { isTransient } from '../shared/errors';
import { stepsDone } from '../shared/steps';
import type { SourceProbe } from './source-probe';

/** Target-region clients and the DNS data plane: the steps' own read-only readers run on them. */
export interface AlreadyDoneClients {
  readonly rds: RDSClient;
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly dns: DnsAnswers;
}

export interface AlreadyDoneSettings extends DatabaseTarget, ServiceTarget, DnsTarget, DnsRegions {
  readonly globalClusterId: string;
}

export interface AlreadyDone {
  /** Per step: is its goal already met (a rerun resumes past it)? */
  readonly done: Readonly<Record<StepName, boolean>>;
  /** The global cluster as the promotion step sees it: auto mode switches over only when healthy. */
  readonly promotion: PromotionProgress;
  /** A hostname's answer could not be read (a DNS lookup failed); counted as not done. */
  readonly dnsUnknown: boolean;
  /** The source probe's answer. */
  readonly probe: SourceProbe;
}

/**
 * A failed lookup must not stop the failover: it counts as "not done" (the step publishes the
 * claim, which is harmless when traffic is already here, and reads again).
 */
async function readDnsTolerant(
  dns: DnsAnswers,
  settings: AlreadyDoneSettings,
): Promise<{ readonly done: boolean; readonly unknown: boolean }> {
  try {
    return { done: (await readDnsProgress(dns, settings, settings)).done, unknown: false };
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
 * @throws ResourceNotFoundError the global cluster, target cluster, ASG, service or target group is missing
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
    readDnsTolerant(clients.dns, settings),
    probe(),
  ]);
  const promotion = await readPromotionProgress(clients.rds, {
    globalClusterId: settings.globalClusterId,
    targetClusterId: settings.targetClusterId,
    targetClusterArn: database.clusterArn,
  });
  return {
    done: stepsDone({
      database: database.done,
      service: service.done,
      promotion: promotion.done,
      dns: dns.done,
    }),
    promotion,
    dnsUnknown: dns.unknown,
    probe: probed,
  };
}
