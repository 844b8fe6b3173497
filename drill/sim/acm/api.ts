import { type DescribeCertificateCommandInput, ResourceNotFoundException } from '@aws-sdk/client-acm';
import type { RegionRole } from '../../../infra/config/schema';
import type { SimApi } from '../api';
import { modeledError } from '../aws-errors';
import { stableId } from '../stable-id';
import type { World } from '../world';
import type { SimCertificate } from './acm';

/**
 * Days an ACM public certificate is valid from issue (AWS's ACM guide: 395 days); ACM renews it
 * 60 days before it ends, so a seeded one is well inside.
 */
const VALID_DAYS = 395;
/** Days before the drill the seeded certificates were issued. */
const ISSUED_DAYS_AGO = 30;
const DAY_S = 86_400;

/** The ARN of `role`'s certificate: the configured one, or the one ACM gave the service stack's request. */
function certificateArnOf(world: World, role: RegionRole): string | undefined {
  const ref = world.names.regions[role].certificate;
  if (ref === undefined) return undefined;
  if ('arn' in ref) return ref.arn;
  // Named after the parameter, not drawn from world.ids: seeding it must not shift the drill's ids.
  const id = stableId(ref.parameterName, 32);
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  return world.names.regions[role].arn('acm', `certificate/${uuid}`);
}

/**
 * Each region's load balancer certificate as the service stack deployed it (or the team's, as the
 * config names it): ISSUED a month ago for every hostname and the region's regional name, and, for
 * a requested one, its ARN in the stack's SSM parameter. A region whose load balancer is the
 * team's and whose config names no certificate has none here.
 */
export function seedCertificates(world: World, at: number): void {
  for (const role of ['main', 'dr'] as const) {
    const arn = certificateArnOf(world, role);
    if (arn === undefined) continue;
    const n = world.names.regions[role];
    const names = [...world.names.hostnames, n.regionalRecordName];
    const [domainName = n.regionalRecordName] = names;
    const notBefore = -ISSUED_DAYS_AGO * DAY_S;
    world.acm.add({
      arn,
      region: n.region,
      domainName,
      subjectAlternativeNames: names,
      status: 'ISSUED',
      notBefore,
      notAfter: notBefore + VALID_DAYS * DAY_S,
    });
    const ref = n.certificate;
    if (ref !== undefined && 'parameterName' in ref) world.ssm.put(n.region, ref.parameterName, arn, at);
  }
}

/** The certificate of `role`'s load balancer, if the drill knows one. */
export function certificateOfRole(world: World, role: RegionRole): SimCertificate | undefined {
  const n = world.names.regions[role];
  const ref = n.certificate;
  if (ref === undefined) return undefined;
  const arn = 'arn' in ref ? ref.arn : world.ssm.get(n.region, ref.parameterName)?.value;
  return arn === undefined ? undefined : world.acm.get(n.region, arn);
}

export const acmApi: SimApi = {
  DescribeCertificate: (raw, world, region) => {
    const input = raw as DescribeCertificateCommandInput;
    const arn = input.CertificateArn ?? '';
    const c = world.acm.get(region, arn);
    if (c === undefined) {
      throw modeledError(ResourceNotFoundException, `Could not find certificate ${arn}.`);
    }
    const issued = c.status !== 'PENDING_VALIDATION';
    return {
      Certificate: {
        CertificateArn: c.arn,
        DomainName: c.domainName,
        SubjectAlternativeNames: [...c.subjectAlternativeNames],
        Status: c.status,
        Type: 'AMAZON_ISSUED',
        KeyAlgorithm: 'RSA_2048',
        ...(issued
          ? {
              IssuedAt: world.clock.dateAt(c.notBefore),
              NotBefore: world.clock.dateAt(c.notBefore),
              NotAfter: world.clock.dateAt(c.notAfter),
            }
          : {}),
      },
    };
  },
};
