import { Match, Template } from 'aws-cdk-lib/assertions';
import { REGION_ROLES } from '../../infra/config/schema';
import { buildTestApp } from './app-fixture';

describe('ServiceStack', () => {
  // Prepare + Act: one app for the tests below.
  const { built, config, names } = buildTestApp();

  describe.each(REGION_ROLES)('%s region', (role) => {
    const t = Template.fromStack(built.regions[role].service);
    const n = names.regions[role];
    const sizes = config.regions[role].service;

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
        MinSize: deployTimeParameter(n.capacityParameters.asgMinCapacity),
        MaxSize: String(sizes.maxCapacity),
        DesiredCapacity: Match.absent(),
      });
    });

    it('takes the service desired count from its capacity parameter at deploy', () => {
      // Assess
      t.hasResourceProperties('AWS::ECS::Service', {
        ServiceName: n.ecsServiceName,
        DesiredCount: deployTimeParameter(n.capacityParameters.serviceDesiredCount),
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
      t.hasResourceProperties('AWS::IAM::Role', { RoleName: n.taskRoleName });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'bridge',
        ContainerDefinitions: [
          Match.objectLike({
            Image: config.app.image,
            PortMappings: [{ ContainerPort: config.app.containerPort, HostPort: 0, Protocol: 'tcp' }],
          }),
        ],
      });
    });

    it('health-checks the targets on the configured path behind an internet-facing ALB', () => {
      // Assess
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckPath: config.app.healthCheckPath,
        // Dynamic host ports: the health check follows each target's port (cfn-lint E3049).
        HealthCheckPort: 'traffic-port',
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
