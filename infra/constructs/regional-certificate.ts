import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { CertificateNames } from '../config/names';

/** Props of {@link RegionalCertificate}. */
export interface RegionalCertificateProps {
  /** The configured certificate, or the parameter a requested one's ARN is written to (`RegionNames.certificate`). */
  readonly names: CertificateNames;
  /** Every name the certificate covers: the application's hostnames, then the region's regional name. */
  readonly domainNames: readonly string[];
  /** The application's hosted zone: DNS validation writes its CNAMEs there. */
  readonly zone: route53.IHostedZone;
  /** The requested certificate's `Name` tag (ACM has no name): deterministic, not the construct path. */
  readonly certificateName: string;
}

/**
 * The certificate a region's HTTPS listener serves. Given in the config (`regions.<role>.certificateArn`),
 * it is imported as is. Otherwise an ACM public certificate (free) is requested for `domainNames` with
 * DNS validation in `zone`: CloudFormation writes the validation CNAMEs, which are the same for the
 * same name in every region of one account, so the second region's validation finds them in place.
 * Its ARN goes to a deterministic SSM parameter, where readiness reads it: a cross-stack export
 * would pin the certificate, and a certificate replaced for a new name could then never be deleted.
 */
export class RegionalCertificate extends Construct {
  public readonly certificate: acm.ICertificate;

  constructor(scope: Construct, id: string, props: RegionalCertificateProps) {
    super(scope, id);
    const { names, domainNames } = props;
    if ('arn' in names) {
      this.certificate = acm.Certificate.fromCertificateArn(this, 'Certificate', names.arn);
      return;
    }
    const [domainName, ...alternatives] = domainNames;
    if (domainName === undefined) throw new Error(`${this.node.path}: no name to certify`);
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName,
      subjectAlternativeNames: alternatives,
      certificateName: props.certificateName,
      validation: acm.CertificateValidation.fromDns(props.zone),
    });
    new ssm.StringParameter(this, 'ArnParameter', {
      parameterName: names.parameterName,
      stringValue: this.certificate.certificateArn,
      description: "This region's load balancer certificate: the readiness check reads it here",
    });
  }
}
