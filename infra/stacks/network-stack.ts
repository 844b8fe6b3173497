import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { RegionConfig } from '../config/schema';

/** Props of {@link NetworkStack}. */
export interface NetworkStackProps extends StackProps {
  /** The region's settings: CIDR, availability zones, NAT gateway count. */
  readonly region: RegionConfig;
}

/**
 * One region's VPC: public subnets (ALB, NAT gateways), private subnets with egress (ECS container
 * instances) and isolated subnets (Aurora), across the availability zones written in the config.
 */
export class NetworkStack extends Stack {
  /** The region's VPC. */
  public readonly vpc: ec2.Vpc;
  private readonly configuredAzs: string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.configuredAzs = [...props.region.availabilityZones];

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.region.vpcCidr),
      maxAzs: this.configuredAzs.length,
      natGateways: props.region.natGateways,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    Validations.of(this.vpc).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'Availability zones are configuration by design, so synth never looks them up.',
    });
  }

  /**
   * The availability zones from the config. Overridden so that synth never asks AWS for them
   * (an explicit account + region would otherwise trigger a context lookup needing credentials).
   */
  override get availabilityZones(): string[] {
    return this.configuredAzs;
  }
}
