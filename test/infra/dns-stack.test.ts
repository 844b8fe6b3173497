import { Template } from 'aws-cdk-lib/assertions';
import { baseConfig, buildTestApp } from './app-fixture';

describe('DnsStack', () => {
  it('aliases the application record to the regional record of dns.activeRegion (main)', () => {
    // Act
    const { built, config, names } = buildTestApp();
    // Assess
    expect(config.dns.activeRegion).toBe('main');
    Template.fromStack(built.dns).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${config.dns.recordName}.`,
      Type: 'A',
      HostedZoneId: config.dns.hostedZoneId,
      AliasTarget: {
        DNSName: `${names.regions.main.regionalRecordName}.`,
        HostedZoneId: config.dns.hostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
  });

  it('points at the DR regional record once dns.activeRegion is dr', () => {
    // Prepare
    const config = baseConfig();
    config.dns.activeRegion = 'dr';
    // Act
    const { built, names } = buildTestApp(config);
    // Assess
    Template.fromStack(built.dns).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${config.dns.recordName}.`,
      AliasTarget: {
        DNSName: `${names.regions.dr.regionalRecordName}.`,
        HostedZoneId: config.dns.hostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
  });

  it('lives in the main region and deploys after both service stacks', () => {
    // Act
    const { built, config, names } = buildTestApp();
    // Assess
    expect(built.dns.region).toBe(config.regions.main.region);
    expect(built.dns.stackName).toBe(names.dnsStack);
    expect(built.dns.dependencies).toEqual(
      expect.arrayContaining([built.regions.main.service, built.regions.dr.service]),
    );
  });
});
