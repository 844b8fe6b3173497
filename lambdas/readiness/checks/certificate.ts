import { type CertificateDetail, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { RegionCheckSpec } from '../check-spec';
import { type CheckOutcome, fail, isReadErrorNamed, pass, read } from '../outcome';
import type { ReadinessReads } from '../reads';
import type { ReadinessSettings } from '../settings';

/**
 * Days a certificate must still be valid: ACM starts renewing a DNS-validated certificate 60 days
 * before it expires, so one with 30 days left has failed to renew for a month and will not be
 * replaced before a failover needs it without a person acting.
 */
export const MIN_CERTIFICATE_DAYS = 30;

const DAY_MS = 86_400_000;

/** Every name the region's load balancer answers with TLS: the hostnames, then its regional name. */
export function certifiedNames(s: ReadinessSettings): string[] {
  return [...s.recordNames, s.regionalRecordName];
}

/**
 * Whether `pattern` (a certificate's domain name or alternative name) covers `name`: the same name,
 * or a wildcard `*.<rest>` standing for exactly one label (`*.example.com` covers `app.example.com`,
 * not `example.com` nor `a.b.example.com`). DNS names compare case-insensitively.
 */
export function covers(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p === n) return true;
  if (!p.startsWith('*.')) return false;
  const dot = n.indexOf('.');
  return dot > 0 && n.slice(dot + 1) === p.slice(2);
}

/** The names of `names` no name of `cert` covers. */
function uncovered(cert: CertificateDetail, names: readonly string[]): string[] {
  const patterns = [cert.DomainName ?? '', ...(cert.SubjectAlternativeNames ?? [])].filter((p) => p !== '');
  return names.filter((n) => !patterns.some((p) => covers(p, n)));
}

/** The certificate's ARN: given, or read from the parameter the service stack writes; a string says why none. */
async function certificateArn(
  s: ReadinessSettings,
  reads: ReadinessReads,
): Promise<string | { why: string }> {
  const ref = s.certificate;
  if (ref === undefined) return { why: 'no certificate is known' };
  if ('arn' in ref) return ref.arn;
  try {
    const out = await read('ssm:GetParameter', () =>
      reads.clients.ssm.send(new GetParameterCommand({ Name: ref.parameterName })),
    );
    const value = out.Parameter?.Value;
    return value === undefined || value === '' ? { why: `parameter ${ref.parameterName} is empty` } : value;
  } catch (err: unknown) {
    if (isReadErrorNamed(err, 'ParameterNotFound')) {
      return {
        why: `parameter ${ref.parameterName} does not exist: the service stack has not requested a certificate`,
      };
    }
    throw err;
  }
}

/** What to do about a certificate that is wrong: in the team's terms when the config names it. */
function replaceFix(s: ReadinessSettings): string {
  return s.certificate !== undefined && 'arn' in s.certificate
    ? `request (or import) a certificate in ${s.targetRegion} covering ${certifiedNames(s).join(', ')} and set regions.${s.targetRole}.certificateArn to it`
    : `deploy this region's service stack: it requests a certificate for ${certifiedNames(s).join(', ')}`;
}

/** Why `cert` is not fit to serve, each with its fix; empty when it is. */
function problemsOf(
  s: ReadinessSettings,
  arn: string,
  cert: CertificateDetail,
  now: Date,
): { why: string; fix: string }[] {
  const describe = `aws acm describe-certificate --certificate-arn ${arn} --region ${s.targetRegion}`;
  const problems: { why: string; fix: string }[] = [];
  const status = cert.Status ?? 'in an unknown state';
  if (status === 'PENDING_VALIDATION') {
    problems.push({
      why: 'certificate is PENDING_VALIDATION: ACM has not found its DNS validation records',
      fix: `put the validation CNAMEs it lists in hosted zone ${s.hostedZoneId} (${describe})`,
    });
  } else if (status !== 'ISSUED') {
    problems.push({ why: `certificate is ${status}`, fix: `${replaceFix(s)} (${describe})` });
  }
  const missing = uncovered(cert, certifiedNames(s));
  if (missing.length > 0) {
    problems.push({ why: `certificate does not cover ${missing.join(', ')}`, fix: replaceFix(s) });
  }
  const notAfter = cert.NotAfter;
  if (status === 'ISSUED' && notAfter !== undefined) {
    const left = notAfter.getTime() - now.getTime();
    if (left <= MIN_CERTIFICATE_DAYS * DAY_MS) {
      const days = Math.round(left / DAY_MS);
      const renewal = cert.RenewalSummary?.RenewalStatus;
      problems.push({
        why:
          `certificate expires ${notAfter.toISOString()} (${left <= 0 ? 'expired' : `in ${days} days`}; readiness needs more than ${MIN_CERTIFICATE_DAYS})` +
          (renewal === undefined ? '' : `; renewal ${renewal}`),
        fix:
          `ACM renews a DNS-validated certificate only while its validation CNAMEs are in hosted zone ${s.hostedZoneId} and it is in use: ` +
          `see RenewalSummary (${describe}), or ${replaceFix(s)}`,
      });
    }
  }
  return problems;
}

async function judge(s: ReadinessSettings, reads: ReadinessReads, what: string): Promise<CheckOutcome> {
  const arn = await certificateArn(s, reads);
  if (typeof arn !== 'string') return fail('certificate', what, arn.why, replaceFix(s));
  let cert: CertificateDetail | undefined;
  try {
    const out = await read('acm:DescribeCertificate', () =>
      reads.clients.acm.send(new DescribeCertificateCommand({ CertificateArn: arn })),
    );
    cert = out.Certificate;
  } catch (err: unknown) {
    if (!isReadErrorNamed(err, 'ResourceNotFoundException')) throw err;
  }
  if (cert === undefined) {
    return fail('certificate', what, `certificate ${arn} does not exist in ${s.targetRegion}`, replaceFix(s));
  }
  const problems = problemsOf(s, arn, cert, reads.now());
  if (problems.length === 0) return pass('certificate', what);
  return fail(
    'certificate',
    what,
    problems.map((p) => p.why).join('; '),
    [...new Set(problems.map((p) => p.fix))].join('; '),
  );
}

/**
 * `certificate`: the certificate this region's load balancer serves (`regions.<role>.certificateArn`,
 * else the one the service stack requested) is ISSUED, covers every hostname and the regional name
 * (exactly or by a one-label wildcard), and stays valid more than {@link MIN_CERTIFICATE_DAYS} days:
 * a failover moves every user's TLS handshake to it. PASS with nothing to read when the load
 * balancer is the team's and the config names no certificate.
 */
export const certificateCheck: RegionCheckSpec = {
  id: 'certificate',
  scope: 'region',
  what: (s) =>
    s.certificate === undefined
      ? `no certificate to check: the load balancer is the team's and regions.${s.targetRole}.certificateArn is not given`
      : `load balancer certificate ISSUED, covering ${certifiedNames(s).join(', ')}, valid more than ${MIN_CERTIFICATE_DAYS} days`,
  run: async (s, reads) => {
    const what = certificateCheck.what(s);
    if (s.certificate === undefined) return pass('certificate', what);
    return judge(s, reads, what);
  },
};
