import { Template } from 'aws-cdk-lib/assertions';
import { REGION_ROLES } from '../../infra/config/schema';
import {
  baseConfig,
  buildTestApp,
  capacityParameters,
  deployedRegions,
  deployedStacks,
  nth,
  present,
  shopConfig,
} from './app-fixture';

describe('NetworkStack', () => {
  // Prepare + Act: one app for the tests below.
  const { app, built, config, names } = buildTestApp();
  const regions = deployedRegions(built);
  const main = Template.fromStack(regions.main.network);
  const dr = Template.fromStack(regions.dr.network);
  const shop = buildTestApp(shopConfig());

  it('creates the configured NAT gateways: 3 in main (base.yml), 1 in DR', () => {
    // Assess
    main.resourceCountIs(
      'AWS::EC2::NatGateway',
      present(config.regions.main.natGateways, 'main natGateways'),
    );
    dr.resourceCountIs('AWS::EC2::NatGateway', present(config.regions.dr.natGateways, 'dr natGateways'));
  });

  it('creates public, private and isolated subnets in each configured availability zone', () => {
    // Assess
    main.resourceCountIs('AWS::EC2::Subnet', 3 * config.regions.main.availabilityZones.length);
    for (const az of config.regions.main.availabilityZones) {
      main.resourcePropertiesCountIs('AWS::EC2::Subnet', { AvailabilityZone: az }, 3);
    }
    main.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: config.regions.main.vpcCidr });
    dr.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: config.regions.dr.vpcCidr });
  });

  it('holds the capacity parameters the service stack deploys from, at the configured sizes', () => {
    // Assess
    for (const [role, t] of [
      ['main', main],
      ['dr', dr],
    ] as const) {
      const n = capacityParameters(names.regions[role]).names;
      t.resourceCountIs('AWS::SSM::Parameter', 2);
      t.hasResourceProperties('AWS::SSM::Parameter', {
        Name: n.asgMinCapacity,
        Type: 'String',
        Value: String(config.regions[role].capacity.minCapacity),
      });
      t.hasResourceProperties('AWS::SSM::Parameter', {
        Name: nth(n.serviceDesiredCounts),
        Type: 'String',
        Value: String(nth(config.services).regions[role].desiredCount),
      });
    }
  });

  it.each(REGION_ROLES)(
    'holds one desired-count parameter per service of shop.yml in %s, at its own deploy count',
    (role) => {
      // Prepare
      const n = capacityParameters(shop.names.regions[role]).names;
      // Act
      const t = Template.fromStack(deployedStacks(shop.built, role).network);
      // Assess
      t.resourceCountIs('AWS::SSM::Parameter', 1 + shop.config.services.length);
      t.hasResourceProperties('AWS::SSM::Parameter', { Name: n.asgMinCapacity });
      for (const [i, service] of shop.config.services.entries()) {
        t.hasResourceProperties('AWS::SSM::Parameter', {
          Name: nth(n.serviceDesiredCounts, i),
          Type: 'String',
          Value: String(service.regions[role].desiredCount),
        });
      }
      expect(n.serviceDesiredCounts).toEqual([
        `/shop/${role}/capacity/service-desired-count`,
        `/shop/${role}/capacity/api/service-desired-count`,
        `/shop/${role}/capacity/admin/service-desired-count`,
      ]);
    },
  );

  it('is a dependency of the service stack, so the parameters exist before it resolves them', () => {
    // Assess
    for (const role of ['main', 'dr'] as const) {
      expect(regions[role].service.dependencies).toContain(regions[role].network);
    }
  });

  it('logs all VPC traffic', () => {
    // Assess
    main.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC' });
  });

  it('needs no context lookup, so synth works without credentials', () => {
    // Act
    const assembly = app.synth();
    // Assess
    expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  it('follows natGateways from the config', () => {
    // Prepare
    const config2 = baseConfig();
    config2.regions.main.natGateways = 2;
    // Act
    const t = Template.fromStack(deployedStacks(buildTestApp(config2).built, 'main').network);
    // Assess
    t.resourceCountIs('AWS::EC2::NatGateway', 2);
  });
});
