import type { ReadinessCheckId } from '../../shared/readiness-contract';
import type { ReadinessCheckSpec } from '../check-spec';
import { backupsCheck } from './backups';
import { capacityLimitsCheck } from './capacity-limits';
import { capacityReservationsCheck } from './capacity-reservations';
import { certificateCheck } from './certificate';
import { globalClusterCheck } from './global-cluster';
import { instanceClassCheck } from './instance-class';
import { launchTemplateCheck } from './launch-template';
import { orchestratorCheck } from './orchestrator';
import { quotasCheck } from './quotas';
import { replicationLagCheck } from './replication-lag';
import { s3ReplicationCheck } from './s3-replication';
import { taskDefinitionCheck } from './task-definition';
import { trafficRoutingCheck } from './traffic-routing';

/** Every check by id: the record type makes a check added to READINESS_CHECK_IDS a compile error here until written. */
export const CHECKS: Readonly<Record<ReadinessCheckId, ReadinessCheckSpec>> = {
  'global-cluster': globalClusterCheck,
  'replication-lag': replicationLagCheck,
  'instance-class': instanceClassCheck,
  'launch-template': launchTemplateCheck,
  'capacity-limits': capacityLimitsCheck,
  'capacity-reservations': capacityReservationsCheck,
  'task-definition': taskDefinitionCheck,
  'traffic-routing': trafficRoutingCheck,
  certificate: certificateCheck,
  orchestrator: orchestratorCheck,
  quotas: quotasCheck,
  's3-replication': s3ReplicationCheck,
  backups: backupsCheck,
};
