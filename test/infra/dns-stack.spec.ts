import { Match, Template } from 'aws-cdk-lib/assertions';
import { REGION_ROLES } from '../../infra/config/schema';
import { CLAIM_ALARM } from '../../lambdas/shared/traffic-claim';
import { buildTestApp, deployedRegions, existingAppConfig, present, resourcesOf } from './app-fixture';

describe('DnsStack', () => {
  const { built, config, names } = buildTestApp();
  const template = Template.fromStack(built.dns);
  /** The logical id of the health check on `role`'s claim alarm. */
  const claimCheckId = (role: 'main' | 'dr'): string => {
    const match = resourcesOf(template, 'AWS::Route53::HealthCheck').find(
      ([, r]) =>
        (r.Properties?.HealthCheckConfig as { AlarmIdentifier?: { Name?: string } } | undefined)
          ?.AlarmIdentifier?.Name === names.regions[role].trafficClaimAlarmName,
    );
    if (match === undefined) throw new Error(`no health check on the ${role} claim alarm`);
    return match[0];
  };

  it.each(REGION_ROLES)(
    'checks the %s claim alarm in its own region, with its InsufficientData status',
    (role) => {
      // Assess
      template.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          Type: 'CLOUDWATCH_METRIC',
          AlarmIdentifier: {
            Name: names.regions[role].trafficClaimAlarmName,
            Region: config.regions[role].region,
          },
          InsufficientDataHealthStatus: CLAIM_ALARM[role].insufficientDataHealthStatus,
        },
      });
    },
  );

  it('treats a silent main alarm as "main does not claim" and a silent DR alarm as its last status', () => {
    // Assess: the values the protocol rests on, not only whatever CLAIM_ALARM holds.
    expect(CLAIM_ALARM.main.insufficientDataHealthStatus).toBe('Unhealthy');
    expect(CLAIM_ALARM.dr.insufficientDataHealthStatus).toBe('LastKnownStatus');
  });

  it('computes PRIMARY health as "DR stands by OR main claims" (threshold 1 of both children)', () => {
    // Assess
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'CALCULATED',
        HealthThreshold: 1,
        ChildHealthChecks: [
          { 'Fn::GetAtt': [claimCheckId('main'), 'HealthCheckId'] },
          { 'Fn::GetAtt': [claimCheckId('dr'), 'HealthCheckId'] },
        ],
      },
    });
    template.resourceCountIs('AWS::Route53::HealthCheck', 3);
  });

  it('makes the application name a failover pair: PRIMARY -> main with the calculated check', () => {
    // Prepare
    const [calculated] = resourcesOf(template, 'AWS::Route53::HealthCheck').filter(
      ([, r]) => (r.Properties?.HealthCheckConfig as { Type?: string } | undefined)?.Type === 'CALCULATED',
    );
    // Assess
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: config.dns.hostedZoneId,
      Name: `${config.dns.records[0]?.recordName}.`,
      Type: 'A',
      Failover: 'PRIMARY',
      SetIdentifier: 'main',
      HealthCheckId: { 'Fn::GetAtt': [calculated?.[0], 'HealthCheckId'] },
      AliasTarget: {
        DNSName: `${names.regions.main.regionalRecordName}.`,
        HostedZoneId: config.dns.hostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
  });

  it('answers DR from SECONDARY, with no health check of its own', () => {
    // Assess
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: config.dns.hostedZoneId,
      Name: `${config.dns.records[0]?.recordName}.`,
      Type: 'A',
      Failover: 'SECONDARY',
      SetIdentifier: 'dr',
      HealthCheckId: Match.absent(),
      AliasTarget: {
        DNSName: `${names.regions.dr.regionalRecordName}.`,
        HostedZoneId: config.dns.hostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
  });

  it('never lets ALB health move traffic: no alias evaluates target health', () => {
    // Assess
    template.allResourcesProperties('AWS::Route53::RecordSet', {
      AliasTarget: Match.objectLike({ EvaluateTargetHealth: false }),
    });
  });

  it('keeps its logical ids whatever the config says (stable construct ids)', () => {
    // Prepare
    const other = structuredClone(config);
    other.project = 'another-project';
    other.dns.zoneName = 'example.org';
    other.dns.records = [{ name: 'app', recordName: 'www.example.org', service: 'app' }];
    // Act
    const ids = (c: typeof config) =>
      Object.keys(Template.fromStack(buildTestApp(c).built.dns).toJSON().Resources as object).sort();
    // Assess
    expect(ids(other)).toEqual(ids(config));
    expect(ids(config)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PrimaryRecord/),
        expect.stringMatching(/^SecondaryRecord/),
        expect.stringMatching(/^TrafficHealthCheck/),
      ]),
    );
  });

  it('gives every hostname its own failover pair on the same health checks', () => {
    // Prepare
    const shop = structuredClone(config);
    shop.dns.records = [
      { name: 'app', recordName: 'app.example.com', service: 'app' },
      { name: 'api', recordName: 'api.example.com', service: 'app' },
      { name: 'www-v2', recordName: 'www.example.com', service: 'app' },
    ];

    // Act
    const t = Template.fromStack(buildTestApp(shop).built.dns);
    const records = t.findResources('AWS::Route53::RecordSet');

    // Assess
    expect(Object.keys(records).sort()).toEqual([
      'PrimaryRecord',
      'PrimaryRecordApi',
      'PrimaryRecordWwwV2',
      'SecondaryRecord',
      'SecondaryRecordApi',
      'SecondaryRecordWwwV2',
    ]);
    t.resourceCountIs('AWS::Route53::HealthCheck', 3);
    for (const name of ['app.example.com.', 'api.example.com.', 'www.example.com.']) {
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: name,
        Failover: 'PRIMARY',
        HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrafficHealthCheck'), 'HealthCheckId'] },
        AliasTarget: Match.objectLike({ DNSName: `${names.regions.main.regionalRecordName}.` }),
      });
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: name,
        Failover: 'SECONDARY',
        AliasTarget: Match.objectLike({ DNSName: `${names.regions.dr.regionalRecordName}.` }),
      });
    }
  });

  it('lives in the main region and deploys after both service stacks and both claim alarms', () => {
    // Assess
    expect(built.dns.region).toBe(config.regions.main.region);
    expect(built.dns.stackName).toBe(names.dnsStack);
    expect(built.dns.dependencies).toEqual(
      expect.arrayContaining([
        deployedRegions(built).main.service,
        deployedRegions(built).dr.service,
        built.orchestrators.main,
        built.orchestrators.dr,
      ]),
    );
  });
});

describe('DnsStack (existing-app.yml: the team’s load balancers, an attached hostname)', () => {
  // Prepare + Act: one app for the tests below.
  const { built, config } = buildTestApp(existingAppConfig());
  const template = Template.fromStack(built.dns);
  const records = resourcesOf(template, 'AWS::Route53::RecordSet').map(([id, r]) => ({
    id,
    ...(r.Properties as { Name: string; Failover?: string; AliasTarget: Record<string, unknown> }),
  }));

  it('makes app a failover pair aliasing main.app.ledger.example.com and dr.app.ledger.example.com', () => {
    // Assess
    for (const [failover, target] of [
      ['PRIMARY', 'main.app.ledger.example.com.'],
      ['SECONDARY', 'dr.app.ledger.example.com.'],
    ] as const) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: 'Z0LEDGEREXAMPLE',
        Name: 'app.ledger.example.com.',
        Type: 'A',
        Failover: failover,
        AliasTarget: { DNSName: target, HostedZoneId: 'Z0LEDGEREXAMPLE', EvaluateTargetHealth: false },
      });
    }
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'app.ledger.example.com.',
      Failover: 'PRIMARY',
      HealthCheckId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrafficHealthCheck'), 'HealthCheckId'] },
    });
  });

  it.each([
    ['main', 'RegionalRecordMain'],
    ['dr', 'RegionalRecordDr'],
  ] as const)('aliases %s.app.ledger.example.com to the team’s load balancer (%s)', (role, id) => {
    // Prepare
    const lb = present(config.regions[role].capacity.existing, 'capacity.existing').loadBalancer;
    // Assess
    expect(records.find((r) => r.id === id)).toEqual({
      id,
      HostedZoneId: 'Z0LEDGEREXAMPLE',
      Name: `${role}.app.ledger.example.com.`,
      Type: 'A',
      AliasTarget: {
        DNSName: `${lb.dnsName}.`,
        HostedZoneId: lb.canonicalHostedZoneId,
        EvaluateTargetHealth: false,
      },
    });
    expect(lb.dnsName).toMatch(/\.elb\.amazonaws\.com$/);
  });

  it('creates no record for api: the team’s own pair carries the health check (attach)', () => {
    // Assess
    expect(records.filter((r) => r.Name.startsWith('api.'))).toEqual([]);
    expect(records.map((r) => r.id).sort()).toEqual([
      'PrimaryRecord',
      'RegionalRecordDr',
      'RegionalRecordMain',
      'SecondaryRecord',
    ]);
  });

  it('outputs the traffic health check id for the team’s PRIMARY record', () => {
    // Assess
    template.hasOutput('TrafficHealthCheckId', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrafficHealthCheck'), 'HealthCheckId'] },
    });
    template.resourceCountIs('AWS::Route53::HealthCheck', 3);
  });

  it('has no regional records of its own when pilot-light deploys the services (base.yml)', () => {
    // Act
    const base = Template.fromStack(buildTestApp().built.dns);
    // Assess
    expect(Object.keys(base.findResources('AWS::Route53::RecordSet')).sort()).toEqual([
      'PrimaryRecord',
      'SecondaryRecord',
    ]);
    base.hasOutput('TrafficHealthCheckId', Match.anyValue());
  });
});
