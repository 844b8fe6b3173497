import { Duration, Stack, type StackProps, Tags, Token, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { RegionNames } from '../config/names';
import { behindLoadBalancer } from '../config/resources';
import { capacityInstanceTypes, type ProjectConfig, type RegionRole } from '../config/schema';
import { CapacityReservations } from '../constructs/capacity-reservations';
import { entryIdSuffix } from '../constructs/entry-id';
import { RegionalCertificate } from '../constructs/regional-certificate';

/** Name of the application container in the task definition. */
export const APP_CONTAINER_NAME = 'app';

/**
 * Values CDK derived from the construct path while this stack's id was `MainService` / `DrService`
 * (before stack ids became stack names), as deployed.
 */
const FORMER_PATH_VALUES: Readonly<Record<RegionRole, { taskFamily: string; launchTemplateName: string }>> = {
  main: { taskFamily: 'MainServiceTaskDefinitionE918D799', launchTemplateName: 'MainService/LaunchTemplate' },
  dr: { taskFamily: 'DrServiceTaskDefinition67B2CBDE', launchTemplateName: 'DrService/LaunchTemplate' },
};

/**
 * How the group launches: from the launch template alone for one type; for fallback types, a
 * mixed-instances policy listing them in order, all On-Demand and `prioritized` (EC2 takes the
 * first type it has capacity for), with `balanced-best-effort` so a zone out of every type does not
 * stop launches in the others (AWS's Auto Scaling guide: "Availability Zone distribution").
 */
function launchChoices(
  launchTemplate: ec2.LaunchTemplate,
  types: readonly string[],
): Pick<
  autoscaling.AutoScalingGroupProps,
  'launchTemplate' | 'mixedInstancesPolicy' | 'azCapacityDistributionStrategy'
> {
  if (types.length === 1) return { launchTemplate };
  return {
    mixedInstancesPolicy: {
      launchTemplate,
      launchTemplateOverrides: types.map((t) => ({ instanceType: new ec2.InstanceType(t) })),
      instancesDistribution: {
        onDemandAllocationStrategy: autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
        onDemandBaseCapacity: 0,
        onDemandPercentageAboveBaseCapacity: 100,
      },
    },
    azCapacityDistributionStrategy: autoscaling.CapacityDistributionStrategy.BALANCED_BEST_EFFORT,
  };
}

/** Props of {@link ServiceStack}. */
export interface ServiceStackProps extends StackProps {
  readonly config: ProjectConfig;
  readonly role: RegionRole;
  /** Deterministic names of this region (cluster, service, ASG, task role, bucket, record). */
  readonly names: RegionNames;
  readonly vpc: ec2.IVpc;
  /** The ALB's group, with its rules already in place. */
  readonly albSecurityGroup: ec2.ISecurityGroup;
  /** The container instances' group, with its rules already in place. */
  readonly instanceSecurityGroup: ec2.ISecurityGroup;
  /** Receives the ALB's access logs (from the storage stack). */
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * One region's application: an ECS cluster whose capacity is one EC2 Auto Scaling group shared by
 * every service (capacity provider with managed scaling and draining), an internet-facing ALB, and
 * per `services[]` entry a task definition, an ECS service running the entry's image (bridge
 * networking, dynamic host ports) and a target group with the entry's health check. The first
 * service is the listener's default action; each hostname (`dns.records[]`) naming another service
 * gets a host-header listener rule forwarding to that service's target group (one ALB per region
 * for every service: one hourly charge and one alias instead of one per service; the price is a
 * shared listener, so at most 100 rules: far above `MAX_HOSTNAMES`). A service no hostname names
 * (other than the first) has no target group: it is ready when its tasks run. The regional alias
 * record `<role>.<first hostname>` points at the ALB. The ALB serves HTTPS on 443 (a current TLS policy,
 * the region's certificate: `RegionalCertificate`) and answers port 80 with a permanent redirect to it.
 *
 * The ASG's MinSize and each service's DesiredCount are read at deploy time from the region's
 * capacity parameters (`infra/constructs/capacity-parameters.ts`, in the network stack), which start
 * at the config's deploy sizes and which the failover state machine writes before it scales: a
 * deploy after a failover or failback applies what the promotion set. MaxSize, the instance type and
 * the rolling update stay template values.
 */
export class ServiceStack extends Stack {
  public readonly cluster: ecs.Cluster;
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** One per `services[]` entry, in config order. */
  public readonly services: readonly ecs.Ec2Service[];
  /** One per `services[]` entry, in config order. */
  public readonly taskRoles: readonly iam.Role[];
  /** `<role>.<first hostname>`: the alias the application records point at. */
  public readonly regionalRecord: route53.ARecord;
  /** What the HTTPS listener serves: requested here, or `regions.<role>.certificateArn`. */
  public readonly certificate: acm.ICertificate;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, names, vpc } = props;
    const sizes = config.regions[props.role].capacity;
    const parameters = names.capacityParameters;
    if (parameters === undefined)
      throw new Error(`${id}: the services are existing; pilot-light deploys no service stack`);
    const former = FORMER_PATH_VALUES[props.role];
    // Resolved by CloudFormation on every stack operation (a parameter of type
    // AWS::SSM::Parameter::Value<String>): no lookup at synth, and always the latest value.
    const deployedCapacity = (parameterName: string) =>
      Token.asNumber(ssm.StringParameter.valueForStringParameter(this, parameterName));

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: names.ecsClusterName,
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    const instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `ECS container instances of ${names.ecsClusterName}`,
    });

    const launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
      instanceType: new ec2.InstanceType(sizes.instanceType),
      securityGroup: props.instanceSecurityGroup,
      role: instanceRole,
      userData: ec2.UserData.forLinux(),
      requireImdsv2: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
        },
      ],
    });
    // The default `Name` tag (template, instances, volumes) is the construct path: keep the deployed one.
    Tags.of(launchTemplate).add('Name', former.launchTemplateName);

    if (sizes.reservation !== undefined) {
      const reservations = new CapacityReservations(this, 'CapacityReservations', {
        asgName: names.asgName,
        instanceType: sizes.instanceType,
        availabilityZones: config.regions[props.role].availabilityZones,
        instances: sizes.reservation.instances,
      });
      // Launches use the group's reservations while they have room, then On-Demand capacity.
      (launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyOverride(
        'LaunchTemplateData.CapacityReservationSpecification',
        { CapacityReservationTarget: { CapacityReservationResourceGroupArn: reservations.groupArn } },
      );
    }

    // No desiredCapacity: a deploy must not reset what the capacity provider or a promotion set.
    // A launch template change (instance type, AMI) replaces instances through the rolling update,
    // and managed draining moves tasks off each instance before it terminates.
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Asg', {
      autoScalingGroupName: names.asgName,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ...launchChoices(launchTemplate, capacityInstanceTypes(sizes)),
      minCapacity: deployedCapacity(parameters.asgMinCapacity),
      maxCapacity: sizes.maxCapacity,
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        minInstancesInService: sizes.minCapacity > 0 ? sizes.minCapacity - 1 : 0,
        maxBatchSize: 1,
      }),
    });

    const capacityProvider = new ecs.AsgCapacityProvider(this, 'CapacityProvider', {
      autoScalingGroup: this.autoScalingGroup,
      enableManagedScaling: true,
      enableManagedTerminationProtection: false,
      enableManagedDraining: true,
    });
    this.cluster.addAsgCapacityProvider(capacityProvider);

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: props.albSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogsBucket, 'alb');

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.dns.hostedZoneId,
      zoneName: config.dns.zoneName,
    });
    if (names.certificate === undefined) throw new Error(`${id}: no certificate for the HTTPS listener`);
    this.certificate = new RegionalCertificate(this, 'Tls', {
      names: names.certificate,
      domainNames: [...config.dns.records.map((r) => r.recordName), names.regionalRecordName],
      zone,
      certificateName: `${config.project}-${props.role}-tls`,
    }).certificate;
    // open: false — the ALB's group already has its rules (security groups stack). Port 80 keeps
    // its seed id and answers only with a permanent redirect to the same URL over HTTPS.
    const httpListener = this.loadBalancer.addListener('Http', {
      port: 80,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    Validations.of(httpListener).acknowledge({
      id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired',
      reason:
        'Port 80 only answers a permanent redirect to HTTPS and a plain-HTTP listener cannot carry a certificate; the 443 listener serves the ACM certificate.',
    });
    const listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      open: false,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(this.certificate)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    });

    const services: ecs.Ec2Service[] = [];
    const taskRoles: iam.Role[] = [];
    for (const [i, entry] of config.services.entries()) {
      const serviceNames = names.services[i];
      if (serviceNames === undefined) throw new Error(`services[${i}]: no names derived`);
      // The first service keeps the seed's construct ids (and so its logical ids).
      const sfx = entryIdSuffix(i, entry.name);
      const taskRole = new iam.Role(this, `TaskRole${sfx}`, {
        roleName: serviceNames.taskRoleName,
        assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
        description: `Application tasks of ${serviceNames.ecsServiceName}`,
      });
      grantBuckets(taskRole, names);

      const taskDefinition = new ecs.Ec2TaskDefinition(this, `TaskDefinition${sfx}`, {
        // The first's default family was the construct path: keep the deployed one.
        family: i === 0 ? former.taskFamily : serviceNames.ecsServiceName,
        networkMode: ecs.NetworkMode.BRIDGE,
        taskRole,
      });
      taskDefinition.addContainer('App', {
        containerName: APP_CONTAINER_NAME,
        image: ecs.ContainerImage.fromRegistry(entry.image),
        cpu: entry.cpu,
        memoryLimitMiB: entry.memoryMiB,
        portMappings: [{ containerPort: entry.containerPort, hostPort: 0 }],
        logging: ecs.LogDrivers.awsLogs({
          streamPrefix: i === 0 ? 'app' : entry.name,
          logGroup: new logs.LogGroup(this, `AppLogs${sfx}`, { retention: logs.RetentionDays.THREE_MONTHS }),
        }),
      });

      const desiredCountParameter = parameters.serviceDesiredCounts[i];
      if (desiredCountParameter === undefined) throw new Error(`services[${i}]: no desired-count parameter`);
      const service = new ecs.Ec2Service(this, `Service${sfx}`, {
        cluster: this.cluster,
        serviceName: serviceNames.ecsServiceName,
        taskDefinition,
        desiredCount: deployedCapacity(desiredCountParameter),
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        circuitBreaker: { rollback: true },
        capacityProviderStrategies: [{ capacityProvider: capacityProvider.capacityProviderName, weight: 1 }],
        placementStrategies: [ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE)],
      });
      routeToService(this, { http: httpListener, https: listener }, config, i, service);
      services.push(service);
      taskRoles.push(taskRole);
    }
    this.services = services;
    this.taskRoles = taskRoles;

    this.regionalRecord = new route53.ARecord(this, 'RegionalRecord', {
      zone,
      recordName: names.regionalRecordName,
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
    });

    Validations.of(instanceRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ECS agent policy added by the cluster: ecs:DiscoverPollEndpoint, ecr:GetAuthorizationToken ' +
          'and logs:CreateLogStream/PutLogEvents support no resource scoping; ecs:Poll and ' +
          'ecs:StartTelemetrySession are conditioned on this cluster.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::ecs:Submit*]',
        reason: 'ECS agent state reporting (ecs:Submit*), scoped to this cluster ARN.',
      },
    );
    Validations.of(this.autoScalingGroup).acknowledge({
      id: 'AwsSolutions-AS3',
      reason:
        'Scaling is driven by the ECS capacity provider and the failover state machine, which reports ' +
        'through its own notification topic; per-instance ASG notifications would duplicate it.',
    });
    if (capacityInstanceTypes(sizes).length > 1) {
      Validations.of(this.autoScalingGroup).acknowledge({
        id: 'AwsSolutions-EC26',
        reason:
          "The rule cannot follow the mixed-instances policy's reference to the launch template, whose one " +
          'block device (/dev/xvda, gp3) is encrypted; the launch template itself passes the same rule.',
      });
    }
  }
}

/** Read and write any object of the region's buckets (the bucket policies name the task roles too). */
function grantBuckets(taskRole: iam.Role, names: RegionNames): void {
  // The bucket policies (storage stack) name this role by ARN; same-account access also needs
  // this identity grant.
  taskRole.addToPolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
      resources: names.buckets.flatMap((b) => [b.bucketArn, `${b.bucketArn}/*`]),
    }),
  );
  Validations.of(taskRole).acknowledge(
    ...names.buckets.map((b) => ({
      id: `AwsSolutions-IAM5[Resource::${b.bucketArn}/*]`,
      reason: "The application reads and writes any object of its own region's buckets.",
    })),
  );
}

/**
 * Put service `index` behind the HTTPS listener: the first is the default action (the seed's `App`
 * target group); another gets a target group and a host-header rule per hostname naming it, and no
 * target group when no hostname does (ECS attaches a target group only behind a listener). Target
 * groups and their health checks stay HTTP: TLS ends at the load balancer.
 */
function routeToService(
  scope: Construct,
  listeners: { readonly http: elbv2.ApplicationListener; readonly https: elbv2.ApplicationListener },
  config: ProjectConfig,
  index: number,
  service: ecs.Ec2Service,
): void {
  const entry = config.services[index];
  if (entry === undefined) return;
  const hostnames = config.dns.records
    .map((record, r) => ({ record, priority: r + 1 }))
    .filter(({ record }) => record.service === entry.name);
  if (!behindLoadBalancer(config, index)) return;
  const sfx = entryIdSuffix(index, entry.name);
  const targetProps = {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targets: [
      service.loadBalancerTarget({ containerName: APP_CONTAINER_NAME, containerPort: entry.containerPort }),
    ],
    healthCheck: {
      path: entry.healthCheckPath,
      // Tasks use dynamic host ports (bridge mode): check each target on the port it serves.
      port: 'traffic-port',
      healthyHttpCodes: '200-399',
      interval: Duration.seconds(15),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    },
    deregistrationDelay: Duration.seconds(30),
  };
  const listener = listeners.https;
  const vpc = listener.loadBalancer.vpc;
  if (index === 0) {
    // Scoped where the seed's `addTargets('App')` on port 80 put it: the group keeps its logical id.
    const group = new elbv2.ApplicationTargetGroup(listeners.http, 'AppGroup', { ...targetProps, vpc });
    listener.addTargetGroups('App', { targetGroups: [group] });
    return;
  }
  const group = new elbv2.ApplicationTargetGroup(scope, `App${sfx}`, { ...targetProps, vpc });
  for (const { record, priority } of hostnames) {
    new elbv2.ApplicationListenerRule(scope, `Route${entryIdSuffix(priority, record.name)}`, {
      listener,
      priority,
      conditions: [elbv2.ListenerCondition.hostHeaders([record.recordName])],
      action: elbv2.ListenerAction.forward([group]),
    });
  }
}
