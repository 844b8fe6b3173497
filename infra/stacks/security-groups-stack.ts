import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { RegionRole } from '../config/schema';
import { pinLogicalId } from './pin-logical-id';

/** Ports shared by the security groups and their consumers. */
export const PORTS = {
  /** Docker's ephemeral range: bridge-mode tasks get a dynamic host port from it. */
  dynamicHostPorts: ec2.Port.tcpRange(32768, 65535),
  postgres: 5432,
} as const;

/**
 * Logical ids of the rules between two groups, as deployed. CDK builds them from the peer group's
 * path, which began with this stack's former construct id (`MainSecurityGroups`, `DrSecurityGroups`).
 */
const FORMER_RULE_IDS: Readonly<
  Record<RegionRole, Record<'albEgress' | 'instancesIngress' | 'instancesEgress' | 'databaseIngress', string>>
> = {
  main: {
    albEgress: 'AlbtoMainSecurityGroupsInstancesC5331F5932768655350D916EE1',
    instancesIngress: 'InstancesfromMainSecurityGroupsAlbCD0D383832768655350A7DC220',
    instancesEgress: 'InstancestoMainSecurityGroupsDatabase162CF7875432E09CE2FC',
    databaseIngress: 'DatabasefromMainSecurityGroupsInstancesC5331F595432BE82136A',
  },
  dr: {
    albEgress: 'AlbtoDrSecurityGroupsInstancesA4B2C4DD3276865535D5396B73',
    instancesIngress: 'InstancesfromDrSecurityGroupsAlb339E71293276865535C56B9D5C',
    instancesEgress: 'InstancestoDrSecurityGroupsDatabase4314F9B15432D4E33185',
    databaseIngress: 'DatabasefromDrSecurityGroupsInstancesA4B2C4DD54327BCD7BC5',
  },
};

/** Props of {@link SecurityGroupsStack}. */
export interface SecurityGroupsStackProps extends StackProps {
  /** The region's VPC (from the network stack). */
  readonly vpc: ec2.IVpc;
  /** Selects the rule logical ids pinned to the stack's former construct id. */
  readonly role: RegionRole;
}

/**
 * Every security group of a region, created up front with all of its rules, so consumers receive
 * finished groups as props and never modify a group owned by another stack (the seed's problem).
 *
 * - ALB: HTTP/HTTPS in from anywhere; out only to the container instances' dynamic port range.
 * - Container instances: in only from the ALB on the dynamic port range; out only HTTPS (ECS agent,
 *   ECR / public registry image pulls, CloudWatch Logs) and PostgreSQL to the database group.
 *   DNS to the VPC resolver and instance metadata are not filtered by security groups.
 * - Database: PostgreSQL in from the container instances only; no egress.
 */
export class SecurityGroupsStack extends Stack {
  /** The application load balancer's group. */
  public readonly albSecurityGroup: ec2.SecurityGroup;
  /** The ECS container instances' group (bridge networking: tasks share it). */
  public readonly instanceSecurityGroup: ec2.SecurityGroup;
  /** The Aurora cluster's group. */
  public readonly databaseSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: SecurityGroupsStackProps) {
    super(scope, id, props);
    const { vpc } = props;

    this.albSecurityGroup = new ec2.SecurityGroup(this, 'Alb', {
      vpc,
      description: 'Application load balancer: HTTP/HTTPS from the internet',
      allowAllOutbound: false,
    });
    this.instanceSecurityGroup = new ec2.SecurityGroup(this, 'Instances', {
      vpc,
      description: 'ECS container instances: dynamic ports from the ALB only',
      allowAllOutbound: false,
    });
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'Database', {
      vpc,
      description: 'Aurora PostgreSQL: from the ECS container instances only',
      allowAllOutbound: false,
    });

    const alb = this.albSecurityGroup;
    const instances = this.instanceSecurityGroup;
    const db = this.databaseSecurityGroup;

    alb.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet');
    alb.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    alb.addEgressRule(instances, PORTS.dynamicHostPorts, 'To tasks on the dynamic host ports');

    instances.addIngressRule(alb, PORTS.dynamicHostPorts, 'From the ALB on the dynamic host ports');
    instances.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS: ECS agent registration, image pulls, CloudWatch Logs',
    );
    instances.addEgressRule(db, ec2.Port.tcp(PORTS.postgres), 'To Aurora PostgreSQL');

    db.addIngressRule(instances, ec2.Port.tcp(PORTS.postgres), 'PostgreSQL from the container instances');

    // A new logical id would replace each rule (a window without it): keep the deployed ones.
    const former = FORMER_RULE_IDS[props.role];
    pinLogicalId(alb, ec2.CfnSecurityGroupEgress, former.albEgress);
    pinLogicalId(instances, ec2.CfnSecurityGroupIngress, former.instancesIngress);
    pinLogicalId(instances, ec2.CfnSecurityGroupEgress, former.instancesEgress);
    pinLogicalId(db, ec2.CfnSecurityGroupIngress, former.databaseIngress);

    Validations.of(alb).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'Internet-facing load balancer: HTTP/HTTPS from anywhere is its purpose.',
    });
  }
}
