/**
 * AWS Certificate Manager: the certificate each region's load balancer serves, by ARN. A
 * certificate pilot-light requests is seeded ISSUED for every hostname and the region's regional
 * name; one the config names (`regions.<role>.certificateArn`) is the team's, seeded the same. The
 * drill's faults make one pending validation or close to expiry; the probe's HTTPS requests are
 * judged by {@link AcmModel.handshake}.
 */

/** ACM's certificate statuses the drill uses (DescribeCertificate's `Status`). */
export type SimCertificateStatus = 'PENDING_VALIDATION' | 'ISSUED' | 'EXPIRED';

export interface SimCertificate {
  readonly arn: string;
  readonly region: string;
  readonly domainName: string;
  /** Every name it covers, the domain name first (as ACM lists them). */
  readonly subjectAlternativeNames: readonly string[];
  status: SimCertificateStatus;
  /** Simulated seconds since the drill started (negative: before). */
  readonly notBefore: number;
  notAfter: number;
}

/** Why a TLS handshake failed, as Node's TLS layer names it. */
export interface HandshakeFailure {
  readonly code: 'ERR_TLS_CERT_ALTNAME_INVALID' | 'CERT_HAS_EXPIRED' | 'UNABLE_TO_GET_ISSUER_CERT';
  readonly message: string;
}

/** Whether `pattern` covers `host`: the same name, or `*.<rest>` for exactly one label. */
export function nameCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === h) return true;
  const dot = h.indexOf('.');
  return p.startsWith('*.') && dot > 0 && h.slice(dot + 1) === p.slice(2);
}

/** The simulated ACM of both regions. */
export class AcmModel {
  /** By ARN. */
  readonly certificates = new Map<string, SimCertificate>();

  add(certificate: SimCertificate): SimCertificate {
    this.certificates.set(certificate.arn, certificate);
    return certificate;
  }

  /** The certificate `arn` names in `region`; ACM answers only in the certificate's own region. */
  get(region: string, arn: string): SimCertificate | undefined {
    const c = this.certificates.get(arn);
    return c?.region === region ? c : undefined;
  }

  /**
   * How a client's handshake for `host` with a load balancer serving `arn` ends at `at`: undefined
   * when it succeeds; otherwise the verification error a client reports. A listener can serve only
   * an ISSUED certificate, so one not issued (a pending request never attached) fails verification
   * as an unknown issuer would.
   */
  handshake(region: string, arn: string, host: string, at: number): HandshakeFailure | undefined {
    const c = this.get(region, arn);
    if (c === undefined || c.status === 'PENDING_VALIDATION') {
      return { code: 'UNABLE_TO_GET_ISSUER_CERT', message: `no issued certificate for ${host}` };
    }
    if (c.status === 'EXPIRED' || at >= c.notAfter) {
      return { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' };
    }
    if (!c.subjectAlternativeNames.some((p) => nameCovers(p, host))) {
      return {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: `Hostname/IP does not match certificate's altnames: Host: ${host}. is not in the cert's altnames: ${c.subjectAlternativeNames.map((n) => `DNS:${n}`).join(', ')}`,
      };
    }
    return undefined;
  }
}
