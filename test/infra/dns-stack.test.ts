import { Template } from 'aws-cdk-lib/assertions';
import { baseConfig, buildTestApp } from './app-fixture';

describe('DnsStack', () => {
  it('aliases the application record to the regional record of dns.activeRegion (main)', () => {
    const { built, config } = buildTestApp();
    Template.fromStack(built.dns).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${config.dns.recordName}.`,
      Type: 'A',
      HostedZoneId: config.dns.hostedZoneId,
      AliasTarget: {
        DNSName: `main.${config.dns.recordName}.`,
        HostedZoneId: config.dns.hostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
  });

  it('points at the DR regional record once dns.activeRegion is dr', () => {
    const config = baseConfig();
    config.dns.activeRegion = 'dr';
    const { built } = buildTestApp(config);
    Template.fromStack(built.dns).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${config.dns.recordName}.`,
      AliasTarget: {
        DNSName: `dr.${config.dns.recordName}.`,
        HostedZoneId: config.dns.hostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
  });

  it('lives in the main region and deploys after both service stacks', () => {
    const { built, config, names } = buildTestApp();
    expect(built.dns.region).toBe(config.regions.main.region);
    expect(built.dns.stackName).toBe(names.dnsStack);
    expect(built.dns.dependencies).toEqual(
      expect.arrayContaining([built.regions.main.service, built.regions.dr.service]),
    );
  });
});
