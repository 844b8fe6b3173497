import { Match, Template } from 'aws-cdk-lib/assertions';
import { REGION_ROLES } from '../../infra/config/schema';
import {
  baseConfig,
  buildTestApp,
  capacityParameters,
  deployedRegions,
  deployedStacks,
  nth,
  resourcesOf,
  shopConfig,
} from './app-fixture';

describe('ServiceStack', () => {
  // Prepare + Act: one app for the tests below.
  const { built, config, names } = buildTestApp();
  const regions = deployedRegions(built);

  describe.each(REGION_ROLES)('%s region', (role) => {
    const t = Template.fromStack(regions[role].service);
    const n = names.regions[role];
    const parameters = capacityParameters(n).names;
    const sizes = config.regions[role].capacity;
    const service = nth(config.services);
    const serviceNames = nth(n.services);

    /** The template parameter CloudFormation resolves from the SSM parameter `name` on every deploy. */
    function deployTimeParameter(name: string): { Ref: string } {
      const parameters = Object.entries(
        t.toJSON().Parameters as Record<string, { Type: string; Default?: string }>,
      );
      const found = parameters.filter(([, p]) => p.Default === name);
      expect(found).toHaveLength(1);
      const [logicalId, parameter] = found[0] as [string, { Type: string }];
      expect(parameter.Type).toBe('AWS::SSM::Parameter::Value<String>');
      return { Ref: logicalId };
    }

    it('takes the ASG minimum from its capacity parameter at deploy, with a deterministic name and no desired capacity', () => {
      // Assess
      t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        AutoScalingGroupName: n.asgName,
        MinSize: deployTimeParameter(parameters.asgMinCapacity),
        MaxSize: String(sizes.maxCapacity),
        DesiredCapacity: Match.absent(),
      });
    });

    it('takes the service desired count from its capacity parameter at deploy', () => {
      // Assess
      t.hasResourceProperties('AWS::ECS::Service', {
        ServiceName: serviceNames.ecsServiceName,
        DesiredCount: deployTimeParameter(nth(parameters.serviceDesiredCounts)),
        CapacityProviderStrategy: [Match.objectLike({ Weight: 1 })],
      });
      t.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: n.ecsClusterName });
    });

    it('uses the ASG as a capacity provider with managed scaling and draining', () => {
      // Assess
      t.hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({
          ManagedScaling: Match.objectLike({ Status: 'ENABLED' }),
          ManagedDraining: 'ENABLED',
        }),
      });
    });

    it('launches the first choice alone, or its fallback types in order through a mixed-instances policy', () => {
      // Assess
      const types = [sizes.instanceType, ...sizes.fallbackInstanceTypes];
      if (types.length === 1) {
        t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
          LaunchTemplate: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
          MixedInstancesPolicy: Match.absent(),
        });
        return;
      }
      t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        LaunchTemplate: Match.absent(),
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
            Overrides: types.map((InstanceType) => ({ InstanceType })),
          },
          InstancesDistribution: {
            OnDemandAllocationStrategy: 'prioritized',
            OnDemandBaseCapacity: 0,
            OnDemandPercentageAboveBaseCapacity: 100,
          },
        },
        AvailabilityZoneDistribution: { CapacityDistributionStrategy: 'balanced-best-effort' },
      });
    });

    it('keeps no capacity reservation (the seed is headless)', () => {
      // Assess
      t.resourceCountIs('AWS::EC2::CapacityReservation', 0);
      t.resourceCountIs('AWS::ResourceGroups::Group', 0);
    });

    it('launches ECS-optimized AL2023 instances with IMDSv2 and encrypted volumes', () => {
      // Assess
      t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          InstanceType: sizes.instanceType,
          MetadataOptions: { HttpTokens: 'required' },
          BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
        }),
      });
      // An SSM parameter resolved at deploy time, not a synth-time lookup.
      expect(Object.keys(t.toJSON().Parameters)).toContainEqual(
        expect.stringMatching(/^SsmParameterValueawsserviceecsoptimizedamiamazonlinux2023/),
      );
    });

    it('runs the configured image under the task role with the deterministic name', () => {
      // Assess
      t.hasResourceProperties('AWS::IAM::Role', { RoleName: serviceNames.taskRoleName });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'bridge',
        ContainerDefinitions: [
          Match.objectLike({
            Image: service.image,
            Cpu: service.cpu,
            Memory: service.memoryMiB,
            PortMappings: [{ ContainerPort: service.containerPort, HostPort: 0, Protocol: 'tcp' }],
          }),
        ],
      });
    });

    it('health-checks the targets on the configured path behind an internet-facing ALB', () => {
      // Assess
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Protocol: 'HTTP',
        HealthCheckPath: service.healthCheckPath,
        // Dynamic host ports: the health check follows each target's port (cfn-lint E3049).
        HealthCheckPort: 'traffic-port',
      });
    });

    it('serves HTTPS on 443 with the recommended TLS policy and redirects port 80 there permanently', () => {
      // Prepare
      const listeners = propertiesOf<{ Port: number; Protocol: string }>(
        t,
        'AWS::ElasticLoadBalancingV2::Listener',
      );
      // Assess
      expect(listeners.map(([, p]) => [p.Port, p.Protocol]).sort()).toEqual([
        [443, 'HTTPS'],
        [80, 'HTTP'],
      ]);
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^TlsCertificate') } }],
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'AlbHttpAppGroupAC6A8101' } }],
      });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        DefaultActions: [
          { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } },
        ],
      });
    });

    it(`requests a certificate for every hostname and ${role}.<first>, validated by DNS in the zone, its ARN in SSM`, () => {
      // Assess
      t.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'app.example.com',
        SubjectAlternativeNames: [n.regionalRecordName],
        ValidationMethod: 'DNS',
        // ACM has no name: the Name tag is deterministic, never the construct path.
        Tags: [{ Key: 'Name', Value: `${config.project}-${role}-tls` }],
        DomainValidationOptions: Match.arrayWith([
          { DomainName: n.regionalRecordName, HostedZoneId: config.dns.hostedZoneId },
        ]),
      });
      t.hasResourceProperties('AWS::SSM::Parameter', {
        Name: `/${config.project}/${role}/tls/certificate-arn`,
        Value: { Ref: Match.stringLikeRegexp('^TlsCertificate') },
      });
    });

    it(`aliases ${role}.<recordName> to the region's ALB`, () => {
      // Assess
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `${n.regionalRecordName}.`,
        Type: 'A',
        HostedZoneId: config.dns.hostedZoneId,
        AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
      });
    });
  });
});

type Ref = { readonly Ref: string };

/** The properties of an `AWS::ECS::Service`, as far as these tests read them. */
interface EcsServiceProps {
  readonly ServiceName: string;
  readonly TaskDefinition: Ref;
  readonly DesiredCount: unknown;
  readonly LoadBalancers?: readonly { ContainerName: string; ContainerPort: number; TargetGroupArn: Ref }[];
}

interface TaskDefinitionProps {
  readonly TaskRoleArn: { readonly 'Fn::GetAtt': readonly [string, string] };
  readonly ContainerDefinitions: readonly {
    readonly LogConfiguration: { readonly Options: { readonly 'awslogs-group': Ref } };
  }[];
}

interface ListenerRuleProps {
  readonly Priority: number;
  readonly Conditions: readonly { Field: string; HostHeaderConfig: { Values: string[] } }[];
  readonly Actions: readonly { Type: string; TargetGroupArn: Ref }[];
}

/** The resources of `type` in `template` as [logical id, properties], the properties typed as `P`. */
function propertiesOf<P>(template: Template, type: string): [string, P][] {
  return resourcesOf(template, type).map(([id, r]) => [id, (r.Properties ?? {}) as P]);
}

describe('ServiceStack (shop.yml: three services, three hostnames)', () => {
  // Prepare + Act: one app for the tests below.
  const { built, config, names } = buildTestApp(shopConfig());
  const regions = deployedRegions(built);

  describe.each(REGION_ROLES)('%s region', (role) => {
    const t = Template.fromStack(regions[role].service);
    const n = names.regions[role];
    const desiredCounts = capacityParameters(n).names.serviceDesiredCounts;
    /** The ECS service of `services[i]`, by its deterministic name. */
    const ecsService = (i: number): EcsServiceProps => {
      const found = propertiesOf<EcsServiceProps>(t, 'AWS::ECS::Service').filter(
        ([, p]) => p.ServiceName === nth(n.services, i).ecsServiceName,
      );
      expect(found).toHaveLength(1);
      return nth(found)[1];
    };
    /** The logical id of the target group `services[i]`'s ECS service registers with, if any. */
    const targetGroupOf = (i: number): string | undefined =>
      ecsService(i).LoadBalancers?.[0]?.TargetGroupArn.Ref;

    it('runs one ECS service per entry, each from its own task definition, task role and log group', () => {
      // Prepare
      const taskDefinitions = new Map(propertiesOf<TaskDefinitionProps>(t, 'AWS::ECS::TaskDefinition'));
      const roles = new Map(propertiesOf<{ RoleName?: string }>(t, 'AWS::IAM::Role'));
      // Assess
      t.resourceCountIs('AWS::ECS::Service', 3);
      t.resourceCountIs('AWS::ECS::TaskDefinition', 3);
      const logGroups = new Set<string>();
      for (const [i, entry] of config.services.entries()) {
        const taskDefinition = taskDefinitions.get(ecsService(i).TaskDefinition.Ref);
        const container = nth(taskDefinition?.ContainerDefinitions ?? []);
        expect(container).toMatchObject({
          Image: entry.image,
          Cpu: entry.cpu,
          Memory: entry.memoryMiB,
          PortMappings: [{ ContainerPort: entry.containerPort, HostPort: 0, Protocol: 'tcp' }],
        });
        const roleId = taskDefinition?.TaskRoleArn['Fn::GetAtt'][0] ?? '';
        expect(roles.get(roleId)?.RoleName).toBe(nth(n.services, i).taskRoleName);
        logGroups.add(container.LogConfiguration.Options['awslogs-group'].Ref);
      }
      expect(logGroups.size).toBe(3);
      expect(n.services.map((s) => s.ecsServiceName)).toEqual([
        `shop-${role}-app`,
        `shop-${role}-app-api`,
        `shop-${role}-app-admin`,
      ]);
    });

    it('deploys each service’s desired count from its own SSM parameter', () => {
      // Prepare
      const parameters = t.toJSON().Parameters as Record<string, { Type: string; Default?: string }>;
      // Assess
      for (const [i, parameterName] of desiredCounts.entries()) {
        const [logicalId, parameter] = nth(
          Object.entries(parameters).filter(([, p]) => p.Default === parameterName),
        );
        expect(parameter.Type).toBe('AWS::SSM::Parameter::Value<String>');
        expect(ecsService(i).DesiredCount).toEqual({ Ref: logicalId });
      }
      expect(new Set(desiredCounts).size).toBe(3);
    });

    it('gives every service a target group with its own health check; the first is the listener’s default', () => {
      // Prepare
      const targetGroups = new Map(propertiesOf<object>(t, 'AWS::ElasticLoadBalancingV2::TargetGroup'));
      const listeners = propertiesOf<{ DefaultActions: unknown }>(t, 'AWS::ElasticLoadBalancingV2::Listener');
      // Act
      const groups = config.services.map((_, i) => targetGroupOf(i));
      // Assess
      t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      expect(targetGroups.size).toBe(3);
      expect(new Set(groups).size).toBe(3);
      for (const [i, entry] of config.services.entries()) {
        expect(targetGroups.get(groups[i] ?? '')).toMatchObject({
          HealthCheckPath: entry.healthCheckPath,
          HealthCheckPort: 'traffic-port',
        });
        expect(ecsService(i).LoadBalancers).toEqual([
          { ContainerName: 'app', ContainerPort: entry.containerPort, TargetGroupArn: { Ref: groups[i] } },
        ]);
      }
      expect(listeners.map(([, p]) => p.DefaultActions)).toEqual([
        [{ Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }],
        [{ Type: 'forward', TargetGroupArn: { Ref: groups[0] } }],
      ]);
    });

    it('routes api and admin by host header to their own target groups, at distinct priorities', () => {
      // Prepare
      const rules = propertiesOf<ListenerRuleProps>(t, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(
        ([, p]) => p,
      );
      // Assess: www routes to the first service, the default: no rule of its own. Every rule is
      // on the HTTPS listener (port 80 only redirects).
      expect(rules).toHaveLength(2);
      for (const [, p] of propertiesOf<{ ListenerArn: Ref }>(
        t,
        'AWS::ElasticLoadBalancingV2::ListenerRule',
      )) {
        expect(p.ListenerArn).toEqual({ Ref: 'AlbHttpsB7CA700A' });
      }
      for (const [recordName, service] of [
        ['api.shop.example.com', 1],
        ['admin.shop.example.com', 2],
      ] as const) {
        expect(rules).toContainEqual(
          expect.objectContaining({
            Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: [recordName] } }],
            Actions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroupOf(service) } }],
          }),
        );
      }
      const priorities = rules.map((r) => r.Priority);
      expect(new Set(priorities).size).toBe(2);
      for (const p of priorities) expect(p).toEqual(expect.any(Number));
    });
  });

  it('gives a service no hostname names no target group, and a service two hostnames name two rules', () => {
    // Prepare: admin loses its hostname; api gets a second one.
    const variant = shopConfig();
    variant.dns.records = [
      nth(variant.dns.records, 0),
      nth(variant.dns.records, 1),
      { name: 'api-v2', recordName: 'v2.api.shop.example.com', service: 'api' },
    ];
    // Act
    const t = Template.fromStack(deployedStacks(buildTestApp(variant).built, 'dr').service);
    const services = propertiesOf<EcsServiceProps>(t, 'AWS::ECS::Service').map(([, p]) => p);
    const rules = propertiesOf<ListenerRuleProps>(t, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(
      ([, p]) => p,
    );
    // Assess
    t.resourceCountIs('AWS::ECS::Service', 3);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    expect(services.find((s) => s.ServiceName === 'shop-dr-app-admin')?.LoadBalancers).toBeUndefined();
    const api = services.find((s) => s.ServiceName === 'shop-dr-app-api');
    const apiGroup = api?.LoadBalancers?.[0]?.TargetGroupArn;
    expect(apiGroup).toEqual({ Ref: expect.any(String) });
    expect(rules.map((r) => r.Actions)).toEqual([
      [{ Type: 'forward', TargetGroupArn: apiGroup }],
      [{ Type: 'forward', TargetGroupArn: apiGroup }],
    ]);
    expect(rules.flatMap((r) => r.Conditions.flatMap((c) => c.HostHeaderConfig.Values)).sort()).toEqual([
      'api.shop.example.com',
      'v2.api.shop.example.com',
    ]);
    expect(new Set(rules.map((r) => r.Priority)).size).toBe(2);
  });
});

describe('ServiceStack (certificates given in the config)', () => {
  it('imports the configured certificate: no request, no parameter', () => {
    // Prepare
    const variant = baseConfig();
    const arn = 'arn:aws:acm:us-west-2:111111111111:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    variant.regions.dr.certificateArn = arn;
    // Act
    const t = Template.fromStack(deployedStacks(buildTestApp(variant).built, 'dr').service);
    // Assess
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    expect(resourcesOf(t, 'AWS::SSM::Parameter')).toEqual([]);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Certificates: [{ CertificateArn: arn }],
    });
  });

  it('lists every hostname of shop.yml on its certificate', () => {
    // Act
    const t = Template.fromStack(deployedStacks(buildTestApp(shopConfig()).built, 'main').service);
    // Assess
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'www.shop.example.com',
      SubjectAlternativeNames: [
        'api.shop.example.com',
        'admin.shop.example.com',
        'main.www.shop.example.com',
      ],
    });
  });
});

describe('ServiceStack (shop.yml: DR keeps 2 of its 3 promoted instances reserved)', () => {
  // Prepare + Act: shop's DR lists capacity.reservation { instances: 2 } over three zones.
  const { built, config, names } = buildTestApp(shopConfig());
  const t = Template.fromStack(deployedStacks(built, 'dr').service);
  const asgName = names.regions.dr.asgName;

  it('reserves the first choice type, one instance in each of the first two zones, targeted and open-ended', () => {
    // Assess
    const reservations = resourcesOf(t, 'AWS::EC2::CapacityReservation').map(
      ([, r]) => (r as { Properties: Record<string, unknown> }).Properties,
    );
    expect(reservations).toEqual(
      config.regions.dr.availabilityZones.slice(0, 2).map((zone) => ({
        AvailabilityZone: zone,
        InstanceType: config.regions.dr.capacity.instanceType,
        InstancePlatform: 'Linux/UNIX',
        InstanceCount: 1,
        Tenancy: 'default',
        InstanceMatchCriteria: 'targeted',
        EndDateType: 'unlimited',
        TagSpecifications: [
          {
            ResourceType: 'capacity-reservation',
            Tags: [{ Key: 'pilot-light:capacity-for', Value: asgName }],
          },
        ],
      })),
    );
  });

  it('gathers them in a Capacity Reservation resource group the launch template targets', () => {
    // Assess
    const groups = resourcesOf(t, 'AWS::ResourceGroups::Group');
    expect(groups).toHaveLength(1);
    const [groupId, group] = nth(groups) as [string, { Properties: Record<string, unknown> }];
    expect(group.Properties).toMatchObject({
      Name: `${asgName}-reservations`,
      Configuration: [
        { Type: 'AWS::EC2::CapacityReservationPool' },
        {
          Type: 'AWS::ResourceGroups::Generic',
          Parameters: [{ Name: 'allowed-resource-types', Values: ['AWS::EC2::CapacityReservation'] }],
        },
      ],
    });
    expect(group.Properties.Resources).toHaveLength(2);
    t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        CapacityReservationSpecification: {
          CapacityReservationTarget: {
            CapacityReservationResourceGroupArn: { 'Fn::GetAtt': [groupId, 'Arn'] },
          },
        },
      }),
    });
  });

  it("leaves main's launch template without a reservation target", () => {
    // Assess
    Template.fromStack(deployedStacks(built, 'main').service).hasResourceProperties(
      'AWS::EC2::LaunchTemplate',
      {
        LaunchTemplateData: Match.objectLike({ CapacityReservationSpecification: Match.absent() }),
      },
    );
  });
});
