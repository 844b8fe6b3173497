import { projectNames } from '../../infra/config/names';
import type { ProjectConfig, RegionRole } from '../../infra/config/schema';
import { DrillUsageError } from '../errors';
import { certificateOfRole } from '../sim/acm/api';
import type { World } from '../sim/world';
import type { FaultDefinition } from './args';

/**
 * Faults over the promoted region's load balancer certificate (`drill/sim/acm`): each turns the
 * readiness `certificate` check red. The failover itself still promotes (ACM is not on its path);
 * what the users would meet after it is the model's handshake: a certificate pending validation
 * fails every HTTPS request to the region, one expiring in 10 days serves until it ends.
 */

/** Days left on the certificate under `certificate-expiring`: inside readiness's 30-day bound. */
const EXPIRING_IN_DAYS = 10;
const DAY_S = 86_400;

/** Why a certificate fault cannot run: the drill knows no certificate of the promoted region. */
function certificateNeeded(config: ProjectConfig, role: RegionRole): string | undefined {
  return projectNames(config).regions[role].certificate === undefined
    ? `the promoted region's load balancer is the team's and its config names no certificate: set regions.${role}.certificateArn (or drill another fault)`
    : undefined;
}

function promotedCertificate(world: World, fault: string) {
  const role = world.targetRole;
  const missing = certificateNeeded(world.config, role);
  if (missing !== undefined) throw new DrillUsageError(`--fault ${fault}: ${missing}`);
  const cert = certificateOfRole(world, role);
  if (cert === undefined)
    throw new DrillUsageError(`--fault ${fault}: the drill seeded no certificate for ${role}`);
  return cert;
}

export const CERTIFICATE_FAULTS = {
  'certificate-expiring': {
    summary: `the promoted region's load balancer certificate expires in ${EXPIRING_IN_DAYS} days (its renewal failed): DescribeCertificate shows the NotAfter (readiness: certificate red)`,
    needs: certificateNeeded,
    apply(world) {
      // Faults apply before the virtual clock runs: times are seconds from the drill's start.
      promotedCertificate(world, 'certificate-expiring').notAfter = EXPIRING_IN_DAYS * DAY_S;
    },
  },
  'certificate-pending': {
    summary:
      "the promoted region's load balancer certificate is PENDING_VALIDATION (its DNS validation records are missing): HTTPS to the region fails its handshake (readiness: certificate red)",
    needs: certificateNeeded,
    apply(world) {
      promotedCertificate(world, 'certificate-pending').status = 'PENDING_VALIDATION';
    },
  },
} satisfies Record<string, FaultDefinition>;
