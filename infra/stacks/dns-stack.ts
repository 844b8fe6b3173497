import { Stack, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import type { ProjectNames } from '../config/names';
import type { ProjectConfig } from '../config/schema';

/** Props of {@link DnsStack}. */
export interface DnsStackProps extends StackProps {
  readonly config: ProjectConfig;
  readonly names: ProjectNames;
}

/**
 * The application's record, `dns.recordName`: an alias to the regional record of
 * `dns.activeRegion` (`main.<recordName>` or `dr.<recordName>`), each of which aliases its region's
 * ALB. The failover state machine UPSERTs this same record to the promoted region; set
 * `dns.activeRegion` accordingly before the next deploy, or the deploy points it back.
 */
export class DnsStack extends Stack {
  /** The application record. */
  public readonly record: route53.CfnRecordSet;

  constructor(scope: Construct, id: string, props: DnsStackProps) {
    super(scope, id, props);
    const { config, names } = props;
    const active = names.regions[config.dns.activeRegion];

    this.record = new route53.CfnRecordSet(this, 'AppRecord', {
      hostedZoneId: config.dns.hostedZoneId,
      name: `${config.dns.recordName}.`,
      type: 'A',
      aliasTarget: {
        dnsName: `${active.regionalRecordName}.`,
        hostedZoneId: config.dns.hostedZoneId,
        evaluateTargetHealth: false,
      },
    });
  }
}
