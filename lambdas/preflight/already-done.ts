import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import { type DnsRegions, type DnsTarget, readDnsProgress } from '../flip-dns/progress';
import {
  type PromotionProgress,
  type PromotionTarget,
  readPromotionProgress,
} from '../promote-database/progress';
import { type DatabaseTarget, readDatabaseProgress } from '../scale-database/progress';
import { readServiceProgress, type ServiceTarget } from '../scale-service/progress';
import type { StepName } from '../shared/contracts';
import type { DnsAnswers } from '../shared/dns-answers';
import { isTransient } from '../shared/errors';
import { settleAll } from '../shared/settle';
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

export interface AlreadyDoneSettings extends ServiceTarget, DnsTarget, DnsRegions {
  /** Every database: the database step's goal (its instances) and the promotion step's (its writer). */
  readonly databases: readonly (DatabaseTarget & PromotionTarget)[];
}

export interface AlreadyDone {
  /**
   * Per step: is its goal already met (a rerun resumes past it)? `database` only when every
   * database's cluster has its instances, `promotion` only when every database's writer is this
   * region's cluster, `service` only when every service is serving.
   */
  readonly done: Readonly<Record<StepName, boolean>>;
  /**
   * Each database's global cluster as the promotion step sees it, in config order: auto mode
   * switches over only when every one is healthy.
   */
  readonly promotions: readonly PromotionProgress[];
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
 * actions), every database's and every service's at once, alongside `probe` (the source probe).
 *
 * @throws ResourceNotFoundError a global cluster, a database's cluster, the ASG, a service or a
 * target group is missing (naming the database or service)
 * @throws InvalidStateError a database's cluster is not a member of its global cluster
 * @throws TransientAwsError throttling, 5xx, network errors (retried by the state machine)
 */
export async function readAlreadyDone(
  clients: AlreadyDoneClients,
  settings: AlreadyDoneSettings,
  probe: () => Promise<SourceProbe>,
): Promise<AlreadyDone> {
  const { databases } = settings;
  const [instances, promotions, service, dns, probed] = await Promise.all([
    settleAll(databases.map((db) => readDatabaseProgress(clients.rds, db))),
    settleAll(databases.map((db) => readPromotionProgress(clients.rds, db))),
    readServiceProgress(clients, settings),
    readDnsTolerant(clients.dns, settings),
    probe(),
  ]);
  return {
    done: stepsDone({
      database: instances.every((d) => d.done),
      service: service.done,
      promotion: promotions.every((p) => p.done),
      dns: dns.done,
    }),
    promotions,
    dnsUnknown: dns.unknown,
    probe: probed,
  };
}
