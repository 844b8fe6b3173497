import { Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { CapacityParameterNames } from '../config/names';
import type { RegionConfig, RegionRole } from '../config/schema';
import { CapacityParameters } from '../constructs/capacity-parameters';

/** This stack's construct id before it became the stack name; CDK wrote it into the `Name` tags. */
const FORMER_ID: Readonly<Record<RegionRole, string>> = { main: 'MainNetwork', dr: 'DrNetwork' };

/** Props of {@link NetworkStack}. */
export interface NetworkStackProps extends StackProps {
  /** The region's settings: CIDR, availability zones, NAT gateway count. */
  readonly region: RegionConfig;
  /** Selects the `Name` tags pinned to the stack's former construct id. */
  readonly role: RegionRole;
  /** `region.vpcCidr`, present (checked by the caller: the schema leaves it optional). */
  readonly vpcCidr: string;
  readonly natGateways: number;
  /** Each service's entry name and deployed desired count in this region, in `services[]` order. */
  readonly services: readonly { readonly name: string; readonly desiredCount: number }[];
  /** Names of the region's capacity parameters (`names.regions[role].capacityParameters`). */
  readonly capacityParameterNames?: CapacityParameterNames;
}

/**
 * One region's VPC: public subnets (ALB, NAT gateways), private subnets with egress (ECS container
 * instances) and isolated subnets (Aurora), across the availability zones written in the config.
 *
 * Also the region's {@link CapacityParameters}: the service stack resolves them by name when it
 * deploys, so they must exist first, and this is the region's first stack (the service stack
 * depends on it through the VPC). Keeping them out of the service stack is what lets a service
 * deploy leave the capacity a failover set.
 */
export class NetworkStack extends Stack {
  /** The region's VPC. */
  public readonly vpc: ec2.Vpc;
  /** The capacity the service stack deploys; the failover steps write it. Absent when the services are existing. */
  public readonly capacityParameters?: CapacityParameters;
  private readonly configuredAzs: string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.configuredAzs = [...props.region.availabilityZones];
    const formerVpcPath = `${FORMER_ID[props.role]}/Vpc`;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      // The default `Name` tag (VPC, internet gateway) is the construct path: keep the deployed one.
      vpcName: formerVpcPath,
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr),
      maxAzs: this.configuredAzs.length,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    // Subnets tag themselves (and their route tables, EIPs, NAT gateways) with their path: same pin.
    for (const subnet of [
      ...this.vpc.publicSubnets,
      ...this.vpc.privateSubnets,
      ...this.vpc.isolatedSubnets,
    ]) {
      Tags.of(subnet).add('Name', `${formerVpcPath}/${subnet.node.id}`);
    }

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    const flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    // The flow log tags itself and its role with its path: same pin.
    Tags.of(flowLog).add('Name', `${formerVpcPath}/FlowLog`);

    if (props.capacityParameterNames !== undefined) {
      this.capacityParameters = new CapacityParameters(this, 'CapacityParameters', {
        names: props.capacityParameterNames,
        minCapacity: props.region.capacity.minCapacity,
        services: props.services,
      });
    }

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
